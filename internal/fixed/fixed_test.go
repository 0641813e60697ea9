package fixed

import "testing"

func TestMulDivRoundsHalfAwayFromZero(t *testing.T) {
	cases := []struct {
		a, b, c, want int64
		ok            bool
	}{
		{1, 1_000_000, 3, 333_333, true},
		{2, 1_000_000, 3, 666_667, true},
		{1, 1, 2, 1, true},   // 0.5 → 1
		{-1, 1, 2, -1, true}, // −0.5 → −1
		{5, 1, 4, 1, true},   // 1.25 → 1
		{7, 1, 4, 2, true},   // 1.75 → 2
		{-7, 1, -4, 2, true}, // signs cancel
		{1, 1, 0, 0, false},  // division by zero
		{1 << 62, 4, 1, 0, false},
	}
	for _, c := range cases {
		got, ok := MulDiv(c.a, c.b, c.c)
		if got != c.want || ok != c.ok {
			t.Errorf("MulDiv(%d,%d,%d) = %d,%v want %d,%v", c.a, c.b, c.c, got, ok, c.want, c.ok)
		}
	}
}

func TestParseAndFormat(t *testing.T) {
	for in, want := range map[string]string{"1.5": "1.500000", "-0.25": "-0.250000", "100": "100.000000", "0.000001": "0.000001"} {
		v, ok := Parse(in)
		if !ok || v.String() != want || string(v.AppendTo(nil)) != want {
			t.Errorf("Parse(%q) = %s,%v want %s", in, v, ok, want)
		}
	}
	for _, in := range []string{"", "1.0000001", "abc", "1e5", "--1"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
	if s := Fixed(12_345_650).Short(); s != "12.3457" {
		t.Errorf("Short = %s", s)
	}
	for v, want := range map[Fixed]string{50 * One: "50", 35_500_000: "35.5", 1_333: "0.001333", 0: "0", -2_500_000: "-2.5"} {
		if got := v.Trimmed(); got != want {
			t.Errorf("Fixed(%d).Trimmed() = %q want %q", int64(v), got, want)
		}
	}
}
