package demo

import (
	"context"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
)

// TestDemoInvitesSuggestedEnterprises checks the matching demo: every call
// open at the demo's date has invited suggestions, and the demo enterprise
// follows categories and has messages in its scenario inbox.
func TestDemoInvitesSuggestedEnterprises(t *testing.T) {
	a, _ := loaded(t, app.Options{Now: Clock})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	staff := scenario.Viewer{UserID: 1, Role: org.Supervisor}
	open, err := a.Scenario.List(ctx, staff, scenario.Filter{State: scenario.StatePublished, Limit: 100})
	if err != nil || len(open.Needs) == 0 {
		t.Fatalf("open calls: %v %v", open, err)
	}
	for _, n := range open.Needs {
		m, err := a.Scenario.Suggest(ctx, staff, n.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		invited := 0
		for _, s := range m.Suggestions {
			if s.InvitedAt != 0 {
				invited++
			}
		}
		if len(m.Suggestions) < 3 || invited < 3 {
			t.Errorf("%s: %d suggestions, %d invited", n.Title, len(m.Suggestions), invited)
		}
	}
	u, err := a.Org.UserByUsername(ctx, "qiye")
	if err != nil {
		t.Fatal(err)
	}
	v := scenario.ViewerOf(&u)
	items, err := a.Scenario.Inbox(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	follows, _ := a.Scenario.Follows(ctx, v)
	if len(follows) != 2 || len(items) == 0 {
		t.Errorf("qiye follows %v", follows)
	}
}
