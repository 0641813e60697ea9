package insight

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/insight"
	"gaoxin/internal/kpi"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// The big screen (大屏): a full-screen, dark, 16:9 overview for the command
// centre, with no controls, readable from across a room: the targets, the
// chains, the tiers, the warnings, and the scenario and finance counts.
// It reloads itself when the data changes: the page listens to an event
// stream that sends the data version every time it moves.

func (h *handlers) screenRoutes() {
	zone := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)
	h.Handle("GET /insight/screen", "The big screen (大屏): targets, chains, tiers, warnings, scenario and finance counts (?year=)", zone, h.handleScreen)
	h.Handle("GET /insight/screen/events", "Server-sent events: the big screen's data version, sent at once and whenever it moves", zone, h.handleScreenEvents)
	h.Handle("GET /api/v1/insight/screen", "The industry brain's figures on the big screen (?year=)", zone, h.apiScreen)
}

var screenDocs = map[string]web.Doc{
	"GET /api/v1/insight/screen": {Query: web.Query("year:integer 数据年度（默认：上一年）/ the figures' year (default: last year)"), Response: insight.Screen{}},
}

// screenModules are the modules whose data the screen shows: a write to
// any of them moves its version.
var screenModules = []string{insight.Module, kpi.Module, scenario.Module, finance.Module}

// screenVersion is the sum of the screen's modules' versions, which only
// grow.
func (h *handlers) screenVersion(ctx context.Context) (int64, error) {
	return memo.VersionSum(ctx, h.DB, screenModules...)
}

type measureFigure struct {
	NameZH, NameEN, Unit string
	Value                string
}

type screenPage struct {
	web.Page
	S        insight.Screen
	Cards    []kpi.Card
	Scenario []measureFigure
	Finance  []measureFigure
	Version  int64
	Now      string
}

func (h *handlers) now() time.Time {
	if h.App.Now != nil {
		return h.App.Now()
	}
	return time.Now()
}

func (h *handlers) handleScreen(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := screenPage{Page: h.Page(r, "产业大脑大屏", "Industry brain screen"), Now: h.now().In(db.CST).Format("2006-01-02 15:04")}
	p.Screen = true
	if p.Version, err = h.screenVersion(ctx); err != nil {
		return err
	}
	if p.S, err = h.Insight.ScreenOf(ctx, insightViewer(r), year); err != nil {
		return err
	}
	this := h.now().Year()
	dash, err := h.KPI.Dashboard(ctx, this)
	if err != nil {
		return err
	}
	p.Cards = dash.Cards
	if len(p.Cards) > 6 {
		p.Cards = p.Cards[:6]
	}
	today := h.now().In(db.CST).Format("2006-01-02")
	if p.Scenario, err = figures(ctx, h.Scenario.KPISource(), this, today, []string{scenario.MeasurePublished, scenario.MeasureBids, scenario.MeasureLanded, scenario.MeasurePaid}); err != nil {
		return err
	}
	if p.Finance, err = figures(ctx, h.Finance.KPISource(), this, today, []string{finance.MeasureSettled, finance.MeasureFunded}); err != nil {
		return err
	}
	return h.Render(w, r, "insight/screen.html", p)
}

// figures asks a module's measures for this year to date, in one request.
func figures(ctx context.Context, src kpi.Source, year int, upTo string, codes []string) ([]measureFigure, error) {
	req := kpi.Request{From: year, To: year, UpTo: upTo}
	for _, c := range codes {
		req.Queries = append(req.Queries, kpi.Query{Measure: c})
	}
	ans, err := src.Values(ctx, req)
	if err != nil {
		return nil, err
	}
	byCode := map[string]kpi.Measure{}
	for _, m := range src.Measures() {
		byCode[m.Code] = m
	}
	out := make([]measureFigure, len(codes))
	for i, c := range codes {
		m := byCode[c]
		v := ans[i].YTD[0][11]
		f := measureFigure{NameZH: m.NameZH, NameEN: m.NameEN, Unit: m.Unit, Value: strconv.FormatInt(v, 10)}
		if m.Money {
			f.Value, f.Unit = web.Money(v), ""
		}
		out[i] = f
	}
	return out, nil
}

// handleScreenEvents streams the data version: once at once, then each
// time it moves (looked at every two seconds), with a comment line every
// thirty seconds to keep proxies from closing a quiet stream, for ten
// minutes at most.
func (h *handlers) handleScreenEvents(w http.ResponseWriter, r *http.Request) error {
	if !insightViewer(r).Zone() {
		return errs.New(errs.Forbidden, "无权查看大屏", "not allowed to watch the big screen")
	}
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout; the browser
	// reconnects on its own if the stream ends anyway.
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)
	ctx := r.Context()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	var last int64 = -1
	quiet := 0
	// A stream lasts ten minutes at most: the browser opens a new one at
	// once, and a server shutting down never waits on an old one long.
	end := time.After(10 * time.Minute)
	for {
		v, err := h.screenVersion(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			h.Log.Error("screen events", "err", err)
		} else if v != last {
			last, quiet = v, 0
			if _, err := fmt.Fprintf(w, "event: version\ndata: %d\n\n", v); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		} else if quiet++; quiet%15 == 0 {
			if _, err := fmt.Fprint(w, ": idle\n\n"); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-end:
			return nil
		case <-tick.C:
		}
	}
}

func (h *handlers) apiScreen(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	sc, err := h.Insight.ScreenOf(r.Context(), insightViewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sc)
	return nil
}
