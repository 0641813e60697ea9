package demo

import (
	"context"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
)

// TestDemoHasScenarioCalls checks the scenario demo at the demo's date:
// two published batches in the four categories, a call open for bids with
// the demo enterprise's bid, a call in delivery whose confirmed joint bid
// won after three experts scored (one recusing) and the notice passed, a
// failed call with its reason, and a need awaiting review.
func TestDemoHasScenarioCalls(t *testing.T) {
	a, _ := loaded(t, app.Options{Now: Clock})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	staff := scenario.Viewer{UserID: 1, Role: org.Supervisor}
	all, err := a.Scenario.List(ctx, staff, scenario.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	states, cats := map[string]int{}, map[string]bool{}
	var delivering, failed scenario.Need
	for _, n := range all.Needs {
		states[n.State]++
		cats[n.Category] = true
		if !n.Synthetic {
			t.Errorf("%s is not marked 演示", n.Title)
		}
		switch n.State {
		case scenario.StateClosed:
			delivering = n
		case scenario.StateFailed:
			failed = n
		}
	}
	if states[scenario.StatePublished] != 2 || states[scenario.StateClosed] != 1 || states[scenario.StateFailed] != 1 || states[scenario.StateCollecting] != 1 {
		t.Fatalf("calls by state: %v", states)
	}
	if len(cats) != 4 || failed.Reason == "" {
		t.Fatalf("categories %v, failed reason %q", cats, failed.Reason)
	}
	bids, err := a.Scenario.Bids(ctx, staff, delivering.ID)
	if err != nil || len(bids) != 2 {
		t.Fatalf("bids on the call in delivery: %d %v", len(bids), err)
	}
	joint := 0
	for _, b := range bids {
		if len(b.Partners) > 0 && b.Confirmed() {
			joint++
		}
	}
	if joint != 1 {
		t.Fatalf("confirmed joint bids: %d", joint)
	}
	// The evaluation: three experts on each bid, one recused, the top bid
	// (the joint one) chosen and confirmed after its notice.
	e, err := a.Scenario.Evaluation(ctx, staff, delivering.ID)
	if err != nil || len(e.Bids) != 2 || e.Pending != 0 || e.Result == nil || !e.Result.Confirmed {
		t.Fatalf("evaluation: %+v %v", e, err)
	}
	recused := 0
	for _, b := range e.Bids {
		if len(b.Assignments) != 3 {
			t.Fatalf("experts on %s: %d", b.Lead, len(b.Assignments))
		}
		for _, g := range b.Assignments {
			if g.State == "recused" {
				recused++
			}
		}
	}
	if recused != 1 || e.Bids[0].Rank != 1 || !e.Bids[0].Winner || e.Bids[0].Experts != 2 || e.Result.NoticeUntil >= Clock().UnixMilli() {
		t.Fatalf("ranking: %+v, recused %d", e.Bids, recused)
	}
	w, err := a.Scenario.Winner(ctx, delivering.ID)
	if err != nil || len(w.Partners) != 1 || len(w.Milestones) != 2 {
		t.Fatalf("winner: %+v %v", w, err)
	}
	phases := map[string]string{}
	n, err := a.Scenario.Need(ctx, staff, delivering.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range n.Phases {
		phases[p.Phase] = p.On
	}
	if phases[scenario.PhaseEvaluate] != "2023-07-20" || phases[scenario.PhaseImplement] != "2023-08-01" ||
		phases[scenario.PhaseAccept] != "2023-11-10" || phases[scenario.PhaseClose] != "2023-11-17" {
		t.Fatalf("phases: %v", phases)
	}
	// Delivered: signed, both stages paid through the ledger, accepted.
	c, err := a.Scenario.Delivery(ctx, staff, delivering.ID)
	if err != nil || c.PaidFen != w.PriceFen || len(c.Deliverables) != 2 || len(c.Acceptances) != 1 || !c.Acceptances[0].Passed {
		t.Fatalf("delivery: %+v %v", c, err)
	}
	for _, d := range c.Deliverables {
		if d.PaymentState != "paid" || !d.TaskDone {
			t.Fatalf("stage %d: %+v", d.Seq, d)
		}
	}
	qiye, err := a.Org.UserByUsername(ctx, "qiye")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.Scenario.MyBids(ctx, scenario.ViewerOf(&qiye))
	if err != nil || len(mine) != 1 {
		t.Fatalf("the demo enterprise's bids: %d %v", len(mine), err)
	}
	if open, _ := a.Scenario.Need(ctx, scenario.Viewer{}, mine[0].NeedID); open.State != scenario.StatePublished || open.Deadline < a.Scenario.Today() {
		t.Fatalf("the demo enterprise's call is not open at the demo date: %+v", open)
	}
	bs, _ := a.Scenario.Batches(ctx, scenario.Viewer{})
	if len(bs) != 2 {
		t.Fatalf("published batches: %d", len(bs))
	}
}
