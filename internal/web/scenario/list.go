package scenario

import (
	"net/http"
	"strconv"

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
	F          scenario.Filter
	Result     scenario.Page
	Rows       []callRow
	Categories []choice
	Chains     []choice
	States     []choice
	Batches    []choice
	PageNo     int
	Prev, Next string
	CanSubmit  bool
	Staff      bool
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
	if p.Chains, err = s.chainOptions(r.Context(), p.page, []string{f.Chain}); err != nil {
		return err
	}
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
	p.Categories = make([]choice, len(scenario.Categories))
	for i, c := range scenario.Categories {
		p.Categories[i] = choice{Code: c.Code, Label: p.L(c.NameZH, c.NameEN), Selected: c.Code == p.F.Category}
	}
	p.States = make([]choice, len(listStates))
	for i, st := range listStates {
		p.States[i] = choice{Code: st, Label: p.State(st), Selected: st == p.F.State}
	}
	p.Batches = make([]choice, len(batches))
	for i, b := range batches {
		p.Batches[i] = choice{Code: strconv.FormatInt(b.ID, 10), Label: p.L("第", "No. ") + strconv.Itoa(b.Seq) + p.L(" 批", ""),
			Selected: b.ID == p.F.BatchID}
	}
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
