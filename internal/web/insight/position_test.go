package insight_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web/webtest"
)

// Four enterprises on the Internet of Things chain with revenue of 4, 3,
// 2 and 1 亿元 last year; the harness's enterprise account is the
// third.
func positionWorld(t *testing.T) (*webtest.Harness, []int64) {
	t.Helper()
	h := webtest.New(t)
	a := h.App
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	staff := enterprise.Viewer{Role: org.Supervisor}
	year := time.Now().Year() - 1
	codes := []string{"914403001922038216", "91330100716105852F", "9144030071526726XG", "91110000100000000J"}
	var ids []int64
	for i, c := range codes {
		e, err := a.Enterprise.Create(ctx, staff, enterprise.Input{CreditCode: c, CodeException: "测试", Name: "链上企业" + string(rune('甲'+i)) + "有限公司", Chains: []string{"iot"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Enterprise.SetFigures(ctx, staff, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: year, Value: int64(4-i) * 100_000_000_00}}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if _, err := a.DB.W.ExecContext(ctx, "UPDATE users SET enterprise_id = $1 WHERE username = 'enterprise'", ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	return h, ids
}

func TestEnterpriseSeesItsOwnPositionOnly(t *testing.T) {
	h, ids := positionWorld(t)
	r := h.As("enterprise").Get("/api/v1/insight/me")
	var p insight.Position
	r.JSON(t, &p)
	if r.Code != http.StatusOK || p.EnterpriseID != ids[2] || len(p.Bands) != 1 || p.Bands[0].Chain != "iot" || p.Bands[0].Of != 4 || p.Bands[0].Percent != 100 {
		t.Fatalf("position: %d %s", r.Code, r.Body)
	}
	page := string(h.As("enterprise").Get("/insight/me").Body)
	if !strings.Contains(page, "后 50%") || strings.Contains(page, "链上企业甲") {
		t.Errorf("the position page shows another enterprise or no band")
	}
	if _, err := h.App.Insight.PositionOf(context.Background(), insight.Viewer{Role: org.Enterprise, EnterpriseID: ids[2]}, ids[0], time.Now().Year()-1); err == nil {
		t.Errorf("an enterprise read another's position")
	}
	if r := h.As("unit").Get("/api/v1/insight/me"); r.Code != http.StatusForbidden {
		t.Errorf("a unit asks for its position: %d", r.Code)
	}
}

func TestOverviewIsPublicOnlyOncePublished(t *testing.T) {
	h, _ := positionWorld(t)
	if r := h.Anon().Get("/insight/public"); r.Code != http.StatusNotFound {
		t.Errorf("unpublished overview: %d", r.Code)
	}
	if r := h.Anon().Get("/api/v1/insight/public"); r.Code != http.StatusNotFound {
		t.Errorf("unpublished overview API: %d", r.Code)
	}
	if r := h.As("unit").Form("/insight/public", url.Values{"published": {"1"}}); r.Code != http.StatusForbidden {
		t.Errorf("a unit published: %d", r.Code)
	}
	leader := h.As("leader")
	if page := string(leader.Get("/insight/public").Body); !strings.Contains(page, "尚未公开") {
		t.Errorf("staff see no preview")
	}
	if r := leader.Form("/insight/public", url.Values{"published": {"1"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.Code, r.Body)
	}
	r := h.Anon().Get("/insight/public")
	body := string(r.Body)
	if r.Code != http.StatusOK || !strings.Contains(body, "物联网") || !strings.Contains(body, "10.00 亿元") || strings.Contains(body, "链上企业") {
		t.Errorf("published overview: %d", r.Code)
	}
	var sc insight.Screen
	h.Anon().Get("/api/v1/insight/public").JSON(t, &sc)
	if sc.OpenWarnings != 0 || sc.Warnings != nil || sc.Chains[0].Enterprises != 4 {
		t.Errorf("public API: %+v", sc)
	}
	leader.Form("/insight/public", url.Values{"published": {"0"}})
	if r := h.Anon().Get("/insight/public"); r.Code != http.StatusNotFound {
		t.Errorf("taken back, still public: %d", r.Code)
	}
}
