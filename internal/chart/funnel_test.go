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
	// The middle column is 500-150-150 = 200 wide, centred on 250: the first
	// band spans it all and narrows to the second's 100; an empty stage keeps
	// a sliver of 6 % (12).
	for _, want := range []string{`points="150,28 350,28 300,68 200,68"`, `points="200,72 300,72 256,112 244,112"`, `points="244,116 256,116 254.8,156 245.2,156"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("want %s in %s", want, svg)
		}
	}
}
