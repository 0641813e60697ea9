package award

import (
	"context"
	"fmt"
	"strings"

	"gaoxin/internal/enterprise"
)

// Text is a phrase in Chinese and English.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

func join(ts []Text, zhSep, enSep string) Text {
	var zh, en []string
	for _, t := range ts {
		zh, en = append(zh, t.ZH), append(en, t.EN)
	}
	return Text{strings.Join(zh, zhSep), strings.Join(en, enSep)}
}

// Words names, for people, what the rules and records of the module refer
// to by code: the registry's indicators and chain nodes, the tiers, the
// terms of a formula, the money rule. Pages, exports and messages speak
// through it, so that no reader meets "rd_spend ÷ revenue" or "bands".
type Words struct {
	indicators map[string]enterprise.Indicator
	chains     map[string]enterprise.ChainNode
	subjects   map[string]Subject
}

// Words reads the registry's names (from its cache).
func (s *Service) Words(ctx context.Context) (Words, error) {
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return Words{}, fmt.Errorf("award: indicator names: %w", err)
	}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return Words{}, fmt.Errorf("award: chain names: %w", err)
	}
	w := Words{indicators: make(map[string]enterprise.Indicator, len(inds)), chains: make(map[string]enterprise.ChainNode, len(tree)), subjects: s.subjects}
	for _, i := range inds {
		w.indicators[i.Code] = i
	}
	for _, sub := range s.subjects { // their codes are their module's: "finance.placed"
		for _, f := range sub.Figures {
			w.indicators[f.Code] = f
		}
	}
	for _, n := range tree {
		w.chains[n.Code] = n
	}
	return w, nil
}

// Item names one candidate of the subject code ("" for the registry's
// enterprises) in a table's heading, in Chinese and English.
func (w Words) Item(code string) (zh, en string) {
	if code == "" {
		return "企业", "Enterprise"
	}
	if sub, ok := w.subjects[code]; ok && sub.ItemZH != "" {
		return sub.ItemZH, sub.ItemEN
	}
	return "机构", "Institution"
}

// Indicator is a registry figure's name; an unknown code is its own name.
func (w Words) Indicator(code string) (string, string) {
	i, ok := w.indicators[code]
	if !ok {
		return code, code
	}
	return i.NameZH, firstOf(i.NameEN, i.NameZH)
}

// IndicatorText is Indicator as a Text.
func (w Words) IndicatorText(code string) Text {
	zh, en := w.Indicator(code)
	return Text{zh, en}
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Tiers names tier codes, joined by "、" (Chinese) and " or " (English).
func (w Words) Tiers(codes []string) Text {
	ts := make([]Text, len(codes))
	for i, c := range codes {
		ts[i].ZH, ts[i].EN = enterprise.TierName(c)
	}
	return join(ts, "、", " or ")
}

// Chains names chain node codes.
func (w Words) Chains(codes []string) Text {
	ts := make([]Text, len(codes))
	for i, c := range codes {
		ts[i] = Text{c, c}
		if n, ok := w.chains[c]; ok {
			ts[i] = Text{n.NameZH, firstOf(n.NameEN, n.NameZH)}
		}
	}
	return join(ts, "、", " or ")
}

// Data says in words what a term reads: "研发投入 ÷ 营业收入（2022 年）".
func (w Words) Data(t Term, year int) Text {
	num := w.IndicatorText(t.Indicator)
	switch t.Source {
	case SourceFigure:
		return Text{fmt.Sprintf("%s（%d 年）", num.ZH, year), fmt.Sprintf("%s (%d)", num.EN, year)}
	case SourceRatio:
		den := w.IndicatorText(t.Denominator)
		return Text{fmt.Sprintf("%s ÷ %s（%d 年）", num.ZH, den.ZH, year), fmt.Sprintf("%s ÷ %s (%d)", num.EN, den.EN, year)}
	case SourceGrowth:
		return Text{fmt.Sprintf("%s增长率（%d 年比 %d 年）", num.ZH, year, year-1), fmt.Sprintf("%s growth (%d over %d)", num.EN, year, year-1)}
	case SourceExpert:
		return Text{"专家评审得分", "expert panel score"}
	}
	return Text{t.Source, t.Source}
}

// Transform says in words how a term's value becomes comparable.
func (w Words) Transform(t Term) Text {
	switch t.Transform {
	case TransformBenchmark:
		return Text{"除以基准值 " + t.Benchmark.Short(), "divided by the benchmark " + t.Benchmark.Short()}
	case TransformMinMax:
		return Text{"按最小–最大值折算：(本值 − 最小值) ÷ (最大值 − 最小值)", "min–max: (value − lowest) ÷ (highest − lowest)"}
	case TransformPercentile:
		return Text{"按百分位折算：低于本值的企业数 ÷ (参与企业数 − 1)", "percentile: enterprises below ÷ (enterprises − 1)"}
	}
	return Text{t.Transform, t.Transform}
}

// TermName is the name of the term code in rules (the code itself when
// the rules have no such term).
func TermName(r Rules, code string) Text {
	for _, t := range r.Terms {
		if t.Code == code {
			return Text{t.NameZH, firstOf(t.NameEN, t.NameZH)}
		}
	}
	return Text{code, code}
}

// Eligibility lists the conditions of the rules in words.
func (w Words) Eligibility(r Rules) []Text {
	e := r.Eligibility
	var out []Text
	if r.Subject != "" {
		zh, en := r.Subject, r.Subject
		if sub, ok := w.subjects[r.Subject]; ok {
			zh, en = sub.NameZH, sub.NameEN
		}
		out = append(out, Text{"评选对象：" + zh, "candidates: " + en})
	}
	if r.RequireApplication {
		out = append(out, Text{"须申报并通过形式审查", "an application that passed the formal check"})
	}
	if len(e.TiersAny) > 0 {
		t := w.Tiers(e.TiersAny)
		out = append(out, Text{"具备以下资质之一：" + t.ZH, "holds one of: " + t.EN})
	}
	if len(e.ChainNodes) > 0 {
		t := w.Chains(e.ChainNodes)
		out = append(out, Text{"属于产业链：" + t.ZH, "in the chain: " + t.EN})
	}
	if e.MinYearsInZone > 0 {
		out = append(out, Text{fmt.Sprintf("在区注册满 %d 年", e.MinYearsInZone), fmt.Sprintf("registered in the zone for %d years or more", e.MinYearsInZone)})
	}
	if len(e.RequiredFigures) > 0 {
		ts := make([]Text, len(e.RequiredFigures))
		for i, c := range e.RequiredFigures {
			ts[i] = w.IndicatorText(c)
		}
		t := join(ts, "、", ", ")
		out = append(out, Text{fmt.Sprintf("%d 年须有数据：%s", r.DataYear, t.ZH), fmt.Sprintf("figures present for %d: %s", r.DataYear, t.EN)})
	}
	if e.NoFlag {
		out = append(out, Text{"无有效的不良记录", "no active flagged record"})
	}
	return out
}

// MoneyKind names a kind of money rule.
func MoneyKind(kind string) Text {
	switch kind {
	case "fixed":
		return Text{"定额奖励", "a fixed amount"}
	case "bands":
		return Text{"按名次奖励", "by rank"}
	case "formula":
		return Text{"按得分奖励", "by points"}
	case "manual":
		return Text{"逐家核定", "set case by case"}
	case MoneyNone:
		return Text{"荣誉称号，不发奖金", "an honour, no money"}
	}
	return Text{kind, kind}
}

// Money says how the money rule pays, with amounts in 元.
func (w Words) Money(m MoneyRule) Text {
	f := enterprise.FormatFen
	switch m.Kind {
	case "fixed":
		return Text{"每家获奖企业奖励 " + f(m.AmountFen), f(m.AmountFen) + " to each winner"}
	case "bands":
		var ts []Text
		prev := 0
		for i, b := range m.Bands {
			var zh, en string
			switch {
			case b.ToRank == 0 && i == len(m.Bands)-1:
				zh, en = fmt.Sprintf("第 %d 名及以后", prev+1), fmt.Sprintf("rank %d and below", prev+1)
			default:
				zh, en, _ = rankSpan(prev+1, b.ToRank)
			}
			ts = append(ts, Text{zh + "每家 " + f(b.AmountFen), en + ": " + f(b.AmountFen) + " each"})
			prev = b.ToRank
		}
		t := join(ts, "；", "; ")
		return Text{"按名次奖励：" + t.ZH, "by rank: " + t.EN}
	case "formula":
		return Text{"按得分奖励：每分 " + f(m.PerPointFen) + "，每家最高 " + f(m.CapFen),
			"by points: " + f(m.PerPointFen) + " per point, at most " + f(m.CapFen) + " each"}
	case "manual":
		return Text{"由评审委员会逐家核定金额", "set for each winner by the committee"}
	case MoneyNone:
		return Text{"授予荣誉称号，不发奖金", "the title is awarded; no money is paid"}
	}
	return Text{m.Kind, m.Kind}
}

// FigureCodes are the registry figures the rules read (the formula's, then
// the required ones), each once: the list an objection may name.
func (r Rules) FigureCodes() []string { return r.figureCodes() }
