package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"gaoxin/internal/errs"
)

// Webhook notifications. A change that should be announced (a task turning
// red, a report returned, a 督办单 issued or answered) writes a row to
// plan_outbox in the same transaction as the change, only when a webhook URL
// is configured (Settings.WebhookURL). Deliver, run every minute by the
// "plan.webhook" job, claims each pending row with a conditional UPDATE (so
// with several app servers each message is sent once) and POSTs
//
//	{"msgtype":"text","text":{"content":"…"}}
//
// the text-message body that WeCom (企业微信) and DingTalk (钉钉) group robots
// both accept. A failed POST is retried on later runs, up to 5 attempts.
// The URL is checked when saved (http or https only, see Settings.Validate)
// and every POST has a timeout.

// webhookMessage is the robot text-message body.
type webhookMessage struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// The outbox is bounded: at most MaxPendingNotifications wait to be sent
// (past that, new notifications are dropped rather than piling up behind an
// unreachable robot), and sent or failed rows are purged after keepOutbox.
const (
	MaxPendingNotifications = 5000
	keepOutbox              = 30 * 24 * time.Hour
)

func (s *Service) enqueue(ctx context.Context, q queryer, st Settings, event, text string) error {
	if st.WebhookURL == "" {
		return nil
	}
	var pending int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM plan_outbox WHERE state = 'pending' LIMIT $1) p",
		MaxPendingNotifications).Scan(&pending); err != nil {
		return errs.Wrap(err, "plan: outbox size")
	}
	if pending >= MaxPendingNotifications {
		return nil
	}
	m := webhookMessage{MsgType: "text"}
	m.Text.Content = text
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, "INSERT INTO plan_outbox (event, payload, created_at) VALUES ($1, $2, $3)", event, string(b), s.nowMS())
	return errs.Wrap(err, "plan: outbox")
}

// Deliver purges old sent and failed notifications, then sends pending
// ones and returns how many were sent.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	if _, err := s.DB.W.ExecContext(ctx, "DELETE FROM plan_outbox WHERE state IN ('sent', 'failed') AND created_at < $1",
		s.now().Add(-keepOutbox).UnixMilli()); err != nil {
		return 0, errs.Wrap(err, "plan: purge outbox")
	}
	st, err := s.Settings(ctx)
	if err != nil || st.WebhookURL == "" {
		return 0, err
	}
	rows, err := s.DB.R.QueryContext(ctx, "SELECT id, payload FROM plan_outbox WHERE state = 'pending' ORDER BY id LIMIT 100")
	if err != nil {
		return 0, errs.Wrap(err, "plan: outbox")
	}
	type item struct {
		id      int64
		payload string
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.payload); err != nil {
			rows.Close()
			return 0, err
		}
		items = append(items, it)
	}
	rows.Close()
	hc := s.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	sent := 0
	for _, it := range items {
		res, err := s.DB.W.ExecContext(ctx, "UPDATE plan_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = $1 AND state = 'pending'", it.id)
		if err != nil {
			return sent, errs.Wrap(err, "plan: claim outbox")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another server took it
		}
		postErr := post(ctx, hc, st.WebhookURL, it.payload)
		if postErr == nil {
			_, err = s.DB.W.ExecContext(ctx, "UPDATE plan_outbox SET state = 'sent', sent_at = $1, last_error = '' WHERE id = $2", s.nowMS(), it.id)
			sent++
		} else {
			_, err = s.DB.W.ExecContext(ctx, `UPDATE plan_outbox SET state = CASE WHEN attempts >= 5 THEN 'failed' ELSE 'pending' END,
				last_error = $1 WHERE id = $2`, postErr.Error(), it.id)
		}
		if err != nil {
			return sent, errs.Wrap(err, "plan: outbox state")
		}
	}
	return sent, nil
}

func post(ctx context.Context, hc *http.Client, url, payload string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader([]byte(payload)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", res.Status)
	}
	return nil
}
