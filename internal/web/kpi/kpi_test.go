package kpi_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/kpi"
)

// kpiFixture adds two indicators to the harness: gdp (quarterly growth,
// owned by jfj, the "unit" account's unit) and firms (absolute, owned by
// kcj, the "unit2" account's unit), with 2023 targets and figures.
func kpiFixture(t *testing.T, h *webtest.Harness) (gdp, firms kpi.Indicator) {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	var err error
	if gdp, err = h.App.KPI.CreateIndicator(ctx, kpi.IndicatorInput{Code: "gdp", NameZH: "地区生产总值", NameEN: "GDP", Measure: "亿元",
		Kind: kpi.Growth, Frequency: kpi.Quarterly, Owner: "jfj"}); err != nil {
		t.Fatal(err)
	}
	if firms, err = h.App.KPI.CreateIndicator(ctx, kpi.IndicatorInput{Code: "firms", NameZH: "新增市场主体", Measure: "家",
		Kind: kpi.Absolute, Owner: "kcj"}); err != nil {
		t.Fatal(err)
	}
	for code, v := range map[string]string{"gdp": "10", "firms": "16000"} {
		if _, err := h.App.KPI.SetTarget(ctx, code, "2023", v, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range []kpi.ActualInput{
		{Indicator: "gdp", Year: "2022", Month: "12", YTD: "1200"},
		{Indicator: "gdp", Year: "2023", Month: "9", YTD: "945", YTDLast: "900", CityRate: "6", ProvinceRate: "4.5"},
		{Indicator: "firms", Year: "2023", Month: "9", YTD: "9000"},
	} {
		if _, err := h.App.KPI.SaveActual(ctx, kpi.Scope{All: true}, in); err != nil {
			t.Fatal(err)
		}
	}
	return gdp, firms
}

// TestKPIAccess walks every KPI endpoint with every role: allowed roles get
// through, anonymous callers 401 (or the login page), every other role 403.
func TestKPIAccess(t *testing.T) {
	h := webtest.New(t)
	gdp, _ := kpiFixture(t, h)
	all := []string{"admin", "leader", "supervisor", "unit", "unit2", "enterprise", "reviewer"}
	view := []string{"admin", "leader", "supervisor", "unit", "unit2"}
	enter := []string{"supervisor", "unit", "unit2"}
	edit := []string{"supervisor"}
	id := gdp.ID
	cases := []struct {
		method, path string
		body         any
		allowed      []string
		ok           int
	}{
		{"GET", "/kpi", nil, view, 200},
		{"GET", fmt.Sprintf("/kpi/indicators/%d?year=2023", id), nil, view, 200},
		{"GET", "/kpi/overdue", nil, view, 200},
		{"GET", "/kpi/import", nil, enter, 200},
		{"GET", "/kpi/import/template.xlsx?year=2023", nil, enter, 200},
		{"GET", "/kpi/manage", nil, edit, 200},
		{"GET", fmt.Sprintf("/kpi/indicators/%d/edit", id), nil, edit, 200},
		{"GET", "/api/v1/kpi/dashboard?year=2023", nil, view, 200},
		{"GET", "/api/v1/kpi/indicators", nil, view, 200},
		{"GET", "/api/v1/kpi/sources", nil, view, 200},
		{"GET", fmt.Sprintf("/api/v1/kpi/indicators/%d", id), nil, view, 200},
		{"GET", "/api/v1/kpi/targets?year=2023", nil, view, 200},
		{"GET", fmt.Sprintf("/api/v1/kpi/indicators/%d/actuals?year=2023", id), nil, view, 200},
		{"GET", "/api/v1/kpi/overdue?as_of=2023-11-20", nil, view, 200},
		{"GET", "/api/v1/kpi/settings/2023", nil, view, 200},
		{"GET", "/api/v1/kpi/actuals/template.xlsx?year=2023", nil, enter, 200},
		{"PUT", "/api/v1/kpi/targets", map[string]any{"indicator": "gdp", "year": 2023, "value": "10"}, edit, 200},
		{"PUT", "/api/v1/kpi/settings/2023", map[string]any{"ahead": 1, "on_pace": 0.95, "behind": 0.85, "close_pp": 2}, edit, 200},
		{"PUT", fmt.Sprintf("/api/v1/kpi/indicators/%d", id), map[string]any{"code": "gdp", "name_zh": "地区生产总值", "measure": "亿元",
			"kind": "growth", "frequency": "quarterly", "owner_unit": "jfj"}, edit, 200},
		// gdp belongs to jfj: unit may write it, unit2 (kcj) may not.
		{"PUT", "/api/v1/kpi/actuals", map[string]any{"indicator": "gdp", "year": 2023, "month": 6, "ytd": "600", "ytd_last": 560}, []string{"supervisor", "unit"}, 200},
	}
	clients := map[string]*webtest.Client{}
	for _, u := range all {
		clients[u] = h.As(u)
	}
	for _, tc := range cases {
		if r := h.Anon().Do(tc.method, tc.path, tc.body); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous %s %s = %d, want 401 or login redirect", tc.method, tc.path, r.Code)
		}
		for _, u := range all {
			allowed := false
			for _, a := range tc.allowed {
				allowed = allowed || a == u
			}
			r := clients[u].Do(tc.method, tc.path, tc.body)
			if allowed && r.Code != tc.ok {
				t.Errorf("%s %s %s = %d, want %d: %s", u, tc.method, tc.path, r.Code, tc.ok, r.Body)
			}
			if !allowed && r.Code != http.StatusForbidden {
				t.Errorf("%s %s %s = %d, want 403", u, tc.method, tc.path, r.Code)
			}
		}
	}
}

func TestKPIWritesRefusedAndNothingWritten(t *testing.T) {
	h := webtest.New(t)
	gdp, firms := kpiFixture(t, h)
	unit, unit2, sup := h.As("unit"), h.As("unit2"), h.As("supervisor")
	// A unit writing an indicator it does not own: 403, by API and by form.
	if r := unit.Do("PUT", "/api/v1/kpi/actuals", map[string]any{"indicator": "firms", "year": 2023, "month": 8, "ytd": 8000}); r.Code != 403 {
		t.Fatalf("unit writing kcj's indicator: %d %s", r.Code, r.Body)
	}
	if r := unit2.Form(fmt.Sprintf("/kpi/indicators/%d/actuals", gdp.ID), url.Values{"year": {"2023"}, "month": {"6"}, "ytd": {"1"}}); r.Code != 403 {
		t.Fatalf("unit2 form on jfj's indicator: %d", r.Code)
	}
	if r := unit.Do("DELETE", fmt.Sprintf("/api/v1/kpi/indicators/%d/actuals/2023/9", firms.ID), nil); r.Code != 403 {
		t.Fatalf("unit deleting kcj's figure: %d", r.Code)
	}
	for _, role := range []string{"unit", "leader", "admin"} {
		if r := h.As(role).Do("POST", "/api/v1/kpi/indicators", map[string]any{"code": "x", "name_zh": "x", "measure": "家", "kind": "absolute", "owner_unit": "jfj"}); r.Code != 403 {
			t.Errorf("%s creating an indicator: %d", role, r.Code)
		}
	}
	bad := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"indicator": "gdp", "year": 2023, "month": 6, "ytd": "abc"}, "ytd"},
		{map[string]any{"indicator": "gdp", "year": 2023, "month": 13, "ytd": 1}, "month"},
		{map[string]any{"indicator": "gdp", "year": 2023, "month": 5, "ytd": 1}, "month"},
		{map[string]any{"indicator": "gdp", "year": 2099, "month": 3, "ytd": 1}, "month"},
		{map[string]any{"indicator": "gdp", "year": 2023, "month": "six", "ytd": 1}, "month"},
		{map[string]any{"indicator": "gdp", "year": 2023, "month": 6, "ytd": 1, "city_rate": true}, "city_rate"},
		{map[string]any{"indicator": "nope", "year": 2023, "month": 6, "ytd": 1}, "indicator"},
	}
	for _, b := range bad {
		r := unit.Do("PUT", "/api/v1/kpi/actuals", b.body)
		var e struct {
			Error struct {
				Field   string
				Message string
			}
		}
		r.JSON(t, &e)
		if r.Code != 400 || e.Error.Field != b.field || e.Error.Message == "" {
			t.Errorf("%v: %d %s, want 400 naming %s", b.body, r.Code, r.Body, b.field)
		}
	}
	if r := sup.Do("PUT", "/api/v1/kpi/targets", map[string]any{"indicator": "gdp", "year": 2023, "value": "ten"}); r.Code != 400 || !strings.Contains(string(r.Body), `"field":"value"`) {
		t.Errorf("target not a number: %d %s", r.Code, r.Body)
	}
	acts, _ := h.App.KPI.Actuals(context.Background(), gdp.ID, 2023, 2023)
	if len(acts) != 1 {
		t.Fatalf("refused writes changed the figures: %+v", acts)
	}
	// English errors for an English caller.
	unit.Header = http.Header{"Accept-Language": {"en"}}
	r := unit.Do("PUT", "/api/v1/kpi/actuals", map[string]any{"indicator": "gdp", "year": 2023, "month": 6, "ytd": "x"})
	if !strings.Contains(string(r.Body), "not a number") {
		t.Errorf("English message: %s", r.Body)
	}
}

func TestKPIDashboardAPI(t *testing.T) {
	h := webtest.New(t)
	kpiFixture(t, h)
	var d struct {
		Year       int
		Indicators []struct {
			Indicator  struct{ Code string }
			Target     string
			Latest     struct{ YTD string }
			Assessment struct {
				Status             string
				GapPP              *float64 `json:"gap_pp"`
				Pace               *float64
				NeedGrowth         *float64 `json:"need_growth_pct"`
				NeedPerMonth       *float64 `json:"need_per_month"`
				VsCity, VsProvince string   `json:"-"`
				City               string   `json:"vs_city"`
				Province           string   `json:"vs_province"`
			}
		}
	}
	r := h.As("leader").Get("/api/v1/kpi/dashboard?year=2023")
	r.JSON(t, &d)
	if r.Code != 200 || d.Year != 2023 || len(d.Indicators) != 2 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	g, f := d.Indicators[0], d.Indicators[1]
	// gdp: 945/900 − 1 = 5% against 10%: gap −5 behind; need (1320 − 945)/(1200 − 900) − 1 = 25%.
	if g.Target != "10" || g.Latest.YTD != "945" || g.Assessment.Status != "behind" || *g.Assessment.GapPP != -5 || *g.Assessment.NeedGrowth != 25 ||
		g.Assessment.City != "below" || g.Assessment.Province != "above" {
		t.Errorf("gdp: %+v", g)
	}
	// firms: 9000 / (16000 × 9/12) = 0.75 at risk; 7000 / 3 per month.
	if f.Assessment.Status != "at_risk" || *f.Assessment.Pace != 0.75 || *f.Assessment.NeedPerMonth != 2333.3333 {
		t.Errorf("firms: %+v", f)
	}
	if r := h.As("leader").Get("/api/v1/kpi/dashboard?year=abc"); r.Code != 400 {
		t.Errorf("bad year: %d", r.Code)
	}
	var doc struct{ Paths map[string]any }
	h.Anon().Get("/api/v1/openapi.json").JSON(t, &doc)
	for _, p := range []string{"/api/v1/kpi/dashboard", "/api/v1/kpi/actuals/import", "/api/v1/kpi/indicators/{id}"} {
		if doc.Paths[p] == nil {
			t.Errorf("openapi.json lacks %s", p)
		}
	}
	page := h.As("leader").Get("/kpi?year=2023")
	for _, want := range []string{"kpi-gdp", "<svg", "stroke-dasharray", "严重滞后", "其余 3 个月每月需完成 2,334 家"} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("dashboard page lacks %q", want)
		}
	}
}

// upload posts a multipart form with one file the way a browser does.
func upload(c *webtest.Client, path, name string, data []byte) *webtest.Resp {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	head := []any{}
	for _, c := range kpi.Columns {
		head = append(head, c.ZH+" "+c.Key)
	}
	x.SetSheetRow("Sheet1", "A1", &head)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	var b bytes.Buffer
	x.Write(&b)
	return b.Bytes()
}

func TestKPIImport(t *testing.T) {
	h := webtest.New(t)
	gdp, _ := kpiFixture(t, h)
	unit := h.As("unit")
	bad := xlsxOf(t, [][]any{{"gdp", 2023, 3, 280, 250, "", "", "", ""}, {"firms", 2023, 3, 10, "", "", "", "", ""}, {"gdp", 2023, 6, "n/a", "", "", "", "", ""}})
	r := upload(unit, "/api/v1/kpi/actuals/import", "a.xlsx", bad)
	if r.Code != 400 || !strings.Contains(string(r.Body), `"row":3`) || !strings.Contains(string(r.Body), `"row":4`) {
		t.Fatalf("bad import: %d %s", r.Code, r.Body)
	}
	if acts, _ := h.App.KPI.Actuals(context.Background(), gdp.ID, 2023, 2023); len(acts) != 1 {
		t.Fatalf("failed import wrote figures: %d", len(acts))
	}
	if r := upload(unit, "/api/v1/kpi/actuals/import", "a.csv", []byte("a,b")); r.Code != 400 || !strings.Contains(string(r.Body), `"field":"file"`) {
		t.Fatalf("csv accepted: %d %s", r.Code, r.Body)
	}
	// The HTML form shows row, column and reason.
	page := upload(unit, "/kpi/import", "a.xlsx", bad)
	if page.Code != 400 || !strings.Contains(string(page.Body), "A indicator") || !strings.Contains(string(page.Body), "该指标不属于您的单位") {
		t.Fatalf("import page errors: %d", page.Code)
	}
	good := xlsxOf(t, [][]any{{"gdp", 2023, 3, 280, 250, "", 6.2, 5.1, ""}, {"gdp", 2023, 6, "600.5", 560, "", "", "", ""}})
	if r := upload(unit, "/api/v1/kpi/actuals/import", "good.xlsx", good); r.Code != 200 || !strings.Contains(string(r.Body), `"imported":2`) {
		t.Fatalf("good import: %d %s", r.Code, r.Body)
	}
	if r := upload(unit, "/kpi/import", "good.xlsx", good); r.Code != 303 {
		t.Fatalf("form import: %d", r.Code)
	}
	tpl := unit.Get("/kpi/import/template.xlsx?year=2023")
	f, err := excelize.OpenReader(bytes.NewReader(tpl.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("actuals")
	// jfj's template: header plus gdp's four quarters, no kcj rows.
	if len(rows) != 5 || rows[1][0] != "gdp" || rows[2][3] != "600.5" {
		t.Fatalf("template rows %v", rows)
	}
}

func TestKPIManagePages(t *testing.T) {
	h := webtest.New(t)
	kpiFixture(t, h)
	sup := h.As("supervisor")
	r := sup.Form("/kpi/indicators", url.Values{"code": {"trade"}, "name_zh": {"外贸进出口总额"}, "measure": {"亿元"}, "kind": {"growth"},
		"frequency": {"monthly"}, "direction": {"higher"}, "owner_unit": {"jfj"}, "due_day": {"15"}})
	if r.Code != 303 {
		t.Fatalf("create indicator: %d %s", r.Code, r.Body)
	}
	r = sup.Form("/kpi/indicators", url.Values{"code": {"Bad Code"}, "name_zh": {""}, "measure": {"亿元"}, "kind": {"growth"}, "owner_unit": {"jfj"}})
	if r.Code != 400 || !strings.Contains(string(r.Body), "name_zh") {
		t.Fatalf("bad indicator: %d", r.Code)
	}
	if r := sup.Form("/kpi/targets", url.Values{"indicator": {"trade"}, "year": {"2023"}, "value": {"10"}}); r.Code != 303 {
		t.Fatalf("target: %d %s", r.Code, r.Body)
	}
	if r := sup.Form("/kpi/settings", url.Values{"year": {"2023"}, "as_of": {"2023-13-01"}, "ahead": {"1"}, "on_pace": {"0.95"}, "behind": {"0.85"}, "close_pp": {"2"}}); r.Code != 400 {
		t.Fatalf("bad as-of accepted: %d", r.Code)
	}
	page := sup.Get("/kpi/manage?year=2023")
	if !strings.Contains(string(page.Body), "外贸进出口总额") || !strings.Contains(string(page.Body), `value="10"`) {
		t.Fatal("manage page does not show the new indicator and target")
	}
}
