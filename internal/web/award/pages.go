package award

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"gaoxin/internal/db"
	"gaoxin/internal/web"

	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// page is the base of every awards page: helpers for labels.
type page struct{ web.Page }

// wordsPage is the base of the pages that show a programme's rules: with
// the words for the codes the rules use (see words.go).
type wordsPage struct {
	page
	W award.Words
}

// Item names one candidate of the subject code in the page's language.
func (p wordsPage) Item(code string) string { return p.L(p.W.Item(code)) }

// State is a programme state's label in the page's language.
func (p page) State(s string) string {
	zh, en := award.StateLabel(s)
	return p.L(zh, en)
}

// Kind is a programme kind's label.
func (p page) Kind(k string) string {
	switch k {
	case award.KindPrize:
		return p.L("达标奖励", "prize")
	case award.KindPolicy:
		return p.L("政策兑现", "policy fund")
	}
	return p.L("排名荣誉", "ranking honour")
}

// Reason picks the language of an exclusion reason.
func (p page) Reason(r award.Reason) string { return p.L(r.ZH, r.EN) }

type awardsPage struct {
	page
	Programmes  []award.Programme
	Apps        []award.Application
	Outcomes    map[int64]award.Outcome // by application
	Grants      []award.Grant
	Names       map[int64]string // programme names of the grants
	Assignments []award.Assignment
	Staff       bool
	// Opens: the viewer may open a programme's page (visitors and the
	// security and audit administrators read the list only).
	Opens bool
}

// ProgrammeName is a programme's name by id, for the grant list.
func (p awardsPage) ProgrammeName(id int64) string { return p.Names[id] }

func (s *handlers) handleAwards(w http.ResponseWriter, r *http.Request) error {
	u := web.CurrentUser(r)
	p := awardsPage{page: page{s.Page(r, "评优奖补", "Awards and subsidies")}, Staff: web.IsStaff(u), Opens: s.May(u, "GET /awards/programmes/{id}")}
	if r.URL.Query().Get("ok") == "deleted" {
		p.Flash = p.L("草稿已删除", "Draft deleted")
	}
	var err error
	if p.Programmes, err = s.Award.ProgrammesFor(r.Context(), viewer(r), award.ProgrammeFilter{}); err != nil {
		return err
	}
	{
		ent, err := s.Award.EnterpriseOfViewer(r.Context(), viewer(r))
		if err != nil {
			return err
		}
		if ent != 0 {
			if p.Apps, err = s.Award.Applications(r.Context(), 0, ent); err != nil {
				return err
			}
			if p.Outcomes, err = s.Award.OutcomesOf(r.Context(), viewer(r), p.Apps); err != nil {
				return err
			}
			if p.Grants, err = s.Award.Grants(r.Context(), 0, ent); err != nil {
				return err
			}
			p.Names = map[int64]string{}
			for _, g := range p.Grants {
				if _, ok := p.Names[g.ProgrammeID]; !ok {
					prog, err := s.Award.Programme(r.Context(), g.ProgrammeID)
					if err != nil {
						return err
					}
					p.Names[g.ProgrammeID] = prog.NameZH
				}
			}
		}
	}
	if u != nil && u.Role == org.Reviewer {
		if p.Assignments, err = s.Award.Assignments(r.Context(), u.ID, 0); err != nil {
			return err
		}
	}
	return s.Render(w, r, "award/list.html", p)
}

// grantRow is a grant with its payments.
type grantRow struct {
	award.Grant
	Payments []award.Payment
	Key      string // a fresh idempotency key for the pay form
}

type programmePage struct {
	wordsPage
	Who        web.People // the people of the trail, by name
	P          award.Programme
	Next       string
	Round      *award.Round
	Rounds     []award.RoundSummary
	Apps       []award.Application
	Objections []award.Objection
	Grants     []grantRow
	Honours    []award.Honour
	Trail      []award.TrailLine
	Outcomes   map[int64]award.Outcome // of the applications, by id
	MyOutcome  *award.Outcome
	Winners    []award.Entry // the winners of the latest round, for the manual grant form
	Reviewers  []award.Reviewer
	Staff      bool
	CanRun     bool
	Enterprise int64
	MyApp      *award.Application
	MyEntry    *award.Entry
	MyExcluded *award.Exclusion
	MyGrant    *award.Grant
	GrantedFen int64
	PaidFen    int64
	Today      string
	// Blocked says why the next step cannot be taken yet (the notice
	// period still runs, objections are open…), shown instead of its
	// button.
	Blocked string
}

// Pretty is v as indented JSON, for showing rules.
func (programmePage) Pretty(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func (s *handlers) handlePage(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r)
	if err != nil {
		return err
	}
	u := web.CurrentUser(r)
	ctx := r.Context()
	p := programmePage{wordsPage: wordsPage{page: page{s.Page(r, prog.NameZH, prog.NameEN)}}, P: prog, Staff: web.IsStaff(u),
		CanRun: u.Role == org.Supervisor && !prog.Historical, Next: award.NextState(prog.State), Today: s.Award.Now().In(db.CST).Format("2006-01-02")}
	if p.TitleEN == "" {
		p.TitleEN = prog.NameZH
	}
	if p.W, err = s.Award.Words(ctx); err != nil {
		return err
	}
	if prog.Historical {
		if p.Honours, err = s.Award.Honours(ctx, prog.ID); err != nil {
			return err
		}
		return s.Render(w, r, "award/programme.html", p)
	}
	p.Round = s.Award.RoundFor(ctx, viewer(r), prog)
	if p.CanRun && p.Next != "" {
		if err := s.Award.AdvanceBlocked(ctx, prog); err != nil {
			e := errs.As(err)
			if e.Code == errs.Internal {
				return err
			}
			p.Blocked = e.Message(p.Lang)
		}
	}
	if p.Staff {
		if p.Rounds, err = s.Award.Rounds(ctx, prog.ID); err != nil {
			return err
		}
		if p.Apps, err = s.Award.Applications(ctx, prog.ID, 0); err != nil {
			return err
		}
		if p.Outcomes, err = s.Award.OutcomesOf(ctx, viewer(r), p.Apps); err != nil {
			return err
		}
		if p.Round != nil {
			for _, e := range p.Round.Result.Entries {
				if e.Winner {
					p.Winners = append(p.Winners, e)
				}
			}
		}
		if p.Objections, err = s.Award.Objections(ctx, prog.ID); err != nil {
			return err
		}
		gs, err := s.Award.Grants(ctx, prog.ID, 0)
		if err != nil {
			return err
		}
		pays, err := s.Award.ProgrammePayments(ctx, prog.ID)
		if err != nil {
			return err
		}
		for _, g := range gs {
			row := grantRow{Grant: g, Key: "web-" + strconv.FormatInt(g.ID, 10) + "-" + strconv.FormatInt(s.Award.Now().UnixNano(), 36), Payments: pays[g.ID]}
			p.GrantedFen += g.AmountFen
			p.PaidFen += g.PaidFen
			p.Grants = append(p.Grants, row)
		}
		if p.Trail, err = s.Award.TrailWords(ctx, prog.ID, 300); err != nil {
			return err
		}
		actors := make([]string, len(p.Trail))
		for i, t := range p.Trail {
			actors[i] = t.Actor
		}
		if p.Who, err = s.People(ctx, p.Page, actors...); err != nil {
			return err
		}
		if p.Reviewers, err = s.Award.Reviewers(ctx); err != nil {
			return err
		}
	} else if err := s.fillEnterpriseView(r, &p); err != nil {
		return err
	}
	return s.Render(w, r, "award/programme.html", p)
}

func (s *handlers) fillEnterpriseView(r *http.Request, p *programmePage) error {
	ent, err := s.Award.EnterpriseOfViewer(r.Context(), viewer(r))
	if err != nil || ent == 0 {
		return err
	}
	p.Enterprise = ent
	apps, err := s.Award.Applications(r.Context(), 0, ent)
	if err != nil {
		return err
	}
	for i := range apps {
		if apps[i].ProgrammeID == p.P.ID {
			a, err := s.Award.Application(r.Context(), apps[i].ID)
			if err != nil {
				return err
			}
			o, err := s.Award.OutcomeOf(r.Context(), viewer(r), a)
			if err != nil {
				return err
			}
			p.MyApp, p.MyOutcome = &a, &o
		}
	}
	if p.MyEntry, p.MyExcluded, err = s.Award.StandingOf(r.Context(), viewer(r), p.P); err != nil {
		return err
	}
	gs, err := s.Award.Grants(r.Context(), 0, ent)
	if err != nil {
		return err
	}
	for i := range gs {
		if gs[i].ProgrammeID == p.P.ID {
			p.MyGrant = &gs[i]
		}
	}
	return nil
}

type applicationPage struct {
	page
	A           award.Application
	Result      award.Outcome // what became of it, in words
	Own         bool          // the caller's own enterprise's application
	P           award.Programme
	Assignments []award.Assignment
	Reviewers   []award.Reviewer
	CanRun      bool
}

func (s *handlers) handleApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Award.ApplicationFor(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	prog, err := s.Award.Programme(r.Context(), a.ProgrammeID)
	if err != nil {
		return err
	}
	u := web.CurrentUser(r)
	p := applicationPage{page: page{s.Page(r, "申报："+a.EnterpriseName, "Application: "+a.EnterpriseName)}, A: a, P: prog,
		CanRun: u.Role == org.Supervisor}
	if p.Result, err = s.Award.OutcomeOf(r.Context(), viewer(r), a); err != nil {
		return err
	}
	ent, err := s.Award.EnterpriseOfViewer(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	p.Own = ent != 0 && ent == a.EnterpriseID
	if p.Assignments, err = s.Award.AssignmentsOf(r.Context(), viewer(r), id); err != nil {
		return err
	}
	if web.IsStaff(u) {
		if p.Reviewers, err = s.Award.Reviewers(r.Context()); err != nil {
			return err
		}
	}
	return s.Render(w, r, "award/application.html", p)
}

type reviewsPage struct {
	page
	Assignments  []award.Assignment
	Affiliations string
	// ProgState is each assigned programme's state, to say where scoring
	// is not open yet.
	ProgState map[int64]string
}

func (s *handlers) handleReviews(w http.ResponseWriter, r *http.Request) error {
	u := web.CurrentUser(r)
	p := reviewsPage{page: page{s.Page(r, "我的评审任务", "My reviews")}}
	var err error
	if p.Assignments, err = s.Award.Assignments(r.Context(), u.ID, 0); err != nil {
		return err
	}
	if p.Affiliations, err = s.Award.Affiliations(r.Context(), u.ID); err != nil {
		return err
	}
	p.ProgState = map[int64]string{}
	for _, g := range p.Assignments {
		if _, ok := p.ProgState[g.ProgrammeID]; ok {
			continue
		}
		prog, err := s.Award.Programme(r.Context(), g.ProgrammeID)
		if err != nil {
			return err
		}
		p.ProgState[g.ProgrammeID] = prog.State
	}
	return s.Render(w, r, "award/reviews.html", p)
}

type assignmentPage struct {
	page
	G        award.Assignment
	A        award.Application
	Criteria []criterionRow
	Mine     bool
	// Scoring is whether the programme takes scores now (in review); until
	// then the page says when scoring opens instead of showing the form.
	Scoring bool
	// Recusal is whether the reviewer may still step back.
	Recusal   bool
	ProgState string
}

type criterionRow struct {
	award.Criterion
	Value, Comment string
}

func (s *handlers) handleAssignment(w http.ResponseWriter, r *http.Request) error {
	g, err := s.assignment(r)
	if err != nil {
		return err
	}
	a, err := s.Award.Application(r.Context(), g.ApplicationID)
	if err != nil {
		return err
	}
	prog, err := s.Award.Programme(r.Context(), g.ProgrammeID)
	if err != nil {
		return err
	}
	p := assignmentPage{page: page{s.Page(r, "评审："+g.EnterpriseName, "Review: "+g.EnterpriseName)}, G: g, A: a,
		Mine: g.ReviewerID == web.CurrentUser(r).ID, Scoring: prog.State == award.StateReview,
		Recusal: prog.State == award.StateOpen || prog.State == award.StateReview, ProgState: prog.State}
	if g.State == "conflict" || g.State == "recused" {
		p.A = award.Application{ID: a.ID, EnterpriseName: a.EnterpriseName, ProgrammeName: a.ProgrammeName, State: a.State}
	}
	for _, c := range prog.Rules.Criteria {
		row := criterionRow{Criterion: c}
		for _, sc := range g.Scores {
			if sc.Criterion == c.Code {
				row.Value, row.Comment = sc.Value, sc.Comment
			}
		}
		p.Criteria = append(p.Criteria, row)
	}
	return s.Render(w, r, "award/assignment.html", p)
}

type noticePage struct {
	wordsPage
	V     noticeView
	Terms []award.Term
}

func (s *handlers) handleNotice(w http.ResponseWriter, r *http.Request) error {
	v, err := s.noticeView(r)
	if err != nil {
		return err
	}
	p := noticePage{wordsPage: wordsPage{page: page{s.Page(r, v.Programme.NameZH+" 公示", v.Programme.NameZH+" public notice")}}, V: v,
		Terms: v.Programme.Rules.Terms}
	if p.W, err = s.Award.Words(r.Context()); err != nil {
		return err
	}
	return s.Render(w, r, "award/notice.html", p)
}

type totalsPage struct {
	page
	Year     int
	Totals   []award.Total
	YearPaid int64
	Budget   int64
	Granted  int64
	Paid     int64
}

func (s *handlers) handleTotals(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	p := totalsPage{page: page{s.Page(r, "奖补汇总", "Totals")}, Year: year}
	var err error
	if p.Totals, err = s.Award.Totals(r.Context(), year); err != nil {
		return err
	}
	for _, t := range p.Totals {
		p.Budget += t.BudgetFen
		p.Granted += t.GrantedFen
		p.Paid += t.PaidFen
	}
	if year != 0 {
		if p.YearPaid, err = s.Award.YearPaid(r.Context(), year); err != nil {
			return err
		}
	}
	return s.Render(w, r, "award/totals.html", p)
}

type flagsPage struct {
	page
	Flags []enterprise.Flag
	Kinds []string
}

func (s *handlers) handleFlags(w http.ResponseWriter, r *http.Request) error {
	p := flagsPage{page: page{s.Page(r, "不良记录", "Enterprise flags")}, Kinds: enterprise.FlagKinds}
	var err error
	p.Flags, err = s.Enterprise.Flags(r.Context(), web.EnterpriseViewer(r))
	if err != nil {
		return err
	}
	return s.Render(w, r, "award/flags.html", p)
}

// Yuan renders fen as a plain decimal of 元 for form fields.
func (programmePage) Yuan(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + fmt.Sprintf("%02d", fen%100)
}

// Label is a state's name in the page's language.
func (p page) Label(s string) string {
	zh, en := award.Label(s)
	return p.L(zh, en)
}
