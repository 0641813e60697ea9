package kpi

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// Computed indicators (系统计算). An indicator may name a measure that
// another module computes from its own dated events (calls published, bids
// taken up, money paid) instead of people entering figures. That module
// registers a Source at app assembly (internal/app); this package never
// imports it and never reads its tables. The figures are never stored:
// they are asked for at read time, so a demo or an import may load the
// targets before the events, and a correction in the source shows at the
// next read. People cannot enter or import them.
//
// Cost: a dashboard asks each source once (Source.Values, one grouped
// query in the source), for every computed indicator over it, both years
// and every month at once; the answer is memoised with the dashboard,
// fresh by this module's version plus every source's.

// Measure is one figure a source computes.
type Measure struct {
	Code    string   `json:"code"` // the source module, a dot, the measure: scenario.calls_published
	NameZH  string   `json:"name_zh"`
	NameEN  string   `json:"name_en"`
	AboutZH string   `json:"about_zh"` // how it is counted
	AboutEN string   `json:"about_en"`
	Unit    string   `json:"unit"`    // the measure an indicator over it usually takes: 个, 家, 万元
	Money   bool     `json:"money"`   // values are fen; the indicator's measure must be 元, 万元 or 亿元
	Filters []string `json:"filters"` // the filters it takes: category, chain, batch
}

// Filter keys.
const (
	FilterCategory = "category"
	FilterChain    = "chain"
	FilterBatch    = "batch"
)

// Filter narrows a measure; an empty field does not narrow.
type Filter struct {
	Category string `json:"category,omitempty"` // a category code
	Chain    string `json:"chain,omitempty"`    // a chain node code: the node and every node under it
	Batch    int    `json:"batch,omitempty"`    // a batch by its number (第 N 批)
}

// Empty reports whether f does not narrow.
func (f Filter) Empty() bool { return f == Filter{} }

// values are the filter's set fields by key.
func (f Filter) values() map[string]string {
	out := map[string]string{}
	if f.Category != "" {
		out[FilterCategory] = f.Category
	}
	if f.Chain != "" {
		out[FilterChain] = f.Chain
	}
	if f.Batch != 0 {
		out[FilterBatch] = strconv.Itoa(f.Batch)
	}
	return out
}

// FilterField is one filter a source's measures take, with its choices.
type FilterField struct {
	Key     string   `json:"key"`
	NameZH  string   `json:"name_zh"`
	NameEN  string   `json:"name_en"`
	Choices []Choice `json:"choices"`
}

// Choice is one value of a filter, in words.
type Choice struct {
	Value  string `json:"value"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Query asks for one measure under one filter.
type Query struct {
	Measure string
	Filter  Filter
}

// Request is everything one read asks of one source.
type Request struct {
	Queries  []Query
	From, To int    // years
	UpTo     string // YYYY-MM-DD, China time, inclusive: later events are not counted
}

// Answer is a source's answer to one query.
type Answer struct {
	// YTD holds, for each year From..To in order, the year-to-date value
	// at the end of each month, January first, counting only events on or
	// before UpTo (so months after it repeat its value, and months of
	// years after it are 0).
	YTD [][12]int64
	// FilterZH and FilterEN are the filter in words; "" when it does not
	// narrow.
	FilterZH, FilterEN string
}

// Source is a module that computes figures for the targets: it owns the
// events and counts them for this module.
type Source interface {
	// Measures lists what the source computes.
	Measures() []Measure
	// Filters lists the filters its measures take, with their choices
	// (for forms, and to check an indicator's filter).
	Filters(ctx context.Context) ([]FilterField, error)
	// Values answers every query of r, in order, in one grouped query.
	// Errors: Invalid naming a filter that no longer resolves.
	Values(ctx context.Context, r Request) ([]Answer, error)
	// Version moves on whenever a value may have changed.
	Version(ctx context.Context) (int64, error)
}

// registered is a measure with the source that computes it.
type registered struct {
	src Source
	idx int // the source's place in sources.list: sources are told apart by it, as a Source value need not be comparable
	m   Measure
}

// sources are the registered sources, in order, and their measures.
type sources struct {
	list     []Source
	measures map[string]registered
	order    []string
}

// AddSource registers a module that computes figures. The app assembly
// calls it once per module, before the service serves anyone.
func (s *Service) AddSource(src Source) {
	if s.sources.measures == nil {
		s.sources.measures = map[string]registered{}
	}
	s.sources.list = append(s.sources.list, src)
	for _, m := range src.Measures() {
		if _, dup := s.sources.measures[m.Code]; !dup {
			s.sources.order = append(s.sources.order, m.Code)
		}
		s.sources.measures[m.Code] = registered{src: src, idx: len(s.sources.list) - 1, m: m}
	}
}

// Measures lists every measure of the registered sources, in order.
func (s *Service) Measures() []Measure {
	out := make([]Measure, 0, len(s.sources.order))
	for _, c := range s.sources.order {
		out = append(out, s.sources.measures[c].m)
	}
	return out
}

// MeasureOf is the measure named code; ok is false when no source
// computes it (its module is not assembled).
func (s *Service) MeasureOf(code string) (Measure, bool) {
	r, ok := s.sources.measures[code]
	return r.m, ok
}

// SourceChoices is one source's measures and filters, for a form or an
// API client making a computed indicator.
type SourceChoices struct {
	Measures []Measure     `json:"measures"`
	Filters  []FilterField `json:"filters"`
}

// Sources lists every registered source's measures and filters.
func (s *Service) Sources(ctx context.Context) ([]SourceChoices, error) {
	out := []SourceChoices{}
	for _, src := range s.sources.list {
		fs, err := src.Filters(ctx)
		if err != nil {
			return nil, fmt.Errorf("kpi: sources: %w", err)
		}
		out = append(out, SourceChoices{Measures: src.Measures(), Filters: fs})
	}
	return out, nil
}

// Computed says whether people enter the indicator's figures (false) or
// a source computes them (true).
func (i Indicator) Computed() bool { return i.Source != "" }

// notEntered is the error for figures typed or imported for a computed
// indicator, naming field.
func notEntered(ind Indicator, field string, row int) *errs.Error {
	zh := "指标“" + ind.NameZH + "”由系统计算（" + ind.Source + "），不能录入或导入数据"
	en := "indicator " + ind.Code + " is computed by the system (" + ind.Source + "): its figures cannot be entered or imported"
	e := errs.List(zh, en, []errs.Detail{{Row: row, Field: field, Value: ind.Code, Reason: "系统计算的指标不接受录入或导入",
		ReasonEN: "a computed indicator takes no entered or imported figures"}})
	e.Field = field
	return e
}

// moneyUnits are the measures a money source may be shown in, with the
// fen in one of each: 1 元 = 100 fen.
var moneyUnits = map[string]int64{"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}

// checkSource checks an indicator's source and filter, adding a detail
// per problem; it asks the source for its choices only when a filter is
// set.
func (s *Service) checkSource(ctx context.Context, ind *Indicator, add func(field, zh, en string)) error {
	ind.Source = strings.TrimSpace(ind.Source)
	ind.SourceFilter.Category, ind.SourceFilter.Chain = strings.TrimSpace(ind.SourceFilter.Category), strings.TrimSpace(ind.SourceFilter.Chain)
	if ind.Source == "" {
		if !ind.SourceFilter.Empty() {
			add("source", "只有系统计算的指标可以设置筛选条件", "only a computed indicator takes filters")
		}
		return nil
	}
	r, ok := s.sources.measures[ind.Source]
	if !ok {
		add("source", "没有这个计算来源："+ind.Source, "unknown computed source: "+ind.Source)
		return nil
	}
	if r.m.Money {
		if _, ok := moneyUnits[ind.Measure]; !ok {
			add("measure", "金额来源的计量单位须为 元、万元 或 亿元", "a money source is measured in 元, 万元 or 亿元")
		}
	}
	set := ind.SourceFilter.values()
	if len(set) == 0 {
		return nil
	}
	fields, err := r.src.Filters(ctx)
	if err != nil {
		return fmt.Errorf("kpi: filters of %s: %w", ind.Source, err)
	}
	for _, key := range []string{FilterCategory, FilterChain, FilterBatch} {
		v, on := set[key]
		if !on {
			continue
		}
		field := "source_" + key
		if !slices.Contains(r.m.Filters, key) {
			add(field, "该计算来源不能按此条件筛选", "this source cannot be filtered by "+key)
			continue
		}
		i := slices.IndexFunc(fields, func(f FilterField) bool { return f.Key == key })
		if i < 0 || !slices.ContainsFunc(fields[i].Choices, func(c Choice) bool { return c.Value == v }) {
			add(field, "筛选条件不存在："+v, "no such filter value: "+v)
		}
	}
	return nil
}

// ToDate is a computed indicator's year-to-date value at the as-of date,
// within a month not yet ended (its figure for the month comes when the
// month ends).
type ToDate struct {
	Date string `json:"date"`
	YTD  Opt    `json:"ytd"`
}

// ComputedInfo says, in words, how a computed indicator's figures are made.
type ComputedInfo struct {
	Measure  string  `json:"measure"`
	NameZH   string  `json:"name_zh"`
	NameEN   string  `json:"name_en"`
	FilterZH string  `json:"filter_zh,omitempty"`
	FilterEN string  `json:"filter_en,omitempty"`
	ToDate   *ToDate `json:"to_date,omitempty"`
}

// computedYears are the computed indicators' figures of a span of years.
type computedYears struct {
	acts map[int64][]Actual
	info map[int64]*ComputedInfo
}

// computed asks every source once for the figures of the computed
// indicators among inds in years from..to, read at asOf: each ended month
// in the indicator's periods becomes an Actual (noted 系统计算), and the
// running month of asOf the indicator's ToDate.
func (s *Service) computed(ctx context.Context, inds []Indicator, from, to int, asOf time.Time) (computedYears, error) {
	out := computedYears{acts: map[int64][]Actual{}, info: map[int64]*ComputedInfo{}}
	bySrc := map[int][]Indicator{}
	var order []int
	for _, ind := range inds {
		if !ind.Computed() {
			continue
		}
		r, ok := s.sources.measures[ind.Source]
		if !ok { // its module is not assembled: the indicator has no figures
			out.info[ind.ID] = &ComputedInfo{Measure: ind.Source, NameZH: ind.Source, NameEN: ind.Source}
			continue
		}
		if _, seen := bySrc[r.idx]; !seen {
			order = append(order, r.idx)
		}
		bySrc[r.idx] = append(bySrc[r.idx], ind)
	}
	asOf = asOf.In(db.CST)
	for _, k := range order {
		src, group := s.sources.list[k], bySrc[k]
		req := Request{From: from, To: to, UpTo: asOf.Format("2006-01-02")}
		for _, ind := range group {
			req.Queries = append(req.Queries, Query{Measure: ind.Source, Filter: ind.SourceFilter})
		}
		series, err := src.Values(ctx, req)
		if err != nil {
			return out, fmt.Errorf("kpi: computed figures: %w", err)
		}
		if len(series) != len(group) {
			return out, fmt.Errorf("kpi: computed figures: %d answers to %d queries", len(series), len(group))
		}
		for i, ind := range group {
			m := s.sources.measures[ind.Source].m
			info := &ComputedInfo{Measure: m.Code, NameZH: m.NameZH, NameEN: m.NameEN, FilterZH: series[i].FilterZH, FilterEN: series[i].FilterEN}
			out.info[ind.ID] = info
			for y := from; y <= to && y-from < len(series[i].YTD); y++ {
				months := series[i].YTD[y-from]
				for _, mo := range ind.Frequency.Periods() {
					v, ok := toValue(m, ind.Measure, months[mo-1])
					if !ok {
						continue
					}
					if periodEnded(y, mo, asOf) {
						out.acts[ind.ID] = append(out.acts[ind.ID], Actual{IndicatorID: ind.ID, Code: ind.Code, Year: y, Month: mo,
							YTD: Some(v), Note: "系统计算"})
					}
				}
				if y == asOf.Year() {
					if v, ok := toValue(m, ind.Measure, months[asOf.Month()-1]); ok {
						info.ToDate = &ToDate{Date: asOf.Format("2006-01-02"), YTD: Some(v)}
					}
				}
			}
		}
	}
	return out, nil
}

// toValue is a source's count or fen as a figure in the indicator's
// measure. Fen shown in 万元 or 亿元 are rounded half away from zero to
// the figure's four decimals (1 元 in 万元, 1 万元 in 亿元): the one
// rounding of computed figures. ok is false past the figures' bound.
func toValue(m Measure, measure string, n int64) (Value, bool) {
	if !m.Money {
		if n > maxAbs/Scale || n < -maxAbs/Scale {
			return 0, false
		}
		return Value(n * Scale), true
	}
	per := moneyUnits[measure] // fen in one unit
	switch {
	case per == 0:
		return 0, false
	case per <= Scale: // 元: a fen is Scale/per ten-thousandths of the unit
		k := Scale / per
		if n > maxAbs/k || n < -maxAbs/k {
			return 0, false
		}
		return Value(n * k), true
	}
	per /= Scale // 万元, 亿元: fen in one ten-thousandth of the unit
	q, r := n/per, n%per
	if 2*abs(r) >= per {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return Value(q), true
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// versions are the dashboards' freshness: this module's version plus every
// source's. Each only grows, so their sum grows at any change of any.
type versions struct {
	s   *Service
	own memo.Module
}

// Version is the sum of the versions.
func (v versions) Version(ctx context.Context) (int64, error) {
	n, err := v.own.Version(ctx)
	if err != nil {
		return 0, err
	}
	for _, src := range v.s.sources.list {
		m, err := src.Version(ctx)
		if err != nil {
			return 0, fmt.Errorf("kpi: source version: %w", err)
		}
		n += m
	}
	return n, nil
}
