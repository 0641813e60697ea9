package plan_test

import (
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/memo"
	"gaoxin/internal/plan"
)

// TestTreeMemoAcrossServers runs a second app server (its own connections
// and memo) on the fixture's database: every kind of plan write made on
// either server is in the tree both read next.
func TestTreeMemoAcrossServers(t *testing.T) {
	f := newFixture(t)
	_, action, a, b := f.tree()
	d2 := dbtest.Reopen(t, f.dsn)
	other := app.New(d2, app.Options{Argon: &cheap}).Plan
	other.Now = f.a.Plan.Now
	both := func(what string, ok func(*plan.Tree) bool) {
		t.Helper()
		for i, s := range []*plan.Service{f.a.Plan, other} {
			for _, v := range []plan.Viewer{f.leader, f.jfj} {
				tr, err := s.Tree(f.ctx, v, 2023)
				if err != nil {
					t.Fatal(err)
				}
				if !ok(tr) {
					t.Fatalf("after %s, server %d (%s) reads a stale tree", what, i+1, v.Role)
				}
			}
		}
	}
	task := func(tr *plan.Tree) *plan.Node {
		var n *plan.Node
		for _, x := range tr.Tasks("") {
			if x.ID == a.ID {
				n = x
			}
		}
		return n
	}
	both("nothing", func(tr *plan.Tree) bool { return task(tr).Title == "任务A" })

	in := plan.NodeInput{Title: "任务A（改）", LeadUnit: "jfj", CoUnits: []string{"kcj"}, StartOn: "2023-01-01", DueOn: "2023-12-31", Deliverable: "3 个平台", Version: a.Version}
	if _, err := other.UpdateNode(f.ctx, f.sup, a.ID, in); err != nil {
		t.Fatal(err)
	}
	both("a node edit on the other server", func(tr *plan.Tree) bool { return task(tr).Title == "任务A（改）" })

	r, err := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(40), Done: "x", Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Review(f.ctx, f.sup, r.ID, true, "", r.Version); err != nil {
		t.Fatal(err)
	}
	both("an accepted report", func(tr *plan.Tree) bool { return task(tr).ReportedPct == 40 })

	if err := f.a.Plan.Override(f.ctx, f.sup, action.ID, ip(75), "按督查意见"); err != nil {
		t.Fatal(err)
	}
	both("an override", func(tr *plan.Tree) bool { return tr.Index[action.ID] == nil || tr.Index[action.ID].Progress == 750 })

	m, err := other.AddMilestone(f.ctx, f.sup, b.ID, "方案初稿", "2023-05-31")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Plan.SetMilestoneDone(f.ctx, f.sup, m.ID, "2023-05-30"); err != nil {
		t.Fatal(err)
	}
	leaderSees := func(ok func(*plan.Tree) bool) func(*plan.Tree) bool {
		return func(tr *plan.Tree) bool { return tr.Index[b.ID] == nil || ok(tr) }
	}
	both("a milestone done", leaderSees(func(tr *plan.Tree) bool {
		ms := tr.Index[b.ID].Milestones
		return len(ms) == 1 && ms[0].DoneOn == "2023-05-30"
	}))

	if err := other.SetAsOf(f.ctx, f.sup, 2023, "2023-05-01"); err != nil {
		t.Fatal(err)
	}
	both("a review date", func(tr *plan.Tree) bool { return tr.AsOf == "2023-05-01" })
}

// TestTreeFollowsTheDay: without a review date the tree's "today" is the
// clock's, so a memoised tree of yesterday is not served today.
func TestTreeFollowsTheDay(t *testing.T) {
	f := newFixture(t)
	f.tree()
	tr, err := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if err != nil || tr.AsOf != "2023-06-10" {
		t.Fatalf("%v %v", tr, err)
	}
	f.clock = f.clock.Add(24 * time.Hour)
	if tr, err = f.a.Plan.Tree(f.ctx, f.leader, 2023); err != nil || tr.AsOf != "2023-06-11" {
		t.Fatalf("next day: as of %s, %v", tr.AsOf, err)
	}
}

// TestTreeMemoOff: a service built with its cache off still answers.
func TestTreeMemoOff(t *testing.T) {
	f := newFixture(t)
	f.tree()
	off := plan.New(f.a.DB, f.a.Audit, f.a.Org, plan.Options{Cache: memo.Limits{Off: true}})
	off.Now = f.a.Plan.Now
	tr, err := off.Tree(f.ctx, f.leader, 2023)
	if err != nil || len(tr.Tasks("")) != 2 {
		t.Fatalf("%v %v", tr, err)
	}
}
