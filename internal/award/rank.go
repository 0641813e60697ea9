package award

import "sort"

// Input is what a term reads for one candidate: for a figure, Num; for a
// ratio, Num ÷ Den; for a growth rate, Num (this year) against Den (last
// year); for an expert score, Num in millionths. Has* say the value exists.
type Input struct {
	Num, Den       int64
	HasNum, HasDen bool
}

// Candidate is an enterprise to rank, with one Input per formula term.
type Candidate struct {
	EnterpriseID int64
	CreditCode   string
	Name         string
	Exempt       bool    // holds an exempt tier: ranked but not graded
	Inputs       []Input // one per term, in formula order
	Excluded     *Reason // set by eligibility checks before ranking
}

// Reason says why an enterprise is not ranked, in both languages.
type Reason struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Scales are the decimal scales of each term's numerator and denominator
// figures (money in fen has scale 2, people 0).
type Scales struct{ Num, Den int }

// TermScore explains one term of one enterprise's score.
type TermScore struct {
	Code        string `json:"code"`
	Raw         Fixed  `json:"raw"`
	Transformed Fixed  `json:"transformed"`
	Weight      int    `json:"weight"`
	Points      Fixed  `json:"points"`
}

// Entry is one ranked enterprise.
type Entry struct {
	Rank         int         `json:"rank"`
	EnterpriseID int64       `json:"enterprise_id"`
	CreditCode   string      `json:"credit_code"`
	Name         string      `json:"name"`
	Total        Fixed       `json:"total"`
	Grade        string      `json:"grade,omitempty"`
	Winner       bool        `json:"winner"`
	Terms        []TermScore `json:"terms"`
}

// Exclusion is an enterprise left out, with the reason shown.
type Exclusion struct {
	EnterpriseID int64  `json:"enterprise_id"`
	CreditCode   string `json:"credit_code"`
	Name         string `json:"name"`
	Reason       Reason `json:"reason"`
}

// Result is a whole ranking.
type Result struct {
	// Subject is what was ranked (Rules.Subject): "" for enterprises;
	// otherwise EnterpriseID of each entry and exclusion is the id of a
	// candidate of that subject.
	Subject  string      `json:"subject,omitempty"`
	Entries  []Entry     `json:"entries"`
	Excluded []Exclusion `json:"excluded"`
}

// Rank scores every candidate by the terms, excludes those whose data is
// missing or unusable (never scoring them as zero), sorts them (total
// descending, then each term's points in declared order, then credit code),
// marks the winners (the first quota for a ranking, all for a prize) and
// grades them. It is pure: the same input gives byte-identical output.
func Rank(rules Rules, kind string, quota int, scales []Scales, cands []Candidate) Result {
	terms := rules.Terms
	n := len(terms)
	raws := make([]Fixed, len(cands)*n)
	bench := make([]Fixed, len(cands)*n) // benchmark transforms, computed with the raw value
	ok := make([]bool, len(cands))
	var res Result
	for i := range cands {
		c := &cands[i]
		if c.Excluded == nil {
			for j, t := range terms {
				v, why := rawValue(t, scales[j], c.Inputs[j])
				if why == nil && t.Transform == TransformBenchmark {
					bench[i*n+j], why = benchmarked(t, v)
				}
				if why != nil {
					c.Excluded = why
					break
				}
				raws[i*n+j] = v
			}
		}
		if c.Excluded != nil {
			res.Excluded = append(res.Excluded, Exclusion{EnterpriseID: c.EnterpriseID, CreditCode: c.CreditCode, Name: c.Name, Reason: *c.Excluded})
			continue
		}
		ok[i] = true
	}
	idx := make([]int, 0, len(cands))
	for i := range cands {
		if ok[i] {
			idx = append(idx, i)
		}
	}
	res.Entries = make([]Entry, len(idx))
	scores := make([]TermScore, len(idx)*n)
	for k, i := range idx {
		res.Entries[k] = Entry{EnterpriseID: cands[i].EnterpriseID, CreditCode: cands[i].CreditCode, Name: cands[i].Name,
			Terms: scores[k*n : (k+1)*n : (k+1)*n]}
	}
	col := make([]Fixed, len(idx))
	for j, t := range terms {
		for k, i := range idx {
			col[k] = raws[i*n+j]
		}
		tr := newTransformer(t, col)
		for k, i := range idx {
			v := bench[i*n+j]
			if t.Transform != TransformBenchmark {
				v = tr.apply(col[k])
			}
			if t.Cap > 0 && v > t.Cap {
				v = t.Cap
			}
			e := &res.Entries[k]
			e.Terms[j] = TermScore{Code: t.Code, Raw: col[k], Transformed: v, Weight: t.Weight, Points: v * Fixed(t.Weight)}
			e.Total += e.Terms[j].Points
		}
	}
	sort.Slice(res.Entries, func(a, b int) bool { return before(&res.Entries[a], &res.Entries[b]) })
	exempt := map[int64]bool{}
	for _, c := range cands {
		if c.Exempt {
			exempt[c.EnterpriseID] = true
		}
	}
	for k := range res.Entries {
		e := &res.Entries[k]
		e.Rank = k + 1
		e.Winner = kind == KindPrize || e.Rank <= quota
	}
	if rules.Grading.Enabled {
		grade(res.Entries, rules.Grading.bands(), exempt)
	}
	if res.Excluded == nil {
		res.Excluded = []Exclusion{}
	}
	return res
}

// before is the ranking order: higher total, then higher points on each term
// in declared order, then the smaller credit code.
func before(a, b *Entry) bool {
	if a.Total != b.Total {
		return a.Total > b.Total
	}
	for j := range a.Terms {
		if a.Terms[j].Points != b.Terms[j].Points {
			return a.Terms[j].Points > b.Terms[j].Points
		}
	}
	return a.CreditCode < b.CreditCode
}

// grade assigns A/B/C/D among the graded (non-exempt) entries by the share
// of them ranked above: an entry is in the first class whose cumulative
// percent exceeds that share (class A when fewer than 25% rank above it, by
// the default bands). So the leader is always in class A (when A has a
// share), and taking out an entry ranked above another, as an upheld
// objection does, never lowers the other's grade. In integers: position p
// of n is in class k when (p − 1) × 100 < n × cumulative percent of k.
func grade(es []Entry, bands []int, exempt map[int64]bool) {
	n := 0
	for _, e := range es {
		if !exempt[e.EnterpriseID] {
			n++
		}
	}
	pos := 0
	for k := range es {
		if exempt[es[k].EnterpriseID] {
			es[k].Grade = "免评"
			continue
		}
		es[k].Grade = "D"
		cum := 0
		for i, b := range bands {
			cum += b
			if pos*100 < n*cum {
				es[k].Grade = string(rune('A' + i))
				break
			}
		}
		pos++
	}
}

// limit bounds raw and transformed values (about 2.3e12 in units), so that
// differences, points (× weight ≤ 100) and totals of up to 50 terms cannot
// overflow; a value beyond it excludes the enterprise with a reason.
const limit = Fixed(1) << 51

func outOfRange(t Term) *Reason {
	return &Reason{"数值超出可计算范围：" + t.NameZH, "value out of range: " + t.code()}
}

// benchmarked is raw ÷ benchmark, rounded by the one rule.
func benchmarked(t Term, v Fixed) (Fixed, *Reason) {
	q, ok := mulDiv(int64(v), int64(One), int64(t.Benchmark))
	if !ok || Fixed(q) > limit || Fixed(q) < -limit {
		return 0, outOfRange(t)
	}
	return Fixed(q), nil
}

// rawValue computes a term's raw value, or the reason it cannot be computed.
func rawValue(t Term, sc Scales, in Input) (Fixed, *Reason) {
	v, why := rawValue0(t, sc, in)
	if why == nil && (v > limit || v < -limit) {
		return 0, outOfRange(t)
	}
	return v, why
}

func rawValue0(t Term, sc Scales, in Input) (Fixed, *Reason) {
	name := t.NameZH
	if !in.HasNum || (t.Source != SourceFigure && t.Source != SourceExpert && !in.HasDen) {
		if t.Source == SourceExpert {
			return 0, &Reason{"缺少专家评分（" + name + "）", "no expert score (" + t.code() + ")"}
		}
		return 0, &Reason{"缺少数据：" + name, "missing data: " + t.code()}
	}
	switch t.Source {
	case SourceFigure:
		v, ok := mulDiv(in.Num, pow10(6-sc.Num), 1)
		if !ok {
			return 0, outOfRange(t)
		}
		return Fixed(v), nil
	case SourceExpert:
		return Fixed(in.Num), nil
	case SourceRatio:
		if in.Den <= 0 {
			return 0, &Reason{"分母为 0 或负数，无法计算：" + name, "denominator is zero or negative: " + t.code()}
		}
		v, ok := mulDiv(in.Num, pow10(6+sc.Den-sc.Num), in.Den)
		if !ok {
			return 0, outOfRange(t)
		}
		return Fixed(v), nil
	case SourceGrowth:
		if in.Den <= 0 {
			return 0, &Reason{"上年基数为 0 或负数，无法计算增长率：" + name, "last year's base is zero or negative: " + t.code()}
		}
		v, ok := mulDiv(in.Num-in.Den, int64(One), in.Den)
		if !ok {
			return 0, outOfRange(t)
		}
		return Fixed(v), nil
	}
	return 0, &Reason{"未知来源：" + name, "unknown source: " + t.code()}
}

func (t Term) code() string {
	if t.NameEN != "" {
		return t.NameEN
	}
	return t.Code
}

// transformer maps raw values to transformed values over the eligible set.
type transformer struct {
	t        Term
	min, max Fixed
	sorted   []Fixed
}

func newTransformer(t Term, col []Fixed) *transformer {
	tr := &transformer{t: t}
	switch t.Transform {
	case TransformMinMax:
		for k, v := range col {
			if k == 0 || v < tr.min {
				tr.min = v
			}
			if k == 0 || v > tr.max {
				tr.max = v
			}
		}
	case TransformPercentile:
		tr.sorted = append([]Fixed(nil), col...)
		sort.Slice(tr.sorted, func(a, b int) bool { return tr.sorted[a] < tr.sorted[b] })
	}
	return tr
}

// apply (benchmark is done in benchmarked): min–max (raw − min) ÷ (max − min), 1 for
// everyone when all values are equal; percentile (count strictly below) ÷
// (n − 1), 1 when there is one enterprise.
func (tr *transformer) apply(v Fixed) Fixed {
	switch tr.t.Transform {
	case TransformMinMax:
		if tr.max == tr.min {
			return One
		}
		q, _ := mulDiv(int64(v-tr.min), int64(One), int64(tr.max-tr.min))
		return Fixed(q)
	case TransformPercentile:
		n := len(tr.sorted)
		if n <= 1 {
			return One
		}
		below := sort.Search(n, func(i int) bool { return tr.sorted[i] >= v })
		q, _ := mulDiv(int64(below), int64(One), int64(n-1))
		return Fixed(q)
	}
	return 0
}
