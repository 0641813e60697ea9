package chart

import (
	"math"
	"strings"
	"testing"
)

func TestLineDrawsSeriesGapsAndEscapes(t *testing.T) {
	svg := string(Line{Title: "GDP <累计增速>", XLabels: []string{"1月", "2月", "3月"}, YUnit: "%",
		Series: []Series{{Name: "高新区", Values: []float64{8, math.NaN(), 12}}, {Name: "目标", Values: []float64{10, 10, 10}, Dashed: true}}}.SVG())
	if !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>") {
		t.Fatalf("not an svg: %s", svg)
	}
	if strings.Contains(svg, "<累计增速>") || !strings.Contains(svg, "&lt;累计增速&gt;") {
		t.Error("title not escaped")
	}
	// the NaN makes a gap: the zone's path has two separate moves
	i := strings.Index(svg, `<path d="`)
	path := svg[i : i+strings.Index(svg[i:], `"`+` fill`)]
	if strings.Count(path, "M") != 2 || strings.Contains(path, "L") {
		t.Errorf("gap not drawn as two segments: %s", path)
	}
	if strings.Count(svg, "<circle") != 2 {
		t.Errorf("want 2 points (gap and dashed target excluded), got %d", strings.Count(svg, "<circle"))
	}
	if !strings.Contains(svg, `stroke-dasharray`) {
		t.Error("target line not dashed")
	}
}

func TestNiceTicksCoverRange(t *testing.T) {
	for _, c := range [][2]float64{{0, 1}, {-3.2, 17.5}, {5, 5}, {0.001, 0.004}, {120, 980}} {
		ts := niceTicks(c[0], c[1], 5)
		if ts[0] > c[0] || ts[len(ts)-1] < c[1] {
			t.Errorf("ticks %v do not cover %v", ts, c)
		}
	}
}

func TestBarLengthsProportional(t *testing.T) {
	svg := string(Bar{Title: "t", Labels: []string{"a", "b"}, Values: []float64{50, 100}, Width: 620}.SVG())
	if !strings.Contains(svg, `width="200.0"`) || !strings.Contains(svg, `width="400.0"`) {
		t.Errorf("bars not proportional: %s", svg)
	}
}
