package enterprise

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/uscc"
)

// Filter selects enterprises for the list, the API and exports.
type Filter struct {
	Name       string `json:"name,omitempty"`        // substring of the name or a former name
	CreditCode string `json:"credit_code,omitempty"` // the code or a prefix of it
	Area       string `json:"area,omitempty"`        // office-area unit code
	Chain      string `json:"chain,omitempty"`       // chain-node code; the node's subtree matches
	Tier       string `json:"tier,omitempty"`        // holds a current certificate of this tier
	Status     Status `json:"status,omitempty"`
	Industry   string `json:"industry,omitempty"` // GB/T 4754 code prefix
	// A figure range: the effective value of Indicator in Year (whole year)
	// between Min and Max (stored units: fen for money), either bound
	// optional.
	Indicator string `json:"indicator,omitempty"`
	Year      int    `json:"year,omitempty"`
	Min, Max  *int64 `json:"-"`
	// A class of the per-mu evaluation (亩均效益评价, A–D) held in
	// ClassYear (0: the latest year with classes).
	Class     string `json:"class,omitempty"`
	ClassYear int    `json:"class_year,omitempty"`
	After     int64  `json:"after,omitempty"` // keyset: ids greater than this
	Limit     int    `json:"limit,omitempty"` // default 50, at most 1000

	ids []int64 // the name filter's matches in this window (listByName)
}

// Page is one page of a list; Next is the After of the next page (0 at
// the end).
type Page struct {
	Items []Enterprise `json:"items"`
	Next  int64        `json:"next,omitempty"`
}

// List returns enterprises v may read that match f, by id. Pages are
// memoised per module version (see memo.go) and shared: read-only.
// Errors: Forbidden, Invalid (unknown area, chain or tier).
func (s *Service) List(ctx context.Context, v Viewer, f Filter) (Page, error) {
	if !v.Reads() {
		return Page{}, errNoAccess
	}
	f.Limit = pageLimit(f.Limit)
	return s.memoList(ctx, v, f, func() (Page, error) { return s.list(ctx, v, f) })
}

func pageLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 1000)
}

func (s *Service) list(ctx context.Context, v Viewer, f Filter) (Page, error) {
	var items []Enterprise
	var err error
	if n := strings.TrimSpace(f.Name); n != "" && !scanOnly(n) && !strings.ContainsAny(n, "\n\x00") {
		items, err = s.listByName(ctx, v, f, n)
	} else {
		items, err = s.fetch(ctx, v, f)
	}
	if err != nil {
		return Page{}, err
	}
	p := Page{Items: items}
	if len(p.Items) > f.Limit {
		p.Items = p.Items[:f.Limit]
		p.Next = p.Items[len(p.Items)-1].ID
	}
	ptrs := make([]*Enterprise, len(p.Items))
	for i := range p.Items {
		ptrs[i] = &p.Items[i]
	}
	var r db.Querier = s.DB.R
	if len(ptrs) <= 51 { // a page's worth: few distinct query texts, kept prepared
		r = db.Reader{D: s.DB}
	}
	return p, fillChains(ctx, r, ptrs)
}

// listByName answers a filter with a name: the name index gives the
// matching ids in order, and the other filters run on windows of them
// (s.nameWindow at a time) until a page and one more row are found. A
// name shared by most enterprises fills the page from its first window; a
// rare one is a single window.
func (s *Service) listByName(ctx context.Context, v Viewer, f Filter, n string) ([]Enterprise, error) {
	items := []Enterprise{}
	after := f.After
	// The first window is a few pages' worth (a name alone fills its page
	// from it); each next one is four times larger, up to s.nameWindow.
	size := min(s.nameWindow, 4*(f.Limit+1))
	for {
		ids, err := s.matchNames(ctx, n, after, size)
		if err != nil || len(ids) == 0 {
			return items, err
		}
		g := f
		g.Name, g.After, g.ids, g.Limit = "", 0, ids, f.Limit-len(items)
		part, err := s.fetch(ctx, v, g)
		if err != nil {
			return nil, err
		}
		items = append(items, part...)
		if len(items) > f.Limit || len(ids) < size {
			return items, nil
		}
		after = ids[len(ids)-1]
		size = min(s.nameWindow, 4*size)
	}
}

// fetch runs the list query: up to f.Limit+1 enterprises by id, without
// their chains.
func (s *Service) fetch(ctx context.Context, v Viewer, f Filter) ([]Enterprise, error) {
	q, args, err := s.listQuery(ctx, v, &f)
	if err != nil {
		return nil, err
	}
	// The text of a list query depends only on which filters are set (and
	// the shape chosen for each), so it is kept prepared; a window of name
	// matches is written into the text and is not. How many enterprises a
	// filter matches decides its best plan (a credit-code prefix shared by
	// most codes: 1 ms planned for its value, 100 ms with PostgreSQL's
	// generic plan), so it is planned for its values each time.
	var r db.Querier = db.Reader{D: s.DB, PerValue: true}
	if f.ids != nil {
		r = s.DB.R
	}
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: list: %w", err)
	}
	defer rows.Close()
	items := []Enterprise{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return items, rows.Err()
}

// listQuery is the list's query for f (whose Limit it settles): one page
// and one row more, by id, so that the extra row says whether a next page
// exists without counting.
func (s *Service) listQuery(ctx context.Context, v Viewer, f *Filter) (string, []any, error) {
	if !v.Reads() {
		return "", nil, errNoAccess
	}
	f.Limit = pageLimit(f.Limit)
	where, args, err := s.where(ctx, v, *f)
	if err != nil {
		return "", nil, err
	}
	args = append(args, f.Limit+1)
	return "SELECT " + entCols + entFrom + " WHERE " + where + " ORDER BY e.id LIMIT $" + strconv.Itoa(len(args)), args, nil
}

// ExplainList returns the database's plan of the list query for f (EXPLAIN
// QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL), one line per
// row, after the query itself, for benchmarks and operators. Errors: as
// List.
func (s *Service) ExplainList(ctx context.Context, v Viewer, f Filter) ([]string, error) {
	q, args, err := s.listQuery(ctx, v, &f)
	if err != nil {
		return nil, err
	}
	out := []string{q}
	explain := "EXPLAIN QUERY PLAN "
	if s.DB.Dialect == db.Postgres {
		explain = "EXPLAIN (ANALYZE, COSTS OFF) "
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, explain+q, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: explain: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1]))
	}
	return out, rows.Err()
}

// where builds the WHERE clause of f for v, each filter served by an index:
// area by enterprises_area, status by enterprises_status, chain by
// enterprise_chains_node, tier by enterprise_tiers_current, figures by
// enterprise_figure_current (keyed for it), code by the unique index (range scan).
func (s *Service) where(ctx context.Context, v Viewer, f Filter) (string, []any, error) {
	conds := []string{"1=1"}
	var args []any
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	switch {
	case v.ReadsAll():
	case v.EnterpriseID != 0:
		conds = append(conds, "e.id = "+arg(v.EnterpriseID))
	default:
		conds = append(conds, "e.area_unit_id = "+arg(v.UnitID))
	}
	if f.After > 0 {
		conds = append(conds, "e.id > "+arg(f.After))
	}
	if f.ids != nil {
		conds = append(conds, "e.id IN ("+idList(f.ids)+")")
	}
	if n := strings.TrimSpace(f.Name); n != "" {
		c, err := s.nameCond(ctx, n, arg)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, c)
	}
	if c := uscc.Normalize(f.CreditCode); c != "" {
		if len(c) == 18 {
			conds = append(conds, "e.credit_code = "+arg(c))
		} else {
			conds = append(conds, s.prefixCond(ctx, "credit_code", c, arg))
		}
	}
	if f.Area != "" {
		u, err := s.Org.UnitByCode(ctx, f.Area)
		if err != nil {
			return "", nil, errFilter("area", f.Area)
		}
		conds = append(conds, "e.area_unit_id = "+arg(u.ID))
	}
	if f.Status != "" {
		if !f.Status.Valid() {
			return "", nil, errFilter("status", string(f.Status))
		}
		conds = append(conds, "e.status = "+arg(string(f.Status)))
	}
	if ind := NormalizeIndustry(f.Industry); ind != "" {
		if len(ind) == 4 || (len(ind) == 1 && ind[0] >= 'A') {
			conds = append(conds, "e.industry_code = "+arg(ind))
		} else {
			conds = append(conds, s.prefixCond(ctx, "industry_code", ind, arg))
		}
	}
	if f.Chain != "" {
		tree, err := s.ChainTree(ctx)
		if err != nil {
			return "", nil, err
		}
		id := chainByCodeOrName(tree, f.Chain)
		if id == 0 {
			return "", nil, errFilter("chain", f.Chain)
		}
		conds = append(conds, s.semi(ctx, "enterprise_chains", "t.node_id IN ("+idList(subtree(tree, id))+")", nil, arg))
	}
	if f.Tier != "" {
		if !validTier(f.Tier) {
			return "", nil, errFilter("tier", f.Tier)
		}
		today := s.Today()
		conds = append(conds, s.semi(ctx, "enterprise_tiers", "t.tier = %s AND (t.valid_to = '' OR t.valid_to >= %s) AND t.valid_from <= %s",
			[]any{f.Tier, today, today}, arg))
	}
	if f.Indicator != "" && (f.Min != nil || f.Max != nil) {
		cond := "t.indicator = %s AND t.year = %s AND t.month = 0"
		cargs := []any{f.Indicator, f.Year}
		if f.Min != nil {
			cond += " AND t.value >= %s"
			cargs = append(cargs, *f.Min)
		}
		if f.Max != nil {
			cond += " AND t.value <= %s"
			cargs = append(cargs, *f.Max)
		}
		conds = append(conds, s.semi(ctx, "enterprise_figure_current", cond, cargs, arg))
	}
	if f.Class != "" {
		c, err := s.classCond(ctx, f)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, s.semi(ctx, "enterprise_classes", "t.scheme = %s AND t.year = %s AND t.class = %s", c, arg))
	}
	return strings.Join(conds, " AND "), args, nil
}

// classCond is the arguments of the class filter of f: the scheme, the
// year (the latest with classes when f names none) and the class.
func (s *Service) classCond(ctx context.Context, f Filter) ([]any, error) {
	if !slices.Contains(ClassLetters, f.Class) {
		return nil, errFilter("class", f.Class)
	}
	year := f.ClassYear
	if year == 0 {
		if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(year), 0) FROM enterprise_classes WHERE scheme = $1", ClassMu).Scan(&year); err != nil {
			return nil, fmt.Errorf("enterprise: class years: %w", err)
		}
	} else if year < 2000 || year > 2100 {
		return nil, errFilter("class_year", strconv.Itoa(year))
	}
	return []any{ClassMu, year, f.Class}, nil
}

// denseFilterRows is the count from which a filter's rows are "many" on
// SQLite: probing enterprises in id order then fills a page sooner than
// reading every match first (measured at 100,000 enterprises: the current
// 高新技术企业 set 21 ms read whole, 1 ms probed; a revenue range 34 ms and
// 2 ms).
const denseFilterRows = 2000

// dense reports, on SQLite, whether the rows of table t matching cond (its
// %s filled with cargs) are many. PostgreSQL's planner estimates this
// itself, so there it is always false.
func (s *Service) dense(ctx context.Context, table, cond string, cargs []any) bool {
	if s.DB.Dialect != db.SQLite {
		return false
	}
	return s.many(ctx, table, cond, cargs)
}

// many reports whether the rows of table t matching cond are many (at
// least the service's DenseRows), by a bounded count memoised per module
// version (memo.go).
func (s *Service) many(ctx context.Context, table, cond string, cargs []any) bool {
	ph := make([]any, len(cargs))
	for i := range cargs {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	limit := s.denseRows
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " t WHERE " + fmt.Sprintf(cond, ph...) + " LIMIT " + strconv.Itoa(limit) + ") x"
	key := fmt.Sprintf("%s%q", q, cargs)
	n, err := s.memo.counts.Get(ctx, key, func() (int, error) {
		var n int
		err := s.DB.Read(ctx).QueryRowContext(ctx, q, cargs...).Scan(&n)
		return n, err
	})
	if err != nil {
		return false
	}
	return n >= limit
}

// semi restricts the list to enterprises with a matching row in table
// (whose enterprise_id column names the enterprise). Both databases read
// an IN (subquery) whole before the list's id-ordered scan, which is cheap
// for few rows and slow for many; for many (see many) the list probes per
// enterprise with EXISTS instead, and stops after a page of matches.
func (s *Service) semi(ctx context.Context, table, cond string, cargs []any, arg func(any) string) string {
	dense := s.many(ctx, table, cond, cargs)
	ph := make([]any, len(cargs))
	for i, a := range cargs {
		ph[i] = arg(a)
	}
	c := fmt.Sprintf(cond, ph...)
	switch {
	case dense && s.DB.Dialect == db.SQLite && table == "enterprise_figure_current":
		// Keyed (indicator, year, month, enterprise_id): the condition
		// and the enterprise make one key probe as they stand.
		return "EXISTS (SELECT 1 FROM " + table + " t WHERE t.enterprise_id = e.id AND " + c + ")"
	case dense && s.DB.Dialect == db.SQLite:
		// The unary + keeps every other column off the indexes, so each
		// probe goes through the enterprise_id index, not a range scan.
		return "EXISTS (SELECT 1 FROM " + table + " t WHERE t.enterprise_id = e.id AND " + strings.ReplaceAll(c, "t.", "+t.") + ")"
	case dense:
		// PostgreSQL would turn the probe into a semi-join that reads
		// every matching row and sorts; an OFFSET keeps it a probe per
		// enterprise (the planner does not pull such a sublink up), so
		// the id-ordered walk stops after a page.
		return "EXISTS (SELECT 1 FROM " + table + " t WHERE t.enterprise_id = e.id AND " + c + " OFFSET 0)"
	}
	return "e.id IN (SELECT t.enterprise_id FROM " + table + " t WHERE " + c + ")"
}

// prefixCond matches a prefix of col. When many rows match, SQLite would
// read them all through col's index and sort them by id; the unary + keeps
// it on the id-ordered scan, which stops after a page.
func (s *Service) prefixCond(ctx context.Context, col, prefix string, arg func(any) string) string {
	lo, hi := prefix, prefix+"\x7f"
	if s.dense(ctx, "enterprises", "t."+col+" >= %s AND t."+col+" < %s", []any{lo, hi}) {
		return "+e." + col + " >= " + arg(lo) + " AND +e." + col + " < " + arg(hi)
	}
	return "e." + col + " >= " + arg(lo) + " AND e." + col + " < " + arg(hi)
}

func errFilter(field, value string) error {
	e := errFieldValue(field, value, "筛选条件无效："+value, "invalid filter value: "+value)
	return e
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// HistoryRow is one recorded change of an enterprise.
type HistoryRow struct {
	ID        int64  `json:"id"`
	At        int64  `json:"at"`
	Actor     string `json:"actor"`
	Action    string `json:"action"`
	ImportJob int64  `json:"import_job,omitempty"`
	Before    string `json:"before,omitempty"`
	After     string `json:"after,omitempty"`
}

// History returns the changes of an enterprise, newest first; beforeID
// pages back (0 for the newest). Errors: as Get.
func (s *Service) History(ctx context.Context, v Viewer, id, beforeID int64, limit int) ([]HistoryRow, error) {
	if _, err := s.Get(ctx, v, id); err != nil {
		return nil, err
	}
	h, err := s.history(ctx, id, beforeID, limit)
	return visibleHistory(v, id, h), err
}

func (s *Service) history(ctx context.Context, id, beforeID int64, limit int) ([]HistoryRow, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := `SELECT id, at, actor, action, COALESCE(import_job_id, 0), before_json, after_json FROM enterprise_history WHERE enterprise_id = $1`
	args := []any{id}
	if beforeID > 0 {
		q += " AND id < $2"
		args = append(args, beforeID)
	}
	args = append(args, limit)
	q += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: history: %w", err)
	}
	defer rows.Close()
	out := []HistoryRow{}
	for rows.Next() {
		var h HistoryRow
		if err := rows.Scan(&h.ID, &h.At, &h.Actor, &h.Action, &h.ImportJob, &h.Before, &h.After); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Detail returns an enterprise with its certificates and figures after one
// access check (the figures as Figures would show them to v). Errors: as
// Get.
func (s *Service) Detail(ctx context.Context, v Viewer, id int64) (Enterprise, []Tier, []Figure, error) {
	d, err := s.detail(ctx, v, id, 0)
	return d.Enterprise, d.Tiers, d.Figures, err
}

// DetailView is what the detail page shows of an enterprise.
type DetailView struct {
	Enterprise Enterprise
	Tiers      []Tier
	Figures    []Figure
	History    []HistoryRow // the newest changes, as History shows them
	Indicators []Indicator  // as Indicators returns them: shared, read-only
}

// DetailWithHistory is Detail with the newest changes (limit as History's)
// and the indicators (memoised). Errors: as Get.
func (s *Service) DetailWithHistory(ctx context.Context, v Viewer, id int64, limit int) (DetailView, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return s.detail(ctx, v, id, limit)
}

func (s *Service) detail(ctx context.Context, v Viewer, id int64, historyLimit int) (DetailView, error) {
	if !v.Reads() {
		return DetailView{}, errNoAccess
	}
	r, err := s.getDetail(ctx, id, historyLimit)
	if err != nil {
		return DetailView{}, err
	}
	if !v.canRead(r.e) {
		return DetailView{}, errNotFound
	}
	d := DetailView{Enterprise: r.e, Tiers: r.tiers}
	if d.Figures, err = s.figuresOf(ctx, v, id); err != nil {
		return DetailView{}, err
	}
	if historyLimit > 0 {
		d.History = visibleHistory(v, id, r.history)
		if d.Indicators, err = s.Indicators(ctx); err != nil {
			return DetailView{}, err
		}
	}
	return d, nil
}
