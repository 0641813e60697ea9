package kpi_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/kpi"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web/webtest"
)

// publishCall takes a need of the "unit" account's unit through a batch
// to a call published on the given day of 2023.
func publishCall(t *testing.T, h *webtest.Harness, month time.Month, day int, cat string) {
	t.Helper()
	svc := *h.App.Scenario
	svc.Now = func() time.Time { return time.Date(2023, month, day, 10, 0, 0, 0, db.CST) }
	ctx := audit.WithClock(audit.WithActor(context.Background(), audit.Actor{Name: "fixture"}), svc.Now)
	viewer := func(name string) scenario.Viewer {
		u, err := h.App.Org.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return scenario.ViewerOf(&u)
	}
	n, err := svc.Submit(ctx, viewer("unit"), scenario.NeedInput{Title: "道路积水监测", Category: cat, Chains: []string{"iot_sensor"},
		Problem: "汛期积水发现不及时", BudgetFen: 500_000_00, PriceCap: true, Deadline: fmt.Sprintf("2023-%02d-28", month), EndsOn: "2023-12-31",
		ContactName: "王工", ContactPhone: "0371-6758 1234"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sup := viewer("supervisor")
	b, err := svc.CreateBatch(ctx, sup, "2023 年场景机会清单")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, sup, n.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PublishBatch(ctx, sup, b.ID); err != nil {
		t.Fatal(err)
	}
}

// TestKPIComputedIndicator: staff make an indicator over calls published,
// by the API and by the manage form; the dashboard and the indicator page
// show the computed value and say 系统计算 with the source in words; nobody
// can enter its figures.
func TestKPIComputedIndicator(t *testing.T) {
	h := webtest.New(t)
	sup, unit2 := h.As("supervisor"), h.As("unit2")
	publishCall(t, h, time.May, 12, scenario.CatService)
	publishCall(t, h, time.August, 3, scenario.CatDigital)
	publishCall(t, h, time.November, 2, scenario.CatService) // after October: shown to date only

	var srcs struct {
		Sources []kpi.SourceChoices `json:"sources"`
	}
	h.As("leader").Get("/api/v1/kpi/sources").JSON(t, &srcs)
	// Scenarios and tech finance compute figures.
	if len(srcs.Sources) != 2 || len(srcs.Sources[0].Measures) < 5 || len(srcs.Sources[0].Filters) != 3 ||
		!strings.HasPrefix(srcs.Sources[1].Measures[0].Code, "finance.") {
		t.Fatalf("sources: %+v", srcs)
	}
	// A bad filter is refused naming its field.
	r := sup.Do("POST", "/api/v1/kpi/indicators", map[string]any{"code": "calls", "name_zh": "场景机会发布数", "measure": "个", "kind": "absolute",
		"owner_unit": "kcj", "source": "scenario.calls_published", "source_filter": map[string]any{"chain": "no_such_chain"}})
	if r.Code != 400 || !strings.Contains(string(r.Body), `"source_chain"`) {
		t.Fatalf("bad chain filter: %d %s", r.Code, r.Body)
	}
	r = sup.Do("POST", "/api/v1/kpi/indicators", map[string]any{"code": "calls", "name_zh": "场景机会发布数", "measure": "个", "kind": "absolute",
		"owner_unit": "kcj", "source": "scenario.calls_published"})
	if r.Code != 201 {
		t.Fatalf("create computed indicator: %d %s", r.Code, r.Body)
	}
	var calls kpi.Indicator
	r.JSON(t, &calls)
	// By the manage form: service calls only.
	if r := sup.Form("/kpi/indicators", url.Values{"code": {"calls_service"}, "name_zh": {"民生服务场景发布数"}, "measure": {"个"}, "kind": {"absolute"},
		"frequency": {"monthly"}, "direction": {"higher"}, "owner_unit": {"kcj"}, "due_day": {"15"}, "source": {"scenario.calls_published"},
		"source_category": {scenario.CatService}, "source_chain": {""}, "source_batch": {""}}); r.Code != 303 {
		t.Fatalf("manage form: %d %s", r.Code, r.Body)
	}
	for code, v := range map[string]string{"calls": "6", "calls_service": "3"} {
		if r := sup.Do("PUT", "/api/v1/kpi/targets", map[string]any{"indicator": code, "year": 2023, "value": v}); r.Code != 200 {
			t.Fatalf("target: %d %s", r.Code, r.Body)
		}
	}
	if r := sup.Do("PUT", "/api/v1/kpi/settings/2023", map[string]any{"as_of": "2023-11-20", "ahead": 1, "on_pace": 0.95, "behind": 0.85, "close_pp": 2}); r.Code != 200 {
		t.Fatalf("settings: %d %s", r.Code, r.Body)
	}
	manage := string(sup.Get("/kpi/manage?year=2023").Body)
	for _, want := range []string{"系统计算", "发布场景机会数 · 场景类别：城市管理和民生服务", `name="source_chain"`, `value="scenario.bidders"`} {
		if !strings.Contains(manage, want) {
			t.Errorf("manage page lacks %q", want)
		}
	}

	// The dashboard: October's figure (2 published), the figure to date
	// (3), 系统计算 with the source in words, and no figure owed.
	d := dashboardJSON(t, h)
	if len(d.Cards) != 2 || d.Cards[0].Computed == nil || d.Cards[0].Latest == nil || d.Cards[0].Latest.YTD != "2" ||
		d.Cards[0].Computed.ToDate == nil || d.Cards[0].Computed.ToDate.YTD != "3" || d.Cards[0].NextDue != nil || d.Cards[0].Status.Status != "at_risk" {
		t.Fatalf("dashboard: %+v", d.Cards)
	}
	if c := d.Cards[1]; c.Latest.YTD != "1" || c.Computed.FilterZH != "城市管理和民生服务" {
		t.Fatalf("service calls: %+v %+v", c.Latest, c.Computed)
	}
	page := string(h.As("leader").Get("/kpi?year=2023").Body)
	card := page[strings.Index(page, `id="kpi-calls"`):]
	card = card[:strings.Index(card, "</section>")]
	for _, want := range []string{"系统计算", "发布场景机会数", "2 个", "截至 2023-11-20：3 个", "无需报送"} {
		if !strings.Contains(card, want) {
			t.Errorf("dashboard card lacks %q:\n%s", want, card)
		}
	}
	// No figures last year, so no growth: the chart draws the count to
	// date against the year's target instead of an empty growth chart.
	if !strings.Contains(card, "累计完成 · 场景机会发布数") || !strings.Contains(card, "全年目标") || strings.Contains(card, `aria-label="累计增速`) {
		t.Errorf("computed count's chart is not its cumulative value against the target:\n%s", card)
	}
	ind := string(sup.Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", calls.ID)).Body)
	for _, want := range []string{"系统计算", "按发布日期计", `id="computed-note"`} {
		if !strings.Contains(ind, want) {
			t.Errorf("indicator page lacks %q", want)
		}
	}
	if strings.Contains(ind, `id="enter"`) || strings.Contains(ind, `id="delete-2023-10"`) {
		t.Error("the indicator page offers to enter or delete computed figures")
	}

	// Nobody enters its figures: by API, by form, by its owner unit.
	if r := sup.Do("PUT", "/api/v1/kpi/actuals", map[string]any{"indicator": "calls", "year": 2023, "month": 10, "ytd": 9}); r.Code != 400 ||
		!strings.Contains(string(r.Body), `"field":"indicator"`) {
		t.Fatalf("entering a computed figure: %d %s", r.Code, r.Body)
	}
	if r := unit2.Form(fmt.Sprintf("/kpi/indicators/%d/actuals", calls.ID), url.Values{"year": {"2023"}, "month": {"10"}, "ytd": {"9"}}); r.Code != 400 ||
		!strings.Contains(string(r.Body), "系统计算") {
		t.Fatalf("owner unit's form on a computed figure: %d", r.Code)
	}
	if d := dashboardJSON(t, h); d.Cards[0].Latest.YTD != "2" {
		t.Fatalf("a refused entry changed the figure: %+v", d.Cards[0].Latest)
	}
}

// dashboardAnswer is the part of the dashboard's JSON these tests read.
type dashboardAnswer struct {
	Cards []struct {
		Latest *struct {
			YTD string `json:"ytd"`
		} `json:"latest"`
		Status struct {
			Status string `json:"status"`
		} `json:"assessment"`
		NextDue  any `json:"next_due"`
		Computed *struct {
			FilterZH string `json:"filter_zh"`
			ToDate   *struct {
				YTD string `json:"ytd"`
			} `json:"to_date"`
		} `json:"computed"`
	} `json:"indicators"`
}

func dashboardJSON(t *testing.T, h *webtest.Harness) dashboardAnswer {
	t.Helper()
	var d dashboardAnswer
	h.As("leader").Get("/api/v1/kpi/dashboard?year=2023").JSON(t, &d)
	return d
}
