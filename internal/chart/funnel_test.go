package chart

import (
	"strings"
	"testing"
)

func TestFunnelBandsInProportionAndEscaped(t *testing.T) {
	svg := string(Funnel{Title: "梯度 <漏斗>", Width: 500, Bands: []Band{{Label: "科技型中小企业", Value: 200}, {Label: "高新", Value: 100, Note: "50%"}, {Label: "瞪羚 & 小巨人", Value: 0}}}.SVG())
	if !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>") || strings.Count(svg, "<polygon") != 3 {
		t.Fatalf("not a funnel of three bands: %s", svg)
	}
	if strings.Contains(svg, "<漏斗>") || !strings.Contains(svg, "瞪羚 &amp; 小巨人") {
		t.Error("text not escaped")
	}
	// The middle column is 500-210-140 = 150 wide, centred on 285: the first
	// band spans it all and narrows to the second's half; an empty stage
	// keeps a sliver of 6 % (9), the last narrowing to 80 % of itself.
	for _, want := range []string{`points="210,28 360,28 322.5,68 247.5,68"`, `points="247.5,72 322.5,72 289.5,112 280.5,112"`, `points="280.5,116 289.5,116 288.6,156 281.4,156"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("want %s in %s", want, svg)
		}
	}
}
