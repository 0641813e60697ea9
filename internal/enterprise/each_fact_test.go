package enterprise_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// EachFact hands every enterprise to fn once, in id order and in batches
// of the size asked, with its figures; an error of fn ends the walk and is
// returned, and so is a cancelled context, never a walk cut short in
// silence (a rebuild would then commit part of the registry).
func TestEachFactVisitsEveryEnterpriseOnceAndStopsOnError(t *testing.T) {
	f := newFixture(t)
	var want []int64
	for i := range 7 {
		e := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100%08d", 20000000+i)), Name: fmt.Sprintf("企业%d", i), Area: "sf"})
		if err := f.svc.SetFigures(f.ctx, staff, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: int64(i+1) * 100, Source: enterprise.FromStaff}}); err != nil {
			t.Fatal(err)
		}
		want = append(want, e.ID)
	}
	var got []int64
	var sizes []int
	err := f.svc.EachFact(f.ctx, nil, 3, func(part []enterprise.Fact) error {
		sizes = append(sizes, len(part))
		for _, fa := range part {
			got = append(got, fa.ID)
			if v := fa.Years[2022]["revenue"]; v == 0 {
				t.Errorf("enterprise %d without its revenue", fa.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(sizes) != "[3 3 1]" {
		t.Fatalf("visited %v in batches %v, want %v", got, sizes, want)
	}

	stop := errors.New("stop")
	calls := 0
	err = f.svc.EachFact(f.ctx, nil, 2, func([]enterprise.Fact) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Fatalf("fn's error: %v after %d calls", err, calls)
	}

	ctx, cancel := context.WithCancel(f.ctx)
	calls = 0
	err = f.svc.EachFact(ctx, nil, 2, func([]enterprise.Fact) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("a cancelled walk: %v after %d calls", err, calls)
	}
}

// A fact carries every confirmed whole-year value of every source, as
// SourceValues lists them, and per indicator and year the best-ranked
// source's as its effective value; pending and monthly values are in
// neither.
func TestFactsHoldEverySourceAndTheEffectiveValue(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010030000001"), Name: "甲", Area: "sf"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010030000002"), Name: "乙", Area: "sf"})
	set := func(id int64, in ...enterprise.FigureInput) {
		t.Helper()
		if err := f.svc.SetFigures(f.ctx, staff, id, in); err != nil {
			t.Fatal(err)
		}
	}
	set(a.ID, enterprise.FigureInput{Indicator: "revenue", Year: 2022, Value: 500, Source: enterprise.FromStaff},
		enterprise.FigureInput{Indicator: "revenue", Year: 2022, Value: 40, Source: enterprise.FromTax},
		enterprise.FigureInput{Indicator: "revenue", Year: 2021, Value: 300, Source: enterprise.FromStaff},
		enterprise.FigureInput{Indicator: "energy", Year: 2022, Value: 7, Source: enterprise.FromPower},
		enterprise.FigureInput{Indicator: "energy", Year: 2022, Value: 9, Source: enterprise.FromIPR},
		enterprise.FigureInput{Indicator: "revenue", Year: 2022, Month: 3, Value: 11, Source: enterprise.FromStats})
	set(b.ID, enterprise.FigureInput{Indicator: "taxes", Year: 2020, Value: 12, Source: enterprise.FromStats})
	// Self-reported and not yet reviewed: pending.
	self := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: b.ID}
	if err := f.svc.SetFigures(f.ctx, self, b.ID, []enterprise.FigureInput{{Indicator: "taxes", Year: 2021, Value: 99}}); err != nil {
		t.Fatal(err)
	}

	facts, err := f.svc.Facts(f.ctx, nil, []int64{b.ID, a.ID})
	if err != nil || len(facts) != 2 || facts[0].ID != a.ID {
		t.Fatalf("facts %+v %v", facts, err)
	}
	vals, err := f.svc.SourceValues(f.ctx, nil, []int64{a.ID, b.ID})
	if err != nil {
		t.Fatal(err)
	}
	var sources []enterprise.SourceValue
	for _, fa := range facts {
		sources = append(sources, fa.Sources...)
	}
	if fmt.Sprint(sources) != fmt.Sprint(vals) || len(vals) != 6 {
		t.Fatalf("sources of the facts\n%v\nSourceValues\n%v", sources, vals)
	}
	if got := fmt.Sprint(facts[0].Years); got != "map[2021:map[revenue:300] 2022:map[energy:7 revenue:40]]" {
		t.Fatalf("effective values of a: %s", got)
	}
	if got := fmt.Sprint(facts[1].Years); got != "map[2020:map[taxes:12]]" {
		t.Fatalf("effective values of b: %s", got)
	}
}
