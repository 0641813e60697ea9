package enterprise

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

func renderPage(t *testing.T, name string, data any) string {
	t.Helper()
	s, err := web.New(web.Config{}, nil, slog.New(slog.DiscardHandler), Register)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := s.Execute(&b, name, "layout.html", data); err != nil {
		t.Fatal(err)
	}
	return b.String()
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

func TestYearsTableShowsValuesEscaped(t *testing.T) {
	p := detailPage{page: page{Page: web.Page{Lang: "zh"}},
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

func TestListRowsEscape(t *testing.T) {
	p := listPage{page: page{Page: web.Page{Lang: "zh"}}}
	p.Rows = p.listRows([]enterprise.Enterprise{{ID: 7, Name: `<img src=x onerror=alert(1)>`, CreditCode: `"91`, AreaName: "石佛&办事处",
		IndustryCode: "39", Synthetic: true, Status: enterprise.Operating, Chains: []enterprise.ChainRef{{NameZH: "<b>物联网</b>"}, {NameZH: "氢能"}}}})
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
	p.Rows = nil
	if empty := section(t, renderPage(t, "enterprise/list.html", p), `<table id="enterprises">`, "</table>"); !strings.Contains(empty, `<td colspan="6" class="muted">没有符合条件的企业</td>`) {
		t.Errorf("empty list: %s", empty)
	}
}

func TestListFilterOptionsEscape(t *testing.T) {
	p := listPage{page: page{Page: web.Page{Lang: "zh"}}, Q: url.Values{"chain": {`x"y`}}, Areas: []org.Unit{{Code: "sf", NameZH: "石佛<办事处>"}},
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
