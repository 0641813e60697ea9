package enterprise_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/web"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
)

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
	c := fx.h.As("leader")
	detail := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	for _, lang := range []string{"zh", "en"} {
		c.Header = http.Header{"Cookie": {web.SessionCookie + "=" + c.Cookie + "; " + web.LangCookie + "=" + lang}}
		for _, path := range []string{"/enterprises", "/enterprises?name=" + url.QueryEscape("有限公司"), detail} {
			r := c.Get(path)
			body := string(r.Body)
			if r.Code != http.StatusOK || strings.Contains(body, "<script>") || !strings.Contains(body, escaped) {
				t.Errorf("%s %s: %d, name not shown escaped", lang, path, r.Code)
			}
		}
		body := string(c.Get(detail).Body)
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
	c.Get("/api/v1"+detail).JSON(t, &d)
	if d.Name != name || len(d.Tiers) != 1 || d.Tiers[0].CertNo != "GR<2023>&'1" {
		t.Errorf("detail JSON: %+v", d)
	}
}
