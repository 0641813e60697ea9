package chart

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg from the current code")

// goldenLines cover what Line draws: gaps, negative values (the zero
// line), a dashed series, many labels (thinned), one label, no series,
// escaped names and units, a set size, a flat series.
func goldenLines() []Line {
	nan := math.NaN()
	many := Line{Title: "月度 & <累计>", YUnit: "%"}
	for i := 1; i <= 30; i++ {
		many.XLabels = append(many.XLabels, strconv.Itoa(i)+"日")
	}
	s := Series{Name: "a\"b'<c>"}
	for i := range 30 {
		s.Values = append(s.Values, math.Sin(float64(i)/3)*1234.567)
	}
	many.Series = []Series{s, {Name: "目标", Values: []float64{1, 2, nan, 4}, Dashed: true, Color: "#123456"}}
	return []Line{
		{Title: "主要经济指标（万元）", XLabels: []string{"2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"},
			Series: []Series{
				{Name: "营业收入", Values: []float64{1200.5, 1300.25, nan, 1500, 1700.75, 1800, 2100.1, 2300, 2500, 2900.99}},
				{Name: "利润总额", Values: []float64{-120, 30, 45.5, nan, nan, 80, 95, 110, 120, 130}},
				{Name: "纳税总额", Values: []float64{12, 13, 14, 15, 16, 17, 18, 19, 20, 21}},
				{Name: "研发投入", Values: []float64{0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1}},
			}},
		many,
		{Title: "one", XLabels: []string{"2025"}, Series: []Series{{Name: "x", Values: []float64{42}}}, Width: 320, Height: 200},
		{Title: "none", XLabels: []string{"a", "b"}},
		{Title: "flat", XLabels: []string{"a", "b", "c"}, YUnit: "亿元", Series: []Series{{Name: "f", Values: []float64{5, 5, 5}}, {Name: "inf", Values: []float64{math.Inf(1), 1, 2}}}},
		{Title: "negative", XLabels: []string{"a", "b", "c"}, Series: []Series{{Name: "n", Values: []float64{-0.004, -3.5, -1e6}}}},
	}
}

// Line draws exactly the SVG recorded in testdata (written by the code
// as it was when the file was made; go test -update rewrites it).
func TestLineGolden(t *testing.T) {
	for i, c := range goldenLines() {
		path := filepath.Join("testdata", "line"+strconv.Itoa(i)+".svg")
		got := string(c.SVG())
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got+"\n" != string(want) {
			t.Errorf("%s differs:\n got %s\nwant %s", path, got, want)
		}
	}
}
