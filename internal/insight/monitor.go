package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// 运行监测: staff set rules; as the rollups apply the registry's changes,
// each changed enterprise is checked against the active rules, and a rule
// that holds raises a warning (once per rule, enterprise and period) in
// the same transaction. A warning goes to the inbox of the enterprise's
// office area and, when the zone has a webhook, to its robot (through the
// plan module's outbox). Its follow-up is kept note by note.

// Rule kinds.
const (
	RuleDrop         = "drop"          // an indicator down more than Percent on last year
	RuleDropQuarters = "drop_quarters" // an indicator down Periods quarters running
	RuleCertLapse    = "cert_lapse"    // a certificate ended and was not renewed
	RuleMovedOut     = "moved_out"     // the enterprise moved out of the zone
	RuleNoReport     = "no_report"     // no figures for Periods years
)

// RuleKinds lists the kinds with their names.
var RuleKinds = []struct{ Code, NameZH, NameEN string }{
	{RuleDrop, "指标同比下降", "Indicator down on last year"},
	{RuleDropQuarters, "指标连续多个季度下降", "Indicator down quarters running"},
	{RuleCertLapse, "资质证书到期未续", "Certificate lapsed"},
	{RuleMovedOut, "企业迁出", "Moved out"},
	{RuleNoReport, "连续未报送数据", "No figures reported"},
}

// Rule is one monitoring rule.
type Rule struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Indicator string `json:"indicator,omitempty"`
	Percent   int    `json:"percent,omitempty"`
	Periods   int    `json:"periods,omitempty"`
	Active    bool   `json:"active"`
}

// Warning is one raised warning.
type Warning struct {
	ID           int64  `json:"id"`
	RuleID       int64  `json:"rule_id"`
	RuleName     string `json:"rule_name"`
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise"`
	AreaUnitID   int64  `json:"area_unit_id,omitempty"`
	Period       string `json:"period"`
	DetailZH     string `json:"detail_zh"`
	DetailEN     string `json:"detail_en"`
	Status       string `json:"status"` // open, following, closed
	RaisedAt     int64  `json:"raised_at"`
	UpdatedAt    int64  `json:"updated_at"`
	Notes        []Note `json:"notes,omitempty"`
}

// Note is one step of a warning's follow-up.
type Note struct {
	At     int64  `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"` // raised, note, following, closed, reopened
	Note   string `json:"note,omitempty"`
}

// Warning statuses.
const (
	WarnOpen      = "open"
	WarnFollowing = "following"
	WarnClosed    = "closed"
)

// Rules lists every rule. Staff and units read them.
func (s *Service) Rules(ctx context.Context, v Viewer) ([]Rule, error) {
	if !v.Zone() && !v.AreaOnly {
		return nil, errNoAccess
	}
	return s.rules(ctx, s.DB.R, false)
}

var errNoAccess = errs.New(errs.Forbidden, "无权查看产业大脑", "not allowed to read the industry brain")

func (s *Service) rules(ctx context.Context, q db.Querier, activeOnly bool) ([]Rule, error) {
	query := "SELECT id, kind, name, indicator, percent, periods, active FROM insight_rules"
	if activeOnly {
		query += " WHERE active = TRUE"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("insight: rules: %w", err)
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.Kind, &r.Name, &r.Indicator, &r.Percent, &r.Periods, &r.Active); err != nil {
			return nil, fmt.Errorf("insight: rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveRule adds a rule (ID 0) or changes one. Only supervisors and admins
// set rules. Errors: Forbidden, Invalid (unknown kind or indicator, a
// threshold out of range, a name missing), NotFound.
func (s *Service) SaveRule(ctx context.Context, v Viewer, r Rule) (Rule, error) {
	if v.Role != "admin" && v.Role != "supervisor" {
		return r, errs.New(errs.Forbidden, "只有督查室或管理员可以设置监测规则", "only supervisors and admins set monitoring rules")
	}
	r.Name = strings.TrimSpace(r.Name)
	var bad []errs.Detail
	add := func(field, value, zh, en string) {
		bad = append(bad, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	if r.Name == "" || len([]rune(r.Name)) > 100 {
		add("name", r.Name, "规则名称必填（100 字以内）", "a name is required (at most 100 characters)")
	}
	known := false
	for _, k := range RuleKinds {
		known = known || k.Code == r.Kind
	}
	if !known {
		add("kind", r.Kind, "未知的规则类型", "unknown rule kind")
	}
	switch r.Kind {
	case RuleDrop, RuleDropQuarters:
		inds, err := s.Registry.Indicators(ctx)
		if err != nil {
			return r, err
		}
		if !slices.ContainsFunc(inds, func(i enterprise.Indicator) bool { return i.Code == r.Indicator }) {
			add("indicator", r.Indicator, "企业库中没有该指标", "no such registry indicator")
		}
	default:
		r.Indicator = ""
	}
	switch r.Kind {
	case RuleDrop:
		if r.Percent < 1 || r.Percent > 100 {
			add("percent", strconv.Itoa(r.Percent), "下降幅度须在 1–100（%）之间", "the drop must be 1–100 (%)")
		}
		r.Periods = 0
	case RuleDropQuarters:
		if r.Periods < 2 || r.Periods > 8 {
			add("periods", strconv.Itoa(r.Periods), "连续季度数须在 2–8 之间", "quarters running must be 2–8")
		}
		r.Percent = 0
	case RuleNoReport:
		if r.Periods < 1 || r.Periods > 5 {
			add("periods", strconv.Itoa(r.Periods), "未报送年数须在 1–5 之间", "years without figures must be 1–5")
		}
		r.Percent = 0
	default:
		r.Percent, r.Periods = 0, 0
	}
	if len(bad) > 0 {
		return r, errs.List("监测规则有误", "the rule is invalid", bad)
	}
	now := s.now().UnixMilli()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before any
		if r.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO insight_rules (kind, name, indicator, percent, periods, active, created_by, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id`, r.Kind, r.Name, r.Indicator, r.Percent, r.Periods, r.Active, nullID(v.UserID), now).Scan(&r.ID)
			if err != nil {
				return fmt.Errorf("insight: rule: %w", err)
			}
		} else {
			var old Rule
			err := tx.QueryRowContext(ctx, "SELECT id, kind, name, indicator, percent, periods, active FROM insight_rules WHERE id = $1", r.ID).
				Scan(&old.ID, &old.Kind, &old.Name, &old.Indicator, &old.Percent, &old.Periods, &old.Active)
			if err == sql.ErrNoRows {
				return errs.New(errs.NotFound, "没有该监测规则", "no such rule")
			}
			if err != nil {
				return fmt.Errorf("insight: rule: %w", err)
			}
			before = old
			if _, err := tx.ExecContext(ctx, `UPDATE insight_rules SET kind = $1, name = $2, indicator = $3, percent = $4, periods = $5, active = $6,
				updated_at = $7 WHERE id = $8`, r.Kind, r.Name, r.Indicator, r.Percent, r.Periods, r.Active, now, r.ID); err != nil {
				return fmt.Errorf("insight: rule: %w", err)
			}
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.rule.save", ObjectType: "insight_rule", ObjectID: strconv.FormatInt(r.ID, 10),
			Before: before, After: r}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
	return r, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// check is one changed enterprise as the monitor sees it.
type check struct {
	fact         *enterprise.Fact // nil: no longer in the registry
	prev0, next0 *facts           // year 0 before and after (nil: not counted)
	years        []int            // figure years that changed
}

// evaluate raises the warnings the active rules find in the changed
// enterprises, inside the applier's transaction.
func (s *Service) evaluate(ctx context.Context, tx *sql.Tx, checks map[int64]*check, today string) error {
	if len(checks) == 0 {
		return nil
	}
	rules, err := s.rules(ctx, tx, true)
	if err != nil || len(rules) == 0 {
		return err
	}
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return err
	}
	indOf := map[string]enterprise.Indicator{}
	for _, i := range inds {
		indOf[i.Code] = i
	}
	ids := make([]int64, 0, len(checks))
	for id := range checks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var raised []raise
	for _, r := range rules {
		switch r.Kind {
		case RuleDrop:
			ind := indOf[r.Indicator]
			for _, id := range ids {
				c := checks[id]
				if c.fact == nil {
					continue
				}
				for _, y := range c.years {
					cur, ok1 := c.fact.Years[y][r.Indicator]
					last, ok2 := c.fact.Years[y-1][r.Indicator]
					// Down more than Percent: cur < last × (100 − Percent) / 100.
					if !ok1 || !ok2 || last <= 0 || cur*100 >= last*int64(100-r.Percent) {
						continue
					}
					drop := float64(last-cur) * 100 / float64(last)
					raised = append(raised, raise{r, c.fact, strconv.Itoa(y),
						fmt.Sprintf("%d 年%s %s，较上年 %s 下降 %.1f%%（规则：下降超过 %d%%）", y, ind.NameZH, amount(ind, cur), amount(ind, last), drop, r.Percent),
						fmt.Sprintf("%s in %d: %s, down %.1f%% on %s the year before (rule: more than %d%%)", ind.NameEN, y, amount(ind, cur), drop, amount(ind, last), r.Percent)})
				}
			}
		case RuleDropQuarters:
			ind := indOf[r.Indicator]
			var withYears []int64
			from := 0
			for _, id := range ids {
				if c := checks[id]; c.fact != nil && len(c.years) > 0 {
					withYears = append(withYears, id)
					if y := slices.Min(c.years) - 1; from == 0 || y < from {
						from = y
					}
				}
			}
			if len(withYears) == 0 {
				continue
			}
			sums, err := s.Registry.QuarterSums(ctx, tx, withYears, r.Indicator, from)
			if err != nil {
				return err
			}
			for _, id := range withYears {
				qs := sums[id]
				if len(qs) == 0 {
					continue
				}
				keys := make([]string, 0, len(qs))
				for k := range qs {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				latest := keys[len(keys)-1]
				// The latest quarter and the Periods before it, each
				// consecutive and each lower than the one before.
				run := []string{latest}
				for len(run) <= r.Periods {
					prev := prevQuarter(run[0])
					if _, ok := qs[prev]; !ok {
						break
					}
					run = append([]string{prev}, run...)
				}
				if len(run) <= r.Periods {
					continue
				}
				down := true
				for i := 1; i < len(run); i++ {
					down = down && qs[run[i]] < qs[run[i-1]]
				}
				if !down {
					continue
				}
				var parts []string
				for _, k := range run {
					parts = append(parts, k+" "+amount(ind, qs[k]))
				}
				raised = append(raised, raise{r, checks[id].fact, latest,
					fmt.Sprintf("%s连续 %d 个季度下降：%s", ind.NameZH, r.Periods, strings.Join(parts, " → ")),
					fmt.Sprintf("%s down %d quarters running: %s", ind.NameEN, r.Periods, strings.Join(parts, " → "))})
			}
		case RuleCertLapse:
			for _, id := range ids {
				c := checks[id]
				if c.fact == nil || c.prev0 == nil || c.next0 == nil {
					continue
				}
				for _, t := range c.prev0.Tiers {
					if t == None || slices.Contains(c.next0.Tiers, t) {
						continue
					}
					ended := ""
					for _, span := range c.fact.Tiers {
						if span.Tier == t && span.ValidTo != "" && span.ValidTo < today && span.ValidTo > ended {
							ended = span.ValidTo
						}
					}
					if ended == "" {
						continue // taken off by a correction, not lapsed
					}
					zh, en := enterprise.TierName(t)
					raised = append(raised, raise{r, c.fact, t + "@" + ended,
						fmt.Sprintf("%s证书已于 %s 到期，未见续期", zh, ended),
						fmt.Sprintf("%s certificate ended on %s and was not renewed", en, ended)})
				}
			}
		case RuleMovedOut:
			for _, id := range ids {
				c := checks[id]
				if c.fact == nil || c.prev0 == nil || c.fact.Status != enterprise.MovedOut {
					continue
				}
				raised = append(raised, raise{r, c.fact, today, "企业状态变更为迁出", "the enterprise's status changed to moved out"})
			}
		}
	}
	return s.raise(ctx, tx, raised)
}

type raise struct {
	rule   Rule
	fact   *enterprise.Fact
	period string
	zh, en string
}

// raise writes new warnings (a rule, enterprise and period warns once),
// their first note, and the webhook's message.
func (s *Service) raise(ctx context.Context, tx *sql.Tx, list []raise) error {
	if len(list) == 0 {
		return nil
	}
	now := s.now().UnixMilli()
	ids := make([]int64, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.fact.ID)
	}
	names, err := s.Registry.Briefs(ctx, tx, ids)
	if err != nil {
		return err
	}
	// A chunk of warnings a statement: an annual import's apply may raise
	// thousands. Those raised before are left as they are (DO NOTHING);
	// the new ones come back with their ids and get their note and their
	// message, in the list's order.
	lite := s.DB.Dialect == db.SQLite
	type key struct {
		rule, ent int64
		period    string
	}
	var texts []string
	const chunk = 200
	for start := 0; start < len(list); start += chunk {
		part := list[start:min(start+chunk, len(list))]
		args := make([]any, 0, len(part)*8)
		for _, r := range part {
			args = append(args, r.rule.ID, r.fact.ID, r.fact.AreaUnitID, r.period, r.zh, r.en, now, now)
		}
		q := db.ValuesSQL("INSERT INTO insight_warnings (rule_id, enterprise_id, area_unit_id, period, detail_zh, detail_en, raised_at, updated_at)",
			"ON CONFLICT (rule_id, enterprise_id, period) DO NOTHING RETURNING id, rule_id, enterprise_id, period", 8, len(part), lite)
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("insight: warning: %w", err)
		}
		raised := map[key]int64{}
		for rows.Next() {
			var k key
			var id int64
			if err := rows.Scan(&id, &k.rule, &k.ent, &k.period); err != nil {
				rows.Close()
				return fmt.Errorf("insight: warning: %w", err)
			}
			raised[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("insight: warning: %w", err)
		}
		var notes [][]any
		for _, r := range part {
			k := key{r.rule.ID, r.fact.ID, r.period}
			id, ok := raised[k]
			if !ok {
				continue // raised before
			}
			delete(raised, k)
			notes = append(notes, []any{id, now, "运行监测", "raised", r.rule.Name})
			texts = append(texts, fmt.Sprintf("【产业大脑·运行监测】%s：%s（%s）", names[r.fact.ID].Name, r.zh, r.rule.Name))
		}
		if err := execRows(ctx, tx, lite, "INSERT INTO insight_warning_notes (warning_id, at, actor, action, note)", "", 5, notes); err != nil {
			return fmt.Errorf("insight: warning: %w", err)
		}
	}
	if s.Plan != nil {
		return s.Plan.NotifyAll(ctx, tx, "insight.warning", texts)
	}
	return nil
}

func prevQuarter(q string) string {
	y, _ := strconv.Atoi(q[:4])
	n, _ := strconv.Atoi(q[5:])
	if n == 1 {
		return fmt.Sprintf("%dQ4", y-1)
	}
	return fmt.Sprintf("%dQ%d", y, n-1)
}

// amount writes a value in its indicator's unit: money in 万元.
func amount(ind enterprise.Indicator, v int64) string {
	if ind.Unit == "元" && ind.Scale == 2 {
		return strconv.FormatFloat(float64(v)/1e6, 'f', 2, 64) + " 万元"
	}
	f := float64(v)
	for range ind.Scale {
		f /= 10
	}
	return strconv.FormatFloat(f, 'f', ind.Scale, 64) + " " + ind.Unit
}

// sweepNoReport raises no_report warnings: operating enterprises with no
// figures in the last Periods full years before today's. It runs once a
// day, when the applier turns the day.
func (s *Service) sweepNoReport(ctx context.Context, tx *sql.Tx, today string) error {
	rules, err := s.rules(ctx, tx, true)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(today[:4])
	for _, r := range rules {
		if r.Kind != RuleNoReport {
			continue
		}
		from, to := year-r.Periods, year-1
		rows, err := tx.QueryContext(ctx, `SELECT enterprise_id FROM insight_contributions
			WHERE now = 1 AND latest > 0 AND latest < $1 ORDER BY enterprise_id LIMIT 10000`, from)
		if err != nil {
			return fmt.Errorf("insight: no-report sweep: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		facts, err := s.Registry.Facts(ctx, tx, ids)
		if err != nil {
			return err
		}
		var list []raise
		for i := range facts {
			list = append(list, raise{r, &facts[i], strconv.Itoa(to),
				fmt.Sprintf("%d–%d 年未报送任何年度数据", from, to), fmt.Sprintf("no yearly figures for %d–%d", from, to)})
		}
		if err := s.raise(ctx, tx, list); err != nil {
			return err
		}
	}
	return nil
}

// Warnings lists warnings v may read, newest first: staff and zone-wide
// units all, an office area's unit its own area's. status "" lists every
// status.
func (s *Service) Warnings(ctx context.Context, v Viewer, status string, limit int) ([]Warning, error) {
	if !v.Zone() && !v.AreaOnly {
		return nil, errNoAccess
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT w.id, w.rule_id, r.name, w.enterprise_id, w.area_unit_id, w.period, w.detail_zh, w.detail_en, w.status, w.raised_at, w.updated_at
		FROM insight_warnings w JOIN insight_rules r ON r.id = w.rule_id WHERE 1 = 1`
	var args []any
	if status != "" {
		if status != WarnOpen && status != WarnFollowing && status != WarnClosed {
			return nil, errs.Field("status", "状态须为 open、following 或 closed", "status must be open, following or closed")
		}
		args = append(args, status)
		q += fmt.Sprintf(" AND w.status = $%d", len(args))
	}
	if !v.Zone() {
		args = append(args, v.UnitID)
		q += fmt.Sprintf(" AND w.area_unit_id = $%d", len(args))
	}
	args = append(args, limit)
	return s.warnings(ctx, q+fmt.Sprintf(" ORDER BY w.id DESC LIMIT $%d", len(args)), args...)
}

func (s *Service) warnings(ctx context.Context, q string, args ...any) ([]Warning, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("insight: warnings: %w", err)
	}
	out := []Warning{}
	var ids []int64
	for rows.Next() {
		var w Warning
		if err := rows.Scan(&w.ID, &w.RuleID, &w.RuleName, &w.EnterpriseID, &w.AreaUnitID, &w.Period, &w.DetailZH, &w.DetailEN, &w.Status, &w.RaisedAt, &w.UpdatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("insight: warnings: %w", err)
		}
		out = append(out, w)
		ids = append(ids, w.EnterpriseID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insight: warnings: %w", err)
	}
	names, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Enterprise = names[out[i].EnterpriseID].Name
	}
	return out, nil
}

// WarningByID returns one warning with its follow-up, if v may read it.
func (s *Service) WarningByID(ctx context.Context, v Viewer, id int64) (Warning, error) {
	if !v.Zone() && !v.AreaOnly {
		return Warning{}, errNoAccess
	}
	list, err := s.warnings(ctx, `SELECT w.id, w.rule_id, r.name, w.enterprise_id, w.area_unit_id, w.period, w.detail_zh, w.detail_en, w.status, w.raised_at, w.updated_at
		FROM insight_warnings w JOIN insight_rules r ON r.id = w.rule_id WHERE w.id = $1`, id)
	if err != nil {
		return Warning{}, err
	}
	if len(list) == 0 || (!v.Zone() && list[0].AreaUnitID != v.UnitID) {
		return Warning{}, errs.New(errs.NotFound, "没有该预警", "no such warning")
	}
	w := list[0]
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT at, actor, action, note FROM insight_warning_notes WHERE warning_id = $1 ORDER BY id", id)
	if err != nil {
		return w, fmt.Errorf("insight: warning notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.At, &n.Actor, &n.Action, &n.Note); err != nil {
			return w, fmt.Errorf("insight: warning notes: %w", err)
		}
		w.Notes = append(w.Notes, n)
	}
	return w, rows.Err()
}

// FollowUp records a step of a warning's follow-up: a note, or a move to
// following, closed or reopened (with a note). Staff who write and the
// warning's own area unit may. Errors: Forbidden, NotFound, Invalid,
// Conflict (a move the status does not allow).
func (s *Service) FollowUp(ctx context.Context, v Viewer, id int64, action, note, actor string) error {
	if v.Role != "admin" && v.Role != "supervisor" && !v.AreaOnly {
		return errs.New(errs.Forbidden, "无权跟进预警", "not allowed to follow up warnings")
	}
	w, err := s.WarningByID(ctx, v, id)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 1000 {
		return errs.Field("note", "请写明跟进情况（1000 字以内）", "describe the follow-up (at most 1,000 characters)")
	}
	next := w.Status
	switch action {
	case "note":
	case WarnFollowing:
		if w.Status != WarnOpen {
			return errs.New(errs.Conflict, "只有未处理的预警可以开始跟进", "only an open warning can be taken up")
		}
		next = WarnFollowing
	case WarnClosed:
		if w.Status == WarnClosed {
			return errs.New(errs.Conflict, "该预警已办结", "the warning is already closed")
		}
		next = WarnClosed
	case "reopened":
		if w.Status != WarnClosed {
			return errs.New(errs.Conflict, "只有已办结的预警可以重新打开", "only a closed warning can be reopened")
		}
		next = WarnOpen
	default:
		return errs.Field("action", "跟进动作须为 note、following、closed 或 reopened", "action must be note, following, closed or reopened")
	}
	now := s.now().UnixMilli()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE insight_warnings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4", next, now, id, w.Status)
		if err != nil {
			return fmt.Errorf("insight: follow-up: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "预警已被他人处理，请刷新", "the warning was changed by someone else; reload")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO insight_warning_notes (warning_id, at, actor_id, actor, action, note) VALUES ($1,$2,$3,$4,$5,$6)",
			id, now, nullID(v.UserID), actor, action, note); err != nil {
			return fmt.Errorf("insight: follow-up: %w", err)
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.warning." + action, ObjectType: "insight_warning", ObjectID: strconv.FormatInt(id, 10),
			Before: map[string]string{"status": w.Status}, After: map[string]string{"status": next, "note": note}}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}
