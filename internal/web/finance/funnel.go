package finance

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Funnel pages: an institution's dashboard (the needs that fit it and its
// matches), and a match's page where the parties answer, record each step
// to money received, close it, and keep private notes.

type dashboardPage struct {
	page
	I       finance.Institution
	Fits    []fitRow
	Matches []matchRow
	Counts  []stepCount // matches reached at each step
	Closed  int
	Waiting string // why no needs are shown (pending approval)
	Shown   int    // how many fitting needs were asked for
	More    int    // a longer list to offer (0: none)
}

// dashboardFits is how many fitting needs the dashboard shows at first:
// an institution works down the best of them; the rest are a click away.
const dashboardFits = 20

// fitRow is a ranked need as the dashboard lists it, and matchRow a
// match: their words are made here, once, rather than by the template's
// methods, each a reflective call with its arguments copied (a page of
// fifty needs made some 400 such calls, most of its rendering).
type fitRow struct {
	ID      int64
	Title   string
	About   string // the enterprise · instrument · stage
	Reasons []string
	Amount  string
	Score   int
}

type matchRow struct {
	ID                          int64
	Title, Enterprise, Tag, Now string // Now: where it stands, in words
	On, Funded                  string // Funded: "" before money is received
}

// rows words the dashboard's ranked needs and matches.
func (p *dashboardPage) rows(fits []finance.RankedNeed, ms []finance.Match) {
	p.Fits = make([]fitRow, len(fits))
	for k, f := range fits {
		n := f.Need
		r := fitRow{ID: n.ID, Title: n.Title, About: n.EnterpriseName + " · " + p.Instrument(n.Instrument) + " · " + p.Stage(n.Stage),
			Reasons: make([]string, len(f.Reasons)), Amount: web.Money(n.AmountFen), Score: f.Score}
		for j, rs := range f.Reasons {
			r.Reasons[j] = p.Reason(rs)
		}
		p.Fits[k] = r
	}
	p.Matches = make([]matchRow, len(ms))
	for k, m := range ms {
		r := matchRow{ID: m.ID, Title: m.NeedTitle, Enterprise: m.EnterpriseName, Tag: p.StepTag(m), Now: p.MatchState(m), On: m.StepOn}
		if m.FundedFen != 0 {
			r.Funded = web.Money(m.FundedFen)
		}
		p.Matches[k] = r
	}
}

// stepCount is how many of the institution's matches stand at a step.
type stepCount struct {
	Code string
	N    int
}

func (s *handlers) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	inst, err := queryID(r, "institution")
	if err != nil {
		return err
	}
	if v.Role != org.Investor && inst == 0 {
		return errs.Field("institution", "请指定机构（?institution=机构编号）", "name the institution (?institution=id)")
	}
	// The page shows the best fitting needs first, dashboardFits of
	// them, and more on request (?fits=, up to 200), as the API's limit.
	fits, err := count(r, "fits")
	if err != nil {
		return err
	}
	if fits == 0 {
		fits = dashboardFits
	}
	d, err := s.Finance.Dashboard(r.Context(), v, inst, fits)
	if err != nil {
		return err
	}
	if d.Institution.ID == 0 { // an investor account acting for no institution yet
		return web.SeeOther(w, r, "/finance/institutions/new")
	}
	i := d.Institution
	p := dashboardPage{page: page{s.Page(r, "机构工作台 · "+i.Name, "Dashboard · "+i.Name)}, I: i, Shown: fits}
	if len(d.Fits) == fits && fits < 200 {
		p.More = min(fits*5, 200)
	}
	p.rows(d.Fits, d.Matches)
	if i.State != finance.InstApproved {
		p.Waiting = p.InstState(i.State)
	}
	at := map[string]int{}
	for _, m := range d.Matches {
		if m.State == finance.MatchClosed {
			p.Closed++
			continue
		}
		at[m.Step]++
	}
	for _, st := range finance.Steps {
		p.Counts = append(p.Counts, stepCount{Code: st.Code, N: at[st.Code]})
	}
	return s.Render(w, r, "finance/dashboard.html", p)
}

type matchPage struct {
	page
	M           finance.Match
	Notes       []finance.Note
	ShowNotes   bool // the institution and staff
	CanAnswer   bool // the enterprise, while the interest waits
	CanAdvance  bool // the institution or a supervisor, while open
	CanClose    bool
	CanCorrect  bool   // a supervisor, once the money is received
	Next        string // the step to record next
	Today       string
	Institution bool
	Enterprise  bool
	Who         web.People // the people who recorded the steps and notes
	// What was typed in a refused form.
	On, Amount, Note string
	Details          []errs.Detail
}

// NeedsAmount reports whether the next step records an amount.
func (p matchPage) NeedsAmount() bool {
	return p.Next == finance.StepTerm || p.Next == finance.StepFunded
}

// nextStep is the step after code in the funnel's order; "" after the
// last.
func nextStep(code string) string {
	for k, st := range finance.Steps {
		if st.Code == code && k+1 < len(finance.Steps) {
			return finance.Steps[k+1].Code
		}
	}
	return ""
}

func (s *handlers) handleMatch(w http.ResponseWriter, r *http.Request) error {
	return s.renderMatch(w, r, matchPage{}, nil)
}

func (s *handlers) renderMatch(w http.ResponseWriter, r *http.Request, p matchPage, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	m, err := s.Finance.Match(r.Context(), v, id)
	if err != nil {
		return err
	}
	mine, err := s.Finance.MemberOf(r.Context(), v)
	if err != nil {
		return err
	}
	p.page, p.M, p.Today = page{s.Page(r, m.NeedTitle+" · "+m.InstitutionName, m.NeedTitle+" · "+m.InstitutionName)}, m, s.Finance.Today()
	p.Institution = mine != 0 && mine == m.InstitutionID
	p.Enterprise = v.Role == org.Enterprise && v.EnterpriseID == m.EnterpriseID
	open := m.State == finance.MatchOpen
	p.CanAnswer = p.Enterprise && open && m.Step == finance.StepInterest
	p.CanAdvance = (p.Institution || v.Runs()) && open && m.Step != finance.StepInterest && m.Step != finance.StepFunded
	p.CanClose = (p.Institution || p.Enterprise || v.Runs()) && open && m.Step != finance.StepFunded
	p.CanCorrect = v.Runs() && m.Step == finance.StepFunded
	p.Next = nextStep(m.Step)
	p.ShowNotes = p.Institution || v.Staff()
	if p.ShowNotes {
		if p.Notes, err = s.Finance.Notes(r.Context(), v, id); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(m.Steps)+len(p.Notes))
	for _, st := range m.Steps {
		names = append(names, st.Actor)
	}
	for _, n := range p.Notes {
		names = append(names, n.Author)
	}
	if p.Who, err = s.People(r.Context(), p.Page, names...); err != nil {
		return err
	}
	if p.On == "" {
		p.On = p.Today
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	switch r.URL.Query().Get("ok") {
	case "interest":
		p.Flash = p.L("已表达对接意向，等待企业回应", "Interest expressed: the enterprise will answer")
	case "step":
		p.Flash = p.L("已记录", "Recorded") + p.L("：", ": ") + p.Step(m.Step)
	case "note":
		p.Flash = p.L("备注已保存（仅本机构和工作人员可见）", "Note saved (the institution and staff only)")
	case "corrected":
		p.Flash = p.L("到位记录已更正，已记入审计日志", "The deal received is corrected and audited")
	}
	return s.Render(w, r, "finance/match.html", p)
}

func matchPath(id int64) string { return "/finance/matches/" + strconv.FormatInt(id, 10) }

// act runs a write on the match named by the path and goes back to its
// page, or draws the page again with the refusal.
func (s *handlers) act(w http.ResponseWriter, r *http.Request, ok string, p matchPage, write func(id int64) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := write(id); err != nil {
		return s.renderMatch(w, r, p, err)
	}
	return web.SeeOther(w, r, matchPath(id)+"?ok="+ok)
}

func (s *handlers) handleAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, "saved", matchPage{}, func(id int64) error {
		_, err := s.Finance.Answer(r.Context(), viewer(r), id, r.FormValue("accept") == "1", r.FormValue("reason"))
		return err
	})
}

func (s *handlers) handleAdvance(w http.ResponseWriter, r *http.Request) error {
	p := matchPage{On: r.FormValue("on"), Amount: r.FormValue("amount"), Note: r.FormValue("note")}
	return s.act(w, r, "step", p, func(id int64) error {
		fen, err := amount(p.Amount, true, "amount_fen")
		if err != nil {
			return err
		}
		_, err = s.Finance.Advance(r.Context(), viewer(r), id, finance.StepInput{Step: r.FormValue("step"), On: p.On, AmountFen: fen, Note: p.Note})
		return err
	})
}

func (s *handlers) handleCorrectFunding(w http.ResponseWriter, r *http.Request) error {
	p := matchPage{On: r.FormValue("on"), Amount: r.FormValue("amount"), Note: r.FormValue("reason")}
	return s.act(w, r, "corrected", p, func(id int64) error {
		fen, err := amount(p.Amount, true, "amount_fen")
		if err != nil {
			return err
		}
		_, err = s.Finance.CorrectFunding(r.Context(), viewer(r), id, finance.FundingCorrection{AmountFen: fen, On: p.On, Reason: p.Note})
		return err
	})
}

func (s *handlers) handleMatchClose(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, "saved", matchPage{}, func(id int64) error {
		_, err := s.Finance.CloseMatch(r.Context(), viewer(r), id, r.FormValue("reason"))
		return err
	})
}

func (s *handlers) handleNote(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, "note", matchPage{}, func(id int64) error {
		_, err := s.Finance.AddNote(r.Context(), viewer(r), id, r.FormValue("body"))
		return err
	})
}
