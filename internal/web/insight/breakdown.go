package insight

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/chart"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/web"
)

// Breakdowns (交叉分析): a measure by one dimension, or two crossed, as a
// table and a heat map, with a form to choose them.

func (h *handlers) breakdownRoutes() {
	h.Handle("GET /insight/breakdown", "A breakdown (?a=&b=&year=&measure=): one dimension or two crossed, as a table and a heat map", readers, h.handleBreakdown)
	h.Handle("GET /api/v1/insight/breakdown", "A breakdown: a measure by one dimension or two crossed (?a=&b=&year=&measure=)", readers, h.apiBreakdown)
}

// breakdownQuery reads a breakdown's choices: a (default chain), b, year
// (0 the registry now; default the latest with figures), measure (default
// n).
func (h *handlers) breakdownQuery(r *http.Request) (a, b string, year int, measure string, err error) {
	q := r.URL.Query()
	a, b, measure = q.Get("a"), q.Get("b"), q.Get("measure")
	if a == "" {
		a = insight.DimChain
	}
	if measure == "" {
		measure = "n"
	}
	year, err = h.year(r, true)
	return a, b, year, measure, err
}

func (h *handlers) breakdown(r *http.Request) (insight.Breakdown, error) {
	a, b, year, measure, err := h.breakdownQuery(r)
	if err != nil {
		return insight.Breakdown{}, err
	}
	return h.Insight.Breakdown(r.Context(), insightViewer(r), year, a, b, measure)
}

// choice is an option of the form.
type choice struct {
	Value, ZH, EN string
}

type breakdownPage struct {
	page
	B        insight.Breakdown
	Dims     []choice
	Measures []choice
	Heat     template.HTML
	Query    string // the choices, for the downloads' links
}

// Label is a row or column's words, chain nodes indented by depth.
func (p breakdownPage) Label(l insight.Label) string {
	return strings.Repeat("　", l.Depth) + p.L(l.ZH, l.EN)
}

// Value is a cell in words: money in 万元, counts as they are.
func (p breakdownPage) Value(v int64) string {
	if p.B.Money {
		return p.Wan(v)
	}
	return strconv.FormatInt(v, 10)
}

// Shade is a cell's background by its share of the largest.
func (p breakdownPage) Shade(v int64) template.CSS {
	if p.B.Max <= 0 || v <= 0 {
		return ""
	}
	return template.CSS("background: rgba(43, 108, 176, " + strconv.FormatFloat(0.05+0.4*float64(v)/float64(p.B.Max), 'f', 3, 64) + ")")
}

// YearWords is the breakdown's year in words.
func (p breakdownPage) YearWords() string {
	if p.B.Year == 0 {
		return p.L("当前企业库", "the registry now")
	}
	return p.L(strconv.Itoa(p.B.Year)+" 年", strconv.Itoa(p.B.Year))
}

// heatOf draws a breakdown as a heat map.
func heatOf(p page, b insight.Breakdown) chart.Heat {
	year := p.L("当前", "now")
	if b.Year != 0 {
		year = strconv.Itoa(b.Year)
	}
	az, ae := insight.DimName(b.A)
	title := p.L(b.MeasureZH, b.MeasureEN) + p.L("：按", " by ") + p.L(az, ae)
	if b.B != "" {
		bz, be := insight.DimName(b.B)
		title += " × " + p.L(bz, be)
	}
	if b.Money {
		title += p.L("，万元", ", 10k yuan")
	}
	title += "（" + year + "）"
	hm := chart.Heat{Title: title}
	if b.Money {
		hm.Unit = p.L(" 万元", " (10k yuan)")
	}
	for _, c := range b.Cols {
		hm.Cols = append(hm.Cols, p.L(c.ZH, c.EN))
	}
	for i, r := range b.Rows {
		hm.Rows = append(hm.Rows, strings.Repeat("  ", r.Depth)+p.L(r.ZH, r.EN))
		vals := make([]float64, len(b.Cols))
		labels := make([]string, len(b.Cols))
		for j, v := range b.Values[i] {
			vals[j] = float64(v)
			if b.Money {
				vals[j] = math.Round(float64(v)/1e4) / 100
				labels[j] = strconv.FormatFloat(float64(v)/1e6, 'f', 1, 64)
			}
		}
		hm.Values = append(hm.Values, vals)
		hm.Labels = append(hm.Labels, labels)
	}
	return hm
}

func (h *handlers) handleBreakdown(w http.ResponseWriter, r *http.Request) error {
	v := insightViewer(r)
	b, err := h.breakdown(r)
	if err != nil {
		return err
	}
	base, err := h.basePage(r, v, b.Year, "产业大脑：交叉分析", "Industry brain: breakdowns")
	if err != nil {
		return err
	}
	p := breakdownPage{page: base, B: b}
	for _, d := range insight.Dims {
		zh, en := insight.DimName(d)
		p.Dims = append(p.Dims, choice{d, zh, en})
	}
	p.Measures = []choice{{"n", "企业数", "Enterprises"}}
	inds, err := h.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	for _, i := range inds {
		p.Measures = append(p.Measures, choice{i.Code, i.NameZH + "合计", i.NameEN + ", total"})
	}
	for _, t := range enterprise.Tiers {
		p.Measures = append(p.Measures, choice{"tier:" + t.Code, t.NameZH + "企业数", t.NameEN + " holders"})
	}
	q := r.URL.Query()
	q.Set("a", b.A)
	q.Set("year", strconv.Itoa(b.Year))
	q.Set("measure", b.Measure)
	if b.B == "" {
		q.Del("b")
	}
	p.Query = q.Encode()
	p.Heat = heatOf(base, b).SVG()
	return h.Render(w, r, "insight/breakdown.html", p)
}

func (h *handlers) apiBreakdown(w http.ResponseWriter, r *http.Request) error {
	b, err := h.breakdown(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, b)
	return nil
}
