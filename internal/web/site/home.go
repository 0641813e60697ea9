package site

import (
	"net/http"
	"slices"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/award"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// homePage is the overview a person lands on: what needs them, and for the
// zone's own staff, where the year stands across the modules.
type homePage struct {
	web.Page
	KPI        *kpiSummary
	Plan       *planSummary
	Inbox      []plan.InboxItem
	InboxYear  int
	Overdue    []kpi.Overdue
	Programmes []award.Programme
	// Reviews are a reviewer's assignments still to score.
	Reviews  []award.Assignment
	Reviewer bool
	// OpensProgrammes: the viewer may open a programme's page.
	OpensProgrammes bool
}

type kpiSummary struct {
	Year    int
	AsOf    string
	Summary []kpi.Bucket // indicators by status, in the cards' words
	Cards   []kpiLine
}

type kpiLine struct {
	ID         int64
	Name, Code string
	Color      string
	Status     string
}

type planSummary struct {
	Year  int
	AsOf  string
	Flags map[plan.Flag]int
	Total int
}

func (s *handlers) handleHome(w http.ResponseWriter, r *http.Request) error {
	p := homePage{Page: s.Page(r, "首页", "Home")}
	p.OpensProgrammes = s.May(p.User, "GET /awards/programmes/{id}")
	u := web.CurrentUser(r)
	ctx := r.Context()
	staff := u != nil && (u.Role == org.Admin || u.Role == org.Leader || u.Role == org.Supervisor)
	if staff || (u != nil && u.Role == org.UnitStaff) {
		years, err := s.KPI.Years(ctx)
		if err != nil {
			return err
		}
		if len(years) > 0 {
			year := slices.Max(years)
			d, err := s.KPI.Dashboard(ctx, year)
			if err != nil {
				return err
			}
			ks := &kpiSummary{Year: year, AsOf: d.AsOf, Summary: kpi.Tally(d.Cards)}
			for _, c := range d.Cards {
				color := kpi.Color(c.Indicator.Kind, c.Assessment.Status)
				zh, en := c.Assessment.Status.Label()
				ks.Cards = append(ks.Cards, kpiLine{ID: c.Indicator.ID, Name: p.L(c.Indicator.NameZH, c.Indicator.NameEN), Code: c.Indicator.Code, Color: color, Status: p.L(zh, en)})
			}
			p.KPI = ks
			if u.Role == org.UnitStaff {
				if p.Overdue, err = s.OverdueFigures(r, u); err != nil {
					return err
				}
			}
		}
		planYears, err := s.Plan.Years(ctx)
		if err != nil {
			return err
		}
		if len(planYears) > 0 {
			v := plan.ViewerOf(u)
			t, err := s.Plan.Tree(ctx, v, planYears[0].Year)
			if err != nil {
				return err
			}
			ps := &planSummary{Year: t.Year, AsOf: t.AsOf, Flags: t.Count}
			for _, n := range t.Count {
				ps.Total += n
			}
			p.Plan = ps
			if u.Role == org.UnitStaff || u.Role == org.Supervisor {
				if p.Inbox, err = s.Plan.Inbox(ctx, v, t.Year); err != nil {
					return err
				}
				p.InboxYear = t.Year
			}
		}
	}
	if u != nil && u.Role == org.Reviewer {
		p.Reviewer = true
		gs, err := s.Award.Assignments(ctx, u.ID, 0)
		if err != nil {
			return err
		}
		for _, g := range gs {
			if g.State == "assigned" {
				p.Reviews = append(p.Reviews, g)
			}
		}
	}
	f := award.ProgrammeFilter{Limit: 6, NoDraft: true}
	if u == nil || u.Role == org.Enterprise {
		f.States = []string{award.StateOpen, award.StateNotice}
	}
	progs, err := s.Award.Programmes(ctx, f)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		if !pr.Historical {
			p.Programmes = append(p.Programmes, pr)
		}
	}
	return s.Render(w, r, "home.html", p)
}

// AwardState is a programme state's label in the page's language.
func (p homePage) AwardState(state string) string {
	zh, en := award.StateLabel(state)
	return p.L(zh, en)
}

// FlagCount is the number of tasks with a flag.
func (p homePage) FlagCount(f string) int {
	if p.Plan == nil {
		return 0
	}
	return p.Plan.Flags[plan.Flag(f)]
}

// Itoa formats a year for links.
func (p homePage) Itoa(n int) string { return strconv.Itoa(n) }

// KindText names an inbox item kind, as the inbox page does.
func (p homePage) KindText(k string) string {
	return web.InboxKindText(p.Page, k)
}
