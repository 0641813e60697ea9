package insight

import (
	"net/http"
	"strconv"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// 运行监测: the warnings inbox (staff see every area's, an office area's
// unit its own), one warning with its follow-up, and the rules staff set.

func (h *handlers) monitorRoutes() {
	readers := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)
	followers := web.Only(org.Admin, org.Supervisor, org.UnitStaff)
	setters := web.Only(org.Admin, org.Supervisor)
	h.Handle("GET /insight/warnings", "Operating warnings: the inbox (?status=open|following|closed)", readers, h.handleWarnings)
	h.Handle("GET /insight/warnings/{id}", "One warning with its follow-up", readers, h.handleWarning)
	h.Handle("POST /insight/warnings/{id}", "Follow a warning up: a note, take it up, close or reopen it", followers, h.handleFollowUp)
	h.Handle("GET /insight/warnings.xlsx", "Export the warnings the caller may read as .xlsx (?status=)", readers, h.exportWarnings)
	h.Handle("GET /insight/rules", "Monitoring rules", readers, h.handleRules)
	h.Handle("POST /insight/rules", "Add or change a monitoring rule", setters, h.handleRuleSave)

	h.Handle("GET /api/v1/insight/warnings", "Operating warnings the caller may read, newest first (?status=, ?limit=)", readers, h.apiWarnings)
	h.Handle("GET /api/v1/insight/warnings/{id}", "One warning with its follow-up", readers, h.apiWarning)
	h.HandleBody("POST /api/v1/insight/warnings/{id}/follow-up", "Follow a warning up", followers,
		followUpRequest{Action: "following", Note: "已电话联系企业，约定本周走访"}, h.apiFollowUp)
	h.Handle("GET /api/v1/insight/rules", "Monitoring rules", readers, h.apiRules)
	h.HandleBody("POST /api/v1/insight/rules", "Add a monitoring rule (id 0) or change one", setters,
		insight.Rule{Kind: insight.RuleDrop, Name: "营业收入同比下降超过 30%", Indicator: "revenue", Percent: 30, Active: true}, h.apiRuleSave)
}

type (
	followUpRequest struct {
		Action string `json:"action"` // note, following, closed, reopened
		Note   string `json:"note"`
	}
	warningsAnswer struct {
		Warnings []insight.Warning `json:"warnings"`
	}
	rulesAnswer struct {
		Rules []insight.Rule `json:"rules"`
	}
)

var monitorDocs = map[string]web.Doc{
	"GET /api/v1/insight/warnings": {Query: web.Query(
		"status:string 只列该状态（open、following、closed）/ only this status",
		"limit:integer 最多列出几项（1–500，默认 100）/ at most this many (1–500, default 100)"), Response: warningsAnswer{}},
	"GET /api/v1/insight/warnings/{id}":            {Response: insight.Warning{}},
	"POST /api/v1/insight/warnings/{id}/follow-up": {Response: insight.Warning{}},
	"GET /api/v1/insight/rules":                    {Response: rulesAnswer{}},
	"POST /api/v1/insight/rules":                   {Response: insight.Rule{}},
}

// actor names the signed-in user in a follow-up note.
func actor(r *http.Request) string {
	u := web.CurrentUser(r)
	if u == nil {
		return ""
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	if u.UnitName != "" {
		name += "（" + u.UnitName + "）"
	}
	return name
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.New(errs.NotFound, "没有该预警", "no such warning")
	}
	return id, nil
}

// failed puts a refusal the user can act on into the page (message,
// details and status) and returns nil; other errors go back to the kit.
func failed(w http.ResponseWriter, p *web.Page, details *[]errs.Detail, err error) error {
	if err == nil {
		return nil
	}
	e := errs.As(err)
	if e.Code == errs.Internal || e.Code == errs.NotFound || e.Code == errs.Unauthorized || e.Code == errs.Forbidden {
		return err
	}
	p.Error, *details = e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return nil
}

type warningsPage struct {
	web.Page
	Status   string
	Warnings []insight.Warning
	Follows  bool
}

func (h *handlers) handleWarnings(w http.ResponseWriter, r *http.Request) error {
	v := insightViewer(r)
	p := warningsPage{Page: h.Page(r, "运行监测预警", "Operating warnings"), Status: r.URL.Query().Get("status")}
	var err error
	if p.Warnings, err = h.Insight.Warnings(r.Context(), v, p.Status, 200); err != nil {
		return err
	}
	return h.Render(w, r, "insight/warnings.html", p)
}

type warningPage struct {
	web.Page
	W       insight.Warning
	Follows bool
	Note    string
	Details []errs.Detail
}

func (h *handlers) renderWarning(w http.ResponseWriter, r *http.Request, id int64, note string, failure error) error {
	v := insightViewer(r)
	p := warningPage{Page: h.Page(r, "预警详情", "Warning"), Note: note,
		Follows: v.Role == org.Admin || v.Role == org.Supervisor || v.AreaOnly}
	var err error
	if p.W, err = h.Insight.WarningByID(r.Context(), v, id); err != nil {
		return err
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return h.Render(w, r, "insight/warning.html", p)
}

func (h *handlers) handleWarning(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.renderWarning(w, r, id, "", nil)
}

func (h *handlers) handleFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	note := r.FormValue("note")
	if err := h.Insight.FollowUp(r.Context(), insightViewer(r), id, r.FormValue("action"), note, actor(r)); err != nil {
		return h.renderWarning(w, r, id, note, err)
	}
	return web.SeeOther(w, r, "/insight/warnings/"+strconv.FormatInt(id, 10)+"?ok=saved")
}

type rulesPage struct {
	web.Page
	Rules      []insight.Rule
	Kinds      []struct{ Code, NameZH, NameEN string }
	Indicators []indicatorOption
	Sets       bool
	F          insight.Rule
	Details    []errs.Detail
}

type indicatorOption struct{ Code, NameZH, NameEN string }

func (h *handlers) renderRules(w http.ResponseWriter, r *http.Request, f insight.Rule, failure error) error {
	v := insightViewer(r)
	p := rulesPage{Page: h.Page(r, "监测规则", "Monitoring rules"), Kinds: insight.RuleKinds, Sets: v.Role == org.Admin || v.Role == org.Supervisor, F: f}
	var err error
	if p.Rules, err = h.Insight.Rules(r.Context(), v); err != nil {
		return err
	}
	inds, err := h.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	for _, i := range inds {
		p.Indicators = append(p.Indicators, indicatorOption{i.Code, i.NameZH, i.NameEN})
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return h.Render(w, r, "insight/rules.html", p)
}

func (h *handlers) handleRules(w http.ResponseWriter, r *http.Request) error {
	return h.renderRules(w, r, insight.Rule{Kind: insight.RuleDrop, Active: true}, nil)
}

func (h *handlers) handleRuleSave(w http.ResponseWriter, r *http.Request) error {
	f := insight.Rule{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Indicator: r.FormValue("indicator"), Active: r.FormValue("active") != ""}
	f.ID, _ = strconv.ParseInt(r.FormValue("id"), 10, 64)
	var bad []errs.Detail
	num := func(field string) int {
		s := r.FormValue(field)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = append(bad, errs.Detail{Field: field, Value: s, Reason: "须为整数", ReasonEN: "must be a whole number"})
		}
		return n
	}
	f.Percent, f.Periods = num("percent"), num("periods")
	if len(bad) > 0 {
		return h.renderRules(w, r, f, errs.List("监测规则有误", "the rule is invalid", bad))
	}
	if _, err := h.Insight.SaveRule(r.Context(), insightViewer(r), f); err != nil {
		return h.renderRules(w, r, f, err)
	}
	return web.SeeOther(w, r, "/insight/rules?ok=saved")
}

// exportWarnings writes the inbox as .xlsx: the same warnings the page
// lists, with their state and latest follow-up time.
func (h *handlers) exportWarnings(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	ws, err := h.Insight.Warnings(r.Context(), insightViewer(r), status, 500)
	if err != nil {
		return err
	}
	b, err := newBook("预警")
	if err != nil {
		return err
	}
	if err := b.head(1, "生成时间", "企业", "统一社会信用代码", "规则", "期间", "情况", "状态", "最近更新"); err != nil {
		return err
	}
	ids := make([]int64, len(ws))
	for i, wg := range ws {
		ids[i] = wg.EnterpriseID
	}
	briefs, err := h.Enterprise.Briefs(r.Context(), nil, ids)
	if err != nil {
		return err
	}
	states := map[string]string{insight.WarnOpen: "待处理", insight.WarnFollowing: "跟进中", insight.WarnClosed: "已办结"}
	for i, wg := range ws {
		if err := b.row(i+2, web.DateTime(wg.RaisedAt), typed(wg.Enterprise), briefs[wg.EnterpriseID].CreditCode, typed(wg.RuleName), wg.Period,
			typed(wg.DetailZH), states[wg.Status], web.DateTime(wg.UpdatedAt)); err != nil {
			return err
		}
	}
	if err := b.notes([2]string{"内容", "运行监测预警（最多 500 条，新的在前）"}, [2]string{"状态筛选", map[bool]string{true: "全部", false: states[status]}[status == ""]},
		[2]string{"导出时间", h.now().In(db.CST).Format("2006-01-02 15:04")}); err != nil {
		return err
	}
	return b.send(w, "运行监测预警.xlsx")
}

func (h *handlers) apiWarnings(w http.ResponseWriter, r *http.Request) error {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	ws, err := h.Insight.Warnings(r.Context(), insightViewer(r), r.URL.Query().Get("status"), limit)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, warningsAnswer{ws})
	return nil
}

func (h *handlers) apiWarning(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	wg, err := h.Insight.WarningByID(r.Context(), insightViewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, wg)
	return nil
}

func (h *handlers) apiFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in followUpRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.Insight.FollowUp(r.Context(), insightViewer(r), id, in.Action, in.Note, actor(r)); err != nil {
		return err
	}
	wg, err := h.Insight.WarningByID(r.Context(), insightViewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, wg)
	return nil
}

func (h *handlers) apiRules(w http.ResponseWriter, r *http.Request) error {
	rs, err := h.Insight.Rules(r.Context(), insightViewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rulesAnswer{rs})
	return nil
}

func (h *handlers) apiRuleSave(w http.ResponseWriter, r *http.Request) error {
	var in insight.Rule
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rule, err := h.Insight.SaveRule(r.Context(), insightViewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rule)
	return nil
}
