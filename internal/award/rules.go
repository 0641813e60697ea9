package award

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/panel"
)

// Kinds of programme.
const (
	KindRanking = "ranking" // an honour with a quota (科技创新20强)
	KindPrize   = "prize"   // paid to every qualified enterprise (上市之星奖)
)

// Term sources and transforms.
const (
	SourceFigure = "figure" // one registry figure of the data year
	SourceRatio  = "ratio"  // indicator ÷ denominator (研发投入/营业收入, 税收/用地面积)
	SourceGrowth = "growth" // (this year − last year) ÷ last year
	SourceExpert = "expert" // the review panel's score of the application

	TransformBenchmark  = "benchmark"  // raw ÷ benchmark
	TransformMinMax     = "minmax"     // (raw − min) ÷ (max − min) over the eligible set
	TransformPercentile = "percentile" // share of eligible values strictly below, ÷ (n − 1)
)

// Rules are everything a programme decides by: who is eligible, how they are
// scored, graded and paid. They are stored as JSON on the programme.
type Rules struct {
	// Subject is what is ranked: "" for the registry's enterprises, or the
	// code of a registered Subject (subject.go), such as
	// "finance.institutions".
	Subject            string      `json:"subject,omitempty"`
	DataYear           int         `json:"data_year"`           // year of the registry figures used
	RequireApplication bool        `json:"require_application"` // rank only accepted applications
	Eligibility        Eligibility `json:"eligibility"`
	Terms              []Term      `json:"terms"`
	Grading            Grading     `json:"grading"`
	Money              MoneyRule   `json:"money"`
	Criteria           []Criterion `json:"criteria,omitempty"` // what experts score
	TrimAt             int         `json:"trim_at,omitempty"`  // drop highest+lowest from this many scores (default 5)
}

// Eligibility are the conditions over registry data; empty means no condition.
type Eligibility struct {
	TiersAny        []string `json:"tiers_any,omitempty"`         // holds at least one of these valid tiers
	ChainNodes      []string `json:"chain_nodes,omitempty"`       // in one of these chain nodes (or their children)
	MinYearsInZone  int      `json:"min_years_in_zone,omitempty"` // registered on or before Jan 1 of (year − n)
	RequiredFigures []string `json:"required_figures,omitempty"`  // effective value present for the data year
	NoFlag          bool     `json:"no_flag"`                     // no active flagged record (失信, 事故…)
	// TiersValidOn is the day (YYYY-MM-DD) a certificate must be valid on
	// to count; empty: valid at some time in the data year. Both the start
	// and the end of its validity are checked.
	TiersValidOn string `json:"tiers_valid_on,omitempty"`
}

// tierSpan is the span a certificate's validity must meet: the day the
// rules name, or the whole data year.
func (r Rules) tierSpan() (from, to string) {
	if d := r.Eligibility.TiersValidOn; d != "" {
		return d, d
	}
	y := strconv.Itoa(r.DataYear)
	return y + "-01-01", y + "-12-31"
}

// Term is one line of the scoring formula.
type Term struct {
	Code        string `json:"code"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en,omitempty"`
	Source      string `json:"source"`
	Indicator   string `json:"indicator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
	Transform   string `json:"transform"`
	Benchmark   Fixed  `json:"benchmark,omitempty"`
	Weight      int    `json:"weight"`
	Cap         Fixed  `json:"cap,omitempty"` // upper bound of the transformed value; 0 for none
}

// Grading sorts ranked enterprises into classes by position.
type Grading struct {
	Enabled     bool     `json:"enabled"`
	Bands       []int    `json:"bands,omitempty"`        // percent per class A, B, C, D; default 25,45,25,5
	ExemptTiers []string `json:"exempt_tiers,omitempty"` // holders are not graded (免评)
}

// MoneyNone is the money rule of an honour without a grant (荣誉称号): no
// grant is made when the list is confirmed.
const MoneyNone = "none"

// MoneyRule says how much each confirmed winner is granted.
type MoneyRule struct {
	Kind        string `json:"kind"` // fixed, bands, formula, manual
	AmountFen   int64  `json:"amount_fen,omitempty"`
	Bands       []Band `json:"bands,omitempty"`
	PerPointFen int64  `json:"per_point_fen,omitempty"`
	CapFen      int64  `json:"cap_fen,omitempty"`
}

// Band pays AmountFen to ranks up to ToRank (after the previous band). The
// last band may have ToRank 0: it then pays every rank after the previous
// band (及以后), which is how a prize, paid to every qualified enterprise
// however many qualify, reaches all its winners.
type Band struct {
	ToRank    int   `json:"to_rank"`
	AmountFen int64 `json:"amount_fen"`
}

// Criterion is one thing experts score, from 0 to Max: the review panel's
// criterion, named here so that the programme's rules and the API
// document keep the awards module's name for it.
type Criterion panel.Criterion

// PanelTrimAt is how many expert scores make the panel drop the highest and
// the lowest (5 unless the rules say otherwise).
func (r Rules) PanelTrimAt() int { return r.trimAt() }

func (r Rules) trimAt() int {
	if r.TrimAt <= 0 {
		return panel.DefaultTrimAt
	}
	return r.TrimAt
}

func (g Grading) bands() []int {
	if len(g.Bands) == 4 {
		return g.Bands
	}
	return []int{25, 45, 25, 5}
}

func bad(field, zh, en string) errs.Detail {
	return errs.Detail{Field: field, Reason: zh, ReasonEN: en}
}

// Validate checks the rules for opening a programme: weights summing to 100,
// known indicators, non-zero benchmarks, a usable money rule. known maps an
// indicator code to its scale. It returns an Invalid error listing every
// problem, or nil.
func (r Rules) Validate(kind string, quota int, known map[string]int) error {
	var ds []errs.Detail
	if r.DataYear < 2000 || r.DataYear > 2100 {
		ds = append(ds, bad("data_year", "数据年度无效", "data year is not valid"))
	}
	if len(r.Terms) == 0 || len(r.Terms) > 50 {
		ds = append(ds, bad("terms", "评分公式须有 1–50 项", "the formula needs 1–50 terms"))
	}
	sum, codes := 0, map[string]bool{}
	for i, t := range r.Terms {
		f := "terms[" + strconv.Itoa(i) + "]"
		ds = append(ds, t.validate(f, known, codes)...)
		if t.Source == SourceExpert && len(r.Criteria) == 0 {
			ds = append(ds, bad(f+".source", "专家评审得分项需要先填写专家评审指标", "an expert term needs review criteria"))
		}
		if t.Source == SourceExpert && !r.RequireApplication {
			ds = append(ds, bad(f+".source", "有专家评审得分项时须选择“须企业申报”", "an expert term requires applications"))
		}
		sum += t.Weight
	}
	if sum != 100 {
		ds = append(ds, bad("terms.weight", fmt.Sprintf("各项权重之和为 %d，应为 100", sum), fmt.Sprintf("weights sum to %d, not 100", sum)))
	}
	for _, c := range r.Eligibility.RequiredFigures {
		if _, ok := known[c]; !ok {
			ds = append(ds, bad("eligibility.required_figures", "指标不存在："+c, "no such figure: "+c))
		}
	}
	if d := r.Eligibility.TiersValidOn; d != "" && !isDate(d) {
		ds = append(ds, bad("eligibility.tiers_valid_on", "资质有效日期格式应为 YYYY-MM-DD", "the tier validity date must be YYYY-MM-DD"))
	}
	for i, c := range r.Criteria {
		if c.Code == "" || c.NameZH == "" || c.Max <= 0 || c.Max > 1000 {
			ds = append(ds, bad("criteria["+strconv.Itoa(i)+"]", "评审指标须有代码、名称和 1–1000 的满分", "a criterion needs a code, a name and a maximum of 1–1000"))
		}
	}
	if b := r.Grading.Bands; r.Grading.Enabled && len(b) > 0 {
		if len(b) != 4 || b[0]+b[1]+b[2]+b[3] != 100 || b[0] < 0 || b[1] < 0 || b[2] < 0 || b[3] < 0 {
			ds = append(ds, bad("grading.bands", "分档比例须为 4 个非负数且合计 100", "grading bands must be 4 non-negative percents summing to 100"))
		}
	}
	if kind == KindRanking && quota <= 0 {
		ds = append(ds, bad("quota", "排名类项目须设名额", "a ranking programme needs a quota"))
	}
	ds = append(ds, r.Money.validate(kind, quota)...)
	ds = append(ds, r.Money.credible()...)
	ds = append(ds, r.subjectDetails()...)
	if len(ds) > 0 {
		return errs.List("评选规则有误，项目不能启动", "the programme's rules are not valid; it cannot be opened", ds)
	}
	return nil
}

// isDate reports whether s is a real calendar day written YYYY-MM-DD.
func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func (t Term) validate(f string, known map[string]int, codes map[string]bool) []errs.Detail {
	var ds []errs.Detail
	if t.Code == "" || codes[t.Code] {
		ds = append(ds, bad(f+".code", "每项须有唯一代码", "each term needs a unique code"))
	}
	codes[t.Code] = true
	if strings.TrimSpace(t.NameZH) == "" {
		ds = append(ds, bad(f+".name_zh", "缺少名称", "name is missing"))
	}
	if t.Weight <= 0 {
		ds = append(ds, bad(f+".weight", "权重须为正整数", "weight must be a positive whole number"))
	}
	if t.Weight > 100 {
		ds = append(ds, bad(f+".weight", "权重不能超过 100", "weight cannot exceed 100"))
	}
	if t.Cap < 0 {
		ds = append(ds, bad(f+".cap", "封顶值不能为负", "cap cannot be negative"))
	}
	need := func(field, code string) {
		if code == "" {
			ds = append(ds, bad(f+"."+field, "缺少指标", "indicator is missing"))
			return
		}
		if sc, ok := known[code]; !ok {
			ds = append(ds, bad(f+"."+field, "企业库中没有指标 "+code, "the registry has no figure "+code))
		} else if sc > 6 {
			ds = append(ds, bad(f+"."+field, "指标 "+code+" 的小数位超过 6", "figure "+code+" has more than 6 decimals"))
		}
	}
	switch t.Source {
	case SourceFigure, SourceGrowth:
		need("indicator", t.Indicator)
	case SourceRatio:
		need("indicator", t.Indicator)
		need("denominator", t.Denominator)
	case SourceExpert:
	default:
		ds = append(ds, bad(f+".source", "来源应为 figure、ratio、growth 或 expert", "source must be figure, ratio, growth or expert"))
	}
	switch t.Transform {
	case TransformBenchmark:
		if t.Benchmark <= 0 {
			ds = append(ds, bad(f+".benchmark", "基准值须大于 0（不能除以 0）", "benchmark must be above 0 (no division by zero)"))
		}
	case TransformMinMax, TransformPercentile:
	default:
		ds = append(ds, bad(f+".transform", "变换应为 benchmark、minmax 或 percentile", "transform must be benchmark, minmax or percentile"))
	}
	return ds
}

func (m MoneyRule) validate(kind string, quota int) []errs.Detail {
	var ds []errs.Detail
	switch m.Kind {
	case "fixed":
		if m.AmountFen <= 0 {
			ds = append(ds, bad("money.amount_fen", "每家奖励金额须大于 0", "the fixed amount must be above 0"))
		}
	case "bands":
		ds = append(ds, m.validateBands(kind, quota)...)
	case "formula":
		if m.PerPointFen <= 0 || m.CapFen <= 0 {
			ds = append(ds, bad("money.per_point_fen", "按公式奖励须设每分金额和单家上限", "a formula needs an amount per point and a cap per enterprise"))
		}
	case "manual", MoneyNone:
	default:
		ds = append(ds, bad("money.kind", "奖励方式应为 fixed、bands、formula、manual 或 none", "money rule must be fixed, bands, formula, manual or none"))
	}
	return ds
}

// validateBands checks that the bands rise, pay above 0, and reach every
// winner: a ranking's quota, or, for a prize, every rank (an open last band).
func (m MoneyRule) validateBands(kind string, quota int) []errs.Detail {
	if len(m.Bands) == 0 {
		return []errs.Detail{bad("money.bands", "按名次段奖励至少需要一个名次段", "a band scheme needs at least one band")}
	}
	var ds []errs.Detail
	prev := 0
	for i, b := range m.Bands {
		open := b.ToRank == 0 && i == len(m.Bands)-1
		if (!open && b.ToRank <= prev) || b.AmountFen <= 0 {
			ds = append(ds, bad("money.bands["+strconv.Itoa(i)+"]", "名次段须逐段递增（仅最后一段可为 0，表示其后全部名次）且金额大于 0",
				"bands must rise by rank (only the last may be 0, for every rank after) and pay above 0"))
		}
		prev = b.ToRank
	}
	if prev == 0 {
		return ds
	}
	switch {
	case kind == KindPrize:
		d := bad("money.bands", fmt.Sprintf("达标奖励发给每一家合格企业，但名次段只到第 %d 名：第 %d 名及以后的获奖企业将没有奖励金额。请把最后一段的“至第几名”设为 0（其后全部名次）", prev, prev+1),
			fmt.Sprintf("a prize pays every qualified enterprise, but the bands stop at rank %d: winners ranked %d and below would get no amount. Set the last band's to-rank to 0 (every rank after)", prev, prev+1))
		d.Value = strconv.Itoa(prev + 1)
		ds = append(ds, d)
	case kind == KindRanking && prev < quota:
		zh, en, val := rankSpan(prev+1, quota)
		d := bad("money.bands", fmt.Sprintf("名次段须覆盖全部 %d 个名额：%s没有奖励金额", quota, zh),
			fmt.Sprintf("bands must cover the whole quota of %d: %s would get no amount", quota, en))
		d.Value = val
		ds = append(ds, d)
	}
	return ds
}

// rankSpan names ranks from..to: "第 4–5 名", "ranks 4–5", "4–5" (or one rank).
func rankSpan(from, to int) (zh, en, value string) {
	if from == to {
		v := strconv.Itoa(from)
		return "第 " + v + " 名", "rank " + v, v
	}
	v := strconv.Itoa(from) + "–" + strconv.Itoa(to)
	return "第 " + v + " 名", "ranks " + v, v
}

// unpaid returns the winners of r that a band scheme gives no amount (the
// bands stop short of them), in rank order; nil for other rules.
func (m MoneyRule) unpaid(r Result) []Entry {
	if m.Kind != "bands" {
		return nil
	}
	var out []Entry
	for _, e := range r.Entries {
		if amt, _ := m.Amount(e.Rank, e.Total); e.Winner && amt <= 0 {
			out = append(out, e)
		}
	}
	return out
}

// unpaidError refuses a step that would leave winners of r without an
// amount, naming their ranks; nil when every winner is paid.
func (m MoneyRule) unpaidError(r Result, step, stepEN string) error {
	u := m.unpaid(r)
	if len(u) == 0 {
		return nil
	}
	zh, en, val := rankSpan(u[0].Rank, u[len(u)-1].Rank)
	if len(u) != u[len(u)-1].Rank-u[0].Rank+1 {
		var rs []string
		for _, e := range u {
			rs = append(rs, strconv.Itoa(e.Rank))
		}
		val = strings.Join(rs, ",")
		zh, en = "第 "+strings.Join(rs, "、")+" 名", "ranks "+strings.Join(rs, ", ")
	}
	e := errs.New(errs.Conflict, fmt.Sprintf("奖励名次段没有覆盖全部获奖企业：%s（%d 家）没有奖励金额，不能%s", zh, len(u), step),
		fmt.Sprintf("the money bands do not reach every winner: %s (%d enterprises) would get no amount; cannot %s", en, len(u), stepEN))
	e.Details = []errs.Detail{{Field: "money.bands", Value: val, Reason: zh + "没有奖励金额", ReasonEN: en + " would get no amount"}}
	return e
}

// Amount is the grant for a winner at rank with total points, by the rule;
// ok is false for manual rules (staff set each grant).
func (m MoneyRule) Amount(rank int, total Fixed) (int64, bool) {
	switch m.Kind {
	case "fixed":
		return m.AmountFen, true
	case "bands":
		for i, b := range m.Bands {
			if rank <= b.ToRank || (b.ToRank == 0 && i == len(m.Bands)-1) {
				return b.AmountFen, true
			}
		}
		return 0, true
	case "formula":
		v, ok := mulDiv(int64(total), m.PerPointFen, int64(One))
		if !ok || v > m.CapFen {
			v = m.CapFen
		}
		if v < 0 {
			v = 0
		}
		return v, true
	}
	return 0, false
}
