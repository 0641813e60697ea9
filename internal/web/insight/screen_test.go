package insight_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// screenWorld: an enterprise on the Internet of Things chain with last
// year's revenue reported by itself and still pending (so not counted).
func screenWorld(t *testing.T) (*webtest.Harness, int64, int) {
	t.Helper()
	h := webtest.New(t)
	a := h.App
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	e, err := a.Enterprise.Create(ctx, enterprise.Viewer{Role: org.Supervisor}, enterprise.Input{CreditCode: "914403001922038216",
		Name: "郑州演示传感有限公司", Chains: []string{"iot"}, RegisteredOn: "2015-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().Year() - 1
	self := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: e.ID}
	if err := a.Enterprise.SetFigures(ctx, enterprise.Viewer{Role: org.Supervisor}, e.ID, []enterprise.FigureInput{{Indicator: "employees", Year: year, Value: 80}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Enterprise.SetFigures(ctx, self, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: year, Value: 123_456_000_00}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	return h, e.ID, year
}

func confirmRevenue(t *testing.T, h *webtest.Harness, id int64, year int) {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "staff"})
	if err := h.App.Enterprise.Review(ctx, enterprise.Viewer{Role: org.Supervisor}, id, "revenue", year, 0, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestScreenPageAndRefusals(t *testing.T) {
	h, id, year := screenWorld(t)
	r := h.As("leader").Get("/insight/screen")
	body := string(r.Body)
	if r.Code != http.StatusOK || !strings.Contains(body, `class="screen"`) || !strings.Contains(body, "物联网") || strings.Contains(body, `class="main"`) {
		t.Fatalf("screen: %d", r.Code)
	}
	if r := h.As("enterprise").Get("/insight/screen"); r.Code != http.StatusForbidden {
		t.Errorf("an enterprise opens the screen: %d", r.Code)
	}
	if r := h.As("enterprise").Get("/insight/screen/events"); r.Code != http.StatusForbidden {
		t.Errorf("an enterprise listens to the screen: %d", r.Code)
	}
	var before insight.Screen
	h.As("leader").Get("/api/v1/insight/screen").JSON(t, &before)
	confirmRevenue(t, h, id, year)
	var after insight.Screen
	h.As("leader").Get("/api/v1/insight/screen").JSON(t, &after)
	if before.Year != year || before.Chains[0].Code != "iot" || before.Chains[0].RevenueFen != 0 || after.Chains[0].RevenueFen != 123_456_000_00 || after.Chains[0].Enterprises != 1 {
		t.Errorf("iot before %+v, after %+v", before.Chains[0], after.Chains[0])
	}
}

// The event stream sends the version at once and again when a confirmed
// figure moves the rollups.
func TestScreenEventsFollowTheData(t *testing.T) {
	h, id, year := screenWorld(t)
	ts := httptest.NewServer(h.Srv)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/insight/screen/events", nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: h.As("leader").Cookie})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		for lines.Scan() {
			if v, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return v
			}
		}
		t.Fatalf("stream ended: %v", lines.Err())
		return ""
	}
	first := next()
	confirmRevenue(t, h, id, year)
	if second := next(); second == first {
		t.Errorf("the version did not move: %s", second)
	}
}

// Left open in a browser, the screen redraws itself when a figure is
// confirmed.
func TestBrowserScreenRedrawsWhenAFigureIsConfirmed(t *testing.T) {
	h, id, year := screenWorld(t)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(b.Base+"/insight/screen"), chromedp.WaitVisible(chromedp.ID("screen-chains")))
	before := b.Text(t, "#screen-chains tr:first-child .m")
	b.Screenshot(t, "insight-screen")
	confirmRevenue(t, h, id, year)
	// The page reloads itself: polling across the reload may see the old
	// document go, so it is tried again until the new figure shows.
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := chromedp.Do(b.Ctx, chromedp.Poll[chromedp.Void](`(document.querySelector("#screen-chains tr:first-child .m") || {textContent: ""}).textContent.includes("1.23 亿元")`,
			chromedp.WithPollingTimeout(3*time.Second)))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not redraw: %v", err)
		}
	}
	if after := b.Text(t, "#screen-chains tr:first-child .m"); after == before || !strings.Contains(after, "亿元") {
		t.Errorf("revenue on the screen: %q, then %q", before, after)
	}
}
