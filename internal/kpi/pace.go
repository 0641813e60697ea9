package kpi

import "math"

// The rules in this file are the numbers a leader asks for. They are pure
// functions of stored figures, so they are tested by hand-computed tables
// (pace_test.go) and shown on the dashboard exactly as written here:
//
//   - absolute target T at month m: expected = T × m / 12, or, when the
//     indicator asks for a seasonal profile, T × (last year's YTD at m ÷ last
//     year's full year); pace = YTD ÷ expected; status ahead (≥ 1.00), on pace
//     (≥ 0.95), behind (≥ 0.85), at risk (below).
//   - growth target g: r = YTD ÷ YTD last year − 1 (a published rate only when
//     the pair is missing); gap = r − g in percentage points; status met
//     (gap ≥ 0), close (−2 < gap < 0), behind (gap ≤ −2).
//   - rest of the year, growth: the remaining months must grow by
//     (last full year × (1 + g) − YTD) ÷ (last full year − YTD last year) − 1.
//   - rest of the year, absolute: (T − YTD) ÷ (12 − m) per remaining month.
//
// Where a direction is "lower is better" the comparison is mirrored: pace =
// expected ÷ YTD and gap = g − r. A zero or missing base never divides: the
// figure is "n/a" and says why.

// Status is an indicator's standing.
type Status string

// Statuses. Absolute targets use ahead/on_pace/behind/at_risk; growth targets
// met/close/behind. NA means the rule cannot be applied (zero base, missing
// last-year figure); NoData means no figure yet this year.
const (
	Ahead  Status = "ahead"
	OnPace Status = "on_pace"
	Behind Status = "behind"
	AtRisk Status = "at_risk"
	Met    Status = "met"
	Close  Status = "close"
	NA     Status = "n/a"
	NoData Status = "no_data"
)

// Label is the status in Chinese and English.
func (s Status) Label() (zh, en string) {
	switch s {
	case Ahead:
		return "超序时进度", "ahead"
	case OnPace:
		return "符合序时进度", "on pace"
	case Behind:
		return "滞后", "behind"
	case AtRisk:
		return "严重滞后", "at risk"
	case Met:
		return "达到目标", "met"
	case Close:
		return "接近目标", "close"
	case NoData:
		return "暂无数据", "no data"
	}
	return "无法计算", "n/a"
}

// Color is the status colour class: green, blue, yellow, red or gray.
func Color(k Kind, s Status) string {
	switch s {
	case Ahead, Met:
		return "green"
	case OnPace:
		return "blue"
	case Close:
		return "yellow"
	case Behind:
		if k == Growth {
			return "red"
		}
		return "yellow"
	case AtRisk:
		return "red"
	}
	return "gray"
}

// Thresholds tune the statuses. Pace thresholds are ratios, ClosePP is in
// percentage points.
type Thresholds struct {
	Ahead   float64 `json:"ahead"`
	OnPace  float64 `json:"on_pace"`
	Behind  float64 `json:"behind"`
	ClosePP float64 `json:"close_pp"`
}

// DefaultThresholds are the issue's: 1.00, 0.95, 0.85 and 2 points.
var DefaultThresholds = Thresholds{Ahead: 1.00, OnPace: 0.95, Behind: 0.85, ClosePP: 2}

// PaceStatus classifies a pace ratio.
func (t Thresholds) PaceStatus(pace float64) Status {
	switch {
	case pace >= t.Ahead:
		return Ahead
	case pace >= t.OnPace:
		return OnPace
	case pace >= t.Behind:
		return Behind
	}
	return AtRisk
}

// GapStatus classifies a growth gap in percentage points. Callers round the
// gap to nine decimals first, so that an exact decimal gap such as −2 (from
// 108 ÷ 100 − 1 − 10%) lands on the side of the boundary the rule writes.
func (t Thresholds) GapStatus(gapPP float64) Status {
	switch {
	case gapPP >= 0:
		return Met
	case gapPP > -t.ClosePP:
		return Close
	}
	return Behind
}

// GrowthSource says where a growth rate came from.
type GrowthSource string

const (
	Derived   GrowthSource = "derived"   // YTD ÷ YTD last year − 1
	Published GrowthSource = "published" // a rate as published, no YTD pair
)

// GrowthRate returns the year-to-date growth in percent. It derives it from
// the YTD pair when both exist and the base is positive, else takes the
// published rate; ok is false when neither is possible.
func GrowthRate(ytd, ytdLast, published Opt) (pct float64, src GrowthSource, ok bool) {
	if ytd.OK && ytdLast.OK && ytdLast.V > 0 {
		return (float64(ytd.V)/float64(ytdLast.V) - 1) * 100, Derived, true
	}
	if published.OK {
		return published.V.Float(), Published, true
	}
	return 0, "", false
}

// Input is everything the rules need for one indicator at its latest period.
type Input struct {
	Kind       Kind
	Direction  Direction
	Target     Value // growth: percent; absolute: amount
	Month      int   // 1–12, the period's last month
	YTD        Opt
	YTDLast    Opt
	Rate       Opt  // published rate, percent
	LastFull   Opt  // last year's full-year value
	Seasonal   bool // use last year's profile for the expected amount
	City, Prov Opt  // city and province YTD growth, percent
	Thresholds Thresholds
}

// Assessment is the outcome of the rules; nil pointers are "n/a".
type Assessment struct {
	Month        int          `json:"month"`
	Status       Status       `json:"status"`
	GrowthPct    *float64     `json:"growth_pct"`
	GrowthSource GrowthSource `json:"growth_source,omitempty"`
	Expected     *float64     `json:"expected,omitempty"`
	Pace         *float64     `json:"pace,omitempty"`
	SeasonalUsed bool         `json:"seasonal_used,omitempty"`
	GapPP        *float64     `json:"gap_pp,omitempty"`
	Remaining    int          `json:"remaining_months"`
	NeedGrowth   *float64     `json:"need_growth_pct,omitempty"`
	NeedPerMonth *float64     `json:"need_per_month,omitempty"`
	CityPct      *float64     `json:"city_pct"`
	ProvPct      *float64     `json:"province_pct"`
	VsCity       string       `json:"vs_city"`     // above, below, equal, n/a
	VsProv       string       `json:"vs_province"` // above, below, equal, n/a
	Why          string       `json:"why,omitempty"`
	WhyEN        string       `json:"why_en,omitempty"`
}

func ptr(f float64) *float64 { return &f }

// Assess applies the rules.
func Assess(in Input) Assessment {
	a := Assessment{Month: in.Month, Remaining: 12 - in.Month, VsCity: "n/a", VsProv: "n/a"}
	if in.Month < 1 || (!in.YTD.OK && !in.Rate.OK) {
		a.Status, a.Remaining = NoData, 12
		return a
	}
	if g, src, ok := GrowthRate(in.YTD, in.YTDLast, in.Rate); ok {
		a.GrowthPct, a.GrowthSource = ptr(round(g, 4)), src
		a.VsCity, a.CityPct = compare(g, in.City)
		a.VsProv, a.ProvPct = compare(g, in.Prov)
	}
	if in.Kind == Absolute {
		assessAbsolute(&a, in)
	} else {
		assessGrowth(&a, in)
	}
	return a
}

func assessAbsolute(a *Assessment, in Input) {
	T := in.Target.Float()
	share := float64(in.Month) / 12
	if in.Seasonal && in.YTDLast.OK && in.LastFull.OK && in.LastFull.V > 0 {
		share, a.SeasonalUsed = float64(in.YTDLast.V)/float64(in.LastFull.V), true
	}
	if !in.YTD.OK {
		a.Status, a.Why, a.WhyEN = NA, "仅有增速，无累计值", "only a rate, no year-to-date amount"
		return
	}
	ytd := in.YTD.V.Float()
	exp := T * share
	a.Expected = ptr(round(exp, 4))
	var pace float64
	switch {
	case in.Direction == Lower && ytd > 0:
		pace = exp / ytd
	case in.Direction != Lower && exp > 0:
		pace = ytd / exp
	default:
		a.Status, a.Why, a.WhyEN = NA, "序时目标或累计值为零，无法计算进度", "zero expected or zero amount: pace undefined"
		return
	}
	a.Pace = ptr(round(pace, 4))
	a.Status = in.Thresholds.PaceStatus(round(pace, 9))
	if a.Remaining > 0 {
		a.NeedPerMonth = ptr(round(math.Max(0, T-ytd)/float64(a.Remaining), 4))
	}
}

func assessGrowth(a *Assessment, in Input) {
	g := in.Target.Float()
	if a.GrowthPct == nil {
		a.Status, a.Why, a.WhyEN = NA, "上年同期为零或缺失，无法计算增速", "last year's base is zero or missing: growth undefined"
		return
	}
	gap := *a.GrowthPct - g
	if in.Direction == Lower {
		gap = -gap
	}
	a.GapPP = ptr(round(gap, 4))
	a.Status = in.Thresholds.GapStatus(round(gap, 9))
	if a.Remaining == 0 || a.GrowthSource != Derived || !in.LastFull.OK {
		return
	}
	full, ytd, ytdLast := in.LastFull.V.Float(), in.YTD.V.Float(), in.YTDLast.V.Float()
	rest := full - ytdLast
	if rest <= 0 {
		a.Why, a.WhyEN = "上年剩余月份为零，无法推算", "last year's remaining months are zero: cannot project"
		return
	}
	a.NeedGrowth = ptr(round(((full*(1+g/100)-ytd)/rest-1)*100, 4))
}

func compare(zone float64, other Opt) (string, *float64) {
	if !other.OK {
		return "n/a", nil
	}
	o := other.V.Float()
	d := round(zone-o, 6)
	switch {
	case d > 0:
		return "above", ptr(o)
	case d < 0:
		return "below", ptr(o)
	}
	return "equal", ptr(o)
}

func round(f float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}
