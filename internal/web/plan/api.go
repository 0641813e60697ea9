package plan

import (
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

func viewer(r *http.Request) plan.Viewer { return plan.ViewerOf(web.CurrentUser(r)) }

// year reads ?year=, defaulting to the newest plan year (or this year).
func (s *handlers) year(r *http.Request) (int, error) {
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return 0, errs.Field("year", "年度无效："+v, "invalid year: "+v)
		}
		return y, nil
	}
	ys, err := s.Plan.Years(r.Context())
	if err != nil {
		return 0, err
	}
	if len(ys) > 0 {
		return ys[0].Year, nil
	}
	return time.Now().Year(), nil
}

// month reads ?month=, defaulting to the month of the plan's today.
func (s *handlers) month(r *http.Request, year int) (int, error) {
	if v := r.URL.Query().Get("month"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 12 {
			return 0, errs.Field("month", "月份须在 1–12 之间："+v, "month must be 1–12: "+v)
		}
		return m, nil
	}
	today, err := s.Plan.Today(r.Context(), year)
	if err != nil {
		return 0, err
	}
	if today.Year() < year {
		return 1, nil
	}
	if today.Year() > year {
		return 12, nil
	}
	return int(today.Month()), nil
}

type asOfRequest struct {
	AsOf string `json:"as_of"`
}

type weightsRequest struct {
	Weights map[string]*int `json:"weights"` // child id → weight or null
}

type overrideRequest struct {
	Pct    *int   `json:"pct"`
	Reason string `json:"reason"`
}

type milestoneRequest struct {
	Title string `json:"title"`
	DueOn string `json:"due_on"`
}

type milestoneDoneRequest struct {
	DoneOn string `json:"done_on"`
}

type reviewRequest struct {
	Comment string `json:"comment,omitempty"`
	Version int    `json:"version"`
}

type replyRequest struct {
	Reply string `json:"reply"`
}

func (s *handlers) apiTree(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	if t.Roots == nil {
		t.Roots = []*plan.Node{}
	}
	web.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (s *handlers) apiYears(w http.ResponseWriter, r *http.Request) error {
	ys, err := s.Plan.Years(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, yearsAnswer{Years: web.NonNil(ys)})
	return nil
}

func (s *handlers) apiAsOf(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return errs.Field("year", "年度无效", "invalid year")
	}
	var req asOfRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Plan.SetAsOf(r.Context(), viewer(r), year, req.AsOf); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, asOfAnswer{Year: year, AsOf: req.AsOf})
	return nil
}

func (s *handlers) apiFlags(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	flag := plan.Flag(r.URL.Query().Get("flag"))
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	tasks := t.Tasks(flag)
	plan.ByDeadline(tasks)
	if tasks == nil {
		tasks = []*plan.Node{}
	}
	web.WriteJSON(w, http.StatusOK, flagsAnswer{Year: year, AsOf: t.AsOf, Flag: flag, Tasks: tasks})
	return nil
}

func (s *handlers) apiRefresh(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	n, err := s.Plan.RefreshFlags(r.Context(), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, refreshAnswer{Year: year, Changed: n})
	return nil
}

// taskDetail is a node with, for a task, its reports, history and chases.
type taskDetail struct {
	*plan.Node
	Path    []*plan.Node  `json:"path"`
	Reports []plan.Report `json:"reports,omitempty"`
	History []plan.Event  `json:"history,omitempty"`
	Chases  []plan.Chase  `json:"chases,omitempty"`
}

func (s *handlers) taskDetail(r *http.Request, id int64) (taskDetail, error) {
	v := viewer(r)
	n, t, err := s.Plan.Node(r.Context(), v, id)
	if err != nil {
		return taskDetail{}, err
	}
	d := taskDetail{Node: n}
	for _, p := range t.Path(n) {
		d.Path = append(d.Path, &plan.Node{ID: p.ID, Level: p.Level, Title: p.Title})
	}
	if n.Level != plan.Task {
		return d, nil
	}
	if d.Reports, err = s.Plan.TaskReports(r.Context(), v, id); err != nil {
		return d, err
	}
	if d.History, err = s.Plan.History(r.Context(), v, id); err != nil {
		return d, err
	}
	d.Chases, err = s.Plan.Chases(r.Context(), v, id, "")
	return d, err
}

func (s *handlers) apiNode(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.taskDetail(r, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *handlers) apiNodeCreate(w http.ResponseWriter, r *http.Request) error {
	var in plan.NodeInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.Plan.CreateNode(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, n)
	return nil
}

func (s *handlers) apiNodeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in plan.NodeInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.Plan.UpdateNode(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, n)
	return nil
}

func (s *handlers) apiWeights(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req weightsRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	ws := map[int64]*int{}
	for k, v := range req.Weights {
		cid, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return errs.Field("weights", "子节点编号无效："+k, "invalid child id: "+k)
		}
		ws[cid] = v
	}
	if err := s.Plan.SetWeights(r.Context(), viewer(r), id, ws); err != nil {
		return err
	}
	return s.apiNode(w, r)
}

func (s *handlers) apiOverride(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req overrideRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Pct == nil {
		return errs.Field("pct", "请填写调整后的进度（0–100）", "pct (0–100) is required")
	}
	if err := s.Plan.Override(r.Context(), viewer(r), id, req.Pct, req.Reason); err != nil {
		return err
	}
	return s.apiNode(w, r)
}

func (s *handlers) apiOverrideClear(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plan.Override(r.Context(), viewer(r), id, nil, ""); err != nil {
		return err
	}
	return s.apiNode(w, r)
}

func (s *handlers) apiMilestone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req milestoneRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	m, err := s.Plan.AddMilestone(r.Context(), viewer(r), id, req.Title, req.DueOn)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, m)
	return nil
}

func (s *handlers) apiTasks(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	tasks := t.Tasks("")
	if tasks == nil {
		tasks = []*plan.Node{}
	}
	web.WriteJSON(w, http.StatusOK, tasksAnswer{Year: year, AsOf: t.AsOf, Tasks: tasks})
	return nil
}
