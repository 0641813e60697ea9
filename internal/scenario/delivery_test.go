package scenario_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"
)

// implementing takes a call through evaluation to a confirmed winner (丙's
// solo bid: 450,000 元, milestones 签约 30 % and 验收 70 %), with the 2023
// plan holding the 应用场景建设行动 action.
func (f *fixture) implementing() (scenario.Need, scenario.Bid) {
	f.t.Helper()
	n, a, c := f.inEvaluation()
	if _, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: scenario.DefaultCriteria, TrimAt: 3, NoticeDays: 7}); err != nil {
		f.t.Fatal(err)
	}
	for i, r := range []scenario.Viewer{f.reviewer("zj1", ""), f.reviewer("zj2", ""), f.reviewer("zj3", "")} {
		f.score(f.assign(a.ID, r), r, scores("20", "10", "10", "10"))
		f.score(f.assign(c.ID, r), r, scores("30", "15", "15", []string{"15", "14", "13"}[i]))
	}
	if _, err := f.S.ChooseWinner(f.ctx, f.staff, n.ID, c.ID, ""); err != nil {
		f.t.Fatal(err)
	}
	f.now = f.now.AddDate(0, 0, 8)
	n, err := f.S.Confirm(f.ctx, f.staff, n.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	pv := plan.Viewer{UserID: f.staff.UserID, Role: org.Supervisor}
	theme, err := f.S.Plan.CreateNode(f.ctx, pv, plan.NodeInput{Year: 2023, Title: "一分部署九分落实"})
	if err != nil {
		f.t.Fatal(err)
	}
	focus, err := f.S.Plan.CreateNode(f.ctx, pv, plan.NodeInput{ParentID: theme.ID, Title: "创新能力提升"})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.Plan.CreateNode(f.ctx, pv, plan.NodeInput{ParentID: focus.ID, Title: scenario.DeliveryAction}); err != nil {
		f.t.Fatal(err)
	}
	return n, c
}

func TestDeliveryFromContractToClosing(t *testing.T) {
	f := newFixture(t)
	n, win := f.implementing()
	f.ctx = f.as(f.staff) // the requester of payments, for the four-eyes rule
	sign := scenario.SignInput{ContractNo: "GX-CJ-2023-001", SignedOn: "2023-07-09"}
	if _, err := f.S.Sign(f.ctx, f.unit, n.ID, sign); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit signs: %v", err)
	}
	_, err := f.S.Sign(f.ctx, f.staff, n.ID, scenario.SignInput{ContractNo: "", SignedOn: "2023-12-01"})
	wantField(t, err, errs.Invalid, "contract_no")
	wantField(t, err, errs.Invalid, "signed_on")
	if k := f.count("scenario_contracts") + f.count("plan_nodes WHERE level = 'task'") + f.count("award_grants"); k != 0 {
		t.Fatalf("%d rows written by a refused signing", k)
	}
	c, err := f.S.Sign(f.ctx, f.staff, n.ID, sign)
	if err != nil {
		t.Fatal(err)
	}
	if c.AmountFen != win.PriceFen || c.LeadUnit != "大数据局" || len(c.Deliverables) != 2 || c.Deliverables[0].AmountFen+c.Deliverables[1].AmountFen != win.PriceFen ||
		c.Deliverables[0].AmountFen != win.PriceFen*30/100 || c.Deliverables[0].TaskID == 0 {
		t.Fatalf("contract: %+v", c)
	}
	if _, err := f.S.Sign(f.ctx, f.staff, n.ID, sign); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("signed twice: %v", err)
	}
	// The milestones are plan tasks led by the owner unit.
	task, _, err := f.S.Plan.Node(f.ctx, plan.Viewer{Role: org.Supervisor}, c.Deliverables[1].TaskID)
	if err != nil || task.Level != plan.Task || task.Lead == nil || task.Lead.NameZH != "大数据局" || task.DueOn != "2023-12-15" {
		t.Fatalf("the second milestone's task: %+v %v", task, err)
	}
	// Only the owner, staff and the winner read the delivery.
	for name, v := range map[string]scenario.Viewer{"owner": f.unit, "winner": f.entC, "staff": f.staff} {
		if _, err := f.S.Delivery(f.ctx, v, n.ID); err != nil {
			t.Errorf("%s reads the delivery: %v", name, err)
		}
	}
	for name, v := range map[string]scenario.Viewer{"a losing bidder": f.entA, "another unit": f.other, "anonymous": f.anon} {
		if _, err := f.S.Delivery(f.ctx, v, n.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s reads the delivery: %v", name, err)
		}
	}
	// Stage 1 waits for its task; the last stage for the acceptance.
	if _, err := f.S.RequestPayment(f.ctx, f.staff, n.ID, 1); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("stage 1 paid before its task is done: %v", err)
	}
	if _, err := f.S.RequestPayment(f.ctx, f.staff, n.ID, 2); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("the last stage paid before acceptance: %v", err)
	}
	// The owner unit reports the first milestone done; staff accept it.
	hundred := 100
	rep, err := f.S.Plan.CreateReport(f.as(f.unit), plan.Viewer{UserID: f.unit.UserID, Role: org.UnitStaff, UnitID: f.unit.UnitID},
		plan.ReportInput{TaskID: c.Deliverables[0].TaskID, Period: "2023-07", Pct: &hundred, Done: "签约进场完成", Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Plan.Review(f.ctx, plan.Viewer{UserID: f.staff.UserID, Role: org.Supervisor}, rep.ID, true, "同意", rep.Version); err != nil {
		t.Fatal(err)
	}
	c, err = f.S.RequestPayment(f.ctx, f.staff, n.ID, 1)
	if err != nil || c.Deliverables[0].PaymentState != award.PayPending {
		t.Fatalf("request stage 1: %+v %v", c.Deliverables, err)
	}
	if _, err := f.S.RequestPayment(f.ctx, f.staff, n.ID, 1); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("stage 1 requested twice: %v", err)
	}
	// Four eyes: the requester cannot approve; a leader can.
	if _, err := f.S.ApprovePayment(f.ctx, f.staff, n.ID, 1); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the requester approves: %v", err)
	}
	leader := scenario.Viewer{UserID: f.userID("leader1", org.Leader), Role: org.Leader}
	if _, err := f.S.ApprovePayment(f.as(leader), leader, n.ID, 1); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2023, 8, 1, 9, 0, 0, 0, db.CST)
	if c, err = f.S.MarkPaid(f.ctx, f.staff, n.ID, 1, "记-2023-0720", "2023-07-20"); err != nil || c.PaidFen != c.Deliverables[0].AmountFen {
		t.Fatalf("paid: %+v %v", c, err)
	}
	// Acceptance: a failing verdict keeps the call in delivery; a passing
	// one moves it on; a second is refused.
	_, err = f.S.Accept(f.ctx, f.staff, n.ID, scenario.AcceptInput{Passed: true, On: "2023-07-20"}, nil)
	wantField(t, err, errs.Invalid, "opinion")
	if _, err := f.S.Accept(f.ctx, f.staff, n.ID, scenario.AcceptInput{Passed: false, On: "2023-07-20", Opinion: "监测精度未达标，限期整改"}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.S.Need(f.ctx, f.anon, n.ID); got.State != scenario.StateImplementing {
		t.Fatalf("after a failing verdict: %s", got.State)
	}
	if _, err := f.S.Close(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("closed before acceptance: %v", err)
	}
	c, err = f.S.Accept(f.ctx, f.staff, n.ID, scenario.AcceptInput{Passed: true, On: "2023-07-25", Opinion: "整改完成，同意验收"},
		[]scenario.Upload{{Name: "验收报告.pdf", Data: []byte("%PDF-1.4 report")}})
	if err != nil || len(c.Acceptances) != 2 || len(c.Acceptances[1].Files) != 1 {
		t.Fatalf("accept: %+v %v", c.Acceptances, err)
	}
	if _, err := f.S.Accept(f.ctx, f.staff, n.ID, scenario.AcceptInput{Passed: true, On: "2023-07-25", Opinion: "再次"}, nil); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a second acceptance: %v", err)
	}
	if _, _, err := f.S.FileData(f.ctx, f.entA, c.Acceptances[1].Files[0].ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a losing bidder downloads the acceptance report: %v", err)
	}
	if _, err := f.S.Close(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("closed with a stage unpaid: %v", err)
	}
	if _, err := f.S.RequestPayment(f.ctx, f.staff, n.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.ApprovePayment(f.as(leader), leader, n.ID, 2); err != nil {
		t.Fatal(err)
	}
	paid, err := f.S.MarkPaid(f.ctx, f.staff, n.ID, 2, "记-2023-0801", "2023-07-26")
	if err != nil {
		t.Fatal(err)
	}
	done, err := f.S.Close(f.ctx, f.staff, n.ID)
	if err != nil || done.State != scenario.StateClosed {
		t.Fatalf("close: %+v %v", done.State, err)
	}
	// The ledger holds the contract's money; it cannot pay more.
	g, err := f.S.Ledger.Grant(f.ctx, c.GrantID)
	if err != nil || g.PaidFen != win.PriceFen || g.RemainingFen != 0 {
		t.Fatalf("the ledger: %+v %v", g, err)
	}
	if _, _, err := f.S.Ledger.RequestPayment(f.ctx, c.GrantID, "more", award.PaymentRequest{AmountFen: 1}); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a payment above the contract: %v", err)
	}
	// The targets read the money paid, by the month it was paid.
	v0, _ := f.S.KPISource().Version(f.ctx)
	ans, err := f.S.KPISource().Values(f.ctx, kpi.Request{Queries: []kpi.Query{{Measure: scenario.MeasurePaid}}, From: 2023, To: 2023, UpTo: "2023-12-31"})
	if err != nil || ans[0].YTD[0][5] != 0 || ans[0].YTD[0][6] != win.PriceFen {
		t.Fatalf("money paid by month: %v %v", ans, err)
	}
	if v0 == 0 {
		t.Fatal("no version")
	}
	// A stage reversed on the awards pages leaves the month's money paid,
	// and the version the dashboard's memo is fresh by moves.
	if _, err := f.S.Ledger.Reverse(f.ctx, paid.Deliverables[1].PaymentID, "凭证有误，冲正后重付", "2023-07-31"); err != nil {
		t.Fatal(err)
	}
	if v1, _ := f.S.KPISource().Version(f.ctx); v1 <= v0 {
		t.Fatalf("the version stayed at %d after a reversal", v1)
	}
	ans, err = f.S.KPISource().Values(f.ctx, kpi.Request{Queries: []kpi.Query{{Measure: scenario.MeasurePaid}}, From: 2023, To: 2023, UpTo: "2023-12-31"})
	if err != nil || ans[0].YTD[0][6] != win.PriceFen-paid.Deliverables[1].AmountFen {
		t.Fatalf("money paid after the reversal: %v %v", ans, err)
	}
	phases := map[string]string{}
	for _, p := range done.Phases {
		phases[p.Phase] = p.On
	}
	if phases[scenario.PhaseAccept] == "" || phases[scenario.PhaseClose] == "" {
		t.Fatalf("phases: %v", phases)
	}
}

// as is a context acting as v.
func (f *fixture) as(v scenario.Viewer) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{ID: v.UserID, Name: fmt.Sprint("user", v.UserID)})
}

// userID adds an account with role.
func (f *fixture) userID(name string, role org.Role) int64 {
	var id int64
	f.scan(&id, `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1,$2,'x',1,1) RETURNING id`, name, string(role))
	return id
}
