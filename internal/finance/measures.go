package finance

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/kpi"
	"gaoxin/internal/memo"
	"gaoxin/internal/money"
)

// The finance module's figures for the targets (目标指标), computed at read
// time through kpi.Source; the targets module never reads these tables.
//
//   - Institutions settled and their capital are a stock: at the end of
//     each month, the approved institutions whose 入驻科技金融广场 date is on
//     or before it (the seed's 160 firms and 2,000 亿元), narrowed by kind.
//     Sub-funds are left out: their capital is the parent fund's
//     commitment. Capital is the institution's capital under management
//     as recorded now (its history is not kept).
//   - Money received (到位) and deals funded are a flow: the matches funded
//     in the year up to the month's end, by their date funded, narrowed by
//     chain (a need on the node or any node under it).
//   - Conversion at a step is, over the year up to the month's end, the
//     matches that reached the step divided by those that reached the step
//     before, in whole percent rounded half up (0 while none reached the
//     step before), by the steps' dates, narrowed by chain.

// Measure codes.
const (
	MeasureSettled = "finance.institutions_settled"
	MeasureCapital = "finance.capital_fen"
	MeasureFunded  = "finance.funded_fen"
	MeasureDeals   = "finance.deals_funded"
)

// conversionOf maps each conversion measure to the step it reaches.
var conversionOf = map[string]string{
	"finance.conversion_matched": StepMatched, "finance.conversion_meeting": StepMeeting,
	"finance.conversion_diligence": StepDiligence, "finance.conversion_term": StepTerm, "finance.conversion_funded": StepFunded,
}

func measureList() []kpi.Measure {
	byKind, byChain := []string{kpi.FilterCategory}, []string{kpi.FilterChain}
	ms := []kpi.Measure{
		{Code: MeasureSettled, NameZH: "入驻科技金融广场的金融机构数", NameEN: "Institutions settled in the finance plaza", Unit: "家", Filters: byKind,
			AboutZH: "存量：截至月末已审核入库、已入驻的机构（子基金不计），可按机构类型筛选", AboutEN: "stock: approved institutions settled by the month's end (sub-funds left out), by kind"},
		{Code: MeasureCapital, NameZH: "入驻机构管理资本规模", NameEN: "Capital managed by settled institutions", Unit: "亿元", Money: true, Filters: byKind,
			AboutZH: "存量：上述机构当前登记的管理资本规模之和", AboutEN: "stock: the capital under management those institutions record now"},
		{Code: MeasureFunded, NameZH: "区内企业融资到位金额", NameEN: "Money received by zone enterprises", Unit: "万元", Money: true, Filters: byChain,
			AboutZH: "当年按到位日期累计，可按产业链（含下级）筛选", AboutEN: "the year's matches funded, by date funded; by chain (and below)"},
		{Code: MeasureDeals, NameZH: "融资到位笔数", NameEN: "Deals funded", Unit: "笔", Filters: byChain,
			AboutZH: "当年按到位日期累计", AboutEN: "the year's matches funded, by date funded"},
	}
	for _, st := range Steps[1:] {
		prevZH, prevEN := StepLabel(Steps[stepIndex(st.Code)-1].Code)
		for code, to := range conversionOf {
			if to != st.Code {
				continue
			}
			ms = append(ms, kpi.Measure{Code: code, NameZH: "对接转化率：" + prevZH + "→" + st.NameZH, NameEN: "Funnel conversion: " + prevEN + " → " + st.NameEN,
				Unit: "%", Filters: byChain,
				AboutZH: "当年达到“" + st.NameZH + "”的对接数 ÷ 达到“" + prevZH + "”的对接数，按各环节日期，整数百分比四舍五入",
				AboutEN: "the year's matches reaching " + st.NameEN + " over those reaching " + prevEN + ", whole percent rounded half up"})
		}
	}
	return ms
}

// KPISource is the module as a source of computed indicators; the app
// assembly registers it with the targets module.
func (s *Service) KPISource() kpi.Source { return source{s: s, measures: measureList()} }

type source struct {
	s        *Service
	measures []kpi.Measure
}

func (m source) Measures() []kpi.Measure { return m.measures }

func (m source) Version(ctx context.Context) (int64, error) {
	return memo.Module{DB: m.s.DB, Name: Module}.Version(ctx)
}

// Filters lists the institution kinds (category) and the chain tree.
func (m source) Filters(ctx context.Context) ([]kpi.FilterField, error) {
	kind := kpi.FilterField{Key: kpi.FilterCategory, NameZH: "机构类型", NameEN: "Institution kind"}
	for _, k := range Kinds {
		kind.Choices = append(kind.Choices, kpi.Choice{Value: k.Code, NameZH: k.NameZH, NameEN: k.NameEN})
	}
	tree, err := m.s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("finance: filters: %w", err)
	}
	chain := kpi.FilterField{Key: kpi.FilterChain, NameZH: "产业链（含下级）", NameEN: "Chain (with the nodes under it)"}
	for _, n := range tree {
		pad := strings.Repeat("　", n.Depth)
		chain.Choices = append(chain.Choices, kpi.Choice{Value: n.Code, NameZH: pad + n.NameZH, NameEN: pad + n.NameEN})
	}
	return []kpi.FilterField{kind, chain}, nil
}

func (m source) known(code string) bool {
	for _, x := range m.measures {
		if x.Code == code {
			return true
		}
	}
	return false
}

// Values answers every query in one statement of arms joined by UNION
// ALL, each row (arm, step, month, count, fen): the stocks group the
// institutions by month settled; the flows read the funnel's monthly
// rollup (finance_step_months), one arm per chain filter. The year-to-date
// sums and the conversions are made from them here.
func (m source) Values(ctx context.Context, r kpi.Request) ([]kpi.Answer, error) {
	out := make([]kpi.Answer, len(r.Queries))
	if r.To < r.From {
		return out, nil
	}
	from, to := fmt.Sprintf("%04d-01-01", r.From), fmt.Sprintf("%04d-12-31", r.To)
	if r.UpTo < to {
		to = r.UpTo
	}
	nodes, err := m.s.nodes(ctx)
	if err != nil {
		return nil, err
	}
	var args []any
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	var arms []string
	// armOf is each query's arm; flows share one arm per chain filter.
	armOf := make([]int, len(r.Queries))
	flows := map[string]int{}
	for i, q := range r.Queries {
		out[i].YTD = make([][12]int64, r.To-r.From+1)
		if !m.known(q.Measure) {
			return nil, fmt.Errorf("finance: no such measure %q", q.Measure)
		}
		node, zh, en := chainNode(nodes, q.Filter.Chain)
		if q.Filter.Category != "" {
			kz, ke := KindLabel(q.Filter.Category)
			zh, en = join(zh, kz), join(en, ke)
		}
		out[i].FilterZH, out[i].FilterEN = zh, en
		if from > to {
			continue
		}
		if q.Measure == MeasureSettled || q.Measure == MeasureCapital {
			cond := ""
			if q.Filter.Category != "" {
				cond = " AND kind = " + arg(q.Filter.Category)
			}
			armOf[i] = len(arms)
			arms = append(arms, fmt.Sprintf(`SELECT %d AS arm, '' AS step, substr(settled_on, 1, 7) AS ym, COUNT(*) AS n, SUM(aum_fen) AS fen
				FROM finance_institutions WHERE state = 'approved' AND parent_id IS NULL AND settled_on <> '' AND settled_on <= %s%s
				GROUP BY substr(settled_on, 1, 7)`, len(arms), arg(to), cond))
			continue
		}
		k, seen := flows[q.Filter.Chain]
		if !seen {
			k = len(arms)
			flows[q.Filter.Chain] = k
			arms = append(arms, fmt.Sprintf(`SELECT %d AS arm, step, ym, n, fen FROM finance_step_months
				WHERE node_id = %s AND ym >= %s AND ym <= %s`, k, arg(node), arg(from[:7]), arg(to[:7])))
		}
		armOf[i] = k
	}
	if len(arms) == 0 {
		return out, nil
	}
	rows, err := m.s.DB.Read(ctx).QueryContext(ctx, strings.Join(arms, "\nUNION ALL\n"), args...)
	if err != nil {
		return nil, fmt.Errorf("finance: measures: %w", err)
	}
	defer rows.Close()
	// month[arm][step] are each year's monthly counts and fen; before is a
	// stock's count and fen before the first year.
	type months struct{ n, fen [][12]int64 }
	month := make([]map[string]*months, len(arms))
	before := make([][2]int64, len(arms))
	for rows.Next() {
		var k int
		var step, ym string
		var n, fen money.SQLSum
		if err := rows.Scan(&k, &step, &ym, &n, &fen); err != nil {
			return nil, fmt.Errorf("finance: measures: %w", err)
		}
		t, err := time.Parse("2006-01", ym)
		if err != nil || k < 0 || k >= len(arms) || t.Year() > r.To {
			continue
		}
		if t.Year() < r.From {
			before[k][0] += int64(n)
			before[k][1] += int64(fen)
			continue
		}
		if month[k] == nil {
			month[k] = map[string]*months{}
		}
		ms := month[k][step]
		if ms == nil {
			ms = &months{n: make([][12]int64, r.To-r.From+1), fen: make([][12]int64, r.To-r.From+1)}
			month[k][step] = ms
		}
		ms.n[t.Year()-r.From][t.Month()-1] += int64(n)
		ms.fen[t.Year()-r.From][t.Month()-1] += int64(fen)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finance: measures: %w", err)
	}
	last, _ := strconv.Atoi(to[:4]) // years after UpTo's are 0
	for i, q := range r.Queries {
		if from > to {
			continue
		}
		arm := month[armOf[i]]
		switch q.Measure {
		case MeasureSettled, MeasureCapital: // a stock carries across years
			c := 0
			if q.Measure == MeasureCapital {
				c = 1
			}
			run := before[armOf[i]][c]
			for y := range out[i].YTD {
				if r.From+y > last {
					break
				}
				for mo := 0; mo < 12; mo++ {
					if ms := arm[""]; ms != nil {
						run += [2][][12]int64{ms.n, ms.fen}[c][y][mo]
					}
					out[i].YTD[y][mo] = run
				}
			}
		case MeasureFunded, MeasureDeals:
			if ms := arm[StepFunded]; ms != nil {
				for y := range out[i].YTD {
					if q.Measure == MeasureFunded {
						out[i].YTD[y] = cumulate(ms.fen[y])
					} else {
						out[i].YTD[y] = cumulate(ms.n[y])
					}
				}
			}
		default:
			step := conversionOf[q.Measure]
			reached, base := arm[step], arm[Steps[stepIndex(step)-1].Code]
			if reached == nil || base == nil {
				continue
			}
			for y := range out[i].YTD {
				num, den := cumulate(reached.n[y]), cumulate(base.n[y])
				for mo := 0; mo < 12; mo++ {
					if den[mo] > 0 {
						out[i].YTD[y][mo] = (200*num[mo] + den[mo]) / (2 * den[mo])
					}
				}
			}
		}
	}
	return out, nil
}

func cumulate(m [12]int64) [12]int64 {
	for k := 1; k < 12; k++ {
		m[k] += m[k-1]
	}
	return m
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " · " + b
}

// chainNode is the node a chain code names (0 for no chain), with its
// words; a node no longer there is -1, which counts nothing, and says so.
func chainNode(nodes map[int64]ChainRef, code string) (int64, string, string) {
	if code == "" {
		return 0, "", ""
	}
	for _, n := range nodes {
		if n.Code == code {
			return n.ID, n.NameZH + "产业链（含下级）", n.NameEN + " chain (and below)"
		}
	}
	return -1, "产业链 " + code + "（已不存在）", "chain " + code + " (no longer exists)"
}
