package scenario_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"

	"github.com/xuri/excelize/v2"
)

// confirmedWorld is the evaluation world carried to a confirmed winner
// (the joint bid), with the 2027 plan holding 应用场景建设行动; every
// module's clock reads the same day.
func confirmedWorld(t *testing.T) (*evalWorld, func(time.Time)) {
	w := newEvalWorld(t)
	setDay := func(d time.Time) {
		now := func() time.Time { return d }
		w.App.Scenario.Now, w.App.Award.Now, w.App.Plan.Now = now, now, now
	}
	setDay(time.Date(2027, 3, 21, 9, 0, 0, 0, db.CST))
	userID := func(name string) int64 {
		var id int64
		w.App.DB.R.QueryRow("SELECT id FROM users WHERE username = $1", name).Scan(&id)
		return id
	}
	sup := scenario.Viewer{UserID: userID("supervisor"), Role: org.Supervisor}
	ctx := audit.WithActor(context.Background(), audit.Actor{ID: sup.UserID, Name: "supervisor"})
	if _, err := w.App.Scenario.SetRules(ctx, sup, w.call, scenario.Rules{Criteria: scenario.DefaultCriteria, TrimAt: 3, NoticeDays: 7}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"reviewer", "reviewer2"} {
		rv := scenario.Viewer{UserID: userID(name), Role: org.Reviewer}
		for bid, total := range map[int64][]scenario.Score{w.joint: {{Criterion: "solution", Value: "36"}, {Criterion: "team", Value: "18"},
			{Criterion: "price", Value: "18"}, {Criterion: "plan", Value: "18"}}, w.solo: {{Criterion: "solution", Value: "20"}, {Criterion: "team", Value: "10"},
			{Criterion: "price", Value: "10"}, {Criterion: "plan", Value: "10"}}} {
			g, err := w.App.Scenario.Assign(ctx, sup, bid, rv.UserID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.App.Scenario.SubmitScores(ctx, rv, g.ID, total); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.App.Scenario.ChooseWinner(ctx, sup, w.call, w.joint, ""); err != nil {
		t.Fatal(err)
	}
	setDay(time.Date(2027, 3, 30, 9, 0, 0, 0, db.CST))
	if _, err := w.App.Scenario.Confirm(ctx, sup, w.call); err != nil {
		t.Fatal(err)
	}
	pv := plan.Viewer{UserID: sup.UserID, Role: org.Supervisor}
	theme, err := w.App.Plan.CreateNode(ctx, pv, plan.NodeInput{Year: 2027, Title: "2027 年工作计划"})
	if err != nil {
		t.Fatal(err)
	}
	focus, err := w.App.Plan.CreateNode(ctx, pv, plan.NodeInput{ParentID: theme.ID, Title: "创新能力提升"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.App.Plan.CreateNode(ctx, pv, plan.NodeInput{ParentID: focus.ID, Title: scenario.DeliveryAction}); err != nil {
		t.Fatal(err)
	}
	return w, setDay
}

func TestDeliveryThroughThePages(t *testing.T) {
	w, setDay := confirmedWorld(t)
	leader := w.As("leader")
	want(t, w.unit.Form(w.callPath+"/contract", url.Values{"contract_no": {"X"}, "signed_on": {"2027-03-30"}}), http.StatusForbidden, "a unit signs")
	bad := w.sup.Form(w.callPath+"/contract", url.Values{"contract_no": {""}, "signed_on": {"2027-04-30"}})
	if bad.Code != http.StatusBadRequest || !strings.Contains(string(bad.Body), "签约日期不能晚于今天") {
		t.Fatalf("a bad contract: %d %.500s", bad.Code, bad.Body)
	}
	want(t, w.sup.Form(w.callPath+"/contract", url.Values{"contract_no": {"GX-CJ-2027-001"}, "signed_on": {"2027-03-30"}}), http.StatusSeeOther, "sign")
	page := string(w.sup.Get(w.callPath).Body)
	for _, s := range []string{"实施与兑付", "GX-CJ-2027-001", `id="pay-1"`, `id="accept-form"`} {
		if !strings.Contains(page, s) {
			t.Fatalf("the call page after signing lacks %q", s)
		}
	}
	var c scenario.Contract
	w.sup.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/delivery", w.call)).JSON(t, &c)
	if len(c.Deliverables) != 2 || c.AmountFen != 70_000_000 || c.Deliverables[0].AmountFen != 21_000_000 {
		t.Fatalf("delivery: %+v", c)
	}
	// The owner unit finds the milestones among its plan tasks.
	if task := w.unit.Get(fmt.Sprintf("/plan/nodes/%d", c.Deliverables[0].TaskID)); task.Code != 200 || !strings.Contains(string(task.Body), "园区无人配送：签约") {
		t.Fatalf("the unit's task page: %d", task.Code)
	}
	// Who reads the delivery: the winner's partner yes, another unit no.
	want(t, w.As("enterprise2").Get(fmt.Sprintf("/api/v1/scenario/calls/%d/delivery", w.call)), 200, "the partner reads the delivery")
	want(t, w.As("unit2").Get(fmt.Sprintf("/api/v1/scenario/calls/%d/delivery", w.call)), http.StatusNotFound, "another unit reads the delivery")

	early := w.sup.Form(w.callPath+"/stages/1/pay", nil)
	if early.Code != http.StatusConflict || !strings.Contains(string(early.Body), "尚未完成") {
		t.Fatalf("stage 1 before its task is done: %d %.300s", early.Code, early.Body)
	}
	// The unit reports the milestone done and staff accept it, as any task.
	var unitUser, supUser org.User
	var err error
	if unitUser, err = w.App.Org.UserByUsername(context.Background(), "unit"); err != nil {
		t.Fatal(err)
	}
	if supUser, err = w.App.Org.UserByUsername(context.Background(), "supervisor"); err != nil {
		t.Fatal(err)
	}
	hundred := 100
	rep, err := w.App.Plan.CreateReport(audit.WithActor(context.Background(), audit.Actor{ID: unitUser.ID, Name: "unit"}), plan.ViewerOf(&unitUser),
		plan.ReportInput{TaskID: c.Deliverables[0].TaskID, Period: "2027-03", Pct: &hundred, Done: "签约进场", Submit: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.App.Plan.Review(audit.WithActor(context.Background(), audit.Actor{ID: supUser.ID, Name: "supervisor"}), plan.ViewerOf(&supUser), rep.ID, true, "", rep.Version); err != nil {
		t.Fatal(err)
	}
	want(t, w.sup.Form(w.callPath+"/stages/1/pay", nil), http.StatusSeeOther, "request stage 1")
	want(t, w.sup.Form(w.callPath+"/stages/1/pay", nil), http.StatusConflict, "request stage 1 twice")
	want(t, w.sup.Form(w.callPath+"/stages/1/approve", nil), http.StatusForbidden, "the requester approves")
	want(t, w.entCli.Form(w.callPath+"/stages/1/approve", nil), http.StatusForbidden, "an enterprise approves")
	if !strings.Contains(string(leader.Get(w.callPath).Body), `id="approve-1"`) {
		t.Fatal("the leader is offered no approval")
	}
	want(t, leader.Form(w.callPath+"/stages/1/approve", nil), http.StatusSeeOther, "the leader approves")
	want(t, w.sup.Form(w.callPath+"/stages/1/paid", url.Values{"voucher_no": {"记-2027-0330"}, "paid_on": {"2027-03-30"}}), http.StatusSeeOther, "paid")

	// Acceptance with a report file; a second is refused.
	accept := url.Values{"passed": {"1"}, "on": {"2027-03-30"}, "opinion": {"系统运行稳定，同意验收"}}
	want(t, multipartForm(w.sup, w.callPath+"/acceptance", accept, map[string][]byte{"验收报告.pdf": []byte("%PDF-1.4 report")}), http.StatusSeeOther, "accept")
	want(t, multipartForm(w.sup, w.callPath+"/acceptance", accept, nil), http.StatusConflict, "a second acceptance")
	want(t, w.sup.Form(w.callPath+"/closing", nil), http.StatusConflict, "close with a stage unpaid")
	want(t, w.sup.Form(w.callPath+"/stages/2/pay", nil), http.StatusSeeOther, "request stage 2")
	want(t, leader.Form(w.callPath+"/stages/2/approve", nil), http.StatusSeeOther, "approve stage 2")
	setDay(time.Date(2027, 4, 2, 9, 0, 0, 0, db.CST))
	want(t, w.sup.Form(w.callPath+"/stages/2/paid", url.Values{"voucher_no": {"记-2027-0402"}, "paid_on": {"2027-04-02"}}), http.StatusSeeOther, "paid 2")
	want(t, w.sup.Form(w.callPath+"/closing", nil), http.StatusSeeOther, "close")
	pub := string(w.anon.Get(w.callPath).Body)
	if !strings.Contains(pub, "已结项") || !strings.Contains(pub, `id="result-winner"`) || strings.Contains(pub, "GX-CJ-2027-001") {
		t.Fatalf("the public page of the closed call shows its state, not the contract: %.600s", pub)
	}
	w.sup.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/delivery", w.call)).JSON(t, &c)
	if c.PaidFen != 70_000_000 || len(c.Acceptances) != 1 || len(c.Acceptances[0].Files) != 1 {
		t.Fatalf("the delivery at the end: %+v", c)
	}
	// The finance office's list: one row a stage, amounts as numbers.
	want(t, w.entCli.Get("/scenarios/payments.xlsx"), http.StatusForbidden, "an enterprise exports payments")
	xl := w.sup.Get("/scenarios/payments.xlsx")
	want(t, xl, http.StatusOK, "payments export")
	x, err := excelize.OpenReader(bytes.NewReader(xl.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("合同付款")
	if len(rows) != 3 || rows[1][2] != "GX-CJ-2027-001" || rows[1][8] != "已支付" || rows[2][9] != "2027-04-02" {
		t.Fatalf("payments export %q", rows)
	}
	if typ, _ := x.GetCellType("合同付款", "H3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("the amount cell's type: %v", typ)
	}
	if v, _ := x.GetCellValue("合同付款", "H3", excelize.Options{RawCellValue: true}); v != "490000" {
		t.Fatalf("stage 2 amount: %q", v)
	}
}
