package demo

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/org"
)

// TestDemoShowsFinishedAwardProgramme loads the demo and checks the 2023
// programme went the whole way and the 2022 history is recorded.
func TestDemoShowsFinishedAwardProgramme(t *testing.T) {
	a, accounts := loaded(t, app.Options{})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	roles := map[org.Role]int{}
	for _, acc := range accounts {
		roles[acc.Role]++
	}
	if roles[org.Reviewer] != 5 || roles[org.Enterprise] != 1 {
		t.Fatalf("demo accounts by role = %v", roles)
	}
	ps, err := a.Award.Programmes(ctx, award.ProgrammeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var p2023 award.Programme
	history, winners := 0, 0
	for _, p := range ps {
		if p.Historical && p.Year == 2022 {
			history++
			hs, _ := a.Award.Honours(ctx, p.ID)
			winners += len(hs)
		}
		if p.Year == 2023 {
			p2023 = p
		}
	}
	if history != 6 || winners != 10 {
		t.Fatalf("2022 history: %d prizes, %d winners", history, winners)
	}
	if p2023.State != award.StateConfirmed || p2023.BudgetFen != 188_000_000_00 {
		t.Fatalf("2023 programme = %+v", p2023)
	}
	grants, _ := a.Award.Grants(ctx, p2023.ID, 0)
	var granted, paid int64
	for _, g := range grants {
		granted += g.AmountFen
		paid += g.PaidFen
	}
	if len(grants) != 20 || granted > p2023.BudgetFen || paid != granted {
		t.Fatalf("%d grants, granted %d, paid %d", len(grants), granted, paid)
	}
	rounds, _ := a.Award.Rounds(ctx, p2023.ID)
	r, _ := a.Award.LatestRound(ctx, p2023.ID)
	flagged := false
	for _, x := range r.Result.Excluded {
		flagged = flagged || strings.Contains(x.Reason.ZH, "不良记录")
	}
	if len(rounds) != 2 || !flagged {
		t.Fatalf("rounds %d, excluded %+v (want the flagged enterprise ranked out with its reason)", len(rounds), r.Result.Excluded)
	}
	if n, err := a.Audit.Verify(ctx); err != nil || n == 0 {
		t.Fatalf("audit chain: %d %v", n, err)
	}
}
