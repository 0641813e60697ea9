package enterprise

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
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
	r := fx.h.as("supervisor").get(page)
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
	all := string(fx.h.as("supervisor").get(page + "?figures=all").Body)
	sources = all[strings.Index(all, `id="figure-sources"`):]
	sources = sources[:strings.Index(sources, "</table>")]
	if !strings.Contains(sources, "80 人") || !strings.Contains(sources, "1200.00 万元") {
		t.Errorf("every value view lacks the confirmed values: %s", sources)
	}
}

// The years table is written as HTML in Go: every text is escaped.
func TestYearsTableEscapes(t *testing.T) {
	p := &entDetailPage{Indicators: []enterprise.Indicator{{Code: "x", NameZH: `<script>alert(1)</script>`, Unit: "人", Scale: 0}},
		Years: []yearRow{{Year: 2023, Cells: []figCell{{Has: true, Text: `"><b>`, Source: `统计局"onmouseover="x`}}}}}
	got := string(p.yearsTable())
	for _, bad := range []string{"<script>", `"><b>`, `"onmouseover="`} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q in %s", bad, got)
		}
	}
	if !strings.Contains(got, "&lt;script&gt;") || !strings.Contains(got, "<td>2023</td>") {
		t.Errorf("table: %s", got)
	}
}

// The list's rows are written as HTML in Go: every text is escaped.
func TestListRowsEscape(t *testing.T) {
	p := &entListPage{Items: []enterprise.Enterprise{{ID: 7, Name: `<img src=x onerror=alert(1)>`, CreditCode: `"91`, AreaName: "石佛&办事处",
		IndustryCode: "39", Synthetic: true, Status: enterprise.Operating, Chains: []enterprise.ChainRef{{NameZH: "<b>物联网</b>"}, {NameZH: "氢能"}}}}}
	got := string(p.rowsHTML())
	for _, bad := range []string{"<img", `"91`, "<b>", "石佛&办"} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q in %s", bad, got)
		}
	}
	for _, want := range []string{`<a href="/enterprises/7">&lt;img`, "&lt;b&gt;物联网&lt;/b&gt;、氢能", "存续", `<span class="tag">演示</span>`, "石佛&amp;办事处"} {
		if !strings.Contains(got, want) {
			t.Errorf("rows lack %q: %s", want, got)
		}
	}
	if empty := string((&entListPage{}).rowsHTML()); !strings.Contains(empty, "没有符合条件的企业") {
		t.Errorf("empty list: %s", empty)
	}
}

// The list page keeps the chosen filters selected in its form.
func TestListKeepsFiltersSelected(t *testing.T) {
	fx := newEntFixture(t)
	body := string(fx.h.as("supervisor").get("/enterprises?area=sf&chain=iot&tier=hnte&status=operating&indicator=revenue").Body)
	for _, want := range []string{`value="sf" selected`, `value="iot" selected`, `value="hnte" selected`, `value="operating" selected`, `value="revenue" selected`} {
		if !strings.Contains(body, want) {
			t.Errorf("list form lacks %s", want)
		}
	}
	if strings.Count(body, " selected") != 5 {
		t.Errorf("%d options selected, want 5", strings.Count(body, " selected"))
	}
}

// The filter selects are written in Go: names are escaped, the first
// option is "all", and only the chosen value is selected.
func TestListFilterOptionsEscape(t *testing.T) {
	p := &entListPage{Q: url.Values{"chain": {`x"y`}}, Areas: []org.Unit{{Code: "sf", NameZH: "石佛<办事处>"}},
		Chains: []enterprise.ChainNode{{Code: `x"y`, NameZH: "物联网&传感", Depth: 1}, {Code: "z", NameZH: "氢能"}}}
	p.filterOptions()
	if got := string(p.AreaOptions); got != `<option value="">全部</option><option value="sf">石佛&lt;办事处&gt;</option>` {
		t.Errorf("areas: %s", got)
	}
	if got := string(p.ChainOptions); got != `<option value="">全部</option><option value="x&#34;y" selected>　物联网&amp;传感</option><option value="z">氢能</option>` {
		t.Errorf("chains: %s", got)
	}
	if !strings.HasPrefix(string(p.IndicatorOptions), `<option value="">—</option>`) || strings.Contains(string(p.TierOptions), "selected") {
		t.Errorf("indicators %s, tiers %s", p.IndicatorOptions, p.TierOptions)
	}
}
