package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/db"
	"gaoxin/internal/kpi"
)

// AsOf is the one date the whole demo is read at, and the date its records
// are stamped up to: figures through October 2023 are in (October's were
// due on 15 November), plan reports through October (due 5 November), the
// 2023 awards paid in spring and the 2024 prize open, so every module shows
// the zone as a leader saw it in late November 2023. A demo server runs
// its clock at this date (Clock).
const AsOf = "2023-11-20"

// Clock is the demo's clock: AsOf at the real time of day, so that the
// demo reads one date whatever day it is run on, and what is written while
// it runs is stamped on that date.
func Clock() time.Time {
	now := time.Now().In(db.CST)
	d, _ := time.ParseInLocation("2006-01-02", AsOf, db.CST)
	return time.Date(d.Year(), d.Month(), d.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), db.CST)
}

// demoNote labels every synthetic figure.
const demoNote = "演示数据（合成）/ synthetic demo figure"

// kpiDemo is one of the seven 2023 targets of the conference report
// ("2023年郑州高新区力争生产总值增长10%…新增市场主体1.6万家以上"). The target
// is the seed's; every figure below it is synthetic.
type kpiDemo struct {
	in     kpi.IndicatorInput
	target string
	full22 float64   // 2022 full-year amount (synthetic); 0: only rates are published
	r22    float64   // 2022 YTD growth over 2021, percent (synthetic)
	r23    []float64 // 2023 YTD growth by period, percent (synthetic)
}

var kpiDemos = []kpiDemo{
	{kpi.IndicatorInput{Code: "gdp", NameZH: "地区生产总值", NameEN: "Gross domestic product", Measure: "亿元", Kind: kpi.Growth,
		Frequency: kpi.Quarterly, Owner: "jfj", SourceDept: "统计部门（演示数据）", DueDay: 20, Sort: 1}, "10", 1380, 5.6,
		[]float64{9.1, 9.8, 10.4}},
	{kpi.IndicatorInput{Code: "industry_va", NameZH: "规模以上工业增加值", NameEN: "Value added of industry above designated size", Measure: "%",
		Kind: kpi.Growth, Owner: "jfj", SourceDept: "统计部门（演示数据）", Sort: 2}, "15", 0, 7.2,
		[]float64{11.2, 11.6, 12.0, 12.4, 12.8, 13.0, 13.3, 13.1, 13.0, 13.1}},
	{kpi.IndicatorInput{Code: "fai", NameZH: "固定资产投资", NameEN: "Fixed-asset investment", Measure: "亿元", Kind: kpi.Growth,
		Owner: "ghj", SourceDept: "统计部门（演示数据）", Sort: 3}, "20", 420, 11.5,
		[]float64{25, 22, 19, 17.5, 16, 15.2, 14.8, 14.5, 14.3, 14.2}},
	{kpi.IndicatorInput{Code: "retail", NameZH: "社会消费品零售总额", NameEN: "Retail sales of consumer goods", Measure: "亿元", Kind: kpi.Growth,
		Owner: "jfj", SourceDept: "商务部门（演示数据）", Sort: 4}, "20", 260, 3.8,
		[]float64{15, 16.5, 18, 19.2, 20.1, 20.5, 20.8, 21.0, 21.2, 21.3}},
	{kpi.IndicatorInput{Code: "revenue", NameZH: "一般公共预算收入", NameEN: "General public budget revenue", Measure: "亿元", Kind: kpi.Growth,
		Owner: "czj", SourceDept: "财政金融局（演示数据）", Sort: 5}, "8", 95, 4.1,
		[]float64{12, 10.5, 9.8, 9.3, 9.1, 9.0, 8.9, 8.8, 8.9, 8.9}},
	{kpi.IndicatorInput{Code: "trade", NameZH: "外贸进出口总额", NameEN: "Foreign trade (imports and exports)", Measure: "亿元", Kind: kpi.Growth,
		Owner: "jfj", SourceDept: "海关（演示数据）", Sort: 6}, "10", 480, 6.3,
		[]float64{-3.5, -1.2, 2.0, 4.1, 5.6, 6.8, 7.5, 8.1, 8.6}}, // October not yet reported: overdue
	{kpi.IndicatorInput{Code: "new_entities", NameZH: "新增市场主体", NameEN: "New market entities", Measure: "家", Kind: kpi.Absolute,
		Owner: "scj", SourceDept: "市场监管局高新区分局（演示数据）", Seasonal: true, Sort: 7}, "16000", 14200, 8.0,
		[]float64{-15, -13, -12, -11, -10.5, -10.2, -10, -9.9, -9.9, -9.9}},
}

// computedDemos are indicators the platform computes from the scenario
// demo's calls and bids (系统计算): nobody enters their figures, and their
// values come from the scenario module at read time, so it does not
// matter that the scenarios are loaded after the targets. The targets are
// synthetic.
var computedDemos = []struct {
	in     kpi.IndicatorInput
	target string
}{
	{kpi.IndicatorInput{Code: "scenario_calls", NameZH: "场景机会发布数", NameEN: "Scenario calls published", Measure: "个", Kind: kpi.Absolute,
		Owner: "kcj", SourceDept: "场景机会清单（演示目标）", Sort: 8, Source: "scenario.calls_published"}, "6"},
	{kpi.IndicatorInput{Code: "scenario_bidders", NameZH: "揭榜企业数", NameEN: "Enterprises taking up calls", Measure: "家", Kind: kpi.Absolute,
		Owner: "kcj", SourceDept: "场景机会清单（演示目标）", Sort: 9, Source: "scenario.bidders"}, "5"},
	// The seed's 科技与金融深度融合行动: 160 venture firms with 2,000 亿元
	// of capital, computed from the tech-finance demo's institutions.
	{kpi.IndicatorInput{Code: "finance_settled", NameZH: "入驻科技金融广场的金融机构", NameEN: "Institutions settled in the finance plaza", Measure: "家",
		Kind: kpi.Absolute, Owner: "czj", SourceDept: "科技金融广场（演示数据）", Sort: 10, Source: "finance.institutions_settled"}, "160"},
	{kpi.IndicatorInput{Code: "finance_capital", NameZH: "入驻机构管理资本规模", NameEN: "Capital managed by settled institutions", Measure: "亿元",
		Kind: kpi.Absolute, Owner: "czj", SourceDept: "科技金融广场（演示数据）", Sort: 11, Source: "finance.capital_fen"}, "2000"},
}

// monthWeights shape a synthetic year: slow January–February, a December peak.
var monthWeights = [13]float64{0, 0.7, 0.6, 1.0, 0.95, 1.0, 1.15, 0.95, 0.95, 1.05, 1.0, 1.05, 1.6}

// LoadKPI writes the seven 2023 targets and synthetic 2022–2023 figures with
// city and province growth beside them, two indicators computed from the
// scenario demo with synthetic targets, and reads 2023 as of AsOf. It
// needs the demo units jfj, ghj, czj, kcj and scj.
func LoadKPI(ctx context.Context, s *app.App) error {
	all := kpi.Scope{All: true}
	for _, d := range kpiDemos {
		ind, err := s.KPI.CreateIndicator(ctx, d.in)
		if err != nil {
			return fmt.Errorf("demo: indicator %s: %w", d.in.Code, err)
		}
		if _, err := s.KPI.SetTarget(ctx, ind.Code, "2023", d.target, "2023年全区高质量发展大会目标"); err != nil {
			return fmt.Errorf("demo: target %s: %w", ind.Code, err)
		}
		periods := ind.Frequency.Periods()
		for _, year := range []int{2022, 2023} {
			for i, m := range periods {
				r := d.r22 + 0.1*float64(m-6)
				if year == 2023 {
					if i >= len(d.r23) {
						break
					}
					r = d.r23[i]
				}
				in := kpi.ActualInput{Indicator: ind.Code, Year: strconv.Itoa(year), Month: strconv.Itoa(m), Note: demoNote,
					CityRate: fmt.Sprintf("%.1f", r*0.55+1.2), ProvinceRate: fmt.Sprintf("%.1f", r*0.45+1.8)}
				if d.full22 == 0 {
					in.Rate = fmt.Sprintf("%.1f", r)
				} else {
					ytd22 := d.full22 * cumShare(m)
					this, last := ytd22, ytd22/(1+r/100)
					if year == 2023 {
						this, last = ytd22*(1+r/100), ytd22
					}
					in.YTD, in.YTDLast = amount(this, ind.Measure), amount(last, ind.Measure)
				}
				if _, err := s.KPI.SaveActual(ctx, all, in); err != nil {
					return fmt.Errorf("demo: actual %s %d-%d: %w", ind.Code, year, m, err)
				}
			}
		}
	}
	for _, d := range computedDemos {
		if _, err := s.KPI.CreateIndicator(ctx, d.in); err != nil {
			return fmt.Errorf("demo: indicator %s: %w", d.in.Code, err)
		}
		if _, err := s.KPI.SetTarget(ctx, d.in.Code, "2023", d.target, "演示目标（合成）"); err != nil {
			return fmt.Errorf("demo: target %s: %w", d.in.Code, err)
		}
	}
	_, err := s.KPI.SaveSettings(ctx, 2023, kpi.SettingsInput{AsOf: AsOf, Ahead: "1", OnPace: "0.95", Behind: "0.85", ClosePP: "2"})
	return err
}

// cumShare is the share of a synthetic year done by the end of month m.
func cumShare(m int) float64 {
	sum := 0.0
	for i := 1; i <= m; i++ {
		sum += monthWeights[i]
	}
	return sum / 12
}

// amount rounds to the indicator's natural precision: whole 家, else 0.01.
func amount(f float64, measure string) string {
	if measure == "家" {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}
