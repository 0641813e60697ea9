package award

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand"
	"testing"

	"gaoxin/internal/errs"
)

func asErr(err error) *errs.Error {
	var e *errs.Error
	errors.As(err, &e)
	if e == nil {
		return &errs.Error{}
	}
	return e
}

// syntheticSet builds n candidates for a formula of k terms cycling through
// every source and transform, with some missing and zero values, from seed.
func syntheticSet(n, k int, seed int64) (Rules, []Scales, []Candidate) {
	rnd := rand.New(rand.NewSource(seed))
	r := Rules{DataYear: 2022, Grading: Grading{Enabled: true}}
	sc := make([]Scales, k)
	weights := make([]int, k)
	left := 100
	for j := 0; j < k; j++ {
		weights[j] = 100 / k
		left -= weights[j]
	}
	weights[0] += left
	sources := []string{SourceFigure, SourceRatio, SourceGrowth}
	transforms := []string{TransformBenchmark, TransformMinMax, TransformPercentile}
	for j := 0; j < k; j++ {
		t := Term{Code: fmt.Sprintf("t%02d", j), NameZH: fmt.Sprintf("指标%d", j), Source: sources[j%3], Indicator: "revenue",
			Denominator: "land", Transform: transforms[(j/3)%3], Weight: weights[j]}
		if t.Transform == TransformBenchmark {
			t.Benchmark = Fixed(rnd.Int63n(5_000_000) + 1)
			if j%2 == 0 {
				t.Cap = 3 * One
			}
		}
		sc[j] = Scales{Num: 2, Den: j % 3}
		r.Terms = append(r.Terms, t)
	}
	cands := make([]Candidate, n)
	for i := range cands {
		c := Candidate{EnterpriseID: int64(i + 1), CreditCode: fmt.Sprintf("91410100%010d", rnd.Int63n(1e10)), Name: fmt.Sprint("企业", i)}
		c.Inputs = make([]Input, k)
		for j := range c.Inputs {
			c.Inputs[j] = Input{Num: rnd.Int63n(100) * 1_000_000, Den: rnd.Int63n(50) * 10_000, HasNum: true, HasDen: true}
			if rnd.Intn(400) == 0 {
				c.Inputs[j].HasNum = false
			}
		}
		c.Exempt = rnd.Intn(30) == 0
		cands[i] = c
	}
	return r, sc, cands
}

func cloneCands(cs []Candidate) []Candidate {
	out := make([]Candidate, len(cs))
	copy(out, cs)
	return out
}

// roundRat rounds x to the nearest millionth, halves away from zero — the
// rule of fixed.go, restated on exact rationals.
func roundRat(x *big.Rat) *big.Rat {
	scaled := new(big.Rat).Mul(x, big.NewRat(1_000_000, 1))
	num, den := scaled.Num(), scaled.Denom()
	q, m := new(big.Int).QuoRem(new(big.Int).Abs(num), den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if num.Sign() < 0 {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, big.NewInt(1_000_000))
}

type naiveEntry struct {
	credit string
	total  *big.Rat
	points []*big.Rat
}

// naiveRank is a second, deliberately plain implementation: exact rationals,
// a quadratic percentile count and a selection sort.
func naiveRank(r Rules, sc []Scales, cands []Candidate) []naiveEntry {
	var kept []int
	raws := map[int][]*big.Rat{}
	for i, c := range cands {
		var vals []*big.Rat
		okAll := true
		for j, t := range r.Terms {
			in := c.Inputs[j]
			var v *big.Rat
			switch {
			case !in.HasNum || (t.Source != SourceFigure && !in.HasDen):
			case t.Source == SourceFigure:
				v = new(big.Rat).SetFrac64(in.Num, pow10(sc[j].Num))
			case t.Source == SourceRatio && in.Den > 0:
				a := new(big.Rat).SetFrac64(in.Num, pow10(sc[j].Num))
				b := new(big.Rat).SetFrac64(in.Den, pow10(sc[j].Den))
				v = roundRat(new(big.Rat).Quo(a, b))
			case t.Source == SourceGrowth && in.Den > 0:
				v = roundRat(big.NewRat(in.Num-in.Den, in.Den))
			}
			if v == nil {
				okAll = false
				break
			}
			vals = append(vals, v)
		}
		if okAll {
			kept = append(kept, i)
			raws[i] = vals
		}
	}
	var out []naiveEntry
	for _, i := range kept {
		e := naiveEntry{credit: cands[i].CreditCode, total: new(big.Rat)}
		for j, t := range r.Terms {
			v := raws[i][j]
			var tv *big.Rat
			switch t.Transform {
			case TransformBenchmark:
				tv = roundRat(new(big.Rat).Quo(v, new(big.Rat).SetFrac64(int64(t.Benchmark), 1_000_000)))
			case TransformMinMax:
				lo, hi := raws[kept[0]][j], raws[kept[0]][j]
				for _, k := range kept {
					if raws[k][j].Cmp(lo) < 0 {
						lo = raws[k][j]
					}
					if raws[k][j].Cmp(hi) > 0 {
						hi = raws[k][j]
					}
				}
				if lo.Cmp(hi) == 0 {
					tv = big.NewRat(1, 1)
				} else {
					tv = roundRat(new(big.Rat).Quo(new(big.Rat).Sub(v, lo), new(big.Rat).Sub(hi, lo)))
				}
			case TransformPercentile:
				below := 0
				for _, k := range kept {
					if raws[k][j].Cmp(v) < 0 {
						below++
					}
				}
				tv = big.NewRat(1, 1)
				if len(kept) > 1 {
					tv = roundRat(big.NewRat(int64(below), int64(len(kept)-1)))
				}
			}
			if t.Cap > 0 {
				capR := new(big.Rat).SetFrac64(int64(t.Cap), 1_000_000)
				if tv.Cmp(capR) > 0 {
					tv = capR
				}
			}
			p := new(big.Rat).Mul(tv, big.NewRat(int64(t.Weight), 1))
			e.points = append(e.points, p)
			e.total.Add(e.total, p)
		}
		out = append(out, e)
	}
	less := func(a, b naiveEntry) bool {
		if c := a.total.Cmp(b.total); c != 0 {
			return c > 0
		}
		for j := range a.points {
			if c := a.points[j].Cmp(b.points[j]); c != 0 {
				return c > 0
			}
		}
		return a.credit < b.credit
	}
	for i := range out {
		best := i
		for k := i + 1; k < len(out); k++ {
			if less(out[k], out[best]) {
				best = k
			}
		}
		out[i], out[best] = out[best], out[i]
	}
	return out
}

// TestRankMatchesNaiveImplementation recomputes rankings of random sets with
// the naive implementation and compares every rank and total.
func TestRankMatchesNaiveImplementation(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		rules, sc, cands := syntheticSet(300, 9, seed)
		got := Rank(rules, KindRanking, 20, sc, cloneCands(cands))
		want := naiveRank(rules, sc, cands)
		if len(got.Entries) != len(want) {
			t.Fatalf("seed %d: ranked %d, naive %d", seed, len(got.Entries), len(want))
		}
		for i, w := range want {
			g := got.Entries[i]
			if g.CreditCode != w.credit || g.Total.String() != w.total.FloatString(6) {
				t.Fatalf("seed %d rank %d: %s %s, naive %s %s", seed, i+1, g.CreditCode, g.Total, w.credit, w.total.FloatString(6))
			}
		}
		if len(got.Excluded)+len(got.Entries) != len(cands) {
			t.Fatalf("seed %d: %d excluded + %d ranked ≠ %d", seed, len(got.Excluded), len(got.Entries), len(cands))
		}
	}
}
