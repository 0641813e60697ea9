package insight

import (
	"strings"
	"testing"
)

// The thresholds, edges first: the bands' bounds belong to the lower band
// (5000 万元（含）以下), a ceiling reached is still within it, a shortfall
// just inside its margin is close and one just outside is not.
func TestRulesAssessEdges(t *testing.T) {
	f := func(kv ...int64) map[string]int64 {
		m := map[string]int64{}
		keys := []string{"revenue", "rd_spend", "employees", "rd_staff", "patents", "financing"}
		for i, v := range kv {
			if v >= 0 {
				m[keys[i]] = v
			}
		}
		return m
	}
	const none = -1
	for _, c := range []struct {
		name, tier string
		cur, prev  map[string]int64
		ok         bool
		gaps       string // criteria unmet, with their text
	}{
		{"高新: 5000 万 exactly is the 5% band", "hnte", f(5000*wan, 240*wan, 100, 10, 1), nil, true, "rd_intensity 研发强度 4.8%，差 0.2 个百分点"},
		{"高新: 1 fen more is the 4% band", "hnte", f(5000*wan+1, 240*wan, 100, 10, 1), nil, true, ""},
		{"高新: above 2 亿, 3%", "hnte", f(30000*wan, 900*wan, 500, 50, 3), nil, true, ""},
		{"高新: 1.5 points short is still close", "hnte", f(4000*wan, 140*wan, 100, 10, 1), nil, true, "rd_intensity 研发强度 3.5%，差 1.5 个百分点"},
		{"高新: 1.51 points short is not", "hnte", f(10000*wan, 249*wan, 100, 10, 1), nil, false, ""},
		{"高新: two gaps", "hnte", f(4000*wan, 200*wan, 100, 9, 0), nil, true,
			"rd_staff_share 科技人员占比 9%，差 1 个百分点; patents 有效发明专利 0 件，差 1 件"},
		{"高新: three gaps is too many", "hnte", f(4000*wan, 168*wan, 100, 9, 0), nil, true, ""},
		{"高新: no patents figure, cannot tell", "hnte", f(4000*wan, 200*wan, 100, 12, none), nil, false, ""},
		{"科技型中小企业: 500 staff is within the ceiling", "tsme", f(20000*wan, 0, 500, 50), nil, true, ""},
		{"科技型中小企业: 501 is out of reach", "tsme", f(1000*wan, 0, 501, 200), nil, false, ""},
		{"瞪羚: 20% growth meets", "gazelle", f(1200 * wan), f(1000 * wan), true, ""},
		{"瞪羚: 19.19% is 0.81 short", "gazelle", f(1150 * wan), f(964.8 * wan), true, "growth 营业收入增长率 19.19%，差 0.81 个百分点"},
		{"瞪羚: no previous year, cannot tell", "gazelle", f(1200 * wan), nil, false, ""},
		{"瞪羚: revenue 120 万 short", "gazelle", f(880 * wan), f(700 * wan), true, "revenue 营业收入 880 万元，差 120 万元"},
		{"专精特新: 2000 万 of financing stands for the revenue", "srdi", f(800*wan, 100*wan, 50, 5, 0, 2000*wan), nil, true, ""},
		{"专精特新: 1000 staff and 4 亿 revenue is no SME", "srdi", f(40000*wan, 2000*wan, 1000), nil, false, ""},
		{"专精特新: 999 staff and 4 亿 is", "srdi", f(40000*wan, 2000*wan, 999), nil, true, ""},
		{"小巨人: 1 亿 exactly is the 3% band", "little_giant", f(10000*wan, 300*wan, 200, 20, 2), f(9000 * wan), true, ""},
		{"小巨人: just under 1 亿 is 6%", "little_giant", f(9999*wan, 500*wan, 200, 20, 2), f(9000 * wan), true, "rd_intensity 研发强度 5%，差 1 个百分点"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := TierRuleOf(c.tier)
			gaps, _, ok := r.assess(figures{c.cur, c.prev})
			if c.name == "高新: three gaps is too many" {
				// with 9 of 100 staff, no patent and 3.5% R&D: three gaps
				gaps, _, ok = r.assess(figures{f(4000*wan, 140*wan, 100, 9, 0), nil})
				if ok {
					t.Fatalf("three gaps taken as close: %+v", gaps)
				}
				return
			}
			if ok != c.ok {
				t.Fatalf("close = %v, want %v (%+v)", ok, c.ok, gaps)
			}
			var got []string
			for _, g := range gaps {
				got = append(got, g.Criterion+" "+g.TextZH)
			}
			if s := strings.Join(got, "; "); ok && s != c.gaps {
				t.Fatalf("gaps %q, want %q", s, c.gaps)
			}
		})
	}
}

// The pipeline evaluates the tiers above the highest held, and 小巨人 only
// for those holding 专精特新.
func TestCandidatesSkipHeldStagesAndPrerequisites(t *testing.T) {
	x := figures{map[string]int64{"revenue": 12000 * wan, "rd_spend": 600 * wan, "employees": 300, "rd_staff": 60, "patents": 3},
		map[string]int64{"revenue": 10000 * wan}}
	tiers := func(held ...string) string {
		var out []string
		for _, c := range appendCandidates(nil, 1, 2023, "7", held, x) {
			out = append(out, c.tier)
		}
		return strings.Join(out, ",")
	}
	if got := tiers(None); got != "tsme,hnte,gazelle,srdi" {
		t.Errorf("none held: %s", got)
	}
	if got := tiers("hnte", "gazelle"); got != "srdi" {
		t.Errorf("高新 and 瞪羚 held: %s", got)
	}
	if got := tiers("srdi"); got != "little_giant" {
		t.Errorf("专精特新 held: %s", got)
	}
	if got := tiers("listed"); got != "" {
		t.Errorf("listed: %s", got)
	}
}

// Money gaps read in 万元 to 百元: the value rounded down, the shortfall
// up, so 50 元 short is never "差 0 万元".
func TestMoneyGapWords(t *testing.T) {
	c, _ := TierRules[2].criterion("revenue")
	for _, x := range []struct {
		v    int64
		want string
	}{
		{1000*wan - 5000, "营业收入 999.99 万元，差 0.01 万元"},
		{880 * wan, "营业收入 880 万元，差 120 万元"},
		{700*wan + 12345678, "营业收入 712.34 万元，差 287.66 万元"},
	} {
		if got := c.gap(x.v, 1000*wan).TextZH; got != x.want {
			t.Errorf("%d: %q, want %q", x.v, got, x.want)
		}
	}
}
