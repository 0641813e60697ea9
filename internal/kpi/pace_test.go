package kpi

import (
	"math"
	"testing"
	"time"

	"gaoxin/internal/db"
)

func v(s string) Value {
	x, err := ParseValue("t", s)
	if err != nil {
		panic(err)
	}
	return x
}

func o(s string) Opt { return Some(v(s)) }

func near(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-4 }

// TestAssessAbsolute is hand-computed: expected = T × m / 12 (or last year's
// share), pace = YTD ÷ expected, need = (T − YTD) ÷ (12 − m).
func TestAssessAbsolute(t *testing.T) {
	cases := []struct {
		name                     string
		in                       Input
		status                   Status
		expected, pace, perMonth float64 // NaN: must be nil
	}{
		{"january", Input{Target: v("16000"), Month: 1, YTD: o("1400")}, Ahead, 1333.3333, 1.05, 1327.2727},
		{"december", Input{Target: v("16000"), Month: 12, YTD: o("15500")}, OnPace, 16000, 0.96875, math.NaN()},
		{"quarterly Q3", Input{Target: v("1200"), Month: 9, YTD: o("800")}, Behind, 900, 0.8889, 133.3333},
		{"at risk", Input{Target: v("1200"), Month: 6, YTD: o("500")}, AtRisk, 600, 0.8333, 116.6667},
		{"exactly 0.95 is on pace", Input{Target: v("1200"), Month: 6, YTD: o("570")}, OnPace, 600, 0.95, 105},
		{"exactly 0.85 is behind", Input{Target: v("1200"), Month: 6, YTD: o("510")}, Behind, 600, 0.85, 115},
		{"exactly 1.00 is ahead", Input{Target: v("1200"), Month: 6, YTD: o("600")}, Ahead, 600, 1, 100},
		{"target passed: nothing more needed", Input{Target: v("1000"), Month: 10, YTD: o("1100")}, Ahead, 833.3333, 1.32, 0},
		{"seasonal profile", Input{Target: v("1000"), Month: 6, YTD: o("420"), YTDLast: o("400"), LastFull: o("1000"), Seasonal: true}, Ahead, 400, 1.05, 96.6667},
		{"seasonal ignored when not asked", Input{Target: v("1000"), Month: 6, YTD: o("420"), YTDLast: o("400"), LastFull: o("1000")}, AtRisk, 500, 0.84, 96.6667},
		{"seasonal zero base: n/a", Input{Target: v("1000"), Month: 1, YTD: o("30"), YTDLast: o("0"), LastFull: o("1000"), Seasonal: true}, NA, 0, math.NaN(), math.NaN()},
		{"lower is better", Input{Target: v("1200"), Month: 6, YTD: o("500"), Direction: Lower}, Ahead, 600, 1.2, 116.6667},
		{"only a rate: n/a", Input{Target: v("1200"), Month: 6, Rate: o("5")}, NA, math.NaN(), math.NaN(), math.NaN()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Kind, tc.in.Thresholds = Absolute, DefaultThresholds
			a := Assess(tc.in)
			if a.Status != tc.status {
				t.Errorf("status %s, want %s (%s)", a.Status, tc.status, a.Why)
			}
			check := func(name string, got *float64, want float64) {
				if math.IsNaN(want) {
					if got != nil {
						t.Errorf("%s = %v, want n/a", name, *got)
					}
				} else if !near(got, want) {
					t.Errorf("%s = %v, want %v", name, deref(got), want)
				}
			}
			check("expected", a.Expected, tc.expected)
			check("pace", a.Pace, tc.pace)
			check("need per month", a.NeedPerMonth, tc.perMonth)
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// TestAssessGrowth is hand-computed: r = YTD ÷ last − 1, gap = r − g, need =
// (full × (1+g) − YTD) ÷ (full − last) − 1.
func TestAssessGrowth(t *testing.T) {
	cases := []struct {
		name              string
		in                Input
		status            Status
		growth, gap, need float64
		src               GrowthSource
	}{
		{"january met", Input{Target: v("10"), Month: 1, YTD: o("110"), YTDLast: o("100"), LastFull: o("1200")}, Met, 10, 0, 10, Derived},
		{"close", Input{Target: v("10"), Month: 6, YTD: o("654"), YTDLast: o("600"), LastFull: o("1200")}, Close, 9, -1, 11, Derived},
		{"exactly −2 is behind", Input{Target: v("10"), Month: 6, YTD: o("108"), YTDLast: o("100")}, Behind, 8, -2, math.NaN(), Derived},
		{"negative growth", Input{Target: v("8"), Month: 3, YTD: o("95"), YTDLast: o("100"), LastFull: o("400")}, Behind, -5, -13, 12.3333, Derived},
		{"december: nothing remains", Input{Target: v("10"), Month: 12, YTD: o("1340"), YTDLast: o("1200"), LastFull: o("1200")}, Met, 11.6667, 1.6667, math.NaN(), Derived},
		{"zero base: n/a", Input{Target: v("10"), Month: 2, YTD: o("50"), YTDLast: o("0")}, NA, math.NaN(), math.NaN(), math.NaN(), ""},
		{"zero base with a published rate", Input{Target: v("10"), Month: 2, YTD: o("50"), YTDLast: o("0"), Rate: o("12.5")}, Met, 12.5, 2.5, math.NaN(), Published},
		{"only a published rate", Input{Target: v("10"), Month: 9, Rate: o("7.5")}, Behind, 7.5, -2.5, math.NaN(), Published},
		{"quarterly Q1", Input{Target: v("20"), Month: 3, YTD: o("240"), YTDLast: o("200"), LastFull: o("1000")}, Met, 20, 0, 20, Derived},
		{"lower is better", Input{Target: v("-3"), Month: 6, YTD: o("96"), YTDLast: o("100"), Direction: Lower}, Met, -4, 1, math.NaN(), Derived},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Kind, tc.in.Thresholds = Growth, DefaultThresholds
			a := Assess(tc.in)
			if a.Status != tc.status {
				t.Errorf("status %s, want %s", a.Status, tc.status)
			}
			if a.GrowthSource != tc.src {
				t.Errorf("source %q, want %q", a.GrowthSource, tc.src)
			}
			for _, c := range []struct {
				name string
				got  *float64
				want float64
			}{{"growth", a.GrowthPct, tc.growth}, {"gap", a.GapPP, tc.gap}, {"need", a.NeedGrowth, tc.need}} {
				if math.IsNaN(c.want) && c.got != nil {
					t.Errorf("%s = %v, want n/a", c.name, *c.got)
				}
				if !math.IsNaN(c.want) && !near(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.name, deref(c.got), c.want)
				}
			}
		})
	}
}

func TestCompareCityProvince(t *testing.T) {
	a := Assess(Input{Kind: Growth, Target: v("10"), Month: 5, YTD: o("110"), YTDLast: o("100"), City: o("8"), Prov: o("10"), Thresholds: DefaultThresholds})
	if a.VsCity != "above" || a.VsProv != "equal" || !near(a.CityPct, 8) {
		t.Fatalf("vs city %s, vs province %s", a.VsCity, a.VsProv)
	}
	a = Assess(Input{Kind: Growth, Target: v("10"), Month: 5, YTD: o("105"), YTDLast: o("100"), City: o("6.5"), Thresholds: DefaultThresholds})
	if a.VsCity != "below" || a.VsProv != "n/a" || a.ProvPct != nil {
		t.Fatalf("vs city %s, vs province %s", a.VsCity, a.VsProv)
	}
	if a := Assess(Input{Kind: Growth, Target: v("10"), Thresholds: DefaultThresholds}); a.Status != NoData || a.Remaining != 12 {
		t.Fatalf("no figure: %+v", a)
	}
}

func TestThresholdsConfigurable(t *testing.T) {
	th := Thresholds{Ahead: 1.1, OnPace: 1.0, Behind: 0.9, ClosePP: 1}
	for _, c := range []struct {
		pace float64
		want Status
	}{{1.1, Ahead}, {1.05, OnPace}, {0.95, Behind}, {0.89, AtRisk}} {
		if got := th.PaceStatus(c.pace); got != c.want {
			t.Errorf("pace %v: %s, want %s", c.pace, got, c.want)
		}
	}
	if th.GapStatus(-1) != Behind || th.GapStatus(-0.5) != Close {
		t.Error("gap thresholds not applied")
	}
}

func TestDueDates(t *testing.T) {
	if got := DueDate(2023, 12, 15).Format("2006-01-02"); got != "2024-01-15" {
		t.Fatalf("December figure due %s", got)
	}
	q := Indicator{Frequency: Quarterly, DueDay: 20}
	day := func(s string) time.Time { d, _ := time.ParseInLocation("2006-01-02", s, db.CST); return d }
	cases := []struct {
		have    map[int]bool
		asOf    string
		month   int
		date    string
		overdue bool
	}{
		{map[int]bool{3: true, 6: true}, "2023-10-20", 9, "2023-10-20", false},
		{map[int]bool{3: true, 6: true}, "2023-10-21", 9, "2023-10-20", true},
		{map[int]bool{}, "2023-02-01", 3, "2023-04-20", false},
		{map[int]bool{3: true}, "2023-08-01", 6, "2023-07-20", true},
	}
	for _, c := range cases {
		d := NextDue(q, 2023, c.have, day(c.asOf))
		if d == nil || d.Month != c.month || d.Date != c.date || d.Overdue != c.overdue {
			t.Errorf("have %v at %s: %+v, want month %d due %s overdue %v", c.have, c.asOf, d, c.month, c.date, c.overdue)
		}
	}
	if d := NextDue(q, 2023, map[int]bool{3: true, 6: true, 9: true, 12: true}, day("2024-02-01")); d != nil {
		t.Errorf("complete year still due: %+v", d)
	}
}

func TestParseValue(t *testing.T) {
	good := map[string]Value{"0": 0, "1234.5": 12345000, "-3": -30000, "+8.25": 82500, "16,000": 160000000, "0.0001": 1, "10%": 100000, ".5": 5000}
	for in, want := range good {
		got, err := ParseValue("f", in)
		if err != nil || got != want {
			t.Errorf("ParseValue(%q) = %d, %v; want %d", in, got, err, want)
		}
		if back, _ := ParseValue("f", got.String()); back != got {
			t.Errorf("round trip of %q via %q", in, got.String())
		}
	}
	for _, in := range []string{"", "abc", "1.23456", "1e5", "--1", "1.2.3", "十", "12 3", "."} {
		if _, err := ParseValue("ytd", in); err == nil {
			t.Errorf("ParseValue(%q) accepted", in)
		}
	}
	if s := Value(-12345000).String(); s != "-1234.5" {
		t.Errorf("String = %s", s)
	}
	for in, want := range map[string]string{"12.300000000000001": "12.3", "1.2345E+7": "12345000", "1.23456": "1.23456", "7": "7"} {
		if got := cellNum(in); got != want {
			t.Errorf("cellNum(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseValueHugeNumbers: a whole part of up to 15 digits used to be
// multiplied by the scale before the bound was checked, so 999999999999999
// wrapped around int64 and was stored as a negative figure. Anything beyond
// the bound is refused, whatever its sign; the bound itself is accepted.
func TestParseValueHugeNumbers(t *testing.T) {
	for _, in := range []string{"999999999999999", "-999999999999999", "922337203685478", "28823037615172", "28823037615171.1745"} {
		if v, err := ParseValue("ytd", in); err == nil {
			t.Errorf("ParseValue(%q) = %s, want refused", in, v)
		}
	}
	// 2^58 ten-thousandths is 28823037615171.1744.
	for in, want := range map[string]Value{"28823037615171.1744": Value(maxAbs), "-28823037615171.1744": Value(-maxAbs), "28823037615171": Value(28823037615171 * Scale)} {
		if got, err := ParseValue("ytd", in); err != nil || got != want {
			t.Errorf("ParseValue(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
