package insight_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web/webtest"
)

// Two enterprises whose statistics and tax figures for 2022 revenue
// differ: by 25 % (沙盘) and by 4 % (铂瑞).
func sourcesWorld(t *testing.T) (h *webtest.Harness, disagree, agree int64) {
	t.Helper()
	h = webtest.New(t)
	a := h.App
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	if _, err := a.Org.CreateUnit(ctx, org.Unit{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Org.CreateUser(ctx, org.NewUser{Username: "area-sf", Role: org.UnitStaff, UnitCode: "sf", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	staff := enterprise.Viewer{Role: org.Supervisor}
	var ids []int64
	for i, in := range []enterprise.Input{
		{CreditCode: "914403001922038216", Name: "郑州沙盘超硬材料有限公司", Area: "sf", RegisteredOn: "2015-05-01"},
		{CreditCode: uscc.Complete("9141010010000042"), Name: "郑州铂瑞传感有限公司", Area: "sf", RegisteredOn: "2018-03-01"},
	} {
		e, err := a.Enterprise.Create(ctx, staff, in)
		if err != nil {
			t.Fatalf("enterprise %d: %v", i, err)
		}
		ids = append(ids, e.ID)
	}
	for i, taxed := range []int64{125 * wan, 104 * wan} {
		if err := a.Enterprise.SetFigures(ctx, staff, ids[i], []enterprise.FigureInput{
			{Indicator: "revenue", Year: 2022, Value: 100 * wan, Source: enterprise.FromStats},
			{Indicator: "revenue", Year: 2022, Value: taxed, Source: enterprise.FromTax}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	return h, ids[0], ids[1]
}

func TestConflictsListedSettledAndRefused(t *testing.T) {
	h, ent, _ := sourcesWorld(t)
	admin := h.As("admin")
	r := admin.Get("/api/v1/insight/conflicts")
	var got struct {
		Percent   int
		Conflicts []insight.Conflict
	}
	r.JSON(t, &got)
	if r.Code != http.StatusOK || got.Percent != 10 || len(got.Conflicts) != 1 {
		t.Fatalf("conflicts: %d %s", r.Code, r.Body)
	}
	c := got.Conflicts[0]
	if c.EnterpriseID != ent || c.Enterprise != "郑州沙盘超硬材料有限公司" || c.Spread != 2500 || c.Values[0].Source != "stats" || c.Values[1].Value != 125*wan {
		t.Fatalf("conflict: %+v", c)
	}
	page := string(admin.Get("/insight/conflicts").Body)
	if !strings.Contains(page, "郑州沙盘超硬材料有限公司") || !strings.Contains(page, "125.00 万元") || !strings.Contains(page, "25.0%") ||
		!strings.Contains(page, `action="/insight/conflicts/settle"`) || strings.Contains(page, "郑州铂瑞传感有限公司") {
		t.Fatalf("conflicts page:\n%s", page)
	}

	// Office areas and enterprises may not see other enterprises' values;
	// a zone-wide department reads them but does not settle.
	for _, who := range []string{"area-sf", "enterprise"} {
		c := h.As(who)
		for _, path := range []string{"/api/v1/insight/conflicts", "/insight/conflicts", "/api/v1/insight/sources", "/insight/sources"} {
			if r := c.Get(path); r.Code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", who, path, r.Code)
			}
		}
	}
	if r := h.As("unit").Get("/api/v1/insight/conflicts"); r.Code != http.StatusOK || !strings.Contains(string(r.Body), "郑州沙盘超硬材料有限公司") {
		t.Errorf("a zone-wide unit reads the conflicts: %d", r.Code)
	}
	if page := string(h.As("unit").Get("/insight/conflicts").Body); strings.Contains(page, `action="/insight/conflicts/settle"`) {
		t.Errorf("a unit is offered the settle form")
	}
	settle := url.Values{"enterprise_id": {itoa(ent)}, "indicator": {"revenue"}, "year": {"2022"}, "keep": {"stats"}, "note": {"以统计局年报为准"}}
	for _, who := range []string{"unit", "leader", "area-sf"} {
		if r := h.As(who).Form("/insight/conflicts/settle", settle); r.Code != http.StatusForbidden {
			t.Errorf("%s settled: %d", who, r.Code)
		}
	}
	sup := h.As("supervisor")
	if r := sup.Form("/insight/conflicts/settle", url.Values{"enterprise_id": {itoa(ent)}, "indicator": {"revenue"}, "year": {"2022"}, "keep": {"stats"}}); r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "请写明采用该来源的理由") {
		t.Errorf("settled without a note: %d", r.Code)
	}
	if r := sup.Form("/insight/conflicts/settle", settle); r.Code != http.StatusSeeOther {
		t.Fatalf("settle: %d %s", r.Code, r.Body)
	}
	figs, err := h.App.Enterprise.Figures(context.Background(), enterprise.Viewer{Role: org.Supervisor}, ent)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Source == enterprise.FromTax && f.Status != enterprise.Rejected || f.Source == enterprise.FromStats && !f.Effective {
			t.Errorf("after settling for stats: %+v", f)
		}
	}
	if r := admin.Get("/api/v1/insight/conflicts"); !strings.Contains(string(r.Body), `"conflicts":[]`) {
		t.Errorf("still open: %s", r.Body)
	}
	settled := string(admin.Get("/insight/conflicts?state=settled").Body)
	if !strings.Contains(settled, "以统计局年报为准") || !strings.Contains(settled, "统计局") {
		t.Errorf("the settled list does not show the settlement")
	}
	// Through the API, settling again is a conflict.
	r = sup.Do("POST", "/api/v1/insight/conflicts/settle", insight.SettleRequest{EnterpriseID: ent, Indicator: "revenue", Year: 2022, Keep: "tax", Note: "x"})
	if r.Code != http.StatusConflict {
		t.Errorf("settled twice: %d %s", r.Code, r.Body)
	}
	// The share is staff's: at 3 % the 4 % difference is a conflict too.
	if r := h.As("leader").Do("POST", "/api/v1/insight/conflicts/share", map[string]int{"percent": 3}); r.Code != http.StatusForbidden {
		t.Errorf("a leader set the share: %d", r.Code)
	}
	if r := sup.Form("/insight/conflicts/share", url.Values{"percent": {"3"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("share: %d %s", r.Code, r.Body)
	}
	if page := string(admin.Get("/insight/conflicts").Body); !strings.Contains(page, "郑州铂瑞传感有限公司") {
		t.Errorf("the 4 %% difference is not listed at a 3 %% share")
	}
}

// The catalogue shows the last import of the tax office's figures (an
// import through the API with source tax) and coverage from the rollups;
// sources with no import are flagged stale.
func TestCatalogueShowsLastImportAndCoverage(t *testing.T) {
	h, _, _ := sourcesWorld(t)
	sup := h.As("supervisor")
	csv := "统一社会信用代码,企业名称,年度,税收（元）\n914403001922038216,郑州沙盘超硬材料有限公司,2022,300000\n"
	r := sup.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=tax2022.csv&source=tax", strings.NewReader(csv)))
	if r.Code != http.StatusOK {
		t.Fatalf("import: %d %s", r.Code, r.Body)
	}
	if r := sup.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=x.csv&source=bank", strings.NewReader(csv))); r.Code != http.StatusBadRequest {
		t.Errorf("an unknown source: %d %s", r.Code, r.Body)
	}
	if _, err := h.App.Insight.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	r = h.As("leader").Get("/api/v1/insight/sources")
	var c insight.Catalogue
	r.JSON(t, &c)
	if r.Code != http.StatusOK || c.Year != 2022 || c.Operating != 2 || c.OpenConflicts != 1 {
		t.Fatalf("catalogue: %d %s", r.Code, r.Body)
	}
	var tax, power insight.SourceInfo
	for _, s := range c.Sources {
		switch s.Code {
		case "tax":
			tax = s
		case "power":
			power = s
		}
	}
	if tax.LastImport == nil || tax.LastImport.File != "tax2022.csv" || tax.LastImport.JobID == 0 || tax.Stale {
		t.Fatalf("tax: %+v", tax)
	}
	cov := map[string]insight.Coverage{}
	for _, i := range tax.Indicators {
		cov[i.Code] = i
	}
	// Both enterprises have revenue in 2022 (2 of 2); one has taxes (1 of 2).
	if cov["revenue"].Coverage != 10000 || cov["revenue"].FromSource != 2 || cov["taxes"].Coverage != 5000 || cov["taxes"].FromSource != 1 {
		t.Fatalf("tax coverage: %+v", tax.Indicators)
	}
	if !power.Stale || power.LastImport != nil {
		t.Fatalf("power: %+v", power)
	}
	page := string(h.As("unit").Get("/insight/sources").Body)
	for _, want := range []string{"tax2022.csv", "供电公司", "数据陈旧", "50.0%", `style="width: 50%"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the sources page lacks %q", want)
		}
	}
}
