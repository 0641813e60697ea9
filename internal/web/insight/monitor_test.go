package insight_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web/webtest"
)

// A world with two office areas, an area account for each, and one
// enterprise in 石佛 whose revenue fell 40 % in 2023.
func monitorWorld(t *testing.T) (*webtest.Harness, int64) {
	t.Helper()
	h := webtest.New(t)
	a := h.App
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, u := range []org.Unit{{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}, {Code: "gz", NameZH: "沟赵办事处", Kind: "办事处"}} {
		if _, err := a.Org.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Org.CreateUser(ctx, org.NewUser{Username: "area-" + u.Code, Role: org.UnitStaff, UnitCode: u.Code, Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
	}
	staff := enterprise.Viewer{Role: org.Supervisor}
	e, err := a.Enterprise.Create(ctx, staff, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示传感有限公司", Area: "sf", RegisteredOn: "2015-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]enterprise.FigureInput{
		{{Indicator: "revenue", Year: 2022, Value: 500_000_000_00}},
		{{Indicator: "revenue", Year: 2023, Value: 300_000_000_00}},
	} {
		if err := a.Enterprise.SetFigures(ctx, staff, e.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	return h, e.ID
}

func TestWarningsInboxFollowUpAndRefusals(t *testing.T) {
	h, _ := monitorWorld(t)
	admin := h.As("admin")
	r := admin.Get("/api/v1/insight/warnings")
	var got struct{ Warnings []insight.Warning }
	r.JSON(t, &got)
	if r.Code != http.StatusOK || len(got.Warnings) != 1 || got.Warnings[0].Enterprise != "郑州演示传感有限公司" || !strings.Contains(got.Warnings[0].DetailZH, "下降 40.0%") {
		t.Fatalf("admin inbox: %d %s", r.Code, r.Body)
	}
	id := got.Warnings[0].ID
	page := admin.Get("/insight/warnings")
	if page.Code != http.StatusOK || !strings.Contains(string(page.Body), "郑州演示传感有限公司") {
		t.Fatalf("inbox page: %d", page.Code)
	}

	sf, gz := h.As("area-sf"), h.As("area-gz")
	if r := gz.Get("/api/v1/insight/warnings"); !strings.Contains(string(r.Body), `"warnings":[]`) {
		t.Errorf("沟赵 sees 石佛's warning: %s", r.Body)
	}
	if r := gz.Get("/insight/warnings/" + itoa(id)); r.Code != http.StatusNotFound {
		t.Errorf("沟赵 opens 石佛's warning: %d", r.Code)
	}
	if r := gz.Form("/insight/warnings/"+itoa(id), url.Values{"action": {"following"}, "note": {"x"}}); r.Code != http.StatusNotFound {
		t.Errorf("沟赵 follows 石佛's warning up: %d", r.Code)
	}
	if r := h.As("enterprise").Get("/api/v1/insight/warnings"); r.Code != http.StatusForbidden {
		t.Errorf("an enterprise reads the inbox: %d", r.Code)
	}
	if r := h.Anon().Get("/api/v1/insight/warnings"); r.Code != http.StatusUnauthorized {
		t.Errorf("the public reads the inbox: %d", r.Code)
	}

	// The area takes it up from the page, then closes it through the API.
	if r := sf.Form("/insight/warnings/"+itoa(id), url.Values{"action": {"following"}, "note": {"已约企业负责人面谈"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("take up: %d %s", r.Code, r.Body)
	}
	if r := sf.Form("/insight/warnings/"+itoa(id), url.Values{"action": {"closed"}, "note": {""}}); r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "请写明跟进情况") {
		t.Errorf("closing without a note: %d", r.Code)
	}
	r = sf.Do("POST", "/api/v1/insight/warnings/"+itoa(id)+"/follow-up", map[string]string{"action": "closed", "note": "订单已恢复"})
	var w insight.Warning
	r.JSON(t, &w)
	if r.Code != http.StatusOK || w.Status != insight.WarnClosed || len(w.Notes) != 3 || w.Notes[1].Note != "已约企业负责人面谈" {
		t.Fatalf("close: %d %s", r.Code, r.Body)
	}
	x := admin.Get("/insight/warnings.xlsx")
	book, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if x.Code != http.StatusOK || err != nil {
		t.Fatalf("export: %d %v", x.Code, err)
	}
	rows, _ := book.GetRows("预警")
	if len(rows) != 2 || rows[1][1] != "郑州演示传感有限公司" || rows[1][2] != "914403001922038216" || rows[1][6] != "已办结" {
		t.Errorf("exported rows: %q", rows)
	}
	if r := gz.Get("/insight/warnings.xlsx"); r.Code != http.StatusOK {
		t.Errorf("沟赵's export: %d", r.Code)
	} else if b, _ := excelize.OpenReader(bytes.NewReader(r.Body)); b != nil {
		if rows, _ := b.GetRows("预警"); len(rows) != 1 {
			t.Errorf("沟赵's export holds 石佛's warning: %q", rows)
		}
	}
	detail := string(admin.Get("/insight/warnings/" + itoa(id)).Body)
	if !strings.Contains(detail, "已约企业负责人面谈") || !strings.Contains(detail, "订单已恢复") {
		t.Errorf("the follow-up history is not on the page")
	}
}

func TestRulesAreSetByStaffAndChecked(t *testing.T) {
	h, _ := monitorWorld(t)
	if r := h.As("unit").Do("POST", "/api/v1/insight/rules", insight.Rule{Kind: insight.RuleMovedOut, Name: "迁出"}); r.Code != http.StatusForbidden {
		t.Errorf("a unit set a rule: %d", r.Code)
	}
	sup := h.As("supervisor")
	r := sup.Do("POST", "/api/v1/insight/rules", insight.Rule{Kind: insight.RuleDrop, Name: "利润下降", Indicator: "profit", Percent: 30})
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field":"indicator"`) {
		t.Errorf("unknown indicator: %d %s", r.Code, r.Body)
	}
	r = sup.Form("/insight/rules", url.Values{"name": {"进出口额同比下降超过 25%"}, "kind": {"drop"}, "indicator": {"trade"}, "percent": {"250"}, "active": {"1"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "下降幅度须在 1–100") {
		t.Errorf("percent out of range: %d", r.Code)
	}
	r = sup.Form("/insight/rules", url.Values{"name": {"进出口额同比下降超过 25%"}, "kind": {"drop"}, "indicator": {"trade"}, "percent": {"25"}, "active": {"1"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Code, r.Body)
	}
	if page := string(h.As("unit").Get("/insight/rules").Body); !strings.Contains(page, "进出口额同比下降超过 25%") {
		t.Errorf("the new rule is not listed")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
