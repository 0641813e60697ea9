package kpi_test

import (
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/kpi"
	"gaoxin/internal/memo"
)

// TestMemoAcrossServers runs two services on one database, each with its
// own connections and memo, as two app servers would: every kind of write
// made on either is seen by both at their next read.
func TestMemoAcrossServers(t *testing.T) {
	f := newFixture(t)
	ind := f.mustIndicator(t, firms)
	d2 := dbtest.Reopen(t, f.dsn)
	other := kpi.New(d2, audit.New(d2), kpi.Options{})
	other.Now = f.svc.Now
	card := func(s *kpi.Service) kpi.Card {
		t.Helper()
		d, err := s.Dashboard(f.ctx, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Cards) != 1 {
			t.Fatalf("%d cards", len(d.Cards))
		}
		return d.Cards[0]
	}
	both := func(what string, ok func(kpi.Card) bool) {
		t.Helper()
		for i, s := range []*kpi.Service{f.svc, other} {
			if c := card(s); !ok(c) {
				t.Fatalf("after %s, server %d reads %+v", what, i+1, c)
			}
		}
	}
	both("nothing", func(c kpi.Card) bool { return !c.Target.OK && c.Latest == nil })
	both("nothing, again (memoised)", func(c kpi.Card) bool { return !c.Target.OK })

	if _, err := f.svc.SetTarget(f.ctx, "firms", "2023", "16000", ""); err != nil {
		t.Fatal(err)
	}
	both("a target", func(c kpi.Card) bool { return c.Target.String() == "16000" })

	if _, err := other.SaveActual(f.ctx, kpi.Scope{All: true}, kpi.ActualInput{Indicator: "firms", Year: "2023", Month: "3", YTD: "3000"}); err != nil {
		t.Fatal(err)
	}
	both("an actual on the other server", func(c kpi.Card) bool { return c.Latest != nil && c.Latest.Month == 3 })

	in := firms
	in.NameZH = "新增经营主体"
	if _, err := other.UpdateIndicator(f.ctx, ind.ID, in); err != nil {
		t.Fatal(err)
	}
	both("an indicator change", func(c kpi.Card) bool { return c.Indicator.NameZH == "新增经营主体" })

	if err := f.svc.DeleteActual(f.ctx, kpi.Scope{All: true}, ind.ID, 2023, 3); err != nil {
		t.Fatal(err)
	}
	both("a deleted actual", func(c kpi.Card) bool { return c.Latest == nil })

	if err := other.DeleteTarget(f.ctx, ind.ID, 2023); err != nil {
		t.Fatal(err)
	}
	both("a deleted target", func(c kpi.Card) bool { return !c.Target.OK })

	years := func(s *kpi.Service) int {
		ys, err := s.Years(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(ys)
	}
	if years(f.svc) != 0 || years(other) != 0 {
		t.Fatal("years without targets")
	}
	if _, err := other.SetTarget(f.ctx, "firms", "2024", "17000", ""); err != nil {
		t.Fatal(err)
	}
	if years(f.svc) != 1 || years(other) != 1 {
		t.Fatal("a new target year is not seen")
	}
}

// TestSettingsMoveDashboard: a year's reading date is kpi data, and the
// dashboard built before it changed is not served after.
func TestSettingsMoveDashboard(t *testing.T) {
	f := newFixture(t)
	f.mustIndicator(t, firms)
	d, err := f.svc.Dashboard(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveSettings(f.ctx, 2023, kpi.SettingsInput{AsOf: "2023-06-30", Ahead: "1", OnPace: "0.95", Behind: "0.85", ClosePP: "2"}); err != nil {
		t.Fatal(err)
	}
	d2, err := f.svc.Dashboard(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if d2.AsOf != "2023-06-30" || d.AsOf == d2.AsOf {
		t.Fatalf("as-of %q then %q", d.AsOf, d2.AsOf)
	}
}

// TestMemoOff: a service built with its cache off reads every time.
func TestMemoOff(t *testing.T) {
	f := newFixture(t)
	off := kpi.New(f.svc.DB, f.svc.Audit, kpi.Options{Cache: memo.Limits{Off: true}})
	off.Now = f.svc.Now
	f.mustIndicator(t, firms)
	if d, err := off.Dashboard(f.ctx, 2023); err != nil || len(d.Cards) != 1 {
		t.Fatalf("%+v %v", d, err)
	}
}
