package award

import (
	"bytes"
	"encoding/json"
	"testing"
)

// twoTerms is 研发投入强度 (rd/revenue, benchmark 0.05, cap 2) weight 60 and
// 税收 (min–max) weight 40.
func twoTerms() Rules {
	return Rules{DataYear: 2022, Terms: []Term{
		{Code: "rd", NameZH: "研发投入强度", Source: SourceRatio, Indicator: "rd_spend", Denominator: "revenue", Transform: TransformBenchmark,
			Benchmark: 50_000, Weight: 60, Cap: 2 * One},
		{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 40},
	}}
}

func cand(id int64, credit string, in ...Input) Candidate {
	return Candidate{EnterpriseID: id, CreditCode: credit, Name: credit, Inputs: in}
}

func have(num, den int64) Input { return Input{Num: num, Den: den, HasNum: true, HasDen: true} }

// TestRankHandComputed: E1 rd 6,000/100,000 = 0.06 → 1.2 → 72 points, tax
// 500 (min) → 0; E2 0.03 → 0.6 → 36, tax 1,500 (max) → 40; E3 0.15 → 3
// capped to 2 → 120, tax 1,000 → 0.5 → 20. E4 has no tax, E5 a zero
// revenue: both excluded with a reason and not part of the min–max set.
func TestRankHandComputed(t *testing.T) {
	sc := []Scales{{2, 2}, {2, 0}}
	cands := []Candidate{
		cand(1, "E1", have(600_000, 10_000_000), have(50_000, 0)),
		cand(2, "E2", have(300_000, 10_000_000), have(150_000, 0)),
		cand(3, "E3", have(1_500_000, 10_000_000), have(100_000, 0)),
		cand(4, "E4", have(1, 10), Input{}),
		cand(5, "E5", have(1, 0), have(9_999_999, 0)),
	}
	res := Rank(twoTerms(), KindRanking, 2, sc, cands)
	want := []struct {
		credit, total string
		winner        bool
	}{{"E3", "140.000000", true}, {"E2", "76.000000", true}, {"E1", "72.000000", false}}
	if len(res.Entries) != len(want) {
		t.Fatalf("ranked %d, want %d: %+v", len(res.Entries), len(want), res.Entries)
	}
	for i, w := range want {
		e := res.Entries[i]
		if e.CreditCode != w.credit || e.Total.String() != w.total || e.Winner != w.winner || e.Rank != i+1 {
			t.Errorf("rank %d = %s %s winner %v, want %s %s %v", i+1, e.CreditCode, e.Total, e.Winner, w.credit, w.total, w.winner)
		}
	}
	e3 := res.Entries[0].Terms[0]
	if e3.Raw.String() != "0.150000" || e3.Transformed.String() != "2.000000" || e3.Points.String() != "120.000000" || e3.Weight != 60 {
		t.Errorf("E3 rd explanation = %+v", e3)
	}
	if len(res.Excluded) != 2 || res.Excluded[0].Reason.ZH != "缺少数据：税收" || res.Excluded[1].Reason.EN != "denominator is zero or negative: rd" {
		t.Errorf("excluded = %+v", res.Excluded)
	}
}

func TestRankTieBreaks(t *testing.T) {
	sc := []Scales{{2, 2}, {2, 0}}
	r := twoTerms()
	// A and D are identical: the credit code decides.
	cands := []Candidate{
		cand(1, "D", have(500_000, 10_000_000), have(100_000, 0)), // rd 1 → 60, tax 0.5 → 20 = 80
		cand(2, "A", have(500_000, 10_000_000), have(100_000, 0)), // same as D
		cand(3, "C", have(0, 10_000_000), have(200_000, 0)),       // 0 + 40 = 40
		cand(4, "B", have(250_000, 10_000_000), have(0, 0)),       // 0.5 → 30, tax 0 = 30
		cand(5, "E", have(166_667, 10_000_000), have(50_000, 0)),  // 0.016667 → 0.33334 → 20.0004, tax 0.25 → 10
	}
	res := Rank(r, KindPrize, 0, sc, cands)
	var got []string
	for _, e := range res.Entries {
		got = append(got, e.CreditCode+":"+e.Total.String())
	}
	want := []string{"A:80.000000", "D:80.000000", "C:40.000000", "E:30.000400", "B:30.000000"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
	// Equal totals of 60 broken by the first declared term, against the
	// credit-code order: Z1 (rd 60 + tax 0) before A1 (rd 30 + tax 0.75 → 30).
	res = Rank(r, KindPrize, 0, sc, []Candidate{
		cand(1, "A1", have(250_000, 10_000_000), have(300_000, 0)),
		cand(2, "Z1", have(500_000, 10_000_000), have(0, 0)),
		cand(3, "H", have(0, 10_000_000), have(400_000, 0)),
	})
	if res.Entries[0].CreditCode != "Z1" || res.Entries[1].CreditCode != "A1" || res.Entries[0].Total != res.Entries[1].Total {
		t.Fatalf("tie not broken by term order: %+v", res.Entries)
	}
	if !res.Entries[0].Winner || !res.Entries[2].Winner {
		t.Error("a prize pays every qualified enterprise")
	}
}

func TestGradingByPercentileWithExemptions(t *testing.T) {
	r := Rules{DataYear: 2022, Grading: Grading{Enabled: true, ExemptTiers: []string{"listed"}},
		Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformPercentile, Weight: 100}}}
	var cands []Candidate
	for i := 1; i <= 21; i++ {
		c := cand(int64(i), string(rune('a'+i)), have(int64(i*100), 0))
		c.Exempt = i == 21 // the best is exempt
		cands = append(cands, c)
	}
	res := Rank(r, KindPrize, 0, []Scales{{2, 0}}, cands)
	// 20 graded: A ends at 5, B at 14, C at 19, D the 20th.
	count := map[string]int{}
	for _, e := range res.Entries {
		count[e.Grade]++
	}
	if res.Entries[0].Grade != "免评" || count["A"] != 5 || count["B"] != 9 || count["C"] != 5 || count["D"] != 1 {
		t.Fatalf("grades = %v, first %q", count, res.Entries[0].Grade)
	}
	// Percentile: the lowest of 21 gets 0, the highest 1.
	last := res.Entries[len(res.Entries)-1]
	if last.Terms[0].Transformed != 0 || res.Entries[0].Terms[0].Transformed != One {
		t.Errorf("percentile ends = %s, %s", last.Terms[0].Transformed, res.Entries[0].Terms[0].Transformed)
	}
}

func TestGrowthAndEdgeCases(t *testing.T) {
	r := Rules{DataYear: 2022, Terms: []Term{{Code: "g", NameZH: "营收增长率", Source: SourceGrowth, Indicator: "revenue",
		Transform: TransformBenchmark, Benchmark: 100_000, Weight: 100}}}
	res := Rank(r, KindPrize, 0, []Scales{{2, 0}}, []Candidate{
		cand(1, "up", Input{Num: 120, Den: 100, HasNum: true, HasDen: true}),  // +20% → 2 → 200
		cand(2, "down", Input{Num: 90, Den: 100, HasNum: true, HasDen: true}), // −10% → −1 → −100
		cand(3, "zero", Input{Num: 90, Den: 0, HasNum: true, HasDen: true}),   // excluded
		cand(4, "nobase", Input{Num: 90, HasNum: true}),                       // excluded
	})
	if len(res.Entries) != 2 || res.Entries[0].Total.String() != "200.000000" || res.Entries[1].Total.String() != "-100.000000" {
		t.Fatalf("growth = %+v", res.Entries)
	}
	if len(res.Excluded) != 2 || res.Excluded[0].Reason.ZH != "上年基数为 0 或负数，无法计算增长率：营收增长率" {
		t.Fatalf("excluded = %+v", res.Excluded)
	}
	// One enterprise in a min–max or percentile set gets the full value.
	r.Terms[0].Transform = TransformMinMax
	res = Rank(r, KindPrize, 0, []Scales{{2, 0}}, []Candidate{cand(1, "x", Input{Num: 5, Den: 4, HasNum: true, HasDen: true})})
	if res.Entries[0].Total != 100*One {
		t.Fatalf("single min–max = %s", res.Entries[0].Total)
	}
}

func TestRankTwiceIsByteIdentical(t *testing.T) {
	rules, sc, cands := syntheticSet(500, 12, 7)
	a, _ := Rank(rules, KindRanking, 20, sc, cloneCands(cands)).JSON()
	b, _ := Rank(rules, KindRanking, 20, sc, cloneCands(cands)).JSON()
	if !bytes.Equal(a, b) {
		t.Fatal("two rankings of the same data differ")
	}
}

func TestValidateRules(t *testing.T) {
	known := map[string]int{"revenue": 2, "taxes": 2, "rd_spend": 2, "land": 2}
	good := twoTerms()
	good.Money = MoneyRule{Kind: "fixed", AmountFen: 100}
	if err := good.Validate(KindRanking, 3, known); err != nil {
		t.Fatalf("good rules refused: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(*Rules)
		field string
	}{
		{"weights do not sum", func(r *Rules) { r.Terms[1].Weight = 30 }, "terms.weight"},
		{"missing figure", func(r *Rules) { r.Terms[1].Indicator = "profit" }, "terms[1].indicator"},
		{"zero benchmark", func(r *Rules) { r.Terms[0].Benchmark = 0 }, "terms[0].benchmark"},
		{"unknown transform", func(r *Rules) { r.Terms[1].Transform = "log" }, "terms[1].transform"},
		{"expert without criteria", func(r *Rules) {
			r.Terms[1] = Term{Code: "x", NameZH: "专家", Source: SourceExpert, Transform: TransformMinMax, Weight: 40}
		}, "terms[1].source"},
		{"no money rule", func(r *Rules) { r.Money = MoneyRule{} }, "money.kind"},
		{"bands short of quota", func(r *Rules) { r.Money = MoneyRule{Kind: "bands", Bands: []Band{{ToRank: 2, AmountFen: 5}}} }, "money.bands"},
	}
	for _, c := range cases {
		r := twoTerms()
		r.Money = MoneyRule{Kind: "fixed", AmountFen: 100}
		c.edit(&r)
		err := r.Validate(KindRanking, 3, known)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		found := false
		for _, d := range asErr(err).Details {
			found = found || d.Field == c.field
		}
		if !found {
			t.Errorf("%s: details %+v do not name %s", c.name, asErr(err).Details, c.field)
		}
	}
}

// The panel's mean is tested in internal/panel (TestTrimmedMean).
func TestMoneyRuleAmounts(t *testing.T) {
	bands := MoneyRule{Kind: "bands", Bands: []Band{{3, 300}, {10, 100}}}
	for rank, want := range map[int]int64{1: 300, 3: 300, 4: 100, 10: 100, 11: 0} {
		if got, _ := bands.Amount(rank, 0); got != want {
			t.Errorf("band amount rank %d = %d want %d", rank, got, want)
		}
	}
	f := MoneyRule{Kind: "formula", PerPointFen: 1_000, CapFen: 50_000}
	if got, _ := f.Amount(1, 12_345_500); got != 12_346 { // 12.3455 points × 10 元 → 123.46 元, half up
		t.Errorf("formula amount = %d", got)
	}
	if got, _ := f.Amount(1, 99*One); got != 50_000 {
		t.Errorf("formula cap = %d", got)
	}
}

// TestResultJSONMatchesEncodingJSON holds the hand-written encoder to the
// bytes encoding/json gives, including names that need escaping.
func TestResultJSONMatchesEncodingJSON(t *testing.T) {
	rules, sc, cands := syntheticSet(200, 5, 3)
	cands[0].Name = `引号"与\\反斜杠` + "\t<&>\u2028"
	for _, res := range []Result{Rank(rules, KindRanking, 10, sc, cands), {}, {Entries: []Entry{{Name: "A<B>&C"}}}} {
		got, _ := res.JSON()
		want, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("JSON differs:\n%s\n%s", got[:min(len(got), 300)], want[:min(len(want), 300)])
		}
	}
}
