package scenario

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/kpi"
	"gaoxin/internal/memo"
)

// The scenario module's figures for the targets (目标指标): computed
// indicators over calls published, bids, calls landed and accepted, and
// money paid, each narrowed by category, chain (a node and every node
// under it) and batch. The targets module asks through kpi.Source, at read
// time; it never reads these tables.
//
// Each measure counts dated events, in China time:
//   - a call counts in the month its phase was reached (scenario_phases):
//     发布 for published, 实施 for landed (the winner starts delivery), 验收
//     for accepted; a call that later fails still counted as published;
//   - a bid counts in the month it was submitted (created_at), unless it
//     was withdrawn since;
//   - an enterprise counts once a year, in the month of its first bid of
//     that year, as the lead or as a partner who confirmed (the
//     confirmation's date), unless the bid was withdrawn;
//   - money paid sums the contracts' stage payments (scenario_deliverables
//     link them) that the awards ledger shows paid, by their date paid,
//     read through the ledger's API; recording a stage paid moves this
//     module's version, so the dashboard sees it.
//
// A new measure is one entry in measures and, when it counts something
// else, one arm in Values.

// Measure codes.
const (
	MeasurePublished = "scenario.calls_published"
	MeasureBids      = "scenario.bids"
	MeasureBidders   = "scenario.bidders"
	MeasureLanded    = "scenario.calls_landed"
	MeasureAccepted  = "scenario.calls_accepted"
	MeasurePaid      = "scenario.paid_fen"
)

var allFilters = []string{kpi.FilterCategory, kpi.FilterChain, kpi.FilterBatch}

var measures = []kpi.Measure{
	{Code: MeasurePublished, NameZH: "发布场景机会数", NameEN: "Calls published", Unit: "个", Filters: allFilters,
		AboutZH: "按发布日期计，发布后未成交的仍计入", AboutEN: "by the date published; a call that later fails still counts"},
	{Code: MeasureBids, NameZH: "揭榜方案数", NameEN: "Bids submitted", Unit: "份", Filters: allFilters,
		AboutZH: "按提交日期计，已撤回的不计", AboutEN: "by the date submitted; withdrawn bids do not count"},
	{Code: MeasureBidders, NameZH: "揭榜企业数", NameEN: "Enterprises bidding", Unit: "家", Filters: allFilters,
		AboutZH: "每家企业每年计一次（牵头或已确认的联合揭榜方），按其当年首次揭榜日期", AboutEN: "each enterprise once a year (lead or confirmed partner), by its first bid of the year"},
	{Code: MeasureLanded, NameZH: "场景落地数（中标）", NameEN: "Calls landed (winner delivering)", Unit: "个", Filters: allFilters,
		AboutZH: "按进入实施阶段的日期计", AboutEN: "by the date delivery began"},
	{Code: MeasureAccepted, NameZH: "通过验收场景数", NameEN: "Calls accepted", Unit: "个", Filters: allFilters,
		AboutZH: "按验收日期计", AboutEN: "by the date of acceptance"},
	{Code: MeasurePaid, NameZH: "场景兑付金额", NameEN: "Money paid on calls", Unit: "万元", Money: true, Filters: allFilters,
		AboutZH: "合同各期付款，按奖补台账中的支付日期计（冲正的不计）", AboutEN: "the contracts' stage payments, by their date paid in the awards ledger (reversed ones not counted)"},
}

// phaseOf is the phase each call measure counts.
var phaseOf = map[string]string{MeasurePublished: PhasePublish, MeasureLanded: PhaseImplement, MeasureAccepted: PhaseAccept}

// KPISource is the module as a source of computed indicators; the app
// assembly registers it with the targets module.
func (s *Service) KPISource() kpi.Source { return source{s} }

type source struct{ s *Service }

// Measures lists the module's measures.
func (source) Measures() []kpi.Measure { return measures }

// Version moves with every write that changes a count: this module's
// version plus the awards module's, whose ledger entries (a stage paid, or
// reversed on the awards pages) change the money paid. Both only grow, so
// their sum changes whenever either does.
func (m source) Version(ctx context.Context) (int64, error) {
	own, err := memo.Module{DB: m.s.DB, Name: Module}.Version(ctx)
	if err != nil {
		return 0, err
	}
	ledger, err := memo.Module{DB: m.s.DB, Name: award.Module}.Version(ctx)
	return own + ledger, err
}

// Filters lists the categories, the chain tree (each node standing for
// itself and what is under it) and the batches, newest first.
func (m source) Filters(ctx context.Context) ([]kpi.FilterField, error) {
	cat := kpi.FilterField{Key: kpi.FilterCategory, NameZH: "场景类别", NameEN: "Category"}
	for _, c := range Categories {
		cat.Choices = append(cat.Choices, kpi.Choice{Value: c.Code, NameZH: c.NameZH, NameEN: c.NameEN})
	}
	tree, err := m.s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("scenario: filters: %w", err)
	}
	chain := kpi.FilterField{Key: kpi.FilterChain, NameZH: "产业链（含下级）", NameEN: "Chain (with the nodes under it)"}
	for _, n := range tree {
		pad := strings.Repeat("　", n.Depth)
		chain.Choices = append(chain.Choices, kpi.Choice{Value: n.Code, NameZH: pad + n.NameZH, NameEN: pad + n.NameEN})
	}
	batch := kpi.FilterField{Key: kpi.FilterBatch, NameZH: "批次", NameEN: "Batch"}
	rows, err := m.s.DB.Read(ctx).QueryContext(ctx, "SELECT seq, title FROM scenario_batches ORDER BY seq DESC LIMIT 500")
	if err != nil {
		return nil, fmt.Errorf("scenario: filters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var title string
		if err := rows.Scan(&seq, &title); err != nil {
			return nil, err
		}
		batch.Choices = append(batch.Choices, kpi.Choice{Value: strconv.Itoa(seq), NameZH: fmt.Sprintf("第 %d 批 · %s", seq, title),
			NameEN: fmt.Sprintf("Batch %d · %s", seq, title)})
	}
	return []kpi.FilterField{cat, chain, batch}, rows.Err()
}

// dayMS is a day in milliseconds; cst shifts an instant to China time.
const dayMS, cstMS = 86_400_000, 8 * 3_600_000

// Values answers every query in one statement: one grouped arm per query,
// joined by UNION ALL. Calls are counted by the month of their phase date;
// bids and enterprises by their China-time day, turned into months here.
// A filter that no longer resolves (a chain node removed) counts nothing
// and says so in its words, rather than failing the whole dashboard.
func (m source) Values(ctx context.Context, r kpi.Request) ([]kpi.Answer, error) {
	out := make([]kpi.Answer, len(r.Queries))
	if r.To < r.From {
		return out, nil
	}
	from, to := fmt.Sprintf("%04d-01-01", r.From), fmt.Sprintf("%04d-12-31", r.To)
	if r.UpTo < to {
		to = r.UpTo
	}
	startMS, endMS := dateMS(from), dateMS(to)+dayMS
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	// perYear groups the instants x.at of an enterprise by year, to count
	// it once a year. Every placeholder must appear in the statement
	// (PostgreSQL cannot type an unused one), so each arm adds its own
	// arguments.
	perYear := func() string {
		if r.From == r.To {
			return "x.e"
		}
		e := "x.e, CASE"
		for y := r.From + 1; y <= r.To; y++ {
			e += fmt.Sprintf(" WHEN x.at < %s THEN %d", arg(dateMS(fmt.Sprintf("%04d-01-01", y))), y-1)
		}
		return e + fmt.Sprintf(" ELSE %d END", r.To)
	}
	var tree []enterprise.ChainNode
	var arms []string
	for i, q := range r.Queries {
		out[i].YTD = make([][12]int64, r.To-r.From+1)
		if !known(q.Measure) {
			return nil, fmt.Errorf("scenario: no such measure %q", q.Measure)
		}
		f, err := m.filter(ctx, q.Filter, &tree)
		if err != nil {
			return nil, err
		}
		out[i].FilterZH, out[i].FilterEN = f.zh, f.en
		if from > to {
			continue // nothing to count: the year has not begun at UpTo
		}
		if q.Measure == MeasurePaid {
			if err := m.paid(ctx, f, from, to, r.From, out[i].YTD); err != nil {
				return nil, err
			}
			continue
		}
		const bidsFrom = ` FROM scenario_bids b JOIN scenario_needs n ON n.id = b.need_id WHERE b.state <> 'withdrawn'`
		switch q.Measure {
		case MeasurePublished, MeasureLanded, MeasureAccepted:
			arms = append(arms, fmt.Sprintf(`SELECT %d AS q, substr(p.on_date, 1, 7) AS ym, CAST(NULL AS BIGINT) AS day, COUNT(*) AS n
				FROM scenario_phases p JOIN scenario_needs n ON n.id = p.need_id
				WHERE p.phase = %s AND p.on_date >= %s AND p.on_date <= %s%s GROUP BY substr(p.on_date, 1, 7)`,
				i, arg(phaseOf[q.Measure]), arg(from), arg(to), f.sql(arg)))
		case MeasureBids:
			lo, hi := arg(startMS), arg(endMS)
			arms = append(arms, fmt.Sprintf(`SELECT %d AS q, CAST(NULL AS TEXT) AS ym, (b.created_at + %d) / %d AS day, COUNT(*) AS n`+bidsFrom+
				` AND b.created_at >= %s AND b.created_at < %s%s GROUP BY (b.created_at + %d) / %d`, i, cstMS, dayMS, lo, hi, f.sql(arg), cstMS, dayMS))
		case MeasureBidders:
			lo, hi, cond := arg(startMS), arg(endMS), f.sql(arg)
			arms = append(arms, fmt.Sprintf(`SELECT %d AS q, CAST(NULL AS TEXT) AS ym, (t.first + %d) / %d AS day, COUNT(*) AS n FROM (
				SELECT x.e, MIN(x.at) AS first FROM (
					SELECT b.enterprise_id AS e, b.created_at AS at`+bidsFrom+` AND b.created_at >= %[4]s AND b.created_at < %[5]s%[6]s
					UNION ALL
					SELECT p.enterprise_id, p.confirmed_at FROM scenario_bid_partners p JOIN scenario_bids b ON b.id = p.bid_id
						JOIN scenario_needs n ON n.id = b.need_id
						WHERE b.state <> 'withdrawn' AND p.confirmed_at >= %[4]s AND p.confirmed_at < %[5]s%[6]s
				) x GROUP BY %[7]s) t GROUP BY (t.first + %[2]d) / %[3]d`,
				i, cstMS, dayMS, lo, hi, cond, perYear()))
		}
	}
	if len(arms) > 0 {
		if err := m.count(ctx, strings.Join(arms, "\nUNION ALL\n"), args, r, out); err != nil {
			return nil, err
		}
	}
	for i := range out {
		for y := range out[i].YTD {
			for mo := 1; mo < 12; mo++ {
				out[i].YTD[y][mo] += out[i].YTD[y][mo-1]
			}
		}
	}
	return out, nil
}

// count runs the grouped statement of the counting arms, adding each
// month's count to its query's answer.
func (m source) count(ctx context.Context, q string, args []any, r kpi.Request, out []kpi.Answer) error {
	rows, err := m.s.DB.Read(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("scenario: measures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q int
		var ym *string
		var day *int64
		var n int64
		if err := rows.Scan(&q, &ym, &day, &n); err != nil {
			return fmt.Errorf("scenario: measures: %w", err)
		}
		var y, mo int
		switch {
		case ym != nil:
			t, err := time.Parse("2006-01", *ym)
			if err != nil {
				continue
			}
			y, mo = t.Year(), int(t.Month())
		case day != nil:
			t := time.Unix(*day*dayMS/1000, 0).UTC()
			y, mo = t.Year(), int(t.Month())
		}
		if q < 0 || q >= len(out) || y < r.From || y > r.To {
			continue
		}
		out[q].YTD[y-r.From][mo-1] += n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scenario: measures: %w", err)
	}
	return nil
}

func known(code string) bool {
	for _, m := range measures {
		if m.Code == code {
			return true
		}
	}
	return false
}

// resolved is a filter with its chain resolved and its words.
type resolved struct {
	f        kpi.Filter
	chainIDs string // the node and every node under it; "" when the node is gone
	zh, en   string
}

// sql is the condition on the call n, its arguments added through arg.
func (r resolved) sql(arg func(any) string) string {
	cond := ""
	if r.f.Category != "" {
		cond += " AND n.category = " + arg(r.f.Category)
	}
	switch {
	case r.f.Chain != "" && r.chainIDs == "":
		cond += " AND 1 = 0"
	case r.f.Chain != "":
		cond += " AND EXISTS (SELECT 1 FROM scenario_need_chains c WHERE c.need_id = n.id AND c.node_id IN (" + r.chainIDs + "))"
	}
	if r.f.Batch != 0 {
		cond += " AND n.batch_id IN (SELECT id FROM scenario_batches WHERE seq = " + arg(r.f.Batch) + ")"
	}
	return cond
}

// filter resolves f and words it. The chain tree is read once per Values,
// when a query names a chain.
func (m source) filter(ctx context.Context, f kpi.Filter, tree *[]enterprise.ChainNode) (resolved, error) {
	r := resolved{f: f}
	var zs, es []string
	if f.Category != "" {
		z, e := CategoryLabel(f.Category)
		zs, es = append(zs, z), append(es, e)
	}
	if f.Chain != "" {
		if *tree == nil {
			t, err := m.s.Registry.ChainTree(ctx)
			if err != nil {
				return r, fmt.Errorf("scenario: measures: %w", err)
			}
			*tree = t
		}
		ids, node := subtree(*tree, f.Chain)
		if node == nil {
			zs, es = append(zs, "产业链 "+f.Chain+"（已不存在）"), append(es, "chain "+f.Chain+" (no longer exists)")
		} else {
			r.chainIDs = ids
			zs, es = append(zs, node.NameZH+"产业链（含下级）"), append(es, node.NameEN+" chain (and below)")
		}
	}
	if f.Batch != 0 {
		zs, es = append(zs, fmt.Sprintf("第 %d 批", f.Batch)), append(es, fmt.Sprintf("batch %d", f.Batch))
	}
	r.zh, r.en = strings.Join(zs, " · "), strings.Join(es, " · ")
	return r, nil
}

// subtree is the id list of the node code and every node under it, and
// the node; nil when there is no such node.
func subtree(tree []enterprise.ChainNode, code string) (string, *enterprise.ChainNode) {
	var root *enterprise.ChainNode
	for i := range tree {
		if tree[i].Code == code {
			root = &tree[i]
		}
	}
	if root == nil {
		return "", nil
	}
	in := map[int64]bool{root.ID: true}
	ids := []string{strconv.FormatInt(root.ID, 10)}
	for _, n := range tree { // depth first: a parent comes before its children
		if n.ParentID != 0 && in[n.ParentID] && !in[n.ID] {
			in[n.ID] = true
			ids = append(ids, strconv.FormatInt(n.ID, 10))
		}
	}
	return strings.Join(ids, ","), root
}

// dateMS is the first instant of a YYYY-MM-DD day in China time, in
// milliseconds.
func dateMS(d string) int64 {
	t, _ := time.ParseInLocation("2006-01-02", d, db.CST)
	return t.UnixMilli()
}

// paid adds to ytd (monthly amounts, years from `from`) the stage payments
// of the calls the filter f selects that the awards ledger shows paid
// between the dates lo and hi.
func (m source) paid(ctx context.Context, f resolved, lo, hi string, fromYear int, ytd [][12]int64) error {
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	rows, err := m.s.DB.Read(ctx).QueryContext(ctx, `SELECT d.payment_id FROM scenario_deliverables d JOIN scenario_needs n ON n.id = d.need_id
		WHERE d.payment_id IS NOT NULL`+f.sql(arg), args...)
	if err != nil {
		return fmt.Errorf("scenario: paid: %w", err)
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
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	pays, err := m.s.Ledger.PaymentsByID(ctx, ids)
	if err != nil {
		return err
	}
	for _, p := range pays {
		if p.State != award.PayPaid || p.PaidOn < lo || p.PaidOn > hi {
			continue
		}
		t, err := time.Parse("2006-01-02", p.PaidOn)
		if err != nil || t.Year()-fromYear >= len(ytd) {
			continue
		}
		ytd[t.Year()-fromYear][t.Month()-1] += p.AmountFen
	}
	return nil
}
