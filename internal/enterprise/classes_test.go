package enterprise_test

import (
	"database/sql"
	"fmt"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// TestClassesByYear: a year's set is written whole inside the caller's
// transaction, feeds only the enterprises whose class changed, and the
// list filters on it in both of its query shapes and within a unit's area.
func TestClassesByYear(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "乙", Area: "gz"})
	c := f.mustCreate(t, enterprise.Input{CreditCode: "911100007109250324", Name: "丙", Area: "sf"})
	set := func(v enterprise.Viewer, s enterprise.ClassSet) error {
		return f.svc.DB.Tx(f.ctx, func(tx *sql.Tx) error { return f.svc.SetClasses(f.ctx, tx, v, s) })
	}
	fed := func(after int64) []int64 {
		t.Helper()
		// Every entry after sequence number after.
		ch, err := f.svc.Changes(f.ctx, nil, after, 1<<62, 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range ch {
			if e.Year != 2023 {
				t.Errorf("fed year %d", e.Year)
			}
			ids = append(ids, e.EnterpriseID)
		}
		return ids
	}
	mu := func(classes map[int64]string) enterprise.ClassSet {
		return enterprise.ClassSet{Scheme: enterprise.ClassMu, Year: 2023, Source: 9, Classes: classes}
	}
	for name, tc := range map[string]struct {
		v    enterprise.Viewer
		s    enterprise.ClassSet
		code errs.Code
	}{
		"a unit":             {enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}, mu(map[int64]string{a.ID: "A"}), errs.Forbidden},
		"an enterprise":      {enterprise.Viewer{Role: org.Enterprise, EnterpriseID: a.ID}, mu(map[int64]string{a.ID: "A"}), errs.Forbidden},
		"class E":            {staff, mu(map[int64]string{a.ID: "E"}), errs.Invalid},
		"no such enterprise": {staff, mu(map[int64]string{c.ID + 100: "A"}), errs.Invalid},
		"no such scheme":     {staff, enterprise.ClassSet{Scheme: "x", Year: 2023}, errs.Invalid},
	} {
		if err := set(tc.v, tc.s); errs.As(err).Code != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	seq0, _ := f.svc.LastChange(f.ctx, nil)
	if err := set(staff, mu(map[int64]string{a.ID: "A", b.ID: "B"})); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fed(seq0)); got != fmt.Sprint([]int64{a.ID, b.ID}) {
		t.Fatalf("fed %s", got)
	}
	list := func(s *enterprise.Service, v enterprise.Viewer, fl enterprise.Filter) string {
		t.Helper()
		p, err := s.List(f.ctx, v, fl)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range p.Items {
			ids = append(ids, e.ID)
		}
		return fmt.Sprint(ids)
	}
	for _, s := range []*enterprise.Service{f.svc, f.coldList(1), f.coldList(1 << 20)} {
		if got := list(s, staff, enterprise.Filter{Class: "A", ClassYear: 2023}); got != fmt.Sprint([]int64{a.ID}) {
			t.Errorf("class A: %s", got)
		}
		if got := list(s, staff, enterprise.Filter{Class: "B"}); got != fmt.Sprint([]int64{b.ID}) {
			t.Errorf("class B of the latest year: %s", got)
		}
		if got := list(s, enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}, enterprise.Filter{Class: "B"}); got != "[]" {
			t.Errorf("a unit of another area sees class B: %s", got)
		}
	}
	// Replaced whole: 甲 loses its class, 乙 moves, 丙 comes in.
	seq1, _ := f.svc.LastChange(f.ctx, nil)
	if err := set(staff, mu(map[int64]string{b.ID: "A", c.ID: "C"})); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fed(seq1)); got != fmt.Sprint([]int64{a.ID, b.ID, c.ID}) {
		t.Fatalf("fed after the replacement %s", got)
	}
	if got := list(f.svc, staff, enterprise.Filter{Class: "A", ClassYear: 2023}); got != fmt.Sprint([]int64{b.ID}) {
		t.Errorf("class A after the replacement (list memo must follow): %s", got)
	}
	if hist, _ := f.svc.ClassOf(f.ctx, nil, a.ID, enterprise.ClassMu); len(hist) != 0 {
		t.Errorf("甲 kept %+v", hist)
	}
	if _, err := f.svc.List(f.ctx, staff, enterprise.Filter{Class: "A", ClassYear: 1999}); errs.As(err).Code != errs.Invalid {
		t.Errorf("class year 1999: %v", err)
	}
	// The same set again changes nothing and feeds nothing.
	seq2, _ := f.svc.LastChange(f.ctx, nil)
	if err := set(staff, mu(map[int64]string{b.ID: "A", c.ID: "C"})); err != nil {
		t.Fatal(err)
	}
	if seq3, _ := f.svc.LastChange(f.ctx, nil); seq3 != seq2 {
		t.Errorf("an unchanged set fed the feed: %d → %d", seq2, seq3)
	}
}
