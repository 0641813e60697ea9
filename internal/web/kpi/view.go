package kpi

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/chart"
	"gaoxin/internal/kpi"
)

// card is one dashboard card, every figure already worded in the page's
// language; the numbers come from kpi.Assess unchanged.
type card struct {
	kpi.Card
	Name, Kind, Target, YTD, Period string
	Growth, Measure, Owner          string
	Headline, HeadlineLabel         string // pace or gap
	Status, Color, Need, Why        string
	City, Province                  string
	Due                             string
	Overdue                         bool
	Chart                           template.HTML
	// A computed indicator (系统计算): its source in words, and its
	// figure to the as-of date within the running month.
	IsComputed     bool
	Source, ToDate string
}

// cardView words a card.
func cardView(p web.Page, c kpi.Card, w, h int) card {
	ind, a := c.Indicator, c.Assessment
	v := card{Card: c, Name: p.L(ind.NameZH, orZH(ind.NameEN, ind.NameZH)), Measure: ind.Measure, Owner: ind.OwnerName}
	zh, en := a.Status.Label()
	v.Status, v.Color = p.L(zh, en), kpi.Color(ind.Kind, a.Status)
	if ind.Kind == kpi.Growth {
		v.Kind = p.L("增速目标", "growth target")
		v.Target = "—"
		if c.Target.OK {
			v.Target = signed(c.Target.V.Float(), 1) + "%"
		}
	} else {
		v.Kind = p.L("总量目标", "absolute target")
		v.Target = "—"
		if c.Target.OK {
			v.Target = qty(c.Target.V.Float(), ind.Measure, false) + " " + ind.Measure
		}
	}
	v.YTD, v.Growth, v.Period = "—", "—", p.L("暂无数据", "no figures yet")
	if l := c.Latest; l != nil {
		v.Period = periodLabel(p, ind, l.Year, l.Month)
		if l.YTD.OK {
			v.YTD = qty(l.YTD.V.Float(), ind.Measure, false) + " " + ind.Measure
		}
	}
	if a.GrowthPct != nil {
		v.Growth = signed(*a.GrowthPct, 1) + "%"
		if a.GrowthSource == kpi.Published {
			v.Growth += p.L("（公布增速）", " (published rate)")
		}
	}
	switch {
	case a.Pace != nil:
		v.HeadlineLabel = p.L("时序进度", "pace")
		v.Headline = fmt.Sprintf("%.1f%%", *a.Pace*100)
		if a.SeasonalUsed {
			v.HeadlineLabel = p.L("时序进度（按上年季节规律）", "pace (last year's seasonal profile)")
		}
	case a.GapPP != nil:
		v.HeadlineLabel = p.L("与目标差距", "gap to target")
		v.Headline = signed(*a.GapPP, 1) + p.L(" 个百分点", " pp")
	default:
		v.HeadlineLabel, v.Headline = p.L("进度", "pace"), "n/a"
	}
	v.Why = p.L(a.Why, a.WhyEN)
	v.Need = needText(p, ind, a)
	v.City = compareText(p, a.VsCity, a.CityPct, p.L("全市", "city"))
	v.Province = compareText(p, a.VsProv, a.ProvPct, p.L("全省", "province"))
	if d := c.NextDue; d != nil {
		v.Overdue = d.Overdue
		v.Due = fmt.Sprintf(p.L("%s 数据应于 %s 前报送", "%s figure due by %s"), periodLabel(p, ind, d.Year, d.Month), d.Date)
	} else {
		v.Due = p.L("本年数据已齐", "all figures in for the year")
	}
	if ci := c.Computed; ci != nil {
		v.IsComputed, v.Source = true, sourceText(p, ci.NameZH, ci.NameEN, ci.FilterZH, ci.FilterEN)
		v.Overdue, v.Due = false, p.L("系统计算：每月末按业务数据自动汇总，无需报送", "computed from the records at each month's end: nothing to report")
		if td := ci.ToDate; td != nil {
			v.ToDate = fmt.Sprintf(p.L("截至 %s：%s %s", "to %s: %s %s"), td.Date, amount(td.YTD, ind.Measure), ind.Measure)
		}
	}
	v.Chart = trendChart(p, c, w, h)
	return v
}

// sourceText is a computed indicator's source in words: the measure, then
// its filter.
func sourceText(p web.Page, nameZH, nameEN, filterZH, filterEN string) string {
	s := p.L(nameZH, orZH(nameEN, nameZH))
	if f := p.L(filterZH, orZH(filterEN, filterZH)); f != "" {
		s += " · " + f
	}
	return s
}

func needText(p web.Page, ind kpi.Indicator, a kpi.Assessment) string {
	switch {
	case a.Status == kpi.NoData:
		return ""
	case a.Remaining == 0:
		return p.L("全年已结束", "the year is complete")
	case a.NeedGrowth != nil:
		return fmt.Sprintf(p.L("其余 %d 个月需增长 %s%%", "the remaining %d months need %s%% growth"), a.Remaining, signed(*a.NeedGrowth, 1))
	case a.NeedPerMonth != nil && *a.NeedPerMonth == 0:
		return p.L("已完成全年目标", "the year's target is reached")
	case a.GrowthSource == kpi.Published:
		return p.L("仅有公布增速，无法推算其余月份所需增速", "only a published rate: the remaining months' need cannot be projected")
	case a.NeedPerMonth != nil:
		return fmt.Sprintf(p.L("其余 %d 个月每月需完成 %s %s", "%[2]s %[3]s needed per month for the remaining %[1]d months"), a.Remaining, qty(*a.NeedPerMonth, ind.Measure, true), ind.Measure)
	}
	return p.L("无法推算（缺少上年全年数据）", "cannot project (last year's full-year figure missing)")
}

func compareText(p web.Page, vs string, other *float64, who string) string {
	if other == nil {
		return who + p.L("：暂无", ": n/a")
	}
	word := map[string][2]string{"above": {"高于", "above the"}, "below": {"低于", "below the"}, "equal": {"持平于", "level with the"}}[vs]
	return fmt.Sprintf(p.L("%s%s（%s%%）", "%s %s (%s%%)"), p.L(word[0], word[1]), who, signed(*other, 1))
}

func periodLabel(p web.Page, ind kpi.Indicator, year, month int) string {
	if ind.Frequency == kpi.Quarterly {
		return fmt.Sprintf(p.L("%d年第%d季度", "%d Q%d"), year, month/3)
	}
	if month == 1 {
		return fmt.Sprintf(p.L("%d年1月", "%d Jan"), year)
	}
	return fmt.Sprintf(p.L("%d年1–%d月", "%d Jan–%s"), year, monthWord(p, month))
}

func monthWord(p web.Page, m int) any {
	if p.Lang == "en" {
		return []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m]
	}
	return m
}

// trendChart draws YTD growth by period: zone, city, province, and the
// target as a dashed line. Quarterly indicators are drawn by quarter. A
// total whose growth cannot be worked out for any period (no figures for
// last year, as with a count the system began computing this year) is
// drawn as its cumulative value against the year's target instead.
func trendChart(p web.Page, c kpi.Card, w, h int) template.HTML {
	periods := c.Indicator.Frequency.Periods()
	idx := map[int]int{}
	labels := make([]string, len(periods))
	for i, m := range periods {
		idx[m] = i
		switch {
		case c.Indicator.Frequency == kpi.Quarterly:
			labels[i] = fmt.Sprintf(p.L("%d季度", "Q%d"), m/3)
		case p.Lang == "en":
			labels[i] = monthWord(p, m).(string)
		default:
			labels[i] = strconv.Itoa(m) + "月"
		}
	}
	zone, city, prov, target := nans(len(periods)), nans(len(periods)), nans(len(periods)), nans(len(periods))
	for _, t := range c.Trend {
		if i, ok := idx[t.Month]; ok {
			set(zone, i, t.Zone)
			set(city, i, t.City)
			set(prov, i, t.Province)
		}
	}
	for i := range target {
		set(target, i, c.TargetPct)
	}
	series := []chart.Series{{Name: p.L("高新区", "Zone"), Values: zone, Color: "#b3261e"},
		{Name: p.L("全市", "City"), Values: city, Color: "#2b6cb0"},
		{Name: p.L("全省", "Province"), Values: prov, Color: "#1b7f3b"}}
	if c.Indicator.Kind != kpi.Growth && !slices.ContainsFunc(c.Trend, func(t kpi.TrendPoint) bool { return t.Zone != nil }) &&
		slices.ContainsFunc(c.Trend, func(t kpi.TrendPoint) bool { return t.YTD != nil }) {
		return valueChart(p, c, labels, idx, w, h)
	}
	if c.TargetPct != nil {
		series = append(series, chart.Series{Name: p.L("目标", "Target"), Values: target, Color: "#8a5a00", Dashed: true})
	}
	return chart.Line{Title: p.L("累计增速", "YTD growth") + " · " + p.L(c.Indicator.NameZH, orZH(c.Indicator.NameEN, c.Indicator.NameZH)),
		XLabels: labels, Series: series, YUnit: "%", Width: w, Height: h}.SVG()
}

// valueChart draws a total's cumulative value by period against the
// year's target (dashed).
func valueChart(p web.Page, c kpi.Card, labels []string, idx map[int]int, w, h int) template.HTML {
	zone, target := nans(len(labels)), nans(len(labels))
	for _, t := range c.Trend {
		if i, ok := idx[t.Month]; ok {
			set(zone, i, t.YTD)
		}
	}
	series := []chart.Series{{Name: p.L("高新区", "Zone"), Values: zone, Color: "#b3261e"}}
	if c.Target.OK {
		for i := range target {
			target[i] = c.Target.V.Float()
		}
		series = append(series, chart.Series{Name: p.L("全年目标", "Year's target"), Values: target, Color: "#8a5a00", Dashed: true})
	}
	return chart.Line{Title: p.L("累计完成", "Year to date") + " · " + p.L(c.Indicator.NameZH, orZH(c.Indicator.NameEN, c.Indicator.NameZH)),
		XLabels: labels, Series: series, YUnit: c.Indicator.Measure, Width: w, Height: h}.SVG()
}

func nans(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func set(v []float64, i int, f *float64) {
	if f != nil && i >= 0 && i < len(v) {
		v[i] = *f
	}
}

func orZH(en, zh string) string {
	if en == "" {
		return zh
	}
	return en
}

// signed prints a number with its sign and the given decimals.
func signed(f float64, places int) string {
	s := strconv.FormatFloat(f, 'f', places, 64)
	if f >= 0 && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	if strings.Trim(s, "+-0.") == "" {
		s = strings.TrimLeft(s, "+-")
	}
	return s
}

// countUnits are the measures of things counted one by one: their
// figures are whole numbers.
var countUnits = map[string]bool{"家": true, "个": true, "人": true, "项": true, "件": true, "户": true, "次": true, "名": true, "家次": true}

// qty prints a figure in its measure: a count as a whole number (a need
// rounded up, since 3,015.5 firms a month means 3,016), anything else as
// num does.
func qty(f float64, measure string, need bool) string {
	if !countUnits[measure] {
		return num(f)
	}
	if need {
		return num(math.Ceil(f))
	}
	return num(math.Round(f))
}

// amount prints a period's figure in its measure as the cards do (with
// thousands separators; a count whole), or "—" when missing.
func amount(o kpi.Opt, measure string) string {
	if !o.OK {
		return "—"
	}
	return qty(o.V.Float(), measure, false)
}

// rate prints a growth rate in percent as the cards' comparisons do
// (+6.9%), or "—" when missing.
func rate(o kpi.Opt) string {
	if !o.OK {
		return "—"
	}
	return signed(o.V.Float(), 1) + "%"
}

// num prints an amount with thousands separators and at most two decimals.
func num(f float64) string {
	s := strconv.FormatFloat(math.Abs(f), 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if f < 0 && out != "0" {
		out = "-" + out
	}
	return out
}
