package enterprise

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
)

// Source is where a figure comes from. Official sources outrank staff
// entries, which outrank what an enterprise reports itself.
type Source string

const (
	FromStats Source = "stats" // 统计局
	FromTax   Source = "tax"   // 税务
	FromPower Source = "power" // 供电公司 (energy)
	FromIPR   Source = "ipr"   // 知识产权局 (patents)
	FromStaff Source = "staff" // 园区工作人员
	FromSelf  Source = "self"  // 企业自报
)

// Sources lists the sources best first.
var Sources = []Source{FromStats, FromTax, FromPower, FromIPR, FromStaff, FromSelf}

// Official reports whether staff may enter or import figures from s: the
// official sources and staff's own entries (not self-reported).
func (s Source) Official() bool { return s.Rank() < FromSelf.Rank() }

// Rank orders sources: lower is better (stats 1, tax 2, power 3, ipr 4,
// staff 5, self 6).
func (s Source) Rank() int {
	for i, x := range Sources {
		if s == x {
			return i + 1
		}
	}
	return 99
}

// Label returns the source in Chinese and English.
func (s Source) Label() (zh, en string) {
	switch s {
	case FromStats:
		return "统计局", "statistics bureau"
	case FromTax:
		return "税务", "tax office"
	case FromPower:
		return "供电公司", "power company"
	case FromIPR:
		return "知识产权局", "IP office"
	case FromStaff:
		return "工作人员", "staff"
	case FromSelf:
		return "企业自报", "self-reported"
	}
	return string(s), string(s)
}

// sourceRank is a source's rank, as rankSQL orders it (1 is best; an
// unknown source ranks with self-reported figures, last).
func sourceRank(s Source) int {
	return min(s.Rank(), FromSelf.Rank())
}

// rankSQL is sourceRank in SQL, for column col.
func rankSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, s := range Sources[:len(Sources)-1] {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", s, sourceRank(s))
	}
	fmt.Fprintf(&b, " ELSE %d END", sourceRank(FromSelf))
	return b.String()
}

// officialSources names the sources staff enter, for error messages.
const officialSources = "stats、tax、power、ipr 或 staff"

// Figure statuses.
const (
	Confirmed = "confirmed"
	Pending   = "pending"
	Rejected  = "rejected"
)

// Figure is one stored value.
type Figure struct {
	EnterpriseID  int64  `json:"enterprise_id"`
	Indicator     string `json:"indicator"`
	Year          int    `json:"year"`
	Month         int    `json:"month"` // 0: the whole year
	Source        Source `json:"source"`
	Value         int64  `json:"value"` // in units of 10^-scale of the indicator's unit (fen for money)
	Status        string `json:"status"`
	EnteredBy     int64  `json:"entered_by,omitempty"`
	EnteredByName string `json:"entered_by_name,omitempty"`
	EnteredAt     int64  `json:"entered_at"`
	Effective     bool   `json:"effective"` // the value that counts for this period
	// Reason is why staff rejected the value (status rejected): a
	// self-reported value sent back (shown to the enterprise), or another
	// source's value set aside when a conflict between sources was
	// settled; it is kept in the figure's history.
	Reason string `json:"reason,omitempty"`
}

// FigureInput is one value to set.
type FigureInput struct {
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
	Month     int    `json:"month,omitempty"`
	Value     int64  `json:"value"`
	Source    Source `json:"source,omitempty"` // staff: stats, tax, power, ipr or staff (default staff); ignored for enterprises (self)
}

// checkFigures validates inputs against the indicator list.
func checkFigures(inds map[string]Indicator, in []FigureInput, thisYear int) []errs.Detail {
	var bad []errs.Detail
	for i, f := range in {
		row := i + 1
		ind, ok := inds[f.Indicator]
		switch {
		case !ok:
			bad = append(bad, errs.Detail{Row: row, Field: "indicator", Value: f.Indicator, Reason: "未知指标：" + f.Indicator, ReasonEN: "unknown indicator: " + f.Indicator})
		case f.Year < 1900 || f.Year > thisYear:
			bad = append(bad, errs.Detail{Row: row, Field: "year", Value: strconv.Itoa(f.Year), Reason: "年度须在 1900 至今年之间", ReasonEN: "year must be between 1900 and this year"})
		case f.Month < 0 || f.Month > 12:
			bad = append(bad, errs.Detail{Row: row, Field: "month", Value: strconv.Itoa(f.Month), Reason: "月份须为 0（全年）或 1–12", ReasonEN: "month must be 0 (whole year) or 1–12"})
		case ind.Nonnegative && f.Value < 0:
			bad = append(bad, errs.Detail{Row: row, Field: f.Indicator, Value: strconv.FormatInt(f.Value, 10), Reason: ind.NameZH + "不能为负数", ReasonEN: ind.NameEN + " cannot be negative"})
		case ind.Money() && !money.Credible(f.Value):
			bad = append(bad, errs.Detail{Row: row, Field: f.Indicator, Value: strconv.FormatInt(f.Value, 10), Reason: ind.NameZH + errNotCredible.zh, ReasonEN: ind.NameEN + ": " + errNotCredible.en})
		}
	}
	return bad
}

func (s *Service) indicatorMap(ctx context.Context) (map[string]Indicator, error) {
	list, err := s.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Indicator, len(list))
	for _, i := range list {
		m[i.Code] = i
	}
	return m, nil
}

// SetFigures records values for enterprise id. Staff who write enter
// confirmed values with source stats, tax, power, ipr or staff; an enterprise account
// submits its own values as self-reported and pending, for staff to confirm.
// Every change is audited with before and after. Errors: Forbidden,
// NotFound, Invalid (each bad value named by its position).
func (s *Service) SetFigures(ctx context.Context, v Viewer, id int64, in []FigureInput) error {
	if _, err := s.Get(ctx, v, id); err != nil {
		return err
	}
	self := v.Role == org.Enterprise && v.EnterpriseID == id
	if !v.Writes() && !self {
		return errNoWrite
	}
	if len(in) == 0 {
		return errs.New(errs.Invalid, "没有要保存的数据", "no figures given")
	}
	inds, err := s.indicatorMap(ctx)
	if err != nil {
		return err
	}
	thisYear, _ := strconv.Atoi(s.Today()[:4])
	bad := checkFigures(inds, in, thisYear)
	for i := range in {
		switch {
		case self:
			in[i].Source = FromSelf
		case in[i].Source == "":
			in[i].Source = FromStaff
		case !in[i].Source.Official():
			bad = append(bad, errs.Detail{Row: i + 1, Field: "source", Value: string(in[i].Source), Reason: "来源须为 " + officialSources, ReasonEN: "source must be stats, tax, power, ipr or staff"})
		}
	}
	if len(bad) > 0 {
		return errs.List("数据有误", "some figures are invalid", bad)
	}
	status := Confirmed
	if self {
		status = Pending
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		a := audit.ActorFrom(ctx)
		now := s.nowMS()
		years := map[int]bool{} // recomputed once each, after every value is in
		for _, f := range in {
			before, err := figureTx(ctx, tx, id, f.Indicator, f.Year, f.Month, f.Source)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			if err == nil && before.Value == f.Value && before.Status == status {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_by, entered_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
				ON CONFLICT (enterprise_id, indicator, year, month, source) DO UPDATE SET value = excluded.value, status = excluded.status,
				entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
				id, f.Indicator, f.Year, f.Month, string(f.Source), f.Value, status, nullID(a.ID), now); err != nil {
				return fmt.Errorf("enterprise: set figure: %w", err)
			}
			after := Figure{EnterpriseID: id, Indicator: f.Indicator, Year: f.Year, Month: f.Month, Source: f.Source, Value: f.Value, Status: status, EnteredBy: a.ID, EnteredAt: now}
			var b any
			if err == nil {
				b = before
			}
			if err := s.record(ctx, tx, id, "enterprise.figure.set", b, after); err != nil {
				return err
			}
			years[f.Year] = true
		}
		for y := range years {
			if err := s.recomputeCurrent(ctx, tx, []int64{id}, y); err != nil {
				return err
			}
			if err := s.feed(ctx, tx, []int64{id}, y); err != nil {
				return err
			}
		}
		return nil
	})
}

func figureTx(ctx context.Context, tx *sql.Tx, id int64, ind string, year, month int, src Source) (Figure, error) {
	f := Figure{EnterpriseID: id, Indicator: ind, Year: year, Month: month, Source: src}
	var by sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT value, status, entered_by, entered_at FROM enterprise_figures
		WHERE enterprise_id = $1 AND indicator = $2 AND year = $3 AND month = $4 AND source = $5`, id, ind, year, month, string(src)).
		Scan(&f.Value, &f.Status, &by, &f.EnteredAt)
	f.EnteredBy = by.Int64
	return f, err
}

// Review confirms or rejects a pending self-reported figure; a rejection
// carries the reason the enterprise is shown. Errors: Forbidden (not staff
// who write), Invalid (a rejection without a reason), NotFound, Conflict
// (not pending).
func (s *Service) Review(ctx context.Context, v Viewer, id int64, indicator string, year, month int, confirm bool, reason string) error {
	if !v.Writes() {
		return errNoWrite
	}
	reason = strings.TrimSpace(reason)
	if !confirm && (reason == "" || len([]rune(reason)) > 500) {
		return errs.Field("reason", "退回须写明原因（500 字以内），企业会看到", "a rejection needs a reason (at most 500 characters), which the enterprise sees")
	}
	if _, err := s.Get(ctx, v, id); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := figureTx(ctx, tx, id, indicator, year, month, FromSelf)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "没有该企业自报数据", "no such self-reported figure")
		}
		if err != nil {
			return err
		}
		if before.Status != Pending {
			return errs.New(errs.Conflict, "该数据不在待确认状态", "the figure is not pending")
		}
		after := before
		after.Status, after.Reason = Rejected, reason
		action := "enterprise.figure.reject"
		if confirm {
			after.Status, action = Confirmed, "enterprise.figure.confirm"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_figures SET status = $1 WHERE enterprise_id = $2 AND indicator = $3
			AND year = $4 AND month = $5 AND source = 'self'`, after.Status, id, indicator, year, month); err != nil {
			return fmt.Errorf("enterprise: review: %w", err)
		}
		if err := s.record(ctx, tx, id, action, before, after); err != nil {
			return err
		}
		if err := s.recomputeCurrent(ctx, tx, []int64{id}, year); err != nil {
			return err
		}
		return s.feed(ctx, tx, []int64{id}, year)
	})
}

// recomputeCurrent rebuilds the effective values of the given enterprises
// for one year: for each indicator and period, the confirmed value of the
// best-ranked source.
func (s *Service) recomputeCurrent(ctx context.Context, tx *sql.Tx, ids []int64, year int) error {
	codes, err := indicatorCodes(ctx, tx)
	if err != nil {
		return err
	}
	return s.recomputeCurrentOf(ctx, tx, ids, year, codes, allMonths)
}

// recomputeCurrentOf rebuilds the effective values of the given
// enterprises for one year, the indicators codes and the months (a list
// such as allMonths) alone: an import, which writes whole years of its
// file's indicators, names those, and each database then probes its keys
// instead of every indicator, month and source of the enterprises.
func (s *Service) recomputeCurrentOf(ctx context.Context, tx *sql.Tx, ids []int64, year int, codes []string, months string) error {
	if len(ids) == 0 || len(codes) == 0 {
		return nil
	}
	in := idList(ids)
	using, cond, args := s.currentOf(codes, ids, 1)
	if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_figure_current AS c"+strings.Replace(using, ",", " USING", 1)+" WHERE "+cond+
		" AND c.year = $1 AND c.month IN ("+months+")", append([]any{year}, args...)...); err != nil {
		return fmt.Errorf("enterprise: current: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO enterprise_figure_current (enterprise_id, indicator, year, month, value, source)
		SELECT f.enterprise_id, f.indicator, f.year, f.month, f.value, f.source FROM enterprise_figures f
		WHERE f.enterprise_id IN (`+in+`) AND f.indicator IN (`+quotedList(codes)+`) AND f.year = $1 AND f.month IN (`+months+`)
		AND f.status = 'confirmed'
		AND NOT EXISTS (SELECT 1 FROM enterprise_figures g WHERE g.enterprise_id = f.enterprise_id AND g.indicator = f.indicator
			AND g.year = f.year AND g.month = f.month AND g.status = 'confirmed' AND `+rankSQL("g.source")+` < `+rankSQL("f.source")+`)`, year)
	if err != nil {
		return fmt.Errorf("enterprise: current: %w", err)
	}
	return nil
}

// enterprise_figure_current is keyed by indicator, year, month and
// enterprise, in that order, the way range filters read it. A lookup by
// enterprise names every indicator and the months it may hold; each
// database is then led to one key probe per combination.
const allMonths = "0,1,2,3,4,5,6,7,8,9,10,11,12"

// currentOf selects the rows of enterprise_figure_current (aliased c) of
// the indicators codes and enterprises ids: tables to join after it (with
// a leading comma, or empty) and the condition, whose parameters are args
// numbered after the caller's first n. The caller adds year and month.
// SQLite probes its key for each combination of IN lists; PostgreSQL 15
// would test a second list row by row over the whole indicator-year, so
// there the lists are joined as arrays and each pair is a probe.
func (s *Service) currentOf(codes []string, ids []int64, n int) (using, cond string, args []any) {
	if s.DB.Dialect == db.Postgres {
		return ", unnest($" + strconv.Itoa(n+1) + "::text[]) ci(code), unnest($" + strconv.Itoa(n+2) + "::bigint[]) ce(id)",
			"c.indicator = ci.code AND c.enterprise_id = ce.id", []any{codes, ids}
	}
	list := quotedList(codes)
	if len(codes) == 0 {
		list = "''"
	}
	return "", "c.indicator IN (" + list + ") AND c.enterprise_id IN (" + idList(ids) + ")", nil
}

// indicatorCodes lists every indicator's code as q sees them (inside a
// writing transaction, its own view).
func indicatorCodes(ctx context.Context, q db.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT code FROM figure_indicators ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("enterprise: indicator codes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// quotedList renders codes as a SQL list of text literals.
func quotedList(codes []string) string {
	var b strings.Builder
	for i, c := range codes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("'" + strings.ReplaceAll(c, "'", "''") + "'")
	}
	return b.String()
}

// idList renders ids as a SQL list of integer literals (ids are int64, so
// this is injection-free).
func idList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// Figures returns the stored values of an enterprise, every source, by
// year then indicator. A unit sees confirmed values only; staff and the
// enterprise itself also see pending and rejected ones. Errors: as Get.
func (s *Service) Figures(ctx context.Context, v Viewer, id int64) ([]Figure, error) {
	if _, err := s.Get(ctx, v, id); err != nil {
		return nil, err
	}
	return s.figuresOf(ctx, v, id)
}

// figuresOf reads an enterprise's values in one range of the figures'
// primary key and settles in Go what recomputeCurrent settles in SQL: the
// effective value of a period is its confirmed value of the best-ranked
// source. Sorted by period and source rank, that is the first confirmed
// value of each period. Users are named by a kept lookup of the few who
// entered values (eight a call).
func (s *Service) figuresOf(ctx context.Context, v Viewer, id int64) ([]Figure, error) {
	q := `SELECT indicator, year, month, source, value, status, COALESCE(entered_by, 0), entered_at
		FROM enterprise_figures WHERE enterprise_id = $1`
	if !v.SeesPending(id) {
		q += " AND status = 'confirmed'"
	}
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, q+" LIMIT 5000", id)
	if err != nil {
		return nil, fmt.Errorf("enterprise: figures: %w", err)
	}
	defer rows.Close()
	out := make([]Figure, 0, 128)
	var users []int64 // who entered values, each once
	// Strings are scanned into strings and integers into any (drivers give
	// int64): the targets database/sql fills without reflection. Into an
	// int it would format the int64 and parse it again.
	var src string
	var year, month, value, by, at any
	for rows.Next() {
		out = append(out, Figure{EnterpriseID: id})
		f := &out[len(out)-1]
		if err := rows.Scan(&f.Indicator, &year, &month, &src, &value, &f.Status, &by, &at); err != nil {
			return nil, err
		}
		f.Source = Source(src)
		y, ok1 := year.(int64)
		m, ok2 := month.(int64)
		v, ok3 := value.(int64)
		b, ok4 := by.(int64)
		a, ok5 := at.(int64)
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
			return nil, fmt.Errorf("enterprise: figures: integer columns read as %T %T %T %T %T", year, month, value, by, at)
		}
		f.Year, f.Month, f.Value, f.EnteredBy, f.EnteredAt = int(y), int(m), v, b, a
		if f.EnteredBy != 0 && !slices.Contains(users, f.EnteredBy) {
			users = append(users, f.EnteredBy)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// Newest year first, then month, indicator and source rank (then the
	// source itself, so that ranks never tie).
	slices.SortFunc(out, func(a, b Figure) int {
		switch {
		case a.Year != b.Year:
			return b.Year - a.Year
		case a.Month != b.Month:
			return a.Month - b.Month
		case a.Indicator != b.Indicator:
			return strings.Compare(a.Indicator, b.Indicator)
		case a.Source != b.Source:
			if ra, rb := sourceRank(a.Source), sourceRank(b.Source); ra != rb {
				return ra - rb
			}
			return strings.Compare(string(a.Source), string(b.Source))
		}
		return 0
	})
	settled := -1 // the index of the period whose effective value is found
	for i := range out {
		f := &out[i]
		if settled >= 0 && samePeriod(out[settled], *f) {
			continue
		}
		if f.Status == Confirmed {
			f.Effective, settled = true, i
		}
	}
	if len(users) > 0 {
		names, err := s.userNames(ctx, users)
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].EnteredByName = names[out[i].EnteredBy]
		}
	}
	return out, s.rejectionReasons(ctx, id, out)
}

// rejectionReasons completes the rejected values among figs (self-reported
// ones staff sent back, official ones a settled conflict between sources
// set aside) with the reason of their latest rejection, read from the enterprise's history
// only when it holds a rejected value.
func (s *Service) rejectionReasons(ctx context.Context, id int64, figs []Figure) error {
	if !slices.ContainsFunc(figs, func(f Figure) bool { return f.Status == Rejected }) {
		return nil
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT after_json FROM enterprise_history WHERE enterprise_id = $1 AND action = 'enterprise.figure.reject'
		ORDER BY id DESC LIMIT 500`, id)
	if err != nil {
		return fmt.Errorf("enterprise: rejection reasons: %w", err)
	}
	defer rows.Close()
	type period struct {
		ind         string
		year, month int
		src         Source
	}
	reasons := map[period]string{}
	for rows.Next() {
		var js string
		if err := rows.Scan(&js); err != nil {
			return err
		}
		var f Figure
		if json.Unmarshal([]byte(js), &f) != nil {
			continue // a record this reader does not know holds no reason
		}
		if f.Source == "" {
			f.Source = FromSelf // recorded before other sources could be rejected
		}
		if k := (period{f.Indicator, f.Year, f.Month, f.Source}); reasons[k] == "" {
			reasons[k] = f.Reason
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range figs {
		if f := &figs[i]; f.Status == Rejected {
			f.Reason = reasons[period{f.Indicator, f.Year, f.Month, f.Source}]
		}
	}
	return nil
}

func samePeriod(a, b Figure) bool {
	return a.Year == b.Year && a.Month == b.Month && a.Indicator == b.Indicator
}

// userNamesBatch is how many users one lookup names: the query text stays
// the same (kept prepared), unused places repeating the last id.
const userNamesBatch = 8

// userNames returns the usernames of ids by id.
func (s *Service) userNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	const q = `SELECT id, username FROM users WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8)`
	names := make(map[int64]string, len(ids))
	args := make([]any, userNamesBatch)
	for len(ids) > 0 {
		n := min(len(ids), userNamesBatch)
		for i := range args {
			args[i] = ids[min(i, n-1)]
		}
		ids = ids[n:]
		rows, err := db.Reader{D: s.DB}.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("enterprise: figures: users: %w", err)
		}
		for rows.Next() {
			var uid int64
			var name string
			if err := rows.Scan(&uid, &name); err != nil {
				rows.Close()
				return nil, err
			}
			names[uid] = name
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}

// PendingFigure is a self-reported value waiting for staff, with the value
// that counts for its period today (from another source, or an earlier
// confirmed report), if any.
type PendingFigure struct {
	Figure
	EnterpriseName string `json:"enterprise_name"`
	CreditCode     string `json:"credit_code"`
	HasOfficial    bool   `json:"has_official"`
	Official       int64  `json:"official,omitempty"`
	OfficialSource Source `json:"official_source,omitempty"`
}

// Counts is the source whose value counts for the period once the
// reported value is confirmed: a better-ranked source's value already
// there (statistics, tax, power, patents, staff) stays in force; otherwise the report.
func (p PendingFigure) Counts() Source {
	if p.HasOfficial && sourceRank(p.OfficialSource) < sourceRank(FromSelf) {
		return p.OfficialSource
	}
	return FromSelf
}

// Pending lists self-reported figures waiting for confirmation, oldest
// first (staff only). Errors: Forbidden.
func (s *Service) Pending(ctx context.Context, v Viewer, limit int) ([]PendingFigure, error) {
	if !v.Staff() {
		return nil, errNoAccess
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT f.enterprise_id, e.name, e.credit_code, f.indicator, f.year, f.month, f.value,
		COALESCE(f.entered_by, 0), COALESCE(u.username, ''), f.entered_at, c.value IS NOT NULL, COALESCE(c.value, 0), COALESCE(c.source, '')
		FROM enterprise_figures f JOIN enterprises e ON e.id = f.enterprise_id LEFT JOIN users u ON u.id = f.entered_by
		LEFT JOIN enterprise_figure_current c ON c.indicator = f.indicator AND c.year = f.year AND c.month = f.month AND c.enterprise_id = f.enterprise_id
		WHERE f.status = 'pending' ORDER BY f.entered_at, f.enterprise_id, f.indicator, f.year, f.month LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("enterprise: pending: %w", err)
	}
	defer rows.Close()
	var out []PendingFigure
	for rows.Next() {
		p := PendingFigure{Figure: Figure{Source: FromSelf, Status: Pending}}
		var src string
		if err := rows.Scan(&p.EnterpriseID, &p.EnterpriseName, &p.CreditCode, &p.Indicator, &p.Year, &p.Month, &p.Value,
			&p.EnteredBy, &p.EnteredByName, &p.EnteredAt, &p.HasOfficial, &p.Official, &src); err != nil {
			return nil, err
		}
		p.OfficialSource = Source(src)
		out = append(out, p)
	}
	return out, rows.Err()
}
