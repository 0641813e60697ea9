package insight

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// 数据来源与新鲜度: the catalogue of data sources (what each reports, its
// last import, coverage and staleness) and the conflicts between sources
// that staff settle. Staff and zone-wide units read both; office areas and
// enterprises neither (the conflicts name other enterprises' values), which
// the service decides; supervisors and admins settle and set the share.

func (h *handlers) sourcesRoutes() {
	readers := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)
	settlers := web.Only(org.Admin, org.Supervisor)
	h.Handle("GET /insight/sources", "Data sources: what each reports, its last import, coverage and staleness (?year=)", readers, h.handleSources)
	h.Handle("GET /insight/conflicts", "Conflicts between sources (?state=open|settled)", readers, h.handleConflicts)
	h.Handle("POST /insight/conflicts/settle", "Settle a conflict: keep one source's value, with a note", settlers, h.handleSettle)
	h.Handle("POST /insight/conflicts/share", "Set the share by which sources must differ to conflict", settlers, h.handleShare)

	h.Handle("GET /api/v1/insight/sources", "The catalogue of data sources with coverage from the rollups (?year=)", readers, h.apiSources)
	h.Handle("GET /api/v1/insight/conflicts", "Conflicts between sources, the widest first (?state=, ?limit=)", readers, h.apiConflicts)
	h.HandleBody("POST /api/v1/insight/conflicts/settle", "Settle a conflict: the source whose value stands, and why", settlers,
		insight.SettleRequest{EnterpriseID: 1, Indicator: "revenue", Year: 2023, Keep: "stats", Note: "以统计局年报为准"}, h.apiSettle)
	h.HandleBody("POST /api/v1/insight/conflicts/share", "Set the share (percent) by which sources must differ to conflict", settlers,
		shareRequest{Percent: 10}, h.apiShare)
}

type (
	conflictsAnswer struct {
		Percent   int                `json:"percent"`
		Conflicts []insight.Conflict `json:"conflicts"`
	}
	shareRequest struct {
		Percent int `json:"percent"`
	}
)

var sourcesDocs = map[string]web.Doc{
	"GET /api/v1/insight/sources": {Query: web.Query("year:integer 覆盖率的年度（默认最近一年）/ the year of the coverage (default: the newest)"),
		Response: insight.Catalogue{}},
	"GET /api/v1/insight/conflicts": {Query: web.Query(
		"state:string open（默认）或 settled / open (default) or settled",
		"limit:integer 最多列出几项（1–500，默认 200）/ at most this many (1–500, default 200)"), Response: conflictsAnswer{}},
	"POST /api/v1/insight/conflicts/settle": {Response: insight.Conflict{}},
	"POST /api/v1/insight/conflicts/share":  {Response: shareRequest{}},
}

type sourcesPage struct {
	web.Page
	C insight.Catalogue
}

// Pct writes basis points as a percentage.
func (sourcesPage) Pct(bp int64) string { return strconv.FormatFloat(float64(bp)/100, 'f', 1, 64) }

// Width is basis points as a whole percent for a bar.
func (sourcesPage) Width(bp int64) int64 { return bp / 100 }

func (h *handlers) handleSources(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r)
	if err != nil {
		return err
	}
	p := sourcesPage{Page: h.Page(r, "数据来源", "Data sources")}
	if p.C, err = h.Insight.Sources(r.Context(), insightViewer(r), year); err != nil {
		return err
	}
	return h.Render(w, r, "insight/sources.html", p)
}

func yearParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, errs.Field("year", "年度须为整数", "the year must be a whole number")
	}
	return y, nil
}

type conflictsPage struct {
	web.Page
	State     string
	Percent   int
	Conflicts []insight.Conflict
	Settles   bool
	F         insight.SettleRequest
	Details   []errs.Detail
}

func (h *handlers) renderConflicts(w http.ResponseWriter, r *http.Request, state string, f insight.SettleRequest, failure error) error {
	v := insightViewer(r)
	p := conflictsPage{Page: h.Page(r, "数据冲突", "Data conflicts"), State: state, F: f, Settles: v.Role == org.Admin || v.Role == org.Supervisor}
	if p.State == "" {
		p.State = insight.ConflictOpen
	}
	var err error
	if p.Conflicts, err = h.Insight.Conflicts(r.Context(), v, p.State, 200); err != nil {
		return err
	}
	if p.Percent, err = h.Insight.ConflictPercent(r.Context(), nil); err != nil {
		return err
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return h.Render(w, r, "insight/conflicts.html", p)
}

func (h *handlers) handleConflicts(w http.ResponseWriter, r *http.Request) error {
	return h.renderConflicts(w, r, r.URL.Query().Get("state"), insight.SettleRequest{}, nil)
}

func (h *handlers) handleSettle(w http.ResponseWriter, r *http.Request) error {
	in := insight.SettleRequest{Indicator: r.FormValue("indicator"), Keep: r.FormValue("keep"), Note: r.FormValue("note")}
	in.EnterpriseID, _ = strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	in.Year, _ = strconv.Atoi(r.FormValue("year"))
	if _, err := h.Insight.Settle(r.Context(), insightViewer(r), in); err != nil {
		return h.renderConflicts(w, r, insight.ConflictOpen, in, err)
	}
	return web.SeeOther(w, r, "/insight/conflicts?ok=saved")
}

func (h *handlers) handleShare(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.FormValue("percent"))
	if err != nil {
		n = 0 // refused below with the field named
	}
	if err := h.Insight.SetConflictPercent(r.Context(), insightViewer(r), n); err != nil {
		return h.renderConflicts(w, r, insight.ConflictOpen, insight.SettleRequest{}, err)
	}
	return web.SeeOther(w, r, "/insight/conflicts?ok=saved")
}

func (h *handlers) apiSources(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r)
	if err != nil {
		return err
	}
	c, err := h.Insight.Sources(r.Context(), insightViewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *handlers) apiConflicts(w http.ResponseWriter, r *http.Request) error {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	list, err := h.Insight.Conflicts(r.Context(), insightViewer(r), r.URL.Query().Get("state"), limit)
	if err != nil {
		return err
	}
	pct, err := h.Insight.ConflictPercent(r.Context(), nil)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, conflictsAnswer{Percent: pct, Conflicts: list})
	return nil
}

func (h *handlers) apiSettle(w http.ResponseWriter, r *http.Request) error {
	var in insight.SettleRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.Insight.Settle(r.Context(), insightViewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *handlers) apiShare(w http.ResponseWriter, r *http.Request) error {
	var in shareRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.Insight.SetConflictPercent(r.Context(), insightViewer(r), in.Percent); err != nil {
		return err
	}
	pct, err := h.Insight.ConflictPercent(r.Context(), nil)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, shareRequest{pct})
	return nil
}
