package kpi_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
)

// fakeSource computes from events it is given: per measure and category,
// an amount on a date. It counts the calls it answers.
type fakeSource struct {
	mu      sync.Mutex
	events  []fakeEvent
	calls   int
	version int64
	lastReq kpi.Request
}

type fakeEvent struct {
	measure, category, on string
	n                     int64
}

func (s *fakeSource) Measures() []kpi.Measure {
	return []kpi.Measure{
		{Code: "fake.calls", NameZH: "发布数", NameEN: "Calls", Unit: "个", Filters: []string{kpi.FilterCategory}},
		{Code: "fake.paid", NameZH: "兑付金额", NameEN: "Paid", Unit: "万元", Money: true},
	}
}

func (s *fakeSource) Filters(context.Context) ([]kpi.FilterField, error) {
	return []kpi.FilterField{{Key: kpi.FilterCategory, NameZH: "类别", Choices: []kpi.Choice{{Value: "a", NameZH: "甲类"}, {Value: "b", NameZH: "乙类"}}}}, nil
}

func (s *fakeSource) Values(_ context.Context, r kpi.Request) ([]kpi.Answer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.lastReq = r
	out := make([]kpi.Answer, len(r.Queries))
	for i, q := range r.Queries {
		out[i].YTD = make([][12]int64, r.To-r.From+1)
		if q.Filter.Category != "" {
			out[i].FilterZH = map[string]string{"a": "甲类", "b": "乙类"}[q.Filter.Category]
		}
		for _, e := range s.events {
			if e.measure != q.Measure || e.on > r.UpTo || (q.Filter.Category != "" && e.category != q.Filter.Category) {
				continue
			}
			t, _ := time.Parse("2006-01-02", e.on)
			if y := t.Year(); y >= r.From && y <= r.To {
				for m := int(t.Month()); m <= 12; m++ {
					out[i].YTD[y-r.From][m-1] += e.n
				}
			}
		}
	}
	return out, nil
}

func (s *fakeSource) Version(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *fakeSource) add(e fakeEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
	s.version++
}

func (s *fakeSource) answered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

var computedCalls = kpi.IndicatorInput{Code: "calls", NameZH: "场景机会发布数", Measure: "个", Kind: kpi.Absolute, Owner: "kcj",
	Source: "fake.calls"}

func withSource(t *testing.T) (*fixture, *fakeSource) {
	t.Helper()
	f := newFixture(t)
	src := &fakeSource{}
	f.svc.AddSource(src)
	return f, src
}

func TestComputedIndicatorValidation(t *testing.T) {
	f, _ := withSource(t)
	cases := []struct {
		name  string
		edit  func(*kpi.IndicatorInput)
		field string
	}{
		{"unknown source", func(in *kpi.IndicatorInput) { in.Source = "scenario.nothing" }, "source"},
		{"a filter the measure does not take", func(in *kpi.IndicatorInput) { in.Filter.Chain = "iot" }, "source_chain"},
		{"an unknown filter value", func(in *kpi.IndicatorInput) { in.Filter.Category = "z" }, "source_category"},
		{"money in a count's measure", func(in *kpi.IndicatorInput) { in.Source = "fake.paid" }, "measure"},
		{"a filter on an entered indicator", func(in *kpi.IndicatorInput) { in.Source = ""; in.Filter.Category = "a" }, "source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := computedCalls
			tc.edit(&in)
			_, err := f.svc.CreateIndicator(f.ctx, in)
			e := errs.As(err)
			found := false
			for _, d := range e.Details {
				found = found || d.Field == tc.field
			}
			if e.Code != errs.Invalid || !found {
				t.Fatalf("got %v %+v, want invalid naming %s", err, e.Details, tc.field)
			}
		})
	}
	in := computedCalls
	in.Filter.Category = "a"
	ind := f.mustIndicator(t, in)
	if !ind.Computed() || ind.SourceFilter.Category != "a" {
		t.Fatalf("created %+v", ind)
	}
	got, err := f.svc.Indicator(f.ctx, ind.ID)
	if err != nil || got.Source != "fake.calls" || got.SourceFilter.Category != "a" {
		t.Fatalf("read back %+v %v", got, err)
	}
	// An entered indicator with figures cannot become computed: its
	// figures would be hidden behind the computed ones.
	f.mustIndicator(t, firms)
	f.mustActual(t, kpi.ActualInput{Indicator: "firms", Year: "2023", Month: "1", YTD: "10"})
	fi, _ := f.svc.IndicatorByCode(f.ctx, "firms")
	to := firms
	to.Source = "fake.calls"
	if _, err := f.svc.UpdateIndicator(f.ctx, fi.ID, to); errs.As(err).Field != "source" {
		t.Fatalf("entered → computed with figures: %v", err)
	}
	money := computedCalls
	money.Code, money.Source, money.Measure, money.Filter = "paid", "fake.paid", "万元", kpi.Filter{}
	f.mustIndicator(t, money)
}

func TestComputedIndicatorRefusesEnteredFigures(t *testing.T) {
	f, _ := withSource(t)
	f.mustIndicator(t, computedCalls)
	f.mustIndicator(t, firms)
	_, err := f.svc.SaveActual(f.ctx, kpi.Scope{All: true}, kpi.ActualInput{Indicator: "calls", Year: "2023", Month: "3", YTD: "5"})
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "indicator" || e.Details[0].Reason == "" {
		t.Fatalf("entering a computed figure: %v %+v", err, e)
	}
	// Its owner unit fares no better.
	if _, err := f.svc.SaveActual(f.ctx, kpi.Scope{UnitID: f.kcj}, kpi.ActualInput{Indicator: "calls", Year: "2023", Month: "3", YTD: "5"}); errs.As(err).Field != "indicator" {
		t.Fatalf("the owner entering a computed figure: %v", err)
	}
	// An import naming it fails at its row, and nothing is written, not
	// even the good row.
	x := excelize.NewFile()
	head := []any{}
	for _, c := range kpi.Columns {
		head = append(head, c.ZH+" "+c.Key)
	}
	x.SetSheetRow("Sheet1", "A1", &head)
	x.SetSheetRow("Sheet1", "A2", &[]any{"firms", 2023, 3, 300})
	x.SetSheetRow("Sheet1", "A3", &[]any{"calls", 2023, 3, 5})
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, &b)
	e := errs.As(err)
	if e.Code != errs.Invalid || len(e.Details) != 1 || e.Details[0].Row != 3 || e.Details[0].Field != "A indicator" {
		t.Fatalf("import of a computed figure: %v %+v", err, e.Details)
	}
	if acts, _ := f.svc.Actuals(f.ctx, mustID(t, f, "firms"), 2023, 2023); len(acts) != 0 {
		t.Fatalf("the good row was written: %+v", acts)
	}
	// The template offers no row for it.
	var tpl bytes.Buffer
	if err := f.svc.WriteTemplate(f.ctx, &tpl, kpi.Scope{All: true}, 2023); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("actuals")
	for _, r := range rows[1:] {
		if r[0] == "calls" {
			t.Fatalf("template row for a computed indicator: %v", r)
		}
	}
}

func mustID(t *testing.T, f *fixture, code string) int64 {
	t.Helper()
	ind, err := f.svc.IndicatorByCode(f.ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return ind.ID
}

// TestComputedIndicatorOnTheDashboard: monthly YTD from dated events, for
// the months ended at the as-of date (2023-11-20: January–October), the
// running month as a to-date figure, pace and status by the same rules as
// entered figures, and one answer from the source per dashboard.
func TestComputedIndicatorOnTheDashboard(t *testing.T) {
	f, src := withSource(t)
	for _, e := range []fakeEvent{
		{"fake.calls", "a", "2022-06-15", 2}, {"fake.calls", "b", "2022-12-31", 1},
		{"fake.calls", "a", "2023-01-31", 1}, {"fake.calls", "b", "2023-05-01", 3}, {"fake.calls", "a", "2023-10-31", 4},
		{"fake.calls", "a", "2023-11-05", 2}, {"fake.calls", "a", "2023-11-21", 50}, // after the as-of date: not counted
		{"fake.paid", "", "2023-03-10", 123_456_789}, // fen: 1,234,567.89 元 = 123.4568 万元
	} {
		src.add(e)
	}
	calls := f.mustIndicator(t, computedCalls)
	onlyA := computedCalls
	onlyA.Code, onlyA.Kind, onlyA.Filter = "calls_a", kpi.Growth, kpi.Filter{Category: "a"}
	growth := f.mustIndicator(t, onlyA)
	paid := computedCalls
	paid.Code, paid.Source, paid.Measure = "paid", "fake.paid", "万元"
	f.mustIndicator(t, paid)
	for code, v := range map[string]string{"calls": "12", "calls_a": "100", "paid": "500"} {
		if _, err := f.svc.SetTarget(f.ctx, code, "2023", v, ""); err != nil {
			t.Fatal(err)
		}
	}
	d, err := f.svc.Dashboard(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if n := src.answered(); n != 1 {
		t.Fatalf("the source answered %d times for one dashboard, want once", n)
	}
	if r := src.lastReq; r.From != 2022 || r.To != 2023 || r.UpTo != "2023-11-20" || len(r.Queries) != 3 {
		t.Fatalf("request %+v", r)
	}
	c := d.Cards[0]
	if c.Indicator.ID != calls.ID || c.Computed == nil || c.Computed.NameZH != "发布数" || c.NextDue != nil {
		t.Fatalf("computed card: %+v", c)
	}
	// October: 1 + 3 + 4 = 8 against 12 × 10/12 = 10: pace 0.8, at risk;
	// (12 − 8)/2 a month for November and December.
	a := c.Assessment
	if c.Latest == nil || c.Latest.Month != 10 || c.Latest.YTD.V != 8*kpi.Scale || a.Status != kpi.AtRisk || *a.Pace != 0.8 || *a.NeedPerMonth != 2 {
		t.Fatalf("calls: latest %+v assessment %+v", c.Latest, a)
	}
	if len(c.Trend) != 10 || c.LastFull.V != 3*kpi.Scale {
		t.Fatalf("trend %d points, last full year %v", len(c.Trend), c.LastFull)
	}
	// To date: the 5 November event, not the one after the as-of date.
	if td := c.Computed.ToDate; td == nil || td.Date != "2023-11-20" || td.YTD.V != 10*kpi.Scale {
		t.Fatalf("to date %+v", c.Computed.ToDate)
	}
	// Growth, category a: October 5 against last October 2 → +150%, met.
	g := d.Cards[1]
	if g.Indicator.ID != growth.ID || g.Computed.FilterZH != "甲类" || *g.Assessment.GrowthPct != 150 || g.Assessment.Status != kpi.Met {
		t.Fatalf("growth card: %+v %+v", g.Computed, g.Assessment)
	}
	// Money in 万元, rounded half away from zero at four decimals.
	if p := d.Cards[2]; p.Latest == nil || p.Latest.YTD.V.String() != "123.4568" {
		t.Fatalf("paid: %+v", p.Latest)
	}
	// The indicator's own figures, as the indicator page reads them.
	acts, err := f.svc.Actuals(f.ctx, calls.ID, 2022, 2023)
	if err != nil || len(acts) != 22 || acts[11].YTD.V != 3*kpi.Scale || acts[21].Month != 10 || acts[21].Note != "系统计算" {
		t.Fatalf("actuals: %d %v", len(acts), err)
	}
	// Nobody owes a computed figure.
	if od, _ := f.svc.OverdueFigures(f.ctx, 0, time.Date(2023, 11, 20, 0, 0, 0, 0, db.CST)); len(od) != 0 {
		t.Fatalf("overdue: %+v", od)
	}
	// Memoised until the source's version moves; then computed again.
	asked := src.answered()
	if _, err := f.svc.Dashboard(f.ctx, 2023); err != nil || src.answered() != asked {
		t.Fatalf("second read asked the source again (%d) %v", src.answered(), err)
	}
	src.add(fakeEvent{"fake.calls", "b", "2023-02-01", 2})
	d, err = f.svc.Dashboard(f.ctx, 2023)
	if err != nil || src.answered() != asked+1 || d.Cards[0].Latest.YTD.V != 10*kpi.Scale {
		t.Fatalf("after a new event: %d answers, latest %+v %v", src.answered(), d.Cards[0].Latest, err)
	}
}

// TestComputedQuarterlyAndWholeYear: a quarterly computed indicator keeps
// to quarter ends, and a past year is complete, with no to-date figure.
func TestComputedQuarterlyAndWholeYear(t *testing.T) {
	f, src := withSource(t)
	src.add(fakeEvent{"fake.calls", "a", "2022-02-10", 1})
	src.add(fakeEvent{"fake.calls", "a", "2022-11-10", 1})
	q := computedCalls
	q.Frequency = kpi.Quarterly
	ind := f.mustIndicator(t, q)
	acts, err := f.svc.Actuals(f.ctx, ind.ID, 2022, 2022)
	if err != nil || len(acts) != 4 || acts[0].Month != 3 || acts[0].YTD.V != kpi.Scale || acts[3].YTD.V != 2*kpi.Scale {
		t.Fatalf("quarterly 2022: %+v %v", acts, err)
	}
	d, err := f.svc.Dashboard(f.ctx, 2022)
	if err != nil || d.Cards[0].Computed.ToDate != nil || d.Cards[0].Latest.Month != 12 {
		t.Fatalf("2022 read in 2023: %+v %v", d.Cards[0], err)
	}
}

// valueSource is a source passed by value whose fields make it not
// comparable (a slice), as a module may well write one: the dashboard
// tells sources apart by their registration, never by comparing them.
type valueSource struct {
	inner    *fakeSource
	measures []kpi.Measure
}

func (s valueSource) Measures() []kpi.Measure { return s.measures }
func (s valueSource) Filters(ctx context.Context) ([]kpi.FilterField, error) {
	return s.inner.Filters(ctx)
}
func (s valueSource) Values(ctx context.Context, r kpi.Request) ([]kpi.Answer, error) {
	return s.inner.Values(ctx, r)
}
func (s valueSource) Version(ctx context.Context) (int64, error) { return s.inner.Version(ctx) }

func TestComputedFromASourceThatIsNotComparable(t *testing.T) {
	f := newFixture(t)
	inner := &fakeSource{}
	f.svc.AddSource(valueSource{inner: inner, measures: inner.Measures()})
	f.mustIndicator(t, computedCalls)
	inner.add(fakeEvent{measure: "fake.calls", on: "2023-03-02", n: 2})
	d, err := f.svc.Dashboard(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cards) != 1 || d.Cards[0].Computed == nil || d.Cards[0].Latest == nil || d.Cards[0].Latest.YTD.V.String() != "2" {
		t.Fatalf("cards: %+v", d.Cards)
	}
}
