package scenario

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// listPage is the public list of calls (场景机会清单). Its rows and the
// filter's choices carry their words and styles worked out once in Go: a
// row costs the template a handful of field reads instead of ten method
// calls, and the choices one each (bench/README.md, the scenario list on
// the cold path).
type listPage struct {
	page
	F      scenario.Filter
	Result scenario.Page
	Rows   []callRow
	// The filter's choices as options (options): about fifty, the chain
	// tree and the batches most of them.
	Categories, Chains, States, Batches template.HTML
	PageNo                              int
	Prev, Next                          string
	CanSubmit                           bool
	Staff                               bool
}

// callRow is one call of the list in words.
type callRow struct {
	ID       int64
	Title    string
	Batch    string // "第 3 批", empty outside a batch
	Demo     string // the synthetic mark, empty for a real call
	Category string
	Chains   string
	Owner    string
	Budget   string
	Deadline string
	StateTag string // the state tag's colour
	State    string
	Bids     string // "5 家揭榜", empty with no bid standing
}

// listStates are the states a visitor may filter the list by.
var listStates = []string{scenario.StatePublished, scenario.StateEvaluating, scenario.StateNotice, scenario.StateImplementing,
	scenario.StateAccepted, scenario.StateClosed, scenario.StateFailed}

func (s *handlers) handleList(w http.ResponseWriter, r *http.Request) error {
	f, pageNo, err := filter(r)
	if err != nil {
		return err
	}
	v := viewer(r)
	p := listPage{page: page{s.Page(r, "场景机会清单 · 揭榜挂帅", "Scenario opportunities · open calls")}, F: f, PageNo: pageNo,
		Staff:     v.Staff(),
		CanSubmit: (v.Role == org.UnitStaff && v.UnitID != 0) || (v.Role == org.Enterprise && v.EnterpriseID != 0)}
	if p.Result, err = s.Scenario.List(r.Context(), v, f); err != nil {
		return err
	}
	chains, err := s.chainOptions(r.Context(), p.page, []string{f.Chain})
	if err != nil {
		return err
	}
	p.Chains = options(chains)
	batches, err := s.Scenario.BatchChoices(r.Context())
	if err != nil {
		return err
	}
	p.choices(batches)
	p.Rows = make([]callRow, len(p.Result.Needs))
	for i, n := range p.Result.Needs {
		p.Rows[i] = p.row(n)
	}
	q := r.URL.Query()
	link := func(n int) string {
		q.Set("page", strconv.Itoa(n))
		return "/scenarios?" + q.Encode()
	}
	if pageNo > 1 {
		p.Prev = link(pageNo - 1)
	}
	if pageNo*pageSize < p.Result.Total || (p.Result.TotalMore && len(p.Result.Needs) == pageSize) {
		p.Next = link(pageNo + 1)
	}
	return s.Render(w, r, "scenario/list.html", p)
}

// choices fills the category, state and batch choices of the filter.
func (p *listPage) choices(batches []scenario.Batch) {
	cs := make([]choice, 0, max(len(scenario.Categories), len(listStates), len(batches)))
	for _, c := range scenario.Categories {
		cs = append(cs, choice{Code: c.Code, Label: p.L(c.NameZH, c.NameEN), Selected: c.Code == p.F.Category})
	}
	p.Categories = options(cs)
	cs = cs[:0]
	for _, st := range listStates {
		cs = append(cs, choice{Code: st, Label: p.State(st), Selected: st == p.F.State})
	}
	p.States = options(cs)
	cs = cs[:0]
	for _, b := range batches {
		cs = append(cs, choice{Code: strconv.FormatInt(b.ID, 10), Label: p.L("第", "No. ") + strconv.Itoa(b.Seq) + p.L(" 批", ""),
			Selected: b.ID == p.F.BatchID})
	}
	p.Batches = options(cs)
}

// options is the markup of a select's options, each value and label
// escaped, as the template's
//
//	{{range .}}<option value="{{.Code}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}
//
// would write it (html/template writes a "+" as "&#43;", this leaves it).
// The list page's filter holds about fifty options; as template actions,
// three for each, they were a third of the page's template time on the
// cold path, which the list's 50 ms target waits on (bench/README.md,
// the scenario list at 10,000 calls).
func options(cs []choice) template.HTML {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(c.Code))
		b.WriteByte('"')
		if c.Selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(c.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// row is a call's row of the list.
func (p listPage) row(n scenario.Need) callRow {
	c := callRow{ID: n.ID, Title: n.Title, Category: p.Category(n.Category), Chains: p.ChainNames(n.Chains), Owner: n.OwnerName,
		Budget: web.Money(n.BudgetFen), Deadline: n.Deadline, StateTag: p.StateTag(n.State), State: p.State(n.State)}
	if n.BatchSeq != 0 {
		c.Batch = p.L("第", "batch ") + strconv.Itoa(n.BatchSeq) + p.L(" 批", "")
	}
	if n.Synthetic {
		c.Demo = p.L("演示", "demo")
	}
	if n.Bids != 0 {
		c.Bids = strconv.Itoa(n.Bids) + " " + p.L("家揭榜", "bids")
	}
	return c
}
