package insight

import (
	"net/http"

	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// An enterprise's own position (/insight/me), and the overview the public
// sees once staff publish it (/insight/public, where staff publish it or
// take it back).

func (h *handlers) positionRoutes() {
	ent := web.Only(org.Enterprise)
	staff := web.Only(org.Admin, org.Leader, org.Supervisor)
	h.Handle("GET /insight/me", "An enterprise's own position: its revenue band on its chains and its per-mu classes (?year=)", ent, h.handleMe)
	h.Handle("GET /api/v1/insight/me", "An enterprise's own position (?year=)", ent, h.apiMe)
	h.Handle("GET /insight/public", "The published overview: chains and tiers, aggregates only; staff publish it or take it back here (?year=)", web.Public, h.handlePublic)
	h.Handle("POST /insight/public", "Publish the overview to the public, or take it back (published=1|0)", staff, h.handlePublish)
	h.Handle("GET /api/v1/insight/public", "The published overview, once staff publish it (?year=)", web.Public, h.apiPublic)
}

var positionDocs = map[string]web.Doc{
	"GET /api/v1/insight/me":     {Query: web.Query("year:integer 年度（默认：上一年）/ year (default: last year)"), Response: insight.Position{}},
	"GET /api/v1/insight/public": {Query: web.Query("year:integer 年度（默认：上一年）/ year (default: last year)"), Response: insight.Screen{}},
}

type mePage struct {
	web.Page
	P insight.Position
}

func (h *handlers) handleMe(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	v := insightViewer(r)
	p := mePage{Page: h.Page(r, "本企业在园区的位置", "Our position in the zone")}
	if p.P, err = h.Insight.PositionOf(r.Context(), v, v.EnterpriseID, year); err != nil {
		return err
	}
	return h.Render(w, r, "insight/me.html", p)
}

func (h *handlers) apiMe(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	v := insightViewer(r)
	pos, err := h.Insight.PositionOf(r.Context(), v, v.EnterpriseID, year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, pos)
	return nil
}

type publicPage struct {
	web.Page
	Published bool
	Staff     bool
	S         insight.Screen
}

func (h *handlers) handlePublic(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := insightViewer(r)
	p := publicPage{Page: h.Page(r, "产业发展概览", "Industry overview"), Staff: v.Staff()}
	if p.Published, err = h.Insight.Published(ctx, insight.ViewOverview); err != nil {
		return err
	}
	switch {
	case p.Published:
		if p.S, err = h.Insight.PublicOverview(ctx, year); err != nil {
			return err
		}
	case p.Staff: // staff preview what they would publish
		if p.S, err = h.Insight.ScreenOf(ctx, v, year); err != nil {
			return err
		}
		p.S.Warnings, p.S.OpenWarnings = nil, 0
	default:
		return errs.New(errs.NotFound, "该视图未公开", "this view is not published")
	}
	return h.Render(w, r, "insight/public.html", p)
}

func (h *handlers) handlePublish(w http.ResponseWriter, r *http.Request) error {
	if err := h.Insight.Publish(r.Context(), insightViewer(r), insight.ViewOverview, r.FormValue("published") == "1"); err != nil {
		return err
	}
	return web.SeeOther(w, r, "/insight/public?ok=saved")
}

func (h *handlers) apiPublic(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	sc, err := h.Insight.PublicOverview(r.Context(), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sc)
	return nil
}
