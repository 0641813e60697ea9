package plan_test

import (
	"context"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

var cheap = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

// fixture is a database with units jfj and kcj, a supervisor, a leader and a
// user per unit, and a clock fixed at 2023-06-10 noon CST.
type fixture struct {
	t                     *testing.T
	ctx                   context.Context
	a                     *app.App
	sup, leader, jfj, kcj plan.Viewer
	enterprise            plan.Viewer
	clock                 time.Time
	dsn                   string // for a second app server on the same database
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d, dsn := dbtest.OpenDSN(t)
	a := app.New(d, app.Options{Argon: &cheap})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	f := &fixture{t: t, ctx: ctx, a: a, clock: time.Date(2023, 6, 10, 4, 0, 0, 0, time.UTC), dsn: dsn}
	a.Plan.Now = func() time.Time { return f.clock }
	for _, u := range []org.Unit{{Code: "jfj", NameZH: "经济发展局", Kind: "内设机构"}, {Code: "kcj", NameZH: "科技创新局", Kind: "内设机构"}} {
		if _, err := a.Org.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(name string, role org.Role, unit string) plan.Viewer {
		u, err := a.Org.CreateUser(ctx, org.NewUser{Username: name, Role: role, UnitCode: unit, Password: "correct-horse-battery"})
		if err != nil {
			t.Fatal(err)
		}
		return plan.ViewerOf(&u)
	}
	f.sup, f.leader = mk("sup", org.Supervisor, ""), mk("boss", org.Leader, "")
	f.jfj, f.kcj = mk("jfj1", org.UnitStaff, "jfj"), mk("kcj1", org.UnitStaff, "kcj")
	f.enterprise = mk("ent", org.Enterprise, "")
	return f
}

func (f *fixture) node(in plan.NodeInput) *plan.Node {
	f.t.Helper()
	n, err := f.a.Plan.CreateNode(f.ctx, f.sup, in)
	if err != nil {
		f.t.Fatalf("create %q: %v", in.Title, err)
	}
	return n
}

// tree builds theme → focus → action → two tasks (jfj leads A with kcj as
// co-unit; kcj leads B), each from 2023-01-01 to 2023-12-31.
func (f *fixture) tree() (theme, action, a, b *plan.Node) {
	theme = f.node(plan.NodeInput{Year: 2023, Title: "跑出加速度，确保高质量"})
	focus := f.node(plan.NodeInput{ParentID: theme.ID, Title: "持续提升创新策源能力"})
	action = f.node(plan.NodeInput{ParentID: focus.ID, Title: "科教资源集聚区建设行动"})
	a = f.node(plan.NodeInput{ParentID: action.ID, Title: "任务A", LeadUnit: "jfj", CoUnits: []string{"kcj"},
		StartOn: "2023-01-01", DueOn: "2023-12-31", Deliverable: "3 个平台"})
	b = f.node(plan.NodeInput{ParentID: action.ID, Title: "任务B", LeadUnit: "kcj",
		StartOn: "2023-01-01", DueOn: "2023-12-31", Deliverable: "1 份方案"})
	return
}

func fieldOf(err error) string { return errs.As(err).Field }

func TestTreeLevelsAndBadInput(t *testing.T) {
	f := newFixture(t)
	theme, action, a, _ := f.tree()
	tr, err := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Roots) != 1 || tr.Roots[0].Level != plan.Theme || tr.Index[action.ID].Level != plan.Action || tr.Index[a.ID].Level != plan.Task {
		t.Fatalf("levels wrong: %+v", tr.Roots[0])
	}
	before := countNodes(t, f)
	bad := []struct {
		name  string
		in    plan.NodeInput
		field string
	}{
		{"child of a task", plan.NodeInput{ParentID: a.ID, Title: "x"}, "parent_id"},
		{"deadline before start", plan.NodeInput{ParentID: action.ID, Title: "x", LeadUnit: "jfj", StartOn: "2023-05-01", DueOn: "2023-04-01", Deliverable: "d"}, "due_on"},
		{"no lead unit", plan.NodeInput{ParentID: action.ID, Title: "x", StartOn: "2023-05-01", DueOn: "2023-06-01", Deliverable: "d"}, "lead_unit"},
		{"unknown lead unit", plan.NodeInput{ParentID: action.ID, Title: "x", LeadUnit: "nope", StartOn: "2023-05-01", DueOn: "2023-06-01", Deliverable: "d"}, "lead_unit"},
		{"weight among unset siblings", plan.NodeInput{ParentID: action.ID, Title: "x", LeadUnit: "jfj", StartOn: "2023-05-01", DueOn: "2023-06-01", Deliverable: "d", Weight: ip(50)}, "weight"},
		{"no title", plan.NodeInput{ParentID: theme.ID}, "title"},
	}
	for _, tc := range bad {
		_, err := f.a.Plan.CreateNode(f.ctx, f.sup, tc.in)
		e := errs.As(err)
		if e.Code != errs.Invalid || (e.Field != tc.field && (len(e.Details) == 0 || e.Details[0].Field != tc.field)) || e.Msg == "" || e.MsgEN == "" {
			t.Errorf("%s: got %v (field %q, details %+v), want Invalid on %s", tc.name, err, e.Field, e.Details, tc.field)
		}
	}
	if _, err := f.a.Plan.CreateNode(f.ctx, f.jfj, plan.NodeInput{ParentID: action.ID, Title: "x"}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("unit creating a node: %v", err)
	}
	if after := countNodes(t, f); after != before {
		t.Fatalf("refused creates wrote nodes: %d → %d", before, after)
	}
}

func countNodes(t *testing.T, f *fixture) int {
	var n int
	if err := f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_nodes").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func ip(v int) *int { return &v }

func TestWeightsAndOverride(t *testing.T) {
	f := newFixture(t)
	_, action, a, b := f.tree()
	err := f.a.Plan.SetWeights(f.ctx, f.sup, action.ID, map[int64]*int{a.ID: ip(60), b.ID: ip(30)})
	if fieldOf(err) != "weight" {
		t.Fatalf("weights 60+30: %v", err)
	}
	if err := f.a.Plan.SetWeights(f.ctx, f.sup, action.ID, map[int64]*int{a.ID: ip(80), b.ID: ip(20)}); err != nil {
		t.Fatal(err)
	}
	// Nothing is cleared by leaving it out: an empty update, or one that
	// names only some children, is refused and the weights stay.
	for _, ws := range []map[int64]*int{nil, {}, {a.ID: nil}} {
		if err := f.a.Plan.SetWeights(f.ctx, f.sup, action.ID, ws); fieldOf(err) != "weights" {
			t.Fatalf("weights %v: %v, want refused on weights", ws, err)
		}
	}
	if n, _, _ := f.a.Plan.Node(f.ctx, f.sup, b.ID); n.Weight == nil || *n.Weight != 20 {
		t.Fatalf("B's weight after refused updates: %v", n.Weight)
	}
	// Task A at 50 % by override (reason required), B at 0: action = 80×500/100 = 400 tenths.
	if err := f.a.Plan.Override(f.ctx, f.sup, a.ID, ip(50), ""); fieldOf(err) != "reason" {
		t.Fatalf("override without reason: %v", err)
	}
	if err := f.a.Plan.Override(f.ctx, f.sup, a.ID, ip(101), "现场核查"); fieldOf(err) != "pct" {
		t.Fatalf("override 101: %v", err)
	}
	if err := f.a.Plan.Override(f.ctx, f.sup, a.ID, ip(50), "现场核查确认完成一半"); err != nil {
		t.Fatal(err)
	}
	tr, _ := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if got := tr.Index[action.ID].Progress; got != 400 {
		t.Fatalf("action progress %d, want 400", got)
	}
	if n := tr.Index[a.ID]; n.OverrideReason != "现场核查确认完成一半" || n.OverrideBy != "sup" {
		t.Fatalf("override not shown: %+v", n)
	}
	rows, _ := f.a.Audit.List(f.ctx, audit.Filter{ObjectType: "plan_node"})
	found := false
	for _, r := range rows {
		found = found || r.Action == "plan.node.override"
	}
	if !found {
		t.Fatal("override not audited")
	}
}

func TestReportFlowMovesProgressOnlyWhenAccepted(t *testing.T) {
	f := newFixture(t)
	_, action, a, _ := f.tree()
	r, err := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(40), Done: "完成选址", Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[a.ID].Progress != 0 {
		t.Fatal("a submitted report moved progress")
	}
	if _, err := f.a.Plan.Review(f.ctx, f.jfj, r.ID, true, "", 0); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("unit accepting: %v", err)
	}
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r.ID, true, "", 0); err != nil {
		t.Fatal(err)
	}
	tr, _ = f.a.Plan.Tree(f.ctx, f.leader, 2023)
	// A 40 %, B 0 %, equal shares → action 20 %.
	if tr.Index[a.ID].Progress != 400 || tr.Index[action.ID].Progress != 200 {
		t.Fatalf("after accept: task %d action %d", tr.Index[a.ID].Progress, tr.Index[action.ID].Progress)
	}
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r.ID, false, "再补充", 0); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("reviewing an accepted report: %v", err)
	}
}

func TestReportRefusals(t *testing.T) {
	f := newFixture(t)
	_, _, a, b := f.tree()
	cases := []struct {
		name  string
		who   plan.Viewer
		in    plan.ReportInput
		code  errs.Code
		field string
	}{
		{"another unit's task", f.jfj, plan.ReportInput{TaskID: b.ID, Period: "2023-05", Pct: ip(10)}, errs.NotFound, "task_id"},
		{"pct over 100", f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(101)}, errs.Invalid, "pct"},
		{"pct negative", f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(-1)}, errs.Invalid, "pct"},
		{"no pct", f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05"}, errs.Invalid, "pct"},
		{"period outside the task", f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2024-01", Pct: ip(1)}, errs.Invalid, "period"},
		{"supervisor filing", f.sup, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(1)}, errs.Forbidden, ""},
		{"enterprise filing", f.enterprise, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(1)}, errs.Forbidden, ""},
	}
	for _, tc := range cases {
		_, err := f.a.Plan.CreateReport(f.ctx, tc.who, tc.in)
		e := errs.As(err)
		field := e.Field
		if field == "" && len(e.Details) > 0 {
			field = e.Details[0].Field
		}
		if e.Code != tc.code || field != tc.field {
			t.Errorf("%s: %v (field %q), want %s on %q", tc.name, err, field, tc.code, tc.field)
		}
	}
	var n int
	f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_reports").Scan(&n)
	if n != 0 {
		t.Fatalf("refused reports wrote %d rows", n)
	}
	// The co-unit may report on A; the lead of B is not visible to jfj.
	if _, err := f.a.Plan.CreateReport(f.ctx, f.kcj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(5)}); err != nil {
		t.Fatalf("co-unit report: %v", err)
	}
	if _, _, err := f.a.Plan.Node(f.ctx, f.jfj, b.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("jfj reading kcj's task: %v", err)
	}
	if _, err := f.a.Plan.Tree(f.ctx, f.enterprise, 2023); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("enterprise reading the plan: %v", err)
	}
}

func TestReportVersionConflict(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	r, err := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(10)})
	if err != nil {
		t.Fatal(err)
	}
	// Two editors load version 1; the first saves, the second gets 409.
	if _, err := f.a.Plan.UpdateReport(f.ctx, f.jfj, r.ID, plan.ReportInput{Pct: ip(20), Done: "一", Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	_, err = f.a.Plan.UpdateReport(f.ctx, f.kcj, r.ID, plan.ReportInput{Pct: ip(30), Done: "二", Version: r.Version})
	if errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("stale update: %v", err)
	}
	got, _ := f.a.Plan.Report(f.ctx, f.jfj, r.ID)
	if got.Pct != 20 || got.Done != "一" {
		t.Fatalf("stale update overwrote: %+v", got)
	}
}

func TestFlagsRedYellowReturnedTwice(t *testing.T) {
	f := newFixture(t)
	_, action, a, b := f.tree()
	late := f.node(plan.NodeInput{ParentID: action.ID, Title: "逾期任务", LeadUnit: "jfj", StartOn: "2023-01-01", DueOn: "2023-05-31", Deliverable: "x"})
	tr, _ := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[late.ID].Flag != plan.Red {
		t.Fatalf("past-deadline task flag %s", tr.Index[late.ID].Flag)
	}
	// On 2023-06-10 A is 0 % at 44 % elapsed → yellow (behind).
	if tr.Index[a.ID].Flag != plan.Yellow || tr.Index[action.ID].Flag != plan.Red {
		t.Fatalf("A %s, action %s", tr.Index[a.ID].Flag, tr.Index[action.ID].Flag)
	}
	// B: file January–April, accept 50 % for May (ahead), then return two
	// reports in a row → yellow.
	for _, p := range []string{"2023-01", "2023-02", "2023-03", "2023-04"} {
		if _, err := f.a.Plan.CreateReport(f.ctx, f.kcj, plan.ReportInput{TaskID: b.ID, Period: p, Pct: ip(10), Done: "ok", Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := f.a.Plan.CreateReport(f.ctx, f.kcj, plan.ReportInput{TaskID: b.ID, Period: "2023-05", Pct: ip(50), Done: "ok", Submit: true})
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r.ID, true, "", 0); err != nil {
		t.Fatal(err)
	}
	tr, _ = f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[b.ID].Flag != plan.Green {
		t.Fatalf("B after accept: %s (%s)", tr.Index[b.ID].Flag, tr.Index[b.ID].FlagReason)
	}
	r2, _ := f.a.Plan.CreateReport(f.ctx, f.kcj, plan.ReportInput{TaskID: b.ID, Period: "2023-06", Pct: ip(60), Done: "ok", Submit: true})
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r2.ID, false, "", 0); fieldOf(err) != "comment" {
		t.Fatalf("return without comment: %v", err)
	}
	r2, _ = f.a.Plan.Review(f.ctx, f.sup, r2.ID, false, "材料不全", 0)
	tr, _ = f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[b.ID].Flag != plan.Green {
		t.Fatalf("B after one return: %s", tr.Index[b.ID].Flag)
	}
	if _, err := f.a.Plan.UpdateReport(f.ctx, f.kcj, r2.ID, plan.ReportInput{Pct: ip(60), Done: "补充", Submit: true, Version: r2.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r2.ID, false, "仍不全", 0); err != nil {
		t.Fatal(err)
	}
	tr, _ = f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[b.ID].Flag != plan.Yellow {
		t.Fatalf("B after two returns: %s (%s)", tr.Index[b.ID].Flag, tr.Index[b.ID].FlagReason)
	}
}
