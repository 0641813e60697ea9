package kpi

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/db"
)

// Card is one indicator on the leader dashboard.
type Card struct {
	Indicator  Indicator    `json:"indicator"`
	Target     Opt          `json:"target"`
	Latest     *Actual      `json:"latest"`
	LastFull   Opt          `json:"last_year_full"`
	Assessment Assessment   `json:"assessment"`
	TargetPct  *float64     `json:"target_growth_pct"` // growth target, or the growth an absolute target implies
	Trend      []TrendPoint `json:"trend"`
	NextDue    *Due         `json:"next_due"` // nil when the year is complete, or computed
	// Computed says how a computed indicator's figures are made; nil when
	// people enter them.
	Computed *ComputedInfo `json:"computed,omitempty"`
}

// TrendPoint is one month of YTD growth, percent, with the zone's
// year-to-date value itself; nil where no figure.
type TrendPoint struct {
	Month    int      `json:"month"`
	YTD      *float64 `json:"ytd"` // the zone's cumulative value, in the indicator's measure
	Zone     *float64 `json:"zone"`
	City     *float64 `json:"city"`
	Province *float64 `json:"province"`
}

// Dashboard is every indicator's standing in a year.
type Dashboard struct {
	Year     int      `json:"year"`
	AsOf     string   `json:"as_of"`
	Settings Settings `json:"settings"`
	Cards    []Card   `json:"indicators"`
}

// Dashboard assesses every indicator for year in four queries (indicators,
// targets, two years of actuals, settings), whatever the number of
// indicators, plus one per source of computed indicators, and memoises the
// answer per version (the module's and its sources') and day. The result
// is shared: callers must not modify it.
func (s *Service) Dashboard(ctx context.Context, year int) (Dashboard, error) {
	key := fmt.Sprintf("dashboard|%d|%s", year, s.Now().In(db.CST).Format("2006-01-02"))
	return s.memo.dashboards.Get(ctx, key, func() (Dashboard, error) { return s.dashboard(ctx, year) })
}

func (s *Service) dashboard(ctx context.Context, year int) (Dashboard, error) {
	st, err := s.Settings(ctx, year)
	if err != nil {
		return Dashboard{}, err
	}
	asOf := s.AsOfDate(st)
	d := Dashboard{Year: year, AsOf: asOf.Format("2006-01-02"), Settings: st}
	inds, err := s.Indicators(ctx, 0)
	if err != nil {
		return d, err
	}
	targets, err := s.Targets(ctx, year)
	if err != nil {
		return d, err
	}
	tv := map[int64]Value{}
	for _, t := range targets {
		tv[t.IndicatorID] = t.Value
	}
	acts, err := s.yearActuals(ctx, year-1, year)
	if err != nil {
		return d, err
	}
	comp, err := s.computed(ctx, inds, year-1, year, asOf)
	if err != nil {
		return d, err
	}
	for _, ind := range inds {
		c := Card{Indicator: ind}
		if v, ok := tv[ind.ID]; ok {
			c.Target = Some(v)
		}
		a := acts[ind.ID]
		if ind.Computed() {
			a, c.Computed = comp.acts[ind.ID], comp.info[ind.ID]
		}
		c.assess(ind, year, a, st.Thresholds, asOf)
		d.Cards = append(d.Cards, c)
	}
	return d, nil
}

// assess fills the card from the indicator's actuals of year−1 and year.
func (c *Card) assess(ind Indicator, year int, acts []Actual, th Thresholds, asOf time.Time) {
	var this [13]*Actual
	var prev [13]*Actual
	for i := range acts {
		a := &acts[i]
		switch a.Year {
		case year:
			this[a.Month] = a
		case year - 1:
			prev[a.Month] = a
		}
	}
	if p := prev[12]; p != nil && p.YTD.OK {
		c.LastFull = p.YTD
	} else if t := this[12]; t != nil && t.YTDLast.OK {
		c.LastFull = t.YTDLast
	}
	have := map[int]bool{}
	for _, m := range ind.Frequency.Periods() {
		a := this[m]
		if a == nil || !a.HasFigure() {
			continue
		}
		have[m] = true
		last := lastYear(a, prev[m])
		tp := TrendPoint{Month: m}
		if a.YTD.OK {
			tp.YTD = ptr(a.YTD.V.Float())
		}
		if g, _, ok := GrowthRate(a.YTD, last, a.Rate); ok {
			tp.Zone = ptr(round(g, 4))
		}
		if a.CityRate.OK {
			tp.City = ptr(a.CityRate.V.Float())
		}
		if a.ProvinceRate.OK {
			tp.Province = ptr(a.ProvinceRate.V.Float())
		}
		c.Trend = append(c.Trend, tp)
		c.Latest = a
	}
	if c.Target.OK {
		switch {
		case ind.Kind == Growth:
			c.TargetPct = ptr(c.Target.V.Float())
		case c.LastFull.OK && c.LastFull.V > 0:
			c.TargetPct = ptr(round((c.Target.V.Float()/c.LastFull.V.Float()-1)*100, 4))
		}
	}
	if !ind.Computed() { // nobody owes a computed figure
		c.NextDue = NextDue(ind, year, have, asOf)
	}
	if c.Latest == nil || !c.Target.OK {
		c.Assessment = Assessment{Status: NoData, Remaining: 12, VsCity: "n/a", VsProv: "n/a"}
		if c.Latest != nil {
			c.Assessment = Assess(Input{Kind: ind.Kind, Month: c.Latest.Month, YTD: c.Latest.YTD, YTDLast: lastYear(c.Latest, prev[c.Latest.Month]),
				Rate: c.Latest.Rate, City: c.Latest.CityRate, Prov: c.Latest.ProvinceRate, Thresholds: th, Direction: ind.Direction})
			c.Assessment.Status, c.Assessment.Why, c.Assessment.WhyEN = NA, "未设定本年目标", "no target set for the year"
		}
		return
	}
	a := c.Latest
	c.Assessment = Assess(Input{Kind: ind.Kind, Direction: ind.Direction, Target: c.Target.V, Month: a.Month,
		YTD: a.YTD, YTDLast: lastYear(a, prev[a.Month]), Rate: a.Rate, LastFull: c.LastFull, Seasonal: ind.Seasonal,
		City: a.CityRate, Prov: a.ProvinceRate, Thresholds: th})
}

// lastYear is the same-period-last-year YTD: as entered with this year's
// figure, else last year's own YTD for that month.
func lastYear(a, prev *Actual) Opt {
	if a.YTDLast.OK {
		return a.YTDLast
	}
	if prev != nil {
		return prev.YTD
	}
	return Opt{}
}

// Due is when an indicator's next figure is due.
type Due struct {
	Year    int    `json:"year"`
	Month   int    `json:"month"`
	Date    string `json:"date"`
	Overdue bool   `json:"overdue"`
}

// DueDate is the day the figure for (year, month) is due: dueDay of the
// following month.
func DueDate(year, month, dueDay int) time.Time {
	return time.Date(year, time.Month(month)+1, dueDay, 0, 0, 0, 0, db.CST)
}

// NextDue is the earliest period of year without a figure, with its due
// date, overdue when asOf is after that date; nil when the year is complete.
func NextDue(ind Indicator, year int, have map[int]bool, asOf time.Time) *Due {
	for _, m := range ind.Frequency.Periods() {
		if have[m] {
			continue
		}
		due := DueDate(year, m, ind.DueDay)
		return &Due{Year: year, Month: m, Date: due.Format("2006-01-02"), Overdue: asOf.After(due)}
	}
	return nil
}

// Overdue is a figure past its due date and still missing (数据逾期).
type Overdue struct {
	Indicator Indicator `json:"indicator"`
	Year      int       `json:"year"`
	Month     int       `json:"month"`
	DueDate   string    `json:"due_date"`
	DaysLate  int       `json:"days_late"`
}

// OverdueFigures lists the figures owned by unitID (0: every unit) that are
// past due at asOf and missing, for the year of asOf and the one before,
// counting only indicator-years that have a target and leaving out computed
// indicators, whose figures nobody enters. Sorted by owner unit,
// then due date. The inbox and the overdue page call it.
func (s *Service) OverdueFigures(ctx context.Context, unitID int64, asOf time.Time) ([]Overdue, error) {
	asOf = asOf.In(db.CST)
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, db.CST)
	inds, err := s.Indicators(ctx, unitID)
	if err != nil {
		return nil, err
	}
	y := asOf.Year()
	targeted := map[[2]int64]bool{}
	for _, yr := range []int{y - 1, y} {
		ts, err := s.Targets(ctx, yr)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			targeted[[2]int64{t.IndicatorID, int64(yr)}] = true
		}
	}
	acts, err := s.yearActuals(ctx, y-1, y)
	if err != nil {
		return nil, fmt.Errorf("kpi: overdue: %w", err)
	}
	var out []Overdue
	for _, ind := range inds {
		if ind.Computed() {
			continue
		}
		have := map[[2]int]bool{}
		for _, a := range acts[ind.ID] {
			if a.HasFigure() {
				have[[2]int{a.Year, a.Month}] = true
			}
		}
		for _, yr := range []int{y - 1, y} {
			if !targeted[[2]int64{ind.ID, int64(yr)}] {
				continue
			}
			for _, m := range ind.Frequency.Periods() {
				due := DueDate(yr, m, ind.DueDay)
				if have[[2]int{yr, m}] || !asOf.After(due) {
					continue
				}
				out = append(out, Overdue{Indicator: ind, Year: yr, Month: m, DueDate: due.Format("2006-01-02"),
					DaysLate: int(asOf.Sub(due).Hours() / 24)})
			}
		}
	}
	sortOverdue(out)
	return out, nil
}

// SeriesPoint is one period of an indicator's year with the rules applied
// as if that period were the latest.
type SeriesPoint struct {
	Actual     Actual     `json:"actual"`
	YTDLast    Opt        `json:"ytd_last"` // as entered, or last year's own YTD
	Assessment Assessment `json:"assessment"`
}

// Series assesses every period of year that has a figure, oldest first.
// acts holds the indicator's actuals of year−1 and year.
func Series(ind Indicator, year int, acts []Actual, target Opt, th Thresholds) []SeriesPoint {
	var prev [13]*Actual
	var lastFull Opt
	for i := range acts {
		if a := &acts[i]; a.Year == year-1 {
			prev[a.Month] = a
			if a.Month == 12 {
				lastFull = a.YTD
			}
		} else if a.Year == year && a.Month == 12 && !lastFull.OK {
			lastFull = a.YTDLast
		}
	}
	var out []SeriesPoint
	for _, a := range acts {
		if a.Year != year || !a.HasFigure() {
			continue
		}
		last := lastYear(&a, prev[a.Month])
		as := Assess(Input{Kind: ind.Kind, Direction: ind.Direction, Target: target.V, Month: a.Month, YTD: a.YTD, YTDLast: last,
			Rate: a.Rate, LastFull: lastFull, Seasonal: ind.Seasonal, City: a.CityRate, Prov: a.ProvinceRate, Thresholds: th})
		if !target.OK {
			as.Status, as.Why, as.WhyEN = NA, "未设定本年目标", "no target set for the year"
		}
		out = append(out, SeriesPoint{Actual: a, YTDLast: last, Assessment: as})
	}
	return out
}
