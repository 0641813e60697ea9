package insight

import (
	"net/http"
	"strconv"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// The per-mu evaluation (亩均效益评价): a page of one data year's
// programmes (awards programmes whose subject is insight.mu, run on the
// awards pages with their notice and objections), the classes the
// registry holds for that year with links to the registry's list filtered
// by class, a button to start the year's programme and, on a confirmed
// programme, one to write its classes into the registry (写入企业库).

// muDocs describes the evaluation's API routes.
var muDocs = map[string]web.Doc{
	"GET /api/v1/insight/mu": {Query: web.Query("year:integer 数据年度（默认最近一年）/ data year (default: the latest)"),
		Response: insight.MuYear{}},
	"POST /api/v1/insight/mu/programmes/{id}/classes": {Response: insight.MuApplied{}},
}

// muRoutes registers the evaluation's page and API.
func (h *handlers) muRoutes() {
	starts := web.Only(org.Supervisor, org.Leader) // insight.Viewer.StartsMu
	sup := web.Only(org.Supervisor)
	h.Handle("GET /insight/mu", "The per-mu evaluation (亩均效益评价) of a data year: programmes, classes, actions (?year=)", web.Staff, h.handleMu)
	h.Handle("POST /insight/mu/start", "Start a per-mu programme for a data year (a draft awards programme)", starts, h.handleMuStart)
	h.Handle("POST /insight/mu/programmes/{id}/classes", "Write a confirmed per-mu programme's classes into the registry", sup, h.handleMuApply)
	h.Handle("GET /api/v1/insight/mu", "The per-mu evaluation of a data year: its programmes and the registry's classes (?year=)", web.Staff, h.apiMu)
	h.Handle("POST /api/v1/insight/mu/programmes/{id}/classes", "Write a confirmed per-mu programme's classes into the registry", sup, h.apiMuApply)
}

func muViewer(r *http.Request) insight.Viewer { return insight.ViewerOf(web.CurrentUser(r)) }

// muYearParam reads ?year= (0 when absent).
func muYearParam(r *http.Request, name string) (int, error) {
	v := r.FormValue(name)
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		e := errs.Field(name, "年度应为 2000–2100 的整数", "the year must be a whole number from 2000 to 2100")
		e.Details[0].Value = v
		return 0, e
	}
	return y, nil
}

type muPage struct {
	web.Page
	Y        insight.MuYear
	CanStart bool // a supervisor or a leader
	CanApply bool // a supervisor
	Classes  []string
}

// ListURL is the registry's list of the year's enterprises of class c.
func (p muPage) ListURL(c string) string {
	return "/enterprises?class=" + c + "&class_year=" + strconv.Itoa(p.Y.Year)
}

// Count is how many enterprises the registry holds in class i (0 for A).
func (p muPage) Count(i int) int { return p.Y.Counts[i] }

// Programme is the awards page of programme id.
func (muPage) Programme(id int64) string { return "/awards/programmes/" + strconv.FormatInt(id, 10) }

func (h *handlers) handleMu(w http.ResponseWriter, r *http.Request) error {
	year, err := muYearParam(r, "year")
	if err != nil {
		return err
	}
	v := muViewer(r)
	y, err := h.Insight.Mu(h.Award).Year(r.Context(), v, year)
	if err != nil {
		return err
	}
	p := muPage{Page: h.Page(r, "亩均效益评价", "Per-mu evaluation"), Y: y, CanStart: v.StartsMu(), CanApply: v.Role == org.Supervisor, Classes: enterprise.ClassLetters}
	if r.URL.Query().Get("ok") == "applied" {
		p.Flash = p.L("已将评价结果写入企业库", "The classes are recorded in the registry")
	}
	return h.Render(w, r, "insight/mu.html", p)
}

func (h *handlers) handleMuStart(w http.ResponseWriter, r *http.Request) error {
	year, err := muYearParam(r, "data_year")
	if err != nil {
		return err
	}
	if year == 0 {
		return errs.Field("data_year", "请填写数据年度", "the data year is required")
	}
	p, err := h.Insight.Mu(h.Award).Start(r.Context(), muViewer(r), year)
	if err != nil {
		return err
	}
	return web.SeeOther(w, r, "/awards/programmes/"+strconv.FormatInt(p.ID, 10)+"?ok=created")
}

func (h *handlers) handleMuApply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.Insight.Mu(h.Award).ApplyClasses(r.Context(), muViewer(r), id)
	if err != nil {
		return err
	}
	return web.SeeOther(w, r, "/insight/mu?year="+strconv.Itoa(a.Year)+"&ok=applied")
}

func (h *handlers) apiMu(w http.ResponseWriter, r *http.Request) error {
	year, err := muYearParam(r, "year")
	if err != nil {
		return err
	}
	y, err := h.Insight.Mu(h.Award).Year(r.Context(), muViewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, y)
	return nil
}

func (h *handlers) apiMuApply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.Insight.Mu(h.Award).ApplyClasses(r.Context(), muViewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}
