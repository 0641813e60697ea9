package enterprise_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"gaoxin/internal/enterprise"
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
