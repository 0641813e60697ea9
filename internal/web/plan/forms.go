package plan

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

// formInt reads an optional integer form field; "" gives nil.
func formInt(r *http.Request, field string) (*int, error) {
	v := strings.TrimSpace(r.FormValue(field))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, errs.Field(field, "须为整数："+v, "must be a whole number: "+v)
	}
	return &n, nil
}

// formError reports whether err is one to show on the form (not internal).
func formError(err error) (*errs.Error, bool) {
	e := errs.As(err)
	return e, e.Code != errs.Internal
}

func nodeForm(r *http.Request) (plan.NodeInput, error) {
	in := plan.NodeInput{Code: r.FormValue("code"), Title: r.FormValue("title"), TitleEN: r.FormValue("title_en"),
		Description: r.FormValue("description"), LeadUnit: r.FormValue("lead_unit"), CoUnits: r.Form["co_units"],
		StartOn: r.FormValue("start_on"), DueOn: r.FormValue("due_on"), Deliverable: r.FormValue("deliverable"),
		IndicatorCode: r.FormValue("indicator_code"), Cycle: r.FormValue("cycle")}
	in.ParentID, _ = strconv.ParseInt(r.FormValue("parent_id"), 10, 64)
	in.Year, _ = strconv.Atoi(r.FormValue("year"))
	in.Sort, _ = strconv.Atoi(r.FormValue("sort"))
	in.Version, _ = strconv.Atoi(r.FormValue("version"))
	var err error
	in.Weight, err = formInt(r, "weight")
	return in, err
}

// nodeFormFailed re-renders the node page with the error above its forms.
func (s *handlers) nodeFormFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	e, show := formError(err)
	if !show {
		return err
	}
	p, perr := s.nodePage(r, id)
	if perr != nil {
		return perr
	}
	p.Error, p.Details = e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "plan/node.html", p)
}

func (s *handlers) handleNodeCreate(w http.ResponseWriter, r *http.Request) error {
	r.ParseForm()
	in, err := nodeForm(r)
	if err == nil {
		var n *plan.Node
		if n, err = s.Plan.CreateNode(r.Context(), viewer(r), in); err == nil {
			return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(n.ID, 10)+"?ok=created")
		}
	}
	if in.ParentID == 0 {
		return err
	}
	return s.nodeFormFailed(w, r, in.ParentID, err)
}

func (s *handlers) handleNodeEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	r.ParseForm()
	in, err := nodeForm(r)
	if err == nil {
		if _, err = s.Plan.UpdateNode(r.Context(), viewer(r), id, in); err == nil {
			return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(id, 10)+"?ok=saved")
		}
	}
	return s.nodeFormFailed(w, r, id, err)
}

func (s *handlers) handleWeights(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	r.ParseForm()
	ws := map[int64]*int{}
	for k := range r.PostForm {
		cid, ok := strings.CutPrefix(k, "w_")
		if !ok {
			continue
		}
		child, perr := strconv.ParseInt(cid, 10, 64)
		if perr != nil {
			continue
		}
		if ws[child], err = formInt(r, k); err != nil {
			return s.nodeFormFailed(w, r, id, errs.Field("weight", "权重须为整数", "weights must be whole numbers"))
		}
	}
	if err := s.Plan.SetWeights(r.Context(), viewer(r), id, ws); err != nil {
		return s.nodeFormFailed(w, r, id, err)
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(id, 10)+"?ok=saved")
}

func (s *handlers) handleOverride(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pct, err := formInt(r, "pct")
	if err == nil {
		if r.FormValue("clear") != "" {
			pct = nil
		} else if pct == nil {
			err = errs.Field("pct", "请填写调整后的进度（0–100）", "enter the progress to set (0–100)")
		}
	}
	if err == nil {
		err = s.Plan.Override(r.Context(), viewer(r), id, pct, r.FormValue("reason"))
	}
	if err != nil {
		return s.nodeFormFailed(w, r, id, err)
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(id, 10)+"?ok=saved")
}

func (s *handlers) handleMilestone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Plan.AddMilestone(r.Context(), viewer(r), id, r.FormValue("title"), r.FormValue("due_on")); err != nil {
		return s.nodeFormFailed(w, r, id, err)
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(id, 10)+"?ok=created")
}

func (s *handlers) handleChaseIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in := plan.ChaseInput{TaskID: id, Unit: r.FormValue("unit"), Subject: r.FormValue("subject"), Body: r.FormValue("body"), ReplyBy: r.FormValue("reply_by")}
	if _, err := s.Plan.IssueChase(r.Context(), viewer(r), in); err != nil {
		return s.nodeFormFailed(w, r, id, err)
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(id, 10)+"?ok=created")
}

func (s *handlers) handleChaseReply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Plan.ReplyChase(r.Context(), viewer(r), id, r.FormValue("reply"))
	if err != nil {
		return err
	}
	return web.SeeOther(w, r, "/plan/chases?year="+strconv.Itoa(c.Year)+"&ok=saved")
}

func (s *handlers) handleChaseClose(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plan.CloseChase(r.Context(), viewer(r), id); err != nil {
		return err
	}
	return web.SeeOther(w, r, "/plan/chases?ok=saved")
}

type settingsPage struct {
	page
	S       plan.Settings
	Details []errs.Detail
}

func (s *handlers) handleSettings(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	pp, err := s.page(r, "督查督办设置", "Supervision settings", year)
	if err != nil {
		return err
	}
	st, err := s.Plan.SettingsFor(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/settings.html", settingsPage{page: pp, S: st})
}

func (s *handlers) handleSettingsSave(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	st := plan.Settings{WebhookURL: r.FormValue("webhook_url")}
	var ds []errs.Detail
	for field, p := range map[string]*int{"yellow_margin_pct": &st.MarginPct, "report_due_day": &st.DueDay,
		"score_w_done": &st.ScoreDone, "score_w_on_time": &st.ScoreOnTime, "score_w_report": &st.ScoreReport,
		"score_red_penalty": &st.ScoreRedCost, "max_attachment_kb": &st.MaxAttachmentKB} {
		n, err := strconv.Atoi(strings.TrimSpace(r.FormValue(field)))
		if err != nil {
			ds = append(ds, errs.Detail{Field: field, Value: r.FormValue(field), Reason: "须为整数", ReasonEN: "must be a whole number"})
		}
		*p = n
	}
	if len(ds) > 0 {
		err = errs.List("设置有误", "settings are invalid", ds)
	} else {
		err = s.Plan.SaveSettings(r.Context(), viewer(r), st)
	}
	if err == nil && r.Form.Has("as_of") && s.yearExists(r, year) {
		err = s.Plan.SetAsOf(r.Context(), viewer(r), year, r.FormValue("as_of"))
	}
	if err != nil {
		e, show := formError(err)
		if !show {
			return err
		}
		pp, perr := s.page(r, "督查督办设置", "Supervision settings", year)
		if perr != nil {
			return perr
		}
		pp.Error = e.Message(pp.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "plan/settings.html", settingsPage{page: pp, S: st, Details: e.Details})
	}
	return web.SeeOther(w, r, "/plan/settings?year="+strconv.Itoa(year)+"&ok=saved")
}

func (s *handlers) yearExists(r *http.Request, year int) bool {
	ys, err := s.Plan.Years(r.Context())
	for _, y := range ys {
		if err == nil && y.Year == year {
			return true
		}
	}
	return false
}

func (s *handlers) handleMilestoneDone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.Plan.SetMilestoneDone(r.Context(), viewer(r), id, r.FormValue("done_on"))
	if err != nil {
		if e, show := formError(err); show && m.TaskID != 0 {
			return s.nodeFormFailed(w, r, m.TaskID, e)
		}
		return err
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(m.TaskID, 10)+"?ok=saved")
}
