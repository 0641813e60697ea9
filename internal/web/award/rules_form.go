package award

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/award"
	"gaoxin/internal/errs"
)

// The programme form (评优项目设置) is the rules written field by field: what a
// person typed is kept as typed (ruleForm), read into the same
// award.NewProgramme the JSON API takes, and shown again with every
// problem named when it cannot be saved. Amounts are typed in 元 or 万元 and
// stored in fen.

// Money units of the form.
const (
	unitYuan = "yuan" // 元: at most 2 decimals
	unitWan  = "wan"  // 万元: at most 6 decimals (1 fen = 0.000001 万元)
)

// ruleForm is the programme form as typed.
type ruleForm struct {
	Year, NameZH, NameEN, Kind, Quota, Budget, NoticeDays, Note string
	Unit                                                        string
	Subject                                                     string // "" for the registry's enterprises

	DataYear           string
	RequireApplication bool
	TrimAt             string

	Tiers        []string
	Chains       []string
	MinYears     string
	Required     []string
	NoFlag       bool
	TiersValidOn string

	Terms    []termRow
	Criteria []critRow

	GradingEnabled bool
	GradeBands     [4]string
	Exempt         []string

	MoneyKind  string
	Amount     string
	MoneyBands []bandRow
	PerPoint   string
	Cap        string
}

// termRow is one line of the scoring formula as typed.
type termRow struct {
	Code, NameZH, NameEN, Source, Indicator, Denominator, Transform, Benchmark, Cap, Weight string
}

func (t termRow) empty() bool {
	return strings.TrimSpace(t.NameZH+t.NameEN+t.Indicator+t.Denominator+t.Benchmark+t.Cap+t.Weight) == ""
}

// critRow is one review criterion as typed.
type critRow struct{ Code, NameZH, NameEN, Max string }

func (c critRow) empty() bool { return strings.TrimSpace(c.NameZH+c.NameEN+c.Max) == "" }

// bandRow is one rank band of the money rule as typed.
type bandRow struct{ ToRank, Amount string }

func (b bandRow) empty() bool { return strings.TrimSpace(b.ToRank+b.Amount) == "" }

// Blank rows shown after the filled ones, so the form grows without
// JavaScript (with it, a button adds more).
const (
	blankTerms    = 2
	blankCriteria = 1
	blankBands    = 2
)

// padded returns f with the blank rows added for display.
func (f ruleForm) padded() ruleForm {
	for i := 0; i < blankTerms; i++ {
		f.Terms = append(f.Terms, termRow{Source: award.SourceFigure, Transform: award.TransformMinMax})
	}
	for i := 0; i < blankCriteria; i++ {
		f.Criteria = append(f.Criteria, critRow{})
	}
	for i := 0; i < blankBands; i++ {
		f.MoneyBands = append(f.MoneyBands, bandRow{})
	}
	return f
}

// readRuleForm reads the posted form as typed.
func readRuleForm(r *http.Request) ruleForm {
	_ = r.ParseForm()
	v := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	on := func(name string) bool { return r.PostForm.Get(name) != "" }
	f := ruleForm{Subject: v("subject"), Year: v("year"), NameZH: v("name_zh"), NameEN: v("name_en"), Kind: v("kind"), Quota: v("quota"), Budget: v("budget"),
		NoticeDays: v("notice_days"), Note: v("note"), Unit: v("unit"), DataYear: v("data_year"), RequireApplication: on("require_application"),
		TrimAt: v("trim_at"), Tiers: r.PostForm["tiers"], Chains: r.PostForm["chains"], MinYears: v("min_years"), Required: r.PostForm["required"],
		NoFlag: on("no_flag"), TiersValidOn: v("tiers_valid_on"), GradingEnabled: on("grading"), Exempt: r.PostForm["exempt"],
		MoneyKind: v("money_kind"), Amount: v("amount"), PerPoint: v("per_point"), Cap: v("cap")}
	for i := range f.GradeBands {
		f.GradeBands[i] = v("grade_" + string(rune('a'+i)))
	}
	col := func(name string, i int) string {
		if vs := r.PostForm[name]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	for i := 0; i < rows(r, "term_name_zh", "term_indicator", "term_weight", "term_source"); i++ {
		f.Terms = append(f.Terms, termRow{Code: col("term_code", i), NameZH: col("term_name_zh", i), NameEN: col("term_name_en", i),
			Source: col("term_source", i), Indicator: col("term_indicator", i), Denominator: col("term_denominator", i),
			Transform: col("term_transform", i), Benchmark: col("term_benchmark", i), Cap: col("term_cap", i), Weight: col("term_weight", i)})
	}
	for i := 0; i < rows(r, "crit_name_zh", "crit_max"); i++ {
		f.Criteria = append(f.Criteria, critRow{Code: col("crit_code", i), NameZH: col("crit_name_zh", i), NameEN: col("crit_name_en", i), Max: col("crit_max", i)})
	}
	for i := 0; i < rows(r, "band_to", "band_amount"); i++ {
		f.MoneyBands = append(f.MoneyBands, bandRow{ToRank: col("band_to", i), Amount: col("band_amount", i)})
	}
	return f
}

// rows is the number of rows of a repeated group: its longest column.
func rows(r *http.Request, names ...string) int {
	n := 0
	for _, name := range names {
		n = max(n, len(r.PostForm[name]))
	}
	return min(n, 200)
}

// fieldErrs collects the problems of a form, named by the same field paths
// as the service's (terms[0].weight), so that one labeller names both.
type fieldErrs []errs.Detail

func (e *fieldErrs) add(field, value, zh, en string) {
	*e = append(*e, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
}

// int reads a whole number in [lo, hi]; "" is 0 unless required.
func (e *fieldErrs) int(field, s string, lo, hi int, required bool) int {
	if s == "" && !required {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		e.add(field, s, fmt.Sprintf("应填 %d–%d 的整数", lo, hi), fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		return 0
	}
	return v
}

// fixed reads a decimal with at most six decimals; "" is 0.
func (e *fieldErrs) fixed(field, s string) award.Fixed {
	if s == "" {
		return 0
	}
	v, ok := award.ParseFixed(strings.ReplaceAll(s, ",", ""))
	if !ok {
		e.add(field, s, "应填数字，最多六位小数", "must be a number with at most six decimals")
	}
	return v
}

// money reads an amount in the form's unit as fen; "" is 0.
func (e *fieldErrs) money(field, s, unit string) int64 {
	if s == "" {
		return 0
	}
	fen, ok := parseAmount(s, unit)
	if !ok {
		if unit == unitWan {
			e.add(field, s, "金额应为不小于 0 的数字（万元），最多六位小数", "amount must be a number of 10,000 yuan, at least 0, with at most six decimals")
		} else {
			e.add(field, s, "金额应为不小于 0 的数字（元），最多两位小数", "amount must be a number of yuan, at least 0, with at most two decimals")
		}
	}
	return fen
}

// parseAmount reads "1,500,000.5" in 元 or "150.00005" in 万元 as fen.
// A Fixed holds millionths, so a 万元 amount in millionths is its fen.
func parseAmount(s, unit string) (int64, bool) {
	v, ok := award.ParseFixed(strings.ReplaceAll(s, ",", ""))
	if !ok || v < 0 {
		return 0, false
	}
	if unit == unitWan {
		return int64(v), true
	}
	if v%10_000 != 0 {
		return 0, false
	}
	return int64(v) / 10_000, true
}

// formatAmount writes fen in the unit, without separators or trailing
// zeros, for a form field.
func formatAmount(fen int64, unit string) string {
	if fen == 0 {
		return ""
	}
	v := award.Fixed(fen) // 万元 in millionths
	if unit != unitWan {
		v = award.Fixed(fen * 10_000)
	}
	s := strings.TrimRight(v.String(), "0")
	return strings.TrimSuffix(s, ".")
}

// toProgramme reads the typed form into the programme the service takes,
// with every problem of the typing named; rows left blank are skipped.
// names are the Chinese names of the registry's indicators and the
// subjects' figures by code, which name a term left unnamed.
func (f ruleForm) toProgramme(names map[string]string) (award.NewProgramme, []errs.Detail) {
	var e fieldErrs
	unit := f.Unit
	if unit != unitYuan && unit != unitWan {
		e.add("unit", unit, "请选择金额单位（元或万元）", "choose the unit of amounts (yuan or 10,000 yuan)")
	}
	n := award.NewProgramme{NameZH: f.NameZH, NameEN: f.NameEN, Kind: f.Kind, Note: f.Note,
		Year: e.int("year", f.Year, 2000, 2100, true), Quota: e.int("quota", f.Quota, 0, 100_000, false),
		NoticeDays: e.int("notice_days", f.NoticeDays, 1, 60, true), BudgetFen: e.money("budget_fen", f.Budget, unit)}
	r := &n.Rules
	r.Subject = f.Subject
	r.DataYear = e.int("data_year", f.DataYear, 2000, 2100, true)
	r.RequireApplication = f.RequireApplication
	r.TrimAt = e.int("trim_at", f.TrimAt, 0, 100, false)
	r.Eligibility = award.Eligibility{TiersAny: nonEmpty(f.Tiers), ChainNodes: nonEmpty(f.Chains), RequiredFigures: nonEmpty(f.Required),
		MinYearsInZone: e.int("eligibility.min_years_in_zone", f.MinYears, 0, 100, false), NoFlag: f.NoFlag, TiersValidOn: f.TiersValidOn}
	codes := map[string]bool{}
	for _, t := range f.Terms {
		if t.Code != "" {
			codes[t.Code] = true
		}
	}
	for i, t := range f.Terms {
		if t.empty() {
			continue
		}
		k := len(r.Terms)
		p := "terms[" + strconv.Itoa(k) + "]."
		term := award.Term{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN, Source: t.Source, Indicator: t.Indicator,
			Transform: t.Transform, Benchmark: e.fixed(p+"benchmark", t.Benchmark), Cap: e.fixed(p+"cap", t.Cap),
			Weight: e.int(p+"weight", t.Weight, 1, 100, true)}
		switch t.Source {
		case award.SourceRatio:
			term.Denominator = t.Denominator
		case award.SourceExpert:
			term.Indicator = ""
		}
		if term.NameZH == "" {
			term.NameZH = termName(term, names)
		}
		if term.Code == "" {
			term.Code = termCode(term, i, codes)
		}
		r.Terms = append(r.Terms, term)
	}
	critCodes := map[string]bool{}
	for _, c := range f.Criteria {
		critCodes[c.Code] = c.Code != ""
	}
	for _, c := range f.Criteria {
		if c.empty() {
			continue
		}
		k := len(r.Criteria)
		crit := award.Criterion{Code: c.Code, NameZH: c.NameZH, NameEN: c.NameEN, Max: e.int("criteria["+strconv.Itoa(k)+"].max", c.Max, 1, 1000, true)}
		for j := k + 1; crit.Code == ""; j++ { // a new criterion: the first of c1, c2… not in use
			if code := "c" + strconv.Itoa(j); !critCodes[code] {
				crit.Code, critCodes[code] = code, true
			}
		}
		r.Criteria = append(r.Criteria, crit)
	}
	r.Grading = award.Grading{Enabled: f.GradingEnabled, ExemptTiers: nonEmpty(f.Exempt)}
	if f.GradeBands != [4]string{} {
		for _, b := range f.GradeBands {
			r.Grading.Bands = append(r.Grading.Bands, e.int("grading.bands", b, 0, 100, true))
		}
	}
	r.Money = award.MoneyRule{Kind: f.MoneyKind}
	switch f.MoneyKind {
	case "fixed":
		r.Money.AmountFen = e.money("money.amount_fen", f.Amount, unit)
	case "bands":
		for _, b := range f.MoneyBands {
			if b.empty() {
				continue
			}
			p := "money.bands[" + strconv.Itoa(len(r.Money.Bands)) + "]"
			r.Money.Bands = append(r.Money.Bands, award.Band{ToRank: e.int(p, b.ToRank, 0, 1_000_000, true), AmountFen: e.money(p, b.Amount, unit)})
		}
	case "formula":
		r.Money.PerPointFen = e.money("money.per_point_fen", f.PerPoint, unit)
		r.Money.CapFen = e.money("money.cap_fen", f.Cap, unit)
	}
	return n, e
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// termName is the name a term gets when none is typed: its indicator's,
// in words ("研发投入 ÷ 营业收入", "营业收入增长率", "专家评审").
func termName(t award.Term, names map[string]string) string {
	name := func(code string) string {
		if n, ok := names[code]; ok {
			return n
		}
		return code
	}
	switch t.Source {
	case award.SourceRatio:
		return name(t.Indicator) + " ÷ " + name(t.Denominator)
	case award.SourceGrowth:
		return name(t.Indicator) + "增长率"
	case award.SourceExpert:
		return "专家评审"
	}
	return name(t.Indicator)
}

// termCode is the code a new term gets: made of its indicators, unique in
// the formula (codes is every code in use, and is updated).
func termCode(t award.Term, row int, codes map[string]bool) string {
	c := t.Indicator
	switch t.Source {
	case award.SourceRatio:
		c = t.Indicator + "_per_" + t.Denominator
	case award.SourceGrowth:
		c = t.Indicator + "_growth"
	case award.SourceExpert:
		c = "expert"
	}
	if c == "" || c == "_per_" || c == "_growth" {
		c = "term" + strconv.Itoa(row+1)
	}
	base := c
	for i := 2; codes[c]; i++ {
		c = base + "_" + strconv.Itoa(i)
	}
	codes[c] = true
	return c
}

// formOf is the form showing a stored programme, amounts in unit ("" picks
// 万元 when every amount is a whole hundred 元, else 元).
func formOf(n award.NewProgramme, unit string) ruleForm {
	r := n.Rules
	if unit == "" {
		unit = unitWan
		for _, fen := range []int64{n.BudgetFen, r.Money.AmountFen, r.Money.PerPointFen, r.Money.CapFen} {
			if fen%10_000 != 0 {
				unit = unitYuan
			}
		}
		for _, b := range r.Money.Bands {
			if b.AmountFen%10_000 != 0 {
				unit = unitYuan
			}
		}
	}
	num := func(v int) string {
		if v == 0 {
			return ""
		}
		return strconv.Itoa(v)
	}
	fix := func(v award.Fixed) string {
		if v == 0 {
			return ""
		}
		return strings.TrimSuffix(strings.TrimRight(v.String(), "0"), ".")
	}
	f := ruleForm{Subject: r.Subject, Year: num(n.Year), NameZH: n.NameZH, NameEN: n.NameEN, Kind: n.Kind, Quota: num(n.Quota), Budget: formatAmount(n.BudgetFen, unit),
		NoticeDays: num(n.NoticeDays), Note: n.Note, Unit: unit, DataYear: num(r.DataYear), RequireApplication: r.RequireApplication,
		TrimAt: num(r.TrimAt), Tiers: r.Eligibility.TiersAny, Chains: r.Eligibility.ChainNodes, MinYears: num(r.Eligibility.MinYearsInZone),
		Required: r.Eligibility.RequiredFigures, NoFlag: r.Eligibility.NoFlag, TiersValidOn: r.Eligibility.TiersValidOn,
		GradingEnabled: r.Grading.Enabled, Exempt: r.Grading.ExemptTiers, MoneyKind: r.Money.Kind,
		Amount: formatAmount(r.Money.AmountFen, unit), PerPoint: formatAmount(r.Money.PerPointFen, unit), Cap: formatAmount(r.Money.CapFen, unit)}
	if len(r.Grading.Bands) == 4 {
		for i, b := range r.Grading.Bands {
			f.GradeBands[i] = strconv.Itoa(b)
		}
	}
	for _, t := range r.Terms {
		f.Terms = append(f.Terms, termRow{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN, Source: t.Source, Indicator: t.Indicator,
			Denominator: t.Denominator, Transform: t.Transform, Benchmark: fix(t.Benchmark), Cap: fix(t.Cap), Weight: strconv.Itoa(t.Weight)})
	}
	for _, c := range r.Criteria {
		f.Criteria = append(f.Criteria, critRow{Code: c.Code, NameZH: c.NameZH, NameEN: c.NameEN, Max: strconv.Itoa(c.Max)})
	}
	for _, b := range r.Money.Bands {
		f.MoneyBands = append(f.MoneyBands, bandRow{ToRank: strconv.Itoa(b.ToRank), Amount: formatAmount(b.AmountFen, unit)})
	}
	return f
}

// weightSum is the sum of the weights typed so far (what the page shows;
// unreadable weights count 0).
func (f ruleForm) weightSum() int {
	sum := 0
	for _, t := range f.Terms {
		w, _ := strconv.Atoi(t.Weight)
		sum += w
	}
	return sum
}
