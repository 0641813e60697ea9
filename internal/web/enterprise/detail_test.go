package enterprise_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
)

// TestEnterpriseDetailInWords: the history reads as changes in words
// (field: old → new, money in 万元, sources and statuses named), and the
// sources table shows what needs a look unless every value is asked for.
func TestEnterpriseDetailInWords(t *testing.T) {
	fx := newEntFixture(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	svc := fx.h.App.Enterprise
	in := enterprise.Input{CreditCode: fx.A.CreditCode, Name: "郑州演示甲智能有限公司", Area: "sf", CapitalFen: 500_0000_00, Version: fx.A.Version}
	if _, err := svc.Update(ctx, enterprise.System, fx.A.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetFigures(ctx, enterprise.System, fx.A.ID, []enterprise.FigureInput{
		{Indicator: "revenue", Year: 2022, Value: 1200_0000_00, Source: enterprise.FromStats},
		{Indicator: "employees", Year: 2022, Value: 80, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	self := enterprise.Viewer{Role: "enterprise", EnterpriseID: fx.A.ID}
	if err := svc.SetFigures(ctx, self, fx.A.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 1500_0000_00}}); err != nil {
		t.Fatal(err)
	}
	page := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	r := fx.h.As("supervisor").Get(page)
	body := string(r.Body)
	for _, want := range []string{
		"企业名称：郑州演示甲科技有限公司 → 郑州演示甲智能有限公司",
		"注册资本：0.00 元 → 500.00 万元",
		"录入数据",
		"来源：统计局",
		"指标：营业收入</div><div>年度：2023</div><div>数值：1500.00 万元</div><div>来源：企业自报</div><div>状态：待确认",
		"1500.00 万元", // the pending self-report, to look at
		`id="all-sources"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("detail page lacks %q in %s", want, body[strings.Index(body, `id="history"`):])
		}
	}
	if strings.Contains(body, `"registered_capital_fen"`) || strings.Contains(body, "class=\"json\"") {
		t.Error("detail page still prints raw JSON in the history")
	}
	sources := body[strings.Index(body, `id="figure-sources"`):]
	sources = sources[:strings.Index(sources, "</table>")]
	if strings.Contains(sources, "80 人") {
		t.Errorf("single confirmed value listed among the values to look at: %s", sources)
	}
	all := string(fx.h.As("supervisor").Get(page + "?figures=all").Body)
	sources = all[strings.Index(all, `id="figure-sources"`):]
	sources = sources[:strings.Index(sources, "</table>")]
	if !strings.Contains(sources, "80 人") || !strings.Contains(sources, "1200.00 万元") {
		t.Errorf("every value view lacks the confirmed values: %s", sources)
	}
}

// The list page keeps the chosen filters selected in its form.
func TestListKeepsFiltersSelected(t *testing.T) {
	fx := newEntFixture(t)
	body := string(fx.h.As("supervisor").Get("/enterprises?area=sf&chain=iot&tier=hnte&status=operating&indicator=revenue").Body)
	for _, want := range []string{`value="sf" selected`, `value="iot" selected`, `value="hnte" selected`, `value="operating" selected`, `value="revenue" selected`} {
		if !strings.Contains(body, want) {
			t.Errorf("list form lacks %s", want)
		}
	}
	if strings.Count(body, " selected") != 5 {
		t.Errorf("%d options selected, want 5", strings.Count(body, " selected"))
	}
}
