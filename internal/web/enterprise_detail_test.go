package web

import (
	"context"
	"net/http"
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

// renderPage executes a page template on data as render does.
func renderPage(t *testing.T, name string, data any) string {
	t.Helper()
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := pages[name].ExecuteTemplate(&b, "layout.html", data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// section is the part of a page from the first occurrence of start to the
// next end after it.
func section(t *testing.T, page, start, end string) string {
	t.Helper()
	i := strings.Index(page, start)
	if i < 0 {
		t.Fatalf("page lacks %s", start)
	}
	j := strings.Index(page[i:], end)
	if j < 0 {
		t.Fatalf("page lacks %s after %s", end, start)
	}
	return page[i : i+j+len(end)]
}

// The years table shows every value with its source, units under the
// heads, a blank cell where a year lacks a value, and escapes every text.
func TestYearsTableShowsValuesEscaped(t *testing.T) {
	p := entDetailPage{entPage: entPage{Page: Page{Lang: "zh"}},
		Indicators: []enterprise.Indicator{{Code: "x", NameZH: `<script>alert(1)</script>`, Unit: "人", Scale: 0}, {Code: "rev", NameZH: "营业收入", Unit: "元", Scale: 2}},
		Years: []yearRow{{Year: 2023, Cells: []figCell{{Has: true, Text: `"><b>`, Source: `统计局"onmouseover="x`}, {}}},
			{Year: 2022, Cells: []figCell{{Has: true, Text: "80", Source: "税务"}, {Has: true, Text: "1.50 万元", Source: "统计局"}}}}}
	got := section(t, renderPage(t, "enterprise/detail.html", p), `id="figures"`, "</table>")
	for _, bad := range []string{"<script>", `"><b>`, `"onmouseover="`} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q in %s", bad, got)
		}
	}
	for _, want := range []string{"<th>年度</th>", `<th class="num">&lt;script&gt;alert(1)&lt;/script&gt;<br><small>人</small></th>`, `<th class="num">营业收入</th>`,
		`<tr><td>2023</td><td class="num"><span title="统计局&#34;onmouseover=&#34;x">&#34;&gt;&lt;b&gt;</span></td><td class="num"></td></tr>`,
		`<tr><td>2022</td><td class="num"><span title="税务">80</span></td><td class="num"><span title="统计局">1.50 万元</span></td></tr>`} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %s: %s", want, got)
		}
	}
	p.Years = nil
	if got := section(t, renderPage(t, "enterprise/detail.html", p), `id="figures"`, "</table>"); !strings.Contains(got, `<td colspan="3" class="muted">暂无已确认数据</td>`) {
		t.Errorf("no years: %s", got)
	}
}

// The list's rows show each enterprise with its link, code, area,
// industry, chains and status, and escape every text.
func TestListRowsEscape(t *testing.T) {
	p := entListPage{entPage: entPage{Page: Page{Lang: "zh"}}, Items: []enterprise.Enterprise{{ID: 7, Name: `<img src=x onerror=alert(1)>`, CreditCode: `"91`, AreaName: "石佛&办事处",
		IndustryCode: "39", Synthetic: true, Status: enterprise.Operating, Chains: []enterprise.ChainRef{{NameZH: "<b>物联网</b>"}, {NameZH: "氢能"}}}}}
	got := section(t, renderPage(t, "enterprise/list.html", p), `<table id="enterprises">`, "</table>")
	for _, bad := range []string{"<img", `"91`, "<b>", "石佛&办"} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q in %s", bad, got)
		}
	}
	for _, want := range []string{`<a href="/enterprises/7">&lt;img`, "&lt;b&gt;物联网&lt;/b&gt;、氢能", "<td>存续</td>", `<span class="tag">演示</span>`, "石佛&amp;办事处", "<code>&#34;91</code>"} {
		if !strings.Contains(got, want) {
			t.Errorf("rows lack %q: %s", want, got)
		}
	}
	p.Items = nil
	if empty := section(t, renderPage(t, "enterprise/list.html", p), `<table id="enterprises">`, "</table>"); !strings.Contains(empty, `<td colspan="6" class="muted">没有符合条件的企业</td>`) {
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

// The filter selects list their options in the page's language with
// "all" (or "—") first, escape every name, and select only the chosen
// value.
func TestListFilterOptionsEscape(t *testing.T) {
	p := entListPage{entPage: entPage{Page: Page{Lang: "zh"}}, Q: url.Values{"chain": {`x"y`}}, Areas: []org.Unit{{Code: "sf", NameZH: "石佛<办事处>"}},
		Chains: []enterprise.ChainNode{{Code: `x"y`, NameZH: "物联网&传感", Depth: 1}, {Code: "z", NameZH: "氢能"}}}
	p.filterOptions()
	page := renderPage(t, "enterprise/list.html", p)
	if got := section(t, page, `<select name="area">`, "</select>"); got != `<select name="area"><option value="">全部</option><option value="sf">石佛&lt;办事处&gt;</option></select>` {
		t.Errorf("areas: %s", got)
	}
	if got := section(t, page, `<select name="chain">`, "</select>"); got != `<select name="chain"><option value="">全部</option><option value="x&#34;y" selected>　物联网&amp;传感</option><option value="z">氢能</option></select>` {
		t.Errorf("chains: %s", got)
	}
	if got := section(t, page, `<select name="indicator">`, "</select>"); !strings.HasPrefix(got, `<select name="indicator"><option value="">—</option>`) {
		t.Errorf("indicators: %s", got)
	}
	if got := section(t, page, `<select name="tier">`, "</select>"); strings.Contains(got, "selected") || !strings.Contains(got, "高新技术企业") {
		t.Errorf("tiers: %s", got)
	}
	if strings.Count(page, " selected") != 1 {
		t.Errorf("%d options selected, want 1", strings.Count(page, " selected"))
	}
}

// A hostile name and certificate number are escaped wherever the pages
// show them (list rows, the detail page in both languages) and kept as
// written in the detail JSON; the detail page shows the figures by year.
func TestHostileNamesEscapedOnPages(t *testing.T) {
	fx := newEntFixture(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	svc := fx.h.App.Enterprise
	const name = `<script>alert(1)</script>"科技"&有限公司`
	in := enterprise.Input{CreditCode: fx.A.CreditCode, Name: name, Area: "sf", Chains: []string{"iot"}, Version: fx.A.Version}
	if _, err := svc.Update(ctx, enterprise.System, fx.A.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTier(ctx, enterprise.System, fx.A.ID, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR<2023>&'1", ValidFrom: "2023-01-01", ValidTo: "2099-12-31"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetFigures(ctx, enterprise.System, fx.A.ID, []enterprise.FigureInput{
		{Indicator: "revenue", Year: 2022, Value: 1200_0000_00, Source: enterprise.FromStats},
		{Indicator: "employees", Year: 2023, Value: 80, Source: enterprise.FromTax}}); err != nil {
		t.Fatal(err)
	}
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;&#34;科技&#34;&amp;有限公司"
	c := fx.h.as("leader")
	detail := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	for _, lang := range []string{"zh", "en"} {
		c.header = http.Header{"Cookie": {sessionCookie + "=" + c.cookie + "; " + langCookie + "=" + lang}}
		for _, path := range []string{"/enterprises", "/enterprises?name=" + url.QueryEscape("有限公司"), detail} {
			r := c.get(path)
			body := string(r.Body)
			if r.Code != http.StatusOK || strings.Contains(body, "<script>") || !strings.Contains(body, escaped) {
				t.Errorf("%s %s: %d, name not shown escaped", lang, path, r.Code)
			}
		}
		body := string(c.get(detail).Body)
		years := section(t, body, `id="figures"`, "</table>")
		want := map[string][]string{
			"zh": {"GR&lt;2023&gt;&amp;&#39;1", "资质与证书", "<td>2023</td>", `<span title="税务">80</span>`, `<span title="统计局">1200.00 万元</span>`},
			"en": {"GR&lt;2023&gt;&amp;&#39;1", "Tiers and certificates", "<td>2022</td>", `<span title="tax office">80</span>`, `<span title="statistics bureau">1200.00 万元</span>`},
		}[lang]
		if !strings.Contains(body, want[0]) || !strings.Contains(body, want[1]) {
			t.Errorf("%s: detail page lacks its words or the escaped certificate", lang)
		}
		for _, w := range want[2:] {
			if !strings.Contains(years, w) {
				t.Errorf("%s: years table lacks %s: %s", lang, w, years)
			}
		}
	}
	var d struct {
		Name  string `json:"name"`
		Tiers []struct {
			CertNo string `json:"cert_no"`
		} `json:"tiers"`
	}
	c.get("/api/v1"+detail).JSON(t, &d)
	if d.Name != name || len(d.Tiers) != 1 || d.Tiers[0].CertNo != "GR<2023>&'1" {
		t.Errorf("detail JSON: %+v", d)
	}
}
