package finance

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/chart"
	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/web"
)

// The staff overview (科技金融总览) of a year: institutions settled and
// their capital against the seed's targets, the funnel as a bar chart,
// money received by industry and month as a line chart with its table,
// and institutions on a map of stages × industries, drawn as a table whose
// cells are shaded by count (a table reads and narrates better than a
// picture of one: every cell is text a screen reader can walk).

func (s *handlers) overviewRoutes() {
	s.Handle("GET /finance/overview", "Staff overview of a year (?year=): funnel, money received by chain and month, institutions by stage and chain", web.Staff, s.handleOverview)
	s.Handle("GET /api/v1/finance/overview", "Staff overview of a year (?year=, default this year)", web.Staff, s.apiOverview)
}

// year reads ?year= (2000–2100); this year when absent.
func (s *handlers) year(r *http.Request) (int, error) {
	y := r.URL.Query().Get("year")
	if y == "" {
		return s.Finance.Now().Year(), nil
	}
	n, err := strconv.Atoi(y)
	if err != nil || n < 2000 || n > 2100 {
		return 0, errs.Field("year", "年度应为 2000–2100 的整数", "year must be 2000–2100")
	}
	return n, nil
}

// mapColumn is an industry on the map, or every chain ("" code).
type mapColumn struct {
	Code, Name string
}

// mapCell is a cell of the map with its shade (0–100).
type mapCell struct {
	Count, Shade int
}

// mapRow is a stage with a cell per column.
type mapRow struct {
	Stage string
	Cells []mapCell
}

// chainRow is an industry's money received by month, in fen.
type chainRow struct {
	Name   string
	Months [12]int64
	Total  int64
}

type overviewPage struct {
	page
	O               finance.Overview
	Prev, Next      int
	Funnel, ByMonth template.HTML
	Chains          []chainRow
	Columns         []mapColumn
	Rows            []mapRow
	SettledPct      int
	CapitalPct      int
	MonthNames      []string
}

// percent is part of whole in whole percent, rounded down, at most 100
// (for the progress bars).
func percent(part, whole int64) int {
	if whole <= 0 {
		return 0
	}
	return int(min(part*100/whole, 100))
}

// share is part of whole as a percent with one decimal, rounded down, so
// that 1 of 160 reads 0.6% rather than nothing.
func share(part, whole int64) string {
	if whole <= 0 {
		return "0%"
	}
	pm := part * 1000 / whole
	return strconv.FormatInt(pm/10, 10) + "." + strconv.FormatInt(pm%10, 10) + "%"
}

// SettledShare is the institutions settled as a share of the target.
func (p overviewPage) SettledShare() string {
	return share(int64(p.O.Settled), int64(p.O.TargetSettled))
}

// CapitalShare is their capital as a share of the target.
func (p overviewPage) CapitalShare() string { return share(p.O.CapitalFen, p.O.TargetCapitalFen) }

func (s *handlers) handleOverview(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	o, err := s.Finance.Overview(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	p := overviewPage{page: page{s.Page(r, "科技金融总览 "+strconv.Itoa(year), "Tech finance overview "+strconv.Itoa(year))}, O: o,
		SettledPct: percent(int64(o.Settled), int64(o.TargetSettled)), CapitalPct: percent(o.CapitalFen, o.TargetCapitalFen)}
	if year > 2000 {
		p.Prev = year - 1
	}
	if year < 2100 {
		p.Next = year + 1
	}
	bar := chart.Bar{Title: p.L("对接漏斗（当年到达各环节的对接数）", "Funnel (matches reaching each step in the year)"), Unit: p.L(" 个", "")}
	for _, c := range o.Funnel {
		bar.Labels = append(bar.Labels, p.L(c.NameZH, c.NameEN))
		bar.Values = append(bar.Values, float64(c.Count))
	}
	p.Funnel = bar.SVG()
	line := chart.Line{Title: p.L("到位资金：按产业与月份（万元）", "Money received by industry and month (10k yuan)")}
	for m := 1; m <= 12; m++ {
		name := p.L(strconv.Itoa(m)+"月", time.Month(m).String()[:3])
		line.XLabels = append(line.XLabels, name)
		p.MonthNames = append(p.MonthNames, name)
	}
	for _, c := range o.ByChain {
		row := chainRow{Name: p.L(c.Chain.NameZH, c.Chain.NameEN), Months: c.Months, Total: c.Total}
		sr := chart.Series{Name: row.Name, Values: make([]float64, 12)}
		for k, fen := range c.Months {
			sr.Values[k] = float64(fen) / 1e6
		}
		line.Series = append(line.Series, sr)
		p.Chains = append(p.Chains, row)
	}
	p.ByMonth = line.SVG()
	if err := s.stageMap(r, &p); err != nil {
		return err
	}
	return s.Render(w, r, "finance/overview.html", p)
}

// stageMap lays the overview's cells out as rows of stages and columns of
// industries, in the registry's order, "every chain" first.
func (s *handlers) stageMap(r *http.Request, p *overviewPage) error {
	tree, err := s.Enterprise.ChainTree(r.Context())
	if err != nil {
		return err
	}
	used := map[string]bool{}
	counts := map[[2]string]int{}
	most := 0
	for _, c := range p.O.Map {
		used[c.Chain] = true
		counts[[2]string{c.Stage, c.Chain}] = c.Count
		most = max(most, c.Count)
	}
	p.Columns = []mapColumn{{Code: "", Name: p.L("不限产业", "Any chain")}}
	for _, n := range tree {
		if used[n.Code] {
			p.Columns = append(p.Columns, mapColumn{Code: n.Code, Name: p.L(n.NameZH, n.NameEN)})
		}
	}
	for _, st := range finance.Stages {
		row := mapRow{Stage: p.L(st.NameZH, st.NameEN)}
		for _, col := range p.Columns {
			n := counts[[2]string{st.Code, col.Code}]
			shade := 0
			if most > 0 && n > 0 {
				shade = int(math.Round(10 + 90*float64(n)/float64(most)))
			}
			row.Cells = append(row.Cells, mapCell{Count: n, Shade: shade})
		}
		p.Rows = append(p.Rows, row)
	}
	return nil
}

// Shade is a map cell's background: the brand blue at up to 45% over
// white, so dark text stays readable on the darkest cell.
func (p overviewPage) Shade(c mapCell) template.CSS {
	if c.Shade == 0 {
		return ""
	}
	return template.CSS("background: rgba(43, 108, 176, " + strconv.FormatFloat(float64(c.Shade)*0.45/100, 'f', 3, 64) + ")")
}

// Yi is fen written in 亿元 with two decimals.
func (p overviewPage) Yi(fen int64) string {
	return strconv.FormatFloat(float64(fen)/1e10, 'f', 2, 64) + p.L(" 亿元", " 100M yuan")
}

func (s *handlers) apiOverview(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	o, err := s.Finance.Overview(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, o)
	return nil
}
