package chart

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

// wellFormed fails unless svg parses as XML.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return
			}
			t.Fatalf("not well-formed (%v): %s", err, svg)
		}
	}
}

func TestTreeLaysOutParentsOnChildrenAndEscapes(t *testing.T) {
	svg := string(Tree{Title: "产业链 <2023>", Nodes: []TreeNode{
		{ID: "node-a", Label: "主导 & 新兴", Parent: -1, Href: "/insight/chains/a?year=2023&x=1", Lines: []string{"企业 3"}},
		{Label: "物联网", Parent: 0, Lines: []string{"企业 1"}, Shade: 1},
		{Label: "<script>", Parent: 0},
		{Label: "未来", Parent: -1},
	}}.SVG())
	wellFormed(t, svg)
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") || !strings.Contains(svg, "主导 &amp; 新兴") {
		t.Fatalf("text not escaped: %s", svg)
	}
	if !strings.Contains(svg, `<a href="/insight/chains/a?year=2023&amp;x=1"><g id="node-a"`) {
		t.Fatalf("link missing: %s", svg)
	}
	// Three leaves stacked (box 34 high, slot 44, from y 30): the parent
	// sits midway between its two children, at 30+17+22.
	if !strings.Contains(svg, `y="52" width="210" height="34"`) {
		t.Fatalf("parent not centred on its children: %s", svg)
	}
	// Two connectors, from the root's right edge.
	if strings.Count(svg, "<path") != 2 || !strings.Contains(svg, `<path d="M218 69H236V47H254"/>`) {
		t.Fatalf("connectors: %s", svg)
	}
	if !strings.Contains(svg, `fill="`+blend(0.35)+`"`) || blend(0.35) != "#b5cce3" {
		t.Fatalf("full shade not drawn at 35%%: %s", svg)
	}
}

func TestHeatShadesByValue(t *testing.T) {
	svg := string(Heat{Title: "产业链 × 办事处", Rows: []string{"超硬材料", "传感器"}, Cols: []string{"石佛", "沟赵 <东>"},
		Values: [][]float64{{10, 0}, {5, math.NaN()}}, Labels: [][]string{{"10 家", ""}, {"", ""}}}.SVG())
	wellFormed(t, svg)
	if !strings.Contains(svg, "沟赵 &lt;东&gt;") {
		t.Fatal("column not escaped")
	}
	// The largest value is the darkest, white text on it; zero the lightest
	// shade; no value grey.
	if !strings.Contains(svg, `fill="#2b6cb0"`) && !strings.Contains(svg, `fill="`+blend(0.95)+`"`) {
		t.Fatalf("max not darkest: %s", svg)
	}
	if !strings.Contains(svg, `fill="#ffffff">10 家</text>`) || !strings.Contains(svg, `>5</text>`) || !strings.Contains(svg, `fill="#f5f7fa"`) {
		t.Fatalf("cells: %s", svg)
	}
	if !strings.Contains(svg, `fill="`+blend(0.08)+`"`) {
		t.Fatalf("zero not lightest: %s", svg)
	}
}
