package insight

import (
	"fmt"
	"strconv"
	"strings"
)

// The tier pipeline (梯度培育): 科技型中小企业 → 高新技术企业 → 瞪羚 →
// 专精特新 → 小巨人 → 单项冠军/独角兽/上市. Stages orders the tiers; the
// last stage has three tiers side by side.
var Stages = [][]string{{"tsme"}, {"hnte"}, {"gazelle"}, {"srdi"}, {"little_giant"}, {"champion", "unicorn", "listed"}}

// StageOf is a tier's place in the pipeline (0 for 科技型中小企业), or -1
// for a tier outside it (研发平台).
func StageOf(tier string) int {
	for i, st := range Stages {
		for _, t := range st {
			if t == tier {
				return i
			}
		}
	}
	return -1
}

// Measure is what a criterion's value counts.
type Measure string

const (
	Percent Measure = "bp"    // a share in basis points (1/100 of a percent)
	Money   Measure = "fen"   // an amount in fen
	Count   Measure = "count" // people, patents
)

// Criterion is one threshold of a tier on the figures the registry keeps.
type Criterion struct {
	Code   string
	NameZH string
	NameEN string
	Unit   string // the count's unit in Chinese (人, 件) for Count
	Measure
	// Ceiling: the value must not exceed the threshold (an upper limit such
	// as 职工总数不超过 500 人); an enterprise above it is out of the
	// tier's reach, not close to it.
	Ceiling bool
	// Margin is how far below its threshold a value still counts as close,
	// in the measure's unit.
	Margin int64
	// eval gives the value and the threshold from a year's figures (and
	// the year before's, for growth); known is false when a figure it
	// needs is missing.
	eval func(x figures) (value, threshold int64, known bool)
}

// TierRule is a tier's thresholds and where they come from.
type TierRule struct {
	Tier     string
	Requires string // a tier that must be held first ("" none)
	Source   string
	Criteria []Criterion
}

// figures are one enterprise's values of a year and of the year before.
type figures struct {
	cur, prev map[string]int64
}

func (x figures) get(k string) (int64, bool) {
	v, ok := x.cur[k]
	return v, ok
}

const wan = 10000 * 100 // 万元 in fen

// share is a/b in basis points; known false when either is missing or b
// is not positive.
func share(a, b int64, okA, okB bool) (int64, bool) {
	if !okA || !okB || b <= 0 {
		return 0, false
	}
	return a * 10000 / b, true
}

func figure(code string, threshold int64) func(figures) (int64, int64, bool) {
	return func(x figures) (int64, int64, bool) {
		v, ok := x.get(code)
		return v, threshold, ok
	}
}

func rdStaffShare(threshold int64) func(figures) (int64, int64, bool) {
	return func(x figures) (int64, int64, bool) {
		s, st := x.get("rd_staff")
		e, se := x.get("employees")
		v, ok := share(s, e, st, se)
		return v, threshold, ok
	}
}

// rdIntensity is R&D spending over revenue, against a threshold that may
// depend on the revenue (bands: revenue up to each bound, inclusive, as
// the rules write "5000 万元（含）以下" → the share).
func rdIntensity(bands []band) func(figures) (int64, int64, bool) {
	return func(x figures) (int64, int64, bool) {
		rd, okR := x.get("rd_spend")
		rev, okV := x.get("revenue")
		v, ok := share(rd, rev, okR, okV)
		if !ok {
			return 0, 0, false
		}
		t := bands[len(bands)-1].share
		for _, b := range bands {
			if b.upTo == 0 || rev <= b.upTo {
				t = b.share
				break
			}
		}
		return v, t, true
	}
}

type band struct {
	upTo  int64 // revenue up to this (fen), inclusive; 0: any
	share int64 // basis points
}

// growth is revenue on the year before, in basis points.
func growth(threshold int64) func(figures) (int64, int64, bool) {
	return func(x figures) (int64, int64, bool) {
		cur, ok1 := x.cur["revenue"]
		prev, ok2 := x.prev["revenue"]
		if !ok1 || !ok2 || prev <= 0 {
			return 0, threshold, false
		}
		return (cur - prev) * 10000 / prev, threshold, true
	}
}

// revenueOr is revenue against a threshold, or met when the financing
// raised reaches alt (专精特新's "or new equity of …").
func revenueOr(threshold, alt int64) func(figures) (int64, int64, bool) {
	return func(x figures) (int64, int64, bool) {
		rev, ok := x.get("revenue")
		if f, okF := x.get("financing"); okF && f >= alt {
			return max(rev, threshold), threshold, true
		}
		return rev, threshold, ok
	}
}

// sme is the 中小企业 ceiling of industry (工信部联企业〔2011〕300号: fewer
// than 1000 employees or revenue below 4 亿元): the value is the
// employees, or 0 when the revenue alone makes it an SME.
func sme(x figures) (int64, int64, bool) {
	if rev, ok := x.get("revenue"); ok && rev < 40000*wan {
		return 0, 999, true
	}
	e, ok := x.get("employees")
	return e, 999, ok
}

// TierRules are the thresholds of each tier that the registry's figures can
// test. Criteria that need data the registry does not keep (高新技术产品收
// 入占比, 主营业务占比, the 60-point scores) are left to the assessors;
// a candidate is one to visit, not one that is certain to pass.
var TierRules = []TierRule{
	{Tier: "tsme", Source: "科技型中小企业评价办法（国科发政〔2022〕43号）第六条：职工总数不超过 500 人、年销售收入不超过 2 亿元；综合评价不低于 60 分且科技人员指标不得为 0 分（科技人员占职工总数不低于 10%）；60 分的综合评价此处不作计算",
		Criteria: []Criterion{
			{Code: "employees_max", NameZH: "职工总数上限", NameEN: "Employees at most", Unit: "人", Measure: Count, Ceiling: true, eval: figure("employees", 500)},
			{Code: "revenue_max", NameZH: "年销售收入上限", NameEN: "Revenue at most", Measure: Money, Ceiling: true, eval: figure("revenue", 20000*wan)},
			{Code: "rd_staff_share", NameZH: "科技人员占比", NameEN: "R&D staff share", Measure: Percent, Margin: 500, eval: rdStaffShare(1000)},
		}},
	{Tier: "hnte", Source: "高新技术企业认定管理办法（国科发火〔2016〕32号）第十一条：科技人员占职工总数不低于 10%；近三年研发费用占销售收入：5000 万元（含）以下不低于 5%，5000 万–2 亿元（含）不低于 4%，2 亿元以上不低于 3%（此处以最近一年计）；拥有核心自主知识产权（此处以有效发明专利计）",
		Criteria: []Criterion{
			{Code: "rd_staff_share", NameZH: "科技人员占比", NameEN: "R&D staff share", Measure: Percent, Margin: 500, eval: rdStaffShare(1000)},
			{Code: "rd_intensity", NameZH: "研发强度", NameEN: "R&D intensity", Measure: Percent, Margin: 150,
				eval: rdIntensity([]band{{5000 * wan, 500}, {20000 * wan, 400}, {0, 300}})},
			{Code: "patents", NameZH: "有效发明专利", NameEN: "Invention patents", Unit: "件", Measure: Count, Margin: 1, eval: figure("patents", 1)},
		}},
	{Tier: "gazelle", Source: "河南省瞪羚企业认定的通行口径（以当年申报通知为准）：上年营业收入不低于 1000 万元，且较前一年增长不低于 20%",
		Criteria: []Criterion{
			{Code: "revenue", NameZH: "营业收入", NameEN: "Revenue", Measure: Money, Margin: 300 * wan, eval: figure("revenue", 1000*wan)},
			{Code: "growth", NameZH: "营业收入增长率", NameEN: "Revenue growth", Measure: Percent, Margin: 1000, eval: growth(2000)},
		}},
	{Tier: "srdi", Source: "优质中小企业梯度培育管理暂行办法（工信部企业〔2022〕63号）专精特新中小企业认定标准：中小企业；上年度研发费用不低于 100 万元且占营业收入不低于 3%；上年度营业收入 1000 万元以上（或近 2 年新增股权融资 2000 万元以上）",
		Criteria: []Criterion{
			{Code: "sme", NameZH: "中小企业（从业人员 1000 人以下或营业收入 4 亿元以下）", NameEN: "SME (under 1000 staff or 400m yuan)", Unit: "人", Measure: Count, Ceiling: true, eval: sme},
			{Code: "rd_spend", NameZH: "研发费用", NameEN: "R&D spending", Measure: Money, Margin: 30 * wan, eval: figure("rd_spend", 100*wan)},
			{Code: "rd_intensity", NameZH: "研发强度", NameEN: "R&D intensity", Measure: Percent, Margin: 100, eval: rdIntensity([]band{{0, 300}})},
			{Code: "revenue", NameZH: "营业收入", NameEN: "Revenue", Measure: Money, Margin: 300 * wan, eval: revenueOr(1000*wan, 2000*wan)},
		}},
	{Tier: "little_giant", Requires: "srdi", Source: "优质中小企业梯度培育管理暂行办法（工信部企业〔2022〕63号）专精特新“小巨人”企业认定标准：已认定为专精特新中小企业；近 2 年主营业务收入平均增长率不低于 5%（此处以营业收入上年增长计）；上年度营业收入 1 亿元以上的近 2 年研发费用占比不低于 3%，5000 万–1 亿元的不低于 6%，5000 万元以下的须近 2 年新增股权融资 8000 万元以上（此处只看融资额）；拥有 2 项以上与主导产品相关的Ⅰ类知识产权（此处以有效发明专利计）",
		Criteria: []Criterion{
			{Code: "sme", NameZH: "中小企业（从业人员 1000 人以下或营业收入 4 亿元以下）", NameEN: "SME (under 1000 staff or 400m yuan)", Unit: "人", Measure: Count, Ceiling: true, eval: sme},
			{Code: "revenue", NameZH: "营业收入", NameEN: "Revenue", Measure: Money, Margin: 1500 * wan, eval: revenueOr(5000*wan, 8000*wan)},
			{Code: "growth", NameZH: "营业收入增长率", NameEN: "Revenue growth", Measure: Percent, Margin: 500, eval: growth(500)},
			{Code: "rd_intensity", NameZH: "研发强度", NameEN: "R&D intensity", Measure: Percent, Margin: 150,
				eval: rdIntensity([]band{{10000*wan - 1, 600}, {0, 300}})},
			{Code: "patents", NameZH: "有效发明专利", NameEN: "Invention patents", Unit: "件", Measure: Count, Margin: 1, eval: figure("patents", 2)},
		}},
}

// MaxUnmet is how many criteria a candidate may still miss.
const MaxUnmet = 2

// TierRuleOf returns the rule of a tier.
func TierRuleOf(tier string) (TierRule, bool) {
	for _, r := range TierRules {
		if r.Tier == tier {
			return r, true
		}
	}
	return TierRule{}, false
}

// criterion returns a rule's criterion by code.
func (r TierRule) criterion(code string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.Code == code {
			return c, true
		}
	}
	return Criterion{}, false
}

// Gap is one criterion a candidate does not meet yet.
type Gap struct {
	Criterion string  `json:"criterion"`
	NameZH    string  `json:"name_zh"`
	NameEN    string  `json:"name_en"`
	Measure   Measure `json:"measure"` // bp, fen or count
	Value     int64   `json:"value"`
	Threshold int64   `json:"threshold"`
	Short     int64   `json:"short"`   // threshold − value
	TextZH    string  `json:"text_zh"` // 研发强度 差 0.8 个百分点
	TextEN    string  `json:"text_en"`
}

// assess compares a year's figures with a rule: the unmet criteria, and
// false when the enterprise is out of reach (a figure missing, a ceiling
// passed, a shortfall beyond its margin, or more than MaxUnmet unmet).
func (r TierRule) assess(x figures) (gaps []Gap, closeness int64, ok bool) {
	for _, c := range r.Criteria {
		v, t, known := c.eval(x)
		if !known {
			return nil, 0, false
		}
		if c.Ceiling {
			if v > t {
				return nil, 0, false
			}
			continue
		}
		if v >= t {
			continue
		}
		if t-v > c.Margin {
			return nil, 0, false
		}
		gaps = append(gaps, c.gap(v, t))
		closeness += (t - v) * 1000 / max(c.Margin, 1)
	}
	if len(gaps) > MaxUnmet {
		return nil, 0, false
	}
	return gaps, closeness, true
}

func (c Criterion) gap(v, t int64) Gap {
	g := Gap{Criterion: c.Code, NameZH: c.NameZH, NameEN: c.NameEN, Measure: c.Measure, Value: v, Threshold: t, Short: t - v}
	switch c.Measure {
	case Percent:
		g.TextZH = fmt.Sprintf("%s %s%%，差 %s 个百分点", c.NameZH, decimal(v, 2), decimal(t-v, 2))
		g.TextEN = fmt.Sprintf("%s %s%%, %s points short", c.NameEN, decimal(v, 2), decimal(t-v, 2))
	case Money:
		// 万元 to two decimals (百元): the value rounded down, the
		// shortfall up, so a gap never reads as 0.
		has, short := decimal(v/10000, 2), decimal((t-v+9999)/10000, 2)
		g.TextZH = fmt.Sprintf("%s %s 万元，差 %s 万元", c.NameZH, has, short)
		g.TextEN = fmt.Sprintf("%s %s (10k yuan), %s short", c.NameEN, has, short)
	default:
		g.TextZH = fmt.Sprintf("%s %d %s，差 %d %s", c.NameZH, v, c.Unit, t-v, c.Unit)
		g.TextEN = fmt.Sprintf("%s %d, %d short", c.NameEN, v, t-v)
	}
	return g
}

// decimal writes n / 10^places with the trailing zeros dropped (0.8,
// 1.25, 3).
func decimal(n int64, places int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	for len(s) <= places {
		s = "0" + s
	}
	whole, frac := s[:len(s)-places], strings.TrimRight(s[len(s)-places:], "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
