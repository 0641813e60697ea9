package kpi_test

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
)

// A unit deletes only the figures its own staff entered: not the
// supervisors' or an import's, and not after the supervisors replaced its
// own; the zone's staff delete any.
func TestUnitDeletesOnlyWhatItEntered(t *testing.T) {
	f := newFixture(t)
	ind := f.mustIndicator(t, gdp)
	jfj, staff := kpi.Scope{UnitID: f.jfj}, kpi.Scope{All: true}
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "3", YTD: "100", YTDLast: "90"})
	if err := f.svc.DeleteActual(f.ctx, jfj, ind.ID, 2023, 3); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the unit deletes the supervisors' figures: %v", err)
	}
	if _, err := f.svc.SaveActual(f.ctx, jfj, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "6", YTD: "210", YTDLast: "190"}); err != nil {
		t.Fatal(err)
	}
	acts, err := f.svc.Actuals(f.ctx, ind.ID, 2023, 2023)
	if err != nil || len(acts) != 2 || acts[1].EnteredUnit != f.jfj || acts[0].EnteredUnit != 0 {
		t.Fatalf("entered by: %+v %v", acts, err)
	}
	// The supervisors correct the unit's figure: it is theirs now.
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "6", YTD: "211", YTDLast: "190"})
	if err := f.svc.DeleteActual(f.ctx, jfj, ind.ID, 2023, 6); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the unit deletes the supervisors' correction: %v", err)
	}
	if _, err := f.svc.SaveActual(f.ctx, jfj, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "9", YTD: "320", YTDLast: "290"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteActual(f.ctx, jfj, ind.ID, 2023, 9); err != nil {
		t.Fatalf("the unit deletes its own figure: %v", err)
	}
	if err := f.svc.DeleteActual(f.ctx, kpi.Scope{UnitID: f.kcj}, ind.ID, 2023, 6); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("another unit deletes: %v", err)
	}
	for _, m := range []int{3, 6} {
		if err := f.svc.DeleteActual(f.ctx, staff, ind.ID, 2023, m); err != nil {
			t.Fatalf("the supervisors delete month %d: %v", m, err)
		}
	}
}
