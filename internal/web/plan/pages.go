package plan

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// page is the common data of the plan pages: the module's tabs and the
// helpers the templates use to name levels, flags and states.
type page struct {
	web.Page
	Year  int
	Years []plan.Year
	AsOf  string
	Tabs  []web.NavItem
}

func (s *handlers) page(r *http.Request, zh, en string, year int) (page, error) {
	p := page{Page: s.Page(r, zh, en), Year: year}
	var err error
	if p.Years, err = s.Plan.Years(r.Context()); err != nil {
		return p, err
	}
	p.AsOf = s.Plan.TodayIn(p.Years, year).Format("2006-01-02")
	y := "?year=" + strconv.Itoa(year)
	tab := func(zh, en, href string) {
		p.Tabs = append(p.Tabs, web.NavItem{ZH: zh, EN: en, Href: href + y, Active: r.URL.Path == href})
	}
	tab("计划总览", "Plan", "/plan")
	tab("红黄牌", "Red & yellow", "/plan/flags")
	u := web.CurrentUser(r)
	if u.Role == org.UnitStaff {
		tab("我的任务", "My tasks", "/plan/mine")
		tab("本单位通报", "Our bulletin", "/plan/bulletin")
	} else {
		tab("单位排名", "Ranking", "/plan/ranking")
	}
	tab("督办单", "Chases", "/plan/chases")
	tab("待办", "Inbox", "/inbox")
	if u.Role == org.Supervisor || u.Role == org.Admin {
		tab("设置", "Settings", "/plan/settings")
	}
	return p, nil
}

// FlagText names a flag in the page's language.
func (p page) FlagText(f plan.Flag) string { zh, en := f.Label(); return p.L(zh, en) }

// LevelText names a level in the page's language.
func (p page) LevelText(l plan.Level) string { zh, en := l.Label(); return p.L(zh, en) }

// StateText names a report state in the page's language.
func (p page) StateText(state string) string {
	zh, en := plan.StateLabel(state)
	return p.L(zh, en)
}

// ActionText names a report history step.
func (p page) ActionText(a string) string {
	switch a {
	case "create":
		return p.L("起草", "drafted")
	case "update":
		return p.L("修改", "edited")
	case "submit":
		return p.L("提交", "submitted")
	case "accept":
		return p.L("采纳", "accepted")
	case "return":
		return p.L("退回", "returned")
	}
	return a
}

// Bar is the CSS width of a progress bar (tenths of a percent).
func (p page) Bar(tenths int) template.CSS {
	return template.CSS(fmt.Sprintf("width:%d.%d%%", tenths/10, tenths%10))
}

// Points renders a score in tenths.
func (p page) Points(tenths int) string { return plan.Points(tenths) }

// PctText renders tenths of a percent.
func (p page) PctText(tenths int) string { return plan.Pct(tenths) }

// CanEdit reports whether the user keeps the plan.
func (p page) CanEdit() bool { return p.Is("supervisor") }

// IsUnit reports whether the user is unit staff.
func (p page) IsUnit() bool { return p.Is("unit") }

// Reason picks the Chinese or English half of a stored "zh / en" reason.
func (p page) Reason(s string) string {
	for i := 0; i+3 <= len(s); i++ {
		if s[i:i+3] == " / " {
			return p.L(s[:i], s[i+3:])
		}
	}
	return s
}

// treeRow is one row of the plan table with its words and styles worked
// out once in Go: a row of /plan costs the template a handful of field
// reads rather than a dozen method calls (bench/README.md, the cold path).
type treeRow struct {
	ID       int64
	Title    string
	Level    string       // the level's name in the page's language
	Indent   template.CSS // the row's left padding, by depth
	Tasks    int          // an action's task count, shown while tasks are folded
	Override string       // why progress was overridden, and by whom
	Lead     string
	CoUnits  []string
	DueOn    string
	Weight   string // empty when unset
	Bar      template.CSS
	Pct      string
	Flag     plan.Flag
	FlagText string
	Reason   string
}

type treePage struct {
	page
	who       web.People // who overrode a node's progress, by name
	Rows      []treeRow
	Count     map[plan.Flag]int
	Total     int
	Root      *plan.Node
	Empty     bool // no node visible
	Collapsed bool // tasks hidden (large plans), ?expand=all shows them
}

// collapseAbove is the task count above which /plan shows the tree down to
// actions only; each action links to its tasks, and ?expand=all shows all.
const collapseAbove = 100

// CountOf is the number of tasks with a flag.
func (p treePage) CountOf(f string) int { return p.Count[plan.Flag(f)] }

// flatten appends the rows of ns and their children, depth first, leaving
// tasks out when they are folded.
func (p *treePage) flatten(ns []*plan.Node, depth int) {
	for _, n := range ns {
		if n.Level == plan.Task && p.Collapsed {
			continue
		}
		row := treeRow{ID: n.ID, Title: n.Title, Level: p.LevelText(n.Level),
			Indent: template.CSS(fmt.Sprintf("padding-left:%.1frem", 0.5+1.4*float64(depth))),
			DueOn:  n.DueOn, Bar: p.Bar(n.Progress), Pct: n.ProgressPct, Flag: n.Flag,
			FlagText: p.FlagText(n.Flag), Reason: p.Reason(n.FlagReason)}
		if p.Collapsed && n.Level == plan.Action {
			row.Tasks = n.Tasks
		}
		if n.OverrideReason != "" {
			row.Override = n.OverrideReason + "（" + p.who.Name(n.OverrideBy) + "）"
		}
		if n.Lead != nil {
			row.Lead = n.Lead.NameZH
		}
		for _, u := range n.CoUnits {
			row.CoUnits = append(row.CoUnits, u.NameZH)
		}
		if n.Weight != nil {
			row.Weight = strconv.Itoa(*n.Weight)
		}
		p.Rows = append(p.Rows, row)
		p.flatten(n.Children, depth+1)
	}
}

// handleTree serves /plan: the tree as the viewer sees it, down to
// actions when the plan is large unless every task is asked for.
func (s *handlers) handleTree(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	p, err := s.treePage(r, year)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/tree.html", p)
}

func (s *handlers) treePage(r *http.Request, year int) (treePage, error) {
	pp, err := s.page(r, "督查督办 · 工作计划", "Supervision · work plan", year)
	if err != nil {
		return treePage{}, err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return treePage{}, err
	}
	p := treePage{page: pp, Count: t.Count, Empty: len(t.Roots) == 0}
	for _, c := range t.Count {
		p.Total += c
	}
	if len(t.Roots) == 1 {
		p.Root = t.Roots[0]
	}
	p.Collapsed = p.Total > collapseAbove && r.URL.Query().Get("expand") != "all"
	if p.who, err = s.People(r.Context(), pp.Page, overriders(t.Roots, nil)...); err != nil {
		return p, err
	}
	p.flatten(t.Roots, 0)
	return p, nil
}

// overriders are the login names that overrode a node's progress.
func overriders(ns []*plan.Node, out []string) []string {
	for _, n := range ns {
		if n.OverrideBy != "" {
			out = append(out, n.OverrideBy)
		}
		out = overriders(n.Children, out)
	}
	return out
}

type flagSection struct {
	Flag  plan.Flag
	Tasks []*plan.Node
}

type flagsPage struct {
	page
	Sections []flagSection
}

func (s *handlers) handleFlags(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "红黄牌任务", "Red and yellow tasks", year)
	if err != nil {
		return err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	p := flagsPage{page: pp}
	for _, f := range []plan.Flag{plan.Red, plan.Yellow, plan.Blue} {
		ts := t.Tasks(f)
		plan.ByDeadline(ts)
		p.Sections = append(p.Sections, flagSection{Flag: f, Tasks: ts})
	}
	return s.Render(w, r, "plan/flags.html", p)
}

type nodePage struct {
	page
	Who web.People // the people of the report history and the override
	D   taskDetail
	// Indicator is the target the task's indicator code names, shown by
	// its name; nil when the code names no target. Indicators are the
	// targets the edit form offers.
	Indicator  *kpi.Indicator
	Indicators []kpi.Indicator
	Units      []org.Unit
	Form       plan.NodeInput
	Details    []errs.Detail
}

// ChildLevel names the level of a new child.
func (p nodePage) ChildLevel() string {
	return p.LevelText(p.D.Level.ChildLevel())
}

// WeightOf renders a weight or "" when unset.
func (p nodePage) WeightOf(w *int) string {
	if w == nil {
		return ""
	}
	return strconv.Itoa(*w)
}

// CoCodes joins the co-unit codes.
func (p nodePage) CoCodes() []string {
	var out []string
	for _, c := range p.D.CoUnits {
		out = append(out, c.Code)
	}
	return out
}

// HasCo reports whether code is among the node's co-units.
func (p nodePage) HasCo(code string) bool {
	for _, c := range p.D.CoUnits {
		if c.Code == code {
			return true
		}
	}
	return false
}

func (s *handlers) nodePage(r *http.Request, id int64) (nodePage, error) {
	d, err := s.taskDetail(r, id)
	if err != nil {
		return nodePage{}, err
	}
	pp, err := s.page(r, d.Title, d.Title, d.Year)
	if err != nil {
		return nodePage{}, err
	}
	p := nodePage{page: pp, D: d}
	actors := []string{d.OverrideBy}
	for _, e := range d.History {
		actors = append(actors, e.Actor)
	}
	if p.Who, err = s.People(r.Context(), pp.Page, actors...); err != nil {
		return p, err
	}
	if d.IndicatorCode != "" {
		ind, err := s.KPI.IndicatorByCode(r.Context(), d.IndicatorCode)
		switch {
		case err == nil:
			p.Indicator = &ind
		case errs.CodeOf(err) != errs.NotFound:
			return p, err
		}
	}
	if p.CanEdit() {
		if p.Units, err = s.Org.Units(r.Context()); err != nil {
			return p, err
		}
		if p.Indicators, err = s.KPI.Indicators(r.Context(), 0); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *handlers) handleNode(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.nodePage(r, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/node.html", p)
}
