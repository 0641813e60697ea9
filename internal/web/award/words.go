package award

import (
	"strings"

	"gaoxin/internal/award"
)

// Words on pages: every code the rules and records use is shown by its
// name, in the page's language (see award.Words).

// Say is a phrase in the page's language.
func (p page) Say(t award.Text) string { return p.L(t.ZH, t.EN) }

// Indicator is a registry figure's name.
func (p wordsPage) Indicator(code string) string { return p.Say(p.W.IndicatorText(code)) }

// Data is what a term reads, in words.
func (p wordsPage) Data(t award.Term, year int) string { return p.Say(p.W.Data(t, year)) }

// Transform is a term's transform, in words.
func (p wordsPage) Transform(t award.Term) string { return p.Say(p.W.Transform(t)) }

// TermName is the name of a term of rules r by its code.
func (p page) TermName(r award.Rules, code string) string { return p.Say(award.TermName(r, code)) }

// TermLabel is a term's name in the page's language.
func (p page) TermLabel(t award.Term) string { return p.L(t.NameZH, firstOf(t.NameEN, t.NameZH)) }

// MoneyRule says how a programme pays.
func (p wordsPage) MoneyRule(m award.MoneyRule) string { return p.Say(p.W.Money(m)) }

// Eligibility lists a programme's conditions in words.
func (p wordsPage) Eligibility(r award.Rules) []string {
	var out []string
	for _, t := range p.W.Eligibility(r) {
		out = append(out, p.Say(t))
	}
	return out
}

// Outcome is an application's outcome, with its reason.
func (p page) Outcome(o award.Outcome) string {
	s := p.L(o.ZH, o.EN)
	if r := p.L(o.ReasonZH, o.ReasonEN); r != "" {
		s += p.L("：", ": ") + r
	}
	return s
}

// Figures are the registry figures a programme's formula reads, for the
// objection and correction forms: code (the value sent) and name.
type figureOption struct{ Code, Name string }

func (p wordsPage) Figures(r award.Rules) []figureOption {
	var out []figureOption
	for _, c := range r.FigureCodes() {
		out = append(out, figureOption{c, p.Indicator(c)})
	}
	return out
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Cause is a ranking round's cause, recorded as "中文 / English", in the
// page's language.
func (p page) Cause(c string) string {
	zh, en, ok := strings.Cut(c, " / ")
	if !ok {
		return c
	}
	return p.L(zh, en)
}
