package plan

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Settings are the plan module's tunables, kept in the database (table
// plan_settings) so every app server shares them; supervisors and admins
// change them on /plan/settings or PUT /api/v1/plan/settings.
type Settings struct {
	// MarginPct: a task is yellow when its progress trails the elapsed share
	// of its time by more than this many percentage points. Default 10.
	MarginPct int `json:"yellow_margin_pct"`
	// DueDay: a period's report is due on this day of the following month
	// (1–28). Default 5.
	DueDay int `json:"report_due_day"`
	// WebhookURL: when set, notifications are POSTed here as JSON in the
	// text-message format WeCom (企业微信) and DingTalk (钉钉) robots accept:
	// {"msgtype":"text","text":{"content":"…"}}. Empty disables them.
	WebhookURL string `json:"webhook_url"`
	// Score weights of the monthly bulletin (see Score): weights of the
	// completion rate, the on-time rate and the report on-time rate, and the
	// points taken off per red task. Defaults 40, 30, 30 and 5.
	ScoreDone    int `json:"score_w_done"`
	ScoreOnTime  int `json:"score_w_on_time"`
	ScoreReport  int `json:"score_w_report"`
	ScoreRedCost int `json:"score_red_penalty"`
	// MaxAttachmentKB is the largest attachment accepted, in KiB. Default 5120 (5 MiB).
	MaxAttachmentKB int `json:"max_attachment_kb"`
}

// DefaultSettings are used for keys never set.
var DefaultSettings = Settings{MarginPct: 10, DueDay: 5, ScoreDone: 40, ScoreOnTime: 30, ScoreReport: 30,
	ScoreRedCost: 5, MaxAttachmentKB: 5120}

func (st *Settings) fields() map[string]*int {
	return map[string]*int{"yellow_margin_pct": &st.MarginPct, "report_due_day": &st.DueDay,
		"score_w_done": &st.ScoreDone, "score_w_on_time": &st.ScoreOnTime, "score_w_report": &st.ScoreReport,
		"score_red_penalty": &st.ScoreRedCost, "max_attachment_kb": &st.MaxAttachmentKB}
}

// Settings returns the current settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) { return s.settings(ctx, s.DB.R) }

// SettingsFor returns the settings as v may read them: the webhook URL
// carries the robot's key, so only those who may change it see it.
func (s *Service) SettingsFor(ctx context.Context, v Viewer) (Settings, error) {
	st, err := s.Settings(ctx)
	if !v.mayChangeSettings() {
		st.WebhookURL = ""
	}
	return st, err
}

// mayChangeSettings reports whether v may change the plan's settings.
func (v Viewer) mayChangeSettings() bool { return v.Role == org.Supervisor || v.Role == org.Admin }

func (s *Service) settings(ctx context.Context, q db.Querier) (Settings, error) {
	st := DefaultSettings
	rows, err := q.QueryContext(ctx, "SELECT key, value FROM plan_settings ORDER BY key LIMIT 100")
	if err != nil {
		return st, fmt.Errorf("plan: settings: %w", err)
	}
	defer rows.Close()
	f := st.fields()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		if k == "webhook_url" {
			st.WebhookURL = v
		} else if p, ok := f[k]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				*p = n
			}
		}
	}
	return st, rows.Err()
}

// Validate checks every setting. Errors: Invalid listing each bad field.
func (st Settings) Validate() error {
	var ds []errs.Detail
	bad := func(field, zh, en string) {
		ds = append(ds, errs.Detail{Field: field, Reason: zh, ReasonEN: en})
	}
	if st.MarginPct < 0 || st.MarginPct > 100 {
		bad("yellow_margin_pct", "黄牌容差须在 0–100 之间", "yellow margin must be 0–100")
	}
	if st.DueDay < 1 || st.DueDay > 28 {
		bad("report_due_day", "报送日须在 1–28 之间", "report due day must be 1–28")
	}
	for k, v := range map[string]int{"score_w_done": st.ScoreDone, "score_w_on_time": st.ScoreOnTime, "score_w_report": st.ScoreReport, "score_red_penalty": st.ScoreRedCost} {
		if v < 0 || v > 100 {
			bad(k, "评分参数须在 0–100 之间", "score parameters must be 0–100")
		}
	}
	if st.ScoreDone+st.ScoreOnTime+st.ScoreReport == 0 {
		bad("score_w_done", "三项评分权重不能全为 0", "the three score weights cannot all be 0")
	}
	if st.MaxAttachmentKB < 1 || st.MaxAttachmentKB > 20*1024 {
		bad("max_attachment_kb", "附件上限须在 1–20480 KiB 之间", "attachment limit must be 1–20480 KiB")
	}
	if st.WebhookURL != "" {
		u, err := url.Parse(st.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("webhook_url", "Webhook 地址须为 http(s):// 开头的网址", "webhook URL must be an http(s):// URL")
		}
	}
	if len(ds) > 0 {
		return errs.List(fmt.Sprintf("设置有 %d 处错误", len(ds)), fmt.Sprintf("%d settings are invalid", len(ds)), ds)
	}
	return nil
}

// SaveSettings stores the settings and recomputes every flag (the margin or
// due day may have changed). Errors: Forbidden, Invalid.
func (s *Service) SaveSettings(ctx context.Context, v Viewer, st Settings) error {
	if !v.mayChangeSettings() {
		return errs.New(errs.Forbidden, "只有督查人员或管理员可以修改设置", "only supervisors or admins may change settings")
	}
	st.WebhookURL = strings.TrimSpace(st.WebhookURL)
	if err := st.Validate(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		vals := map[string]string{"webhook_url": st.WebhookURL}
		for k, p := range st.fields() {
			vals[k] = strconv.Itoa(*p)
		}
		for k, val := range vals {
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_settings (key, value, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, val, s.nowMS()); err != nil {
				return fmt.Errorf("plan: save setting %s: %w", k, err)
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.settings", ObjectType: "plan_settings", ObjectID: "plan",
			Before: before, After: st})
	})
	if err != nil {
		return err
	}
	years, err := s.Years(ctx)
	if err != nil {
		return err
	}
	for _, y := range years {
		if _, err := s.RefreshFlags(ctx, y.Year); err != nil {
			return err
		}
	}
	return nil
}
