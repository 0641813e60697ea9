package plan_test

import (
	"strings"
	"testing"

	"gaoxin/internal/plan"
)

// TestMissedReportStaysMissing: kcj files B's reports for January–March
// and May (May accepted at 50 %, ahead of time) but never April's. On
// 2023-06-10 April is still overdue: B is yellow naming 2023-04, in the
// tree and after the flag job, and kcj's inbox lists April as overdue.
// Filing April clears both.
func TestMissedReportStaysMissing(t *testing.T) {
	f := newFixture(t)
	_, _, _, b := f.tree()
	file := func(period string, pct int) plan.Report {
		t.Helper()
		r, err := f.a.Plan.CreateReport(f.ctx, f.kcj, plan.ReportInput{TaskID: b.ID, Period: period, Pct: ip(pct), Done: "按计划推进", Submit: true})
		if err != nil {
			t.Fatalf("file %s: %v", period, err)
		}
		return r
	}
	for _, p := range []string{"2023-01", "2023-02", "2023-03"} {
		file(p, 10)
	}
	if _, err := f.a.Plan.Review(f.ctx, f.sup, file("2023-05", 50).ID, true, "", 0); err != nil {
		t.Fatal(err)
	}
	overdue := func() []string {
		t.Helper()
		items, err := f.a.Plan.Inbox(f.ctx, f.kcj, 2023)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			if it.Kind == plan.KindReportDue && it.TaskID == b.ID && it.Overdue {
				out = append(out, it.Period)
			}
		}
		return out
	}
	flag := func() (plan.Flag, string) {
		t.Helper()
		tr, err := f.a.Plan.Tree(f.ctx, f.leader, 2023)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Index[b.ID].Flag, tr.Index[b.ID].FlagReason
	}
	if fl, why := flag(); fl != plan.Yellow || !strings.Contains(why, "2023-04") {
		t.Fatalf("B with April never reported: %s (%s)", fl, why)
	}
	if err := f.a.Plan.FlagJob(f.ctx); err != nil {
		t.Fatal(err)
	}
	if fl, why := flag(); fl != plan.Yellow || !strings.Contains(why, "2023-04") {
		t.Fatalf("B after the flag job: %s (%s)", fl, why)
	}
	if got := overdue(); len(got) != 1 || got[0] != "2023-04" {
		t.Fatalf("kcj's overdue reports for B = %v, want [2023-04]", got)
	}
	file("2023-04", 40)
	if fl, why := flag(); fl != plan.Green {
		t.Fatalf("B with every period filed: %s (%s)", fl, why)
	}
	if got := overdue(); len(got) != 0 {
		t.Fatalf("kcj's overdue reports for B after filing April = %v", got)
	}
}
