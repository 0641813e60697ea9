package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"gaoxin/internal/db"
)

// Webhook notifications. A change that should be announced (a task turning
// red, a report returned, a 督办单 issued or answered) writes a row to
// plan_outbox in the same transaction as the change, only when a webhook URL
// is configured (Settings.WebhookURL). Deliver, run every minute by the
// "plan.webhook" job, claims each due row with a conditional UPDATE (so
// with several app servers each message is sent once) and POSTs
//
//	{"msgtype":"text","text":{"content":"…"}}
//
// the text-message body that WeCom (企业微信) and DingTalk (钉钉) group robots
// both accept. A failed POST is retried on later runs, up to MaxAttempts.
// The URL is checked when saved (http or https only, see Settings.Validate)
// and every POST has a timeout.
//
// A claim is a lease: claiming stamps claimed_at and counts the attempt. A
// sender that dies between claiming and recording the result (a crash, a
// lost database connection, a cancelled run) leaves its row in 'sending';
// once the claim is older than SendLease the row is due again and the next
// run claims it afresh, counting another attempt, or marks it failed when
// it was already on its last attempt. A live sender is never overtaken:
// each POST is bounded by postTimeout, well inside the lease. Delivery is
// at least once: a sender that posted but died before recording it is
// posted again.

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

// MaxAttempts is how many times a notification is tried before it fails;
// SendLease is how long a claim holds before the row is taken as abandoned;
// postTimeout bounds each POST, so a live sender always finishes inside
// its lease.
const (
	MaxAttempts = 5
	SendLease   = 5 * time.Minute
	postTimeout = time.Minute
)

// enqueue queues texts for the webhook as messages of event, as many as
// the outbox has room for; nothing without a webhook URL.
func (s *Service) enqueue(ctx context.Context, qr db.Querier, st Settings, event string, texts []string) error {
	if st.WebhookURL == "" {
		return nil
	}
	var pending int
	if err := qr.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM plan_outbox WHERE state = 'pending' LIMIT $1) p",
		MaxPendingNotifications).Scan(&pending); err != nil {
		return fmt.Errorf("plan: outbox size: %w", err)
	}
	texts = texts[:min(len(texts), max(0, MaxPendingNotifications-pending))]
	now := s.nowMS()
	// 200 messages a statement: a warning sweep may queue thousands.
	const chunk = 200
	for start := 0; start < len(texts); start += chunk {
		part := texts[start:min(start+chunk, len(texts))]
		args := make([]any, 0, 3*len(part))
		for _, text := range part {
			m := webhookMessage{MsgType: "text"}
			m.Text.Content = text
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			args = append(args, event, string(b), now)
		}
		q := db.ValuesSQL("INSERT INTO plan_outbox (event, payload, created_at)", "", 3, len(part), s.DB.Dialect == db.SQLite)
		if _, err := qr.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("plan: outbox: %w", err)
		}
	}
	return nil
}

// Deliver purges old sent and failed notifications, fails abandoned claims
// that were on their last attempt, then sends the due ones (pending, or
// claimed longer than SendLease ago) and returns how many were sent.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	if _, err := s.DB.W.ExecContext(ctx, "DELETE FROM plan_outbox WHERE state IN ('sent', 'failed') AND created_at < $1",
		s.now().Add(-keepOutbox).UnixMilli()); err != nil {
		return 0, fmt.Errorf("plan: purge outbox: %w", err)
	}
	st, err := s.Settings(ctx)
	if err != nil || st.WebhookURL == "" {
		return 0, err
	}
	stale := s.now().Add(-SendLease).UnixMilli()
	if _, err := s.DB.W.ExecContext(ctx, `UPDATE plan_outbox SET state = 'failed', last_error = $1
		WHERE state = 'sending' AND claimed_at < $2 AND attempts >= $3`,
		"发送中断，租约过期且已达最大尝试次数 / sending was interrupted: the lease expired on the last attempt", stale, MaxAttempts); err != nil {
		return 0, fmt.Errorf("plan: fail abandoned outbox rows: %w", err)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, payload FROM plan_outbox
		WHERE state = 'pending' OR (state = 'sending' AND claimed_at < $1) ORDER BY id LIMIT 100`, stale)
	if err != nil {
		return 0, fmt.Errorf("plan: outbox: %w", err)
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
	if err := rows.Err(); err != nil {
		return 0, err
	}
	hc := s.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	sent := 0
	for _, it := range items {
		ok, err := s.deliverOne(ctx, hc, st.WebhookURL, it.id, it.payload)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// deliverOne claims one row (if it is still due: another server may have
// taken it), posts it and records the result. ok is true when it was sent.
func (s *Service) deliverOne(ctx context.Context, hc *http.Client, url string, id int64, payload string) (ok bool, err error) {
	claim := s.nowMS()
	res, err := s.DB.W.ExecContext(ctx, `UPDATE plan_outbox SET state = 'sending', attempts = attempts + 1, claimed_at = $1
		WHERE id = $2 AND attempts < $3 AND (state = 'pending' OR (state = 'sending' AND claimed_at < $4))`,
		claim, id, MaxAttempts, s.now().Add(-SendLease).UnixMilli())
	if err != nil {
		return false, fmt.Errorf("plan: claim outbox: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // another server took it
	}
	pctx, cancel := context.WithTimeout(ctx, postTimeout)
	postErr := post(pctx, hc, url, payload)
	cancel()
	if postErr == nil {
		// Sent: recorded even if the lease ran out meanwhile, so nobody posts it again.
		_, err = s.DB.W.ExecContext(ctx, "UPDATE plan_outbox SET state = 'sent', sent_at = $1, last_error = '' WHERE id = $2", s.nowMS(), id)
	} else {
		// Failed: released only while the claim is still this run's.
		_, err = s.DB.W.ExecContext(ctx, `UPDATE plan_outbox SET state = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'pending' END,
			last_error = $2 WHERE id = $3 AND state = 'sending' AND claimed_at = $4`, MaxAttempts, postErr.Error(), id, claim)
	}
	if err != nil {
		return false, fmt.Errorf("plan: outbox state: %w", err)
	}
	return postErr == nil, nil
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
