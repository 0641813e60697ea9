package panel

import (
	"math"
	"testing"

	"gaoxin/internal/fixed"
)

// pts turns whole and decimal points into Fixed totals: pts("80", "92.5").
func pts(t testing.TB, vs ...string) []fixed.Fixed {
	t.Helper()
	var out []fixed.Fixed
	for _, v := range vs {
		f, ok := fixed.Parse(v)
		if !ok {
			t.Fatalf("bad total %q", v)
		}
		out = append(out, f)
	}
	return out
}

func TestTrimmedMean(t *testing.T) {
	cases := []struct {
		name   string
		totals []string
		trimAt int
		want   string // "" for no score
	}{
		{"two totals, fewer than trimAt: plain mean", []string{"80", "90"}, 5, "85.000000"},
		{"five at trimAt 5: drop 60 and 100", []string{"60", "70", "80", "90", "100"}, 5, "80.000000"},
		{"four, fewer than trimAt: plain mean", []string{"60", "70", "80", "90"}, 5, "75.000000"},
		{"configured at 3", []string{"60", "70", "95"}, 3, "70.000000"},
		{"4/3 thousandths, rounded once to the millionth", []string{"0.001", "0.001", "0.002"}, 9, "0.001333"},
		{"2/3 rounds half away from zero upward", []string{"0", "0", "0.002"}, 9, "0.000667"},
		{"ties at both ends drop one of each", []string{"80", "80", "80", "90", "90"}, 5, "83.333333"},
		{"all equal", []string{"77.5", "77.5", "77.5", "77.5", "77.5"}, 5, "77.500000"},
		{"unsorted input", []string{"100", "60", "90", "70", "80"}, 5, "80.000000"},
		{"trimAt 1 still needs three totals to trim", []string{"10", "20"}, 1, "15.000000"},
		{"trimAt 0 means the default 5", []string{"60", "70", "80", "90"}, 0, "75.000000"},
		{"one total", []string{"42.125"}, 5, "42.125000"},
		{"no totals: every expert recused or none scored", nil, 5, ""},
	}
	for _, c := range cases {
		got, ok := TrimmedMean(pts(t, c.totals...), c.trimAt)
		if c.want == "" {
			if ok {
				t.Errorf("%s: got %s, want no score", c.name, got)
			}
			continue
		}
		if !ok || got.String() != c.want {
			t.Errorf("%s: TrimmedMean(%v, %d) = %s, %v; want %s", c.name, c.totals, c.trimAt, got, ok, c.want)
		}
	}
	in := pts(t, "100", "60", "90")
	TrimmedMean(in, 3)
	if in[0] != 100*fixed.One {
		t.Error("TrimmedMean reordered its argument")
	}
	if _, ok := TrimmedMean([]fixed.Fixed{math.MaxInt64, math.MaxInt64}, 5); ok {
		t.Error("an overflowing sum gave a score")
	}
}
