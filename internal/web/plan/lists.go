package plan

import (
	"net/http"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/plan"
)

type rankingPage struct {
	page
	Month    int
	Months   []int
	Bulletin *plan.Bulletin
}

func months() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

func (s *handlers) handleRanking(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletin(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "月度通报 · 单位排名", "Monthly bulletin · unit ranking", b.Year)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/ranking.html", rankingPage{page: pp, Month: b.Month, Months: months(), Bulletin: b})
}

type bulletinPage struct {
	page
	Month    int
	Bulletin *plan.Bulletin
	Unit     *plan.UnitScore
}

// StatusText names a task's bulletin status.
func (p bulletinPage) StatusText(st string) string {
	switch st {
	case "on_time":
		return p.L("按期完成", "done on time")
	case "done_late":
		return p.L("逾期完成", "done late")
	case "late":
		return p.L("逾期未完成", "overdue")
	}
	return p.L("推进中", "in progress")
}

func (s *handlers) handleBulletin(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	month, err := s.month(r, year)
	if err != nil {
		return err
	}
	v := viewer(r)
	q := r.URL.Query().Get("unit")
	if q == "" && v.ReadsAll() {
		// Those who read every unit get the zone-wide bulletin: the ranking.
		http.Redirect(w, r, "/plan/ranking?year="+strconv.Itoa(year)+"&month="+strconv.Itoa(month), http.StatusSeeOther)
		return nil
	}
	unitID := v.UnitID
	if q != "" {
		unitID, _ = strconv.ParseInt(q, 10, 64)
	}
	u, b, err := s.Plan.UnitBulletin(r.Context(), v, year, month, unitID)
	if errs.CodeOf(err) == errs.NotFound && unitID == v.UnitID && !v.ReadsAll() {
		// A unit that leads no task this year has no line in the
		// bulletin: its tab says so rather than failing.
		pp, err := s.page(r, "月度通报", "Monthly bulletin", year)
		if err != nil {
			return err
		}
		return s.Render(w, r, "plan/bulletin.html", bulletinPage{page: pp, Month: month})
	}
	if err != nil {
		return err
	}
	pp, err := s.page(r, "月度通报 · "+u.Unit.NameZH, "Monthly bulletin · "+u.Unit.NameZH, year)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/bulletin.html", bulletinPage{page: pp, Month: month, Bulletin: b, Unit: u})
}

type minePage struct {
	page
	Tasks []*plan.Node
}

func (s *handlers) handleMine(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "我的任务", "My tasks", year)
	if err != nil {
		return err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	tasks := t.Tasks("")
	plan.ByDeadline(tasks)
	return s.Render(w, r, "plan/mine.html", minePage{page: pp, Tasks: tasks})
}

type inboxPage struct {
	page
	Items   []plan.InboxItem
	Figures []kpi.Overdue // indicator figures past due, from the targets module
}

// KindText names an inbox item kind.
func (p inboxPage) KindText(k string) string { return web.InboxKindText(p.Page, k) }

func (s *handlers) handleInbox(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "我的待办", "My inbox", year)
	if err != nil {
		return err
	}
	items, figures, err := s.inbox(r, year)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/inbox.html", inboxPage{page: pp, Items: items, Figures: figures})
}

// inbox is everything that needs the caller in a plan year: the plan's
// items and the indicator figures they owe. The page and the API show it.
func (s *handlers) inbox(r *http.Request, year int) ([]plan.InboxItem, []kpi.Overdue, error) {
	items, err := s.Plan.Inbox(r.Context(), viewer(r), year)
	if err != nil {
		return nil, nil, err
	}
	figures, err := s.OverdueFigures(r, web.CurrentUser(r))
	return items, figures, err
}

type chasesPage struct {
	page
	Chases []plan.Chase
}

func (s *handlers) handleChases(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "督办单", "Chases (督办单)", year)
	if err != nil {
		return err
	}
	cs, err := s.Plan.Chases(r.Context(), viewer(r), 0, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/chases.html", chasesPage{page: pp, Chases: cs})
}
