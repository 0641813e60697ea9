package award

import (
	"strings"
	"testing"
)

// TestTierCountsOnlyWithinItsValidity: a certificate counts for a
// programme only when its validity period (start and end) covers the data
// year, or the date the rules name. A certificate granted after the data
// year, or one that expired before it, does not count.
func TestTierCountsOnlyWithinItsValidity(t *testing.T) {
	f := newFixture(t)
	sup := f.as(f.mustCreateUser("sup", "supervisor", 0))
	add := func(ent int64, from, to string) {
		f.exec(`INSERT INTO enterprise_tiers (enterprise_id, tier, valid_from, valid_to, created_at) VALUES ($1,'hnte',$2,$3,1)`, ent, from, to)
	}
	held := f.mustCreateEnterprise("V1", "全年有效", "2010-01-01")
	lateYear := f.mustCreateEnterprise("V2", "年内取得", "2010-01-01")
	future := f.mustCreateEnterprise("V3", "次年才取得", "2010-01-01")
	expired := f.mustCreateEnterprise("V4", "上年已过期", "2010-01-01")
	open := f.mustCreateEnterprise("V5", "长期有效", "2010-01-01")
	add(held, "2020-11-01", "2023-10-31")
	add(lateYear, "2022-11-15", "2025-11-14")
	add(future, "2023-02-01", "2026-01-31")
	add(expired, "2019-01-01", "2021-12-31")
	add(open, "", "")
	for _, e := range []int64{held, lateYear, future, expired, open} {
		f.fig(e, "taxes", 2022, 100)
	}
	p := Programme{Year: 2023, Kind: KindPrize, Rules: Rules{DataYear: 2022,
		Eligibility: Eligibility{TiersAny: []string{"hnte"}},
		Terms:       []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}
	ranked := func(p Programme) map[int64]bool {
		res := ok(f.S.Compute(sup, p))(t)
		out := map[int64]bool{}
		for _, e := range res.Entries {
			out[e.EnterpriseID] = true
		}
		for _, x := range res.Excluded {
			if !strings.Contains(x.Reason.ZH, "不具备所需资质") {
				t.Errorf("%s excluded for %q", x.Name, x.Reason.ZH)
			}
		}
		return out
	}
	got := ranked(p)
	for id, want := range map[int64]bool{held: true, lateYear: true, future: false, expired: false, open: true} {
		if got[id] != want {
			t.Errorf("data year 2022: enterprise %d eligible = %v, want %v", id, got[id], want)
		}
	}
	// On a named date both ends count: 2022-06-30 is before lateYear's start.
	p.Rules.Eligibility.TiersValidOn = "2022-06-30"
	got = ranked(p)
	for id, want := range map[int64]bool{held: true, lateYear: false, future: false, expired: false, open: true} {
		if got[id] != want {
			t.Errorf("on 2022-06-30: enterprise %d eligible = %v, want %v", id, got[id], want)
		}
	}
	p.Rules.Eligibility.TiersValidOn = "2022-6-30"
	if err := p.Rules.Validate(p.Kind, 0, map[string]int{"taxes": 2}); err == nil || !strings.Contains(detailText(err), "eligibility.tiers_valid_on") {
		t.Errorf("a malformed date is accepted: %v", err)
	}
}

// TestLoneWinnerKeepsTheTopGrade: when an upheld objection leaves one
// enterprise of two, it stays in the top class; a field never grades its
// leader below A while class A has a share.
func TestLoneWinnerKeepsTheTopGrade(t *testing.T) {
	r := Rules{DataYear: 2022, Grading: Grading{Enabled: true},
		Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}
	grades := func(n int) string {
		var cands []Candidate
		for i := 1; i <= n; i++ {
			cands = append(cands, cand(int64(i), string(rune('a'+i)), have(int64(1000-i), 0)))
		}
		var g []string
		for _, e := range Rank(r, KindPrize, 0, []Scales{{2, 0}}, cands).Entries {
			g = append(g, e.Grade)
		}
		return strings.Join(g, "")
	}
	for n, want := range map[int]string{1: "A", 2: "AB", 3: "ABB", 4: "ABBC", 5: "AABBC", 20: "AAAAABBBBBBBBBCCCCCD"} {
		if got := grades(n); got != want {
			t.Errorf("%d graded: %s, want %s", n, got, want)
		}
	}
	// Taking out an enterprise ranked above never lowers anyone's grade.
	for n := 2; n <= 40; n++ {
		before, after := grades(n), grades(n-1)
		for p := 1; p < n; p++ { // the leader leaves: position p+1 becomes p
			if after[p-1] > before[p] {
				t.Fatalf("%d graded: position %d falls from %c to %c when the leader leaves", n, p+1, before[p], after[p-1])
			}
		}
	}
}

// TestUpheldObjectionKeepsTheLeadersGrade: two enterprises are graded A and
// B on notice; an objection against the second is upheld and it is
// excluded; the one left is still graded A.
func TestUpheldObjectionKeepsTheLeadersGrade(t *testing.T) {
	f := newFixture(t)
	ctx := f.as(f.mustCreateUser("sup", "supervisor", 0))
	lead := f.mustCreateEnterprise("G1", "领先企业", "2010-01-01")
	second := f.mustCreateEnterprise("G2", "第二企业", "2010-01-01")
	f.fig(lead, "taxes", 2022, 200)
	f.fig(second, "taxes", 2022, 100)
	p := ok(f.S.CreateProgramme(ctx, NewProgramme{Year: 2023, NameZH: "经济贡献奖", Kind: KindPrize, BudgetFen: 100_000_00, NoticeDays: 1,
		Rules: Rules{DataYear: 2022, Grading: Grading{Enabled: true}, Money: MoneyRule{Kind: "fixed", AmountFen: 1_000_00},
			Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}))(t)
	ok(f.S.Advance(ctx, p.ID, StateOpen))(t)
	ok(f.S.Advance(ctx, p.ID, StateReview))(t)
	r := ok(f.S.RankProgramme(ctx, p.ID))(t)
	if g := []string{r.Result.Entries[0].Grade, r.Result.Entries[1].Grade}; g[0] != "A" || g[1] != "B" {
		t.Fatalf("grades before the objection: %v", g)
	}
	ok(f.S.Advance(ctx, p.ID, StateNotice))(t)
	o := ok(f.S.FileObjection(f.ctx, p.ID, NewObjection{EnterpriseID: second, Name: "王五", Contact: "wang@example.com",
		Reason: "第二企业存在未披露的违法记录，不应获奖。"}, nil))(t)
	ok(f.S.Decide(ctx, o.ID, true, "经核实，取消第二企业资格", []Correction{{Kind: "exclude", EnterpriseID: second}}))(t)
	r = ok(f.S.LatestRound(f.ctx, p.ID))(t)
	if len(r.Result.Entries) != 1 || r.Result.Entries[0].EnterpriseID != lead || r.Result.Entries[0].Grade != "A" {
		t.Fatalf("after the upheld objection: %+v", r.Result.Entries)
	}
}
