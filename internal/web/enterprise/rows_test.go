package enterprise

import (
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// The years table is written as HTML in Go: every text is escaped.
func TestYearsTableEscapes(t *testing.T) {
	p := &detailPage{Indicators: []enterprise.Indicator{{Code: "x", NameZH: `<script>alert(1)</script>`, Unit: "人", Scale: 0}},
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
	p := &listPage{Items: []enterprise.Enterprise{{ID: 7, Name: `<img src=x onerror=alert(1)>`, CreditCode: `"91`, AreaName: "石佛&办事处",
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
	if empty := string((&listPage{}).rowsHTML()); !strings.Contains(empty, "没有符合条件的企业") {
		t.Errorf("empty list: %s", empty)
	}
}

// The filter selects are written in Go: names are escaped, the first
// option is "all", and only the chosen value is selected.
func TestListFilterOptionsEscape(t *testing.T) {
	p := &listPage{Q: url.Values{"chain": {`x"y`}}, Areas: []org.Unit{{Code: "sf", NameZH: "石佛<办事处>"}},
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
