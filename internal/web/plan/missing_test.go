package plan_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/plan"
)

// TestMissedReportOverdueOnPages: kcj (user unit2) files B's reports for
// January–March and May (accepted at 50 %, ahead of time), never April. On 2023-06-10 kcj's inbox (page and
// JSON) lists April as overdue, and the flags page shows B yellow naming
// 2023-04.
func TestMissedReportOverdueOnPages(t *testing.T) {
	f := newPlanFixture(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	u, err := f.h.App.Org.UserByUsername(ctx, "unit2")
	if err != nil {
		t.Fatal(err)
	}
	su, err := f.h.App.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		t.Fatal(err)
	}
	kcj, sup := plan.ViewerOf(&u), plan.ViewerOf(&su)
	for _, p := range []string{"2023-01", "2023-02", "2023-03", "2023-05"} {
		r, err := f.h.App.Plan.CreateReport(ctx, kcj, plan.ReportInput{TaskID: f.b.ID, Period: p, Pct: ip(50), Done: "按计划推进", Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.h.App.Plan.Review(ctx, sup, r.ID, true, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	unit := f.h.As("unit2")
	var inbox struct{ Items []plan.InboxItem }
	unit.Get("/api/v1/inbox?year=2023").JSON(t, &inbox)
	var overdue []string
	for _, it := range inbox.Items {
		if it.Kind == plan.KindReportDue && it.TaskID == f.b.ID && it.Overdue {
			overdue = append(overdue, it.Period)
		}
	}
	if len(overdue) != 1 || overdue[0] != "2023-04" {
		t.Fatalf("B's overdue reports in kcj's inbox = %v, want [2023-04]", overdue)
	}
	page := string(unit.Get("/inbox?year=2023").Body)
	if !strings.Contains(page, `/plan/tasks/`+id(f.b)+`/report?period=2023-04`) {
		t.Error("kcj's inbox page offers no way to file April")
	}
	flags := string(f.h.As("supervisor").Get("/plan/flags?year=2023").Body)
	yellow := flags[strings.Index(flags, `id="flag-yellow"`):]
	yellow = yellow[:strings.Index(yellow, "</section>")]
	if !strings.Contains(yellow, "任务B 超算生态") || !strings.Contains(yellow, "逾期未报送 2023-04 进展报告") {
		t.Fatalf("yellow section of the flags page: %s", yellow)
	}
}

func ip(v int) *int { return &v }
