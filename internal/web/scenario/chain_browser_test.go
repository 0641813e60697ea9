package scenario_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"
)

// TestBrowserCallEvaluatedDeliveredAndPaid carries a call whose bidding
// has closed through the rest of its chain in the browser, as its people
// would: the supervisor sets the rules and assigns three experts (the
// one affiliated with the joint bid's partner is kept off it); two
// score, the third recuses with a reason; the supervisor chooses the
// winner, confirms after the notice, and signs; the owner unit reports
// the first milestone's plan task done and staff accept the report; the
// first stage is requested, approved by the leader and paid; acceptance
// is recorded with its report; the last stage is paid and the call
// closed; the public then reads the result on the portal.
func TestBrowserCallEvaluatedDeliveredAndPaid(t *testing.T) {
	w := newEvalWorld(t)
	setDay := func(d time.Time) {
		now := func() time.Time { return d }
		w.App.Scenario.Now, w.App.Award.Now, w.App.Plan.Now = now, now, now
	}
	setDay(time.Date(2027, 3, 21, 9, 0, 0, 0, db.CST))
	// The year's plan already holds the action the milestones go under.
	var supUser org.User
	var err error
	if supUser, err = w.App.Org.UserByUsername(context.Background(), "supervisor"); err != nil {
		t.Fatal(err)
	}
	ctx, pv := audit.WithActor(context.Background(), audit.Actor{ID: supUser.ID, Name: "supervisor"}), plan.ViewerOf(&supUser)
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
	var rev1 int64
	w.App.DB.R.QueryRow("SELECT id FROM users WHERE username='reviewer'").Scan(&rev1)
	report := filepath.Join(t.TempDir(), "验收报告.pdf")
	if err := os.WriteFile(report, []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	b := webtest.NewBrowser(t, w.Harness)
	// submit clicks a button by CSS and waits for the page it loads; it
	// returns the text of the page's error, "" when there is none.
	submit := func(css string) string {
		t.Helper()
		b.Eval(t, `window.__stale = "y"; "ok"`)
		b.Do(t, chromedp.Click(chromedp.CSS(css)))
		for i := 0; b.Eval(t, `(window.__stale !== "y" && document.readyState === "complete") ? "y" : "n"`) != "y"; i++ {
			if i > 200 {
				t.Fatalf("click %s: no new page", css)
			}
			time.Sleep(50 * time.Millisecond)
		}
		return b.Eval(t, `document.querySelector("main .card p.error") ? document.querySelector("main").innerText : ""`)
	}
	must := func(css string) {
		t.Helper()
		if msg := submit(css); msg != "" {
			t.Fatalf("click %s: error page: %s", css, msg)
		}
	}
	open := func(path, ready string) {
		t.Helper()
		b.Do(t, chromedp.Navigate(b.Base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	}
	as := func(name string) {
		t.Helper()
		b.Logout(t)
		b.Login(t, name)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Login(t, "supervisor")

	// Rules, then three experts on each bid.
	open(w.evaluation, "#save-rules")
	b.Do(t, chromedp.SetValue(chromedp.ID("trim-at"), "3"), chromedp.SetValue(chromedp.ID("notice-days"), "7"))
	must("#save-rules")
	assign := func(bid, reviewer int64) string {
		t.Helper()
		open(w.evaluation, fmt.Sprintf("#assign-%d", bid))
		b.Do(t, chromedp.SetValue(chromedp.ID(fmt.Sprintf("assign-%d", bid)), fmt.Sprint(reviewer)))
		return submit(fmt.Sprintf("#bid-%d form button", bid))
	}
	for _, bid := range []int64{w.joint, w.solo} {
		for _, r := range []int64{rev1, w.rev2} {
			if msg := assign(bid, r); msg != "" {
				t.Fatalf("assign %d to bid %d: %s", r, bid, msg)
			}
		}
	}
	for _, bid := range []int64{w.joint, w.solo} {
		if msg := assign(bid, w.rev3); msg != "" {
			t.Fatalf("assign reviewer3 to bid %d: %s", bid, msg)
		}
	}
	// reviewer3 declared 乙, the joint bid's partner: the assignment is
	// recorded as a conflict of interest and never scores.
	if got := b.Text(t, fmt.Sprintf("#bid-%d table", w.joint)); !strings.Contains(got, "利益冲突") {
		t.Fatalf("the joint bid's experts: %q", got)
	}
	b.Screenshot(t, "scenario-evaluation-assigned")

	// Two experts score both bids from their pages; the third recuses.
	for name, marks := range map[string][2][4]string{"reviewer": {{"36", "18", "17", "18"}, {"22", "12", "15", "10"}},
		"reviewer2": {{"34", "17", "18", "16"}, {"25", "11", "14", "12"}}} {
		as(name)
		for i, lead := range []string{"甲科技有限公司", "丙智能有限公司"} {
			open("/scenario-reviews", "#scenario-reviews")
			href := b.Eval(t, `[...document.querySelectorAll("#scenario-reviews a")].find(a => a.textContent.includes("`+lead+`")).getAttribute("href")`)
			open(href, "#submit-scores")
			for j, code := range []string{"solution", "team", "price", "plan"} {
				b.Do(t, chromedp.SetValue(chromedp.ID("score_"+code), marks[i][j]))
			}
			must("#submit-scores")
			if got := b.Text(t, "#rev-state"); got != "已评分" {
				t.Fatalf("%s's assignment on %s after scoring: %q", name, lead, got)
			}
		}
	}
	as("reviewer3")
	open("/scenario-reviews", "#scenario-reviews")
	open(b.Eval(t, `[...document.querySelectorAll("#scenario-reviews a")].find(a => a.textContent.includes("丙智能有限公司")).getAttribute("href")`), "#recuse")
	b.Do(t, chromedp.SendKeys(chromedp.ID("recuse-reason"), "近三年为丙智能提供过咨询"))
	must("#recuse")

	// The winner, on notice for seven days, then confirmed.
	as("supervisor")
	open(w.evaluation, "#choose-winner")
	b.Do(t, chromedp.SetValue(chromedp.ID("winner-bid"), fmt.Sprint(w.joint)))
	must("#choose-winner")
	if got := b.Text(t, "#eval-result"); !strings.Contains(got, "甲科技有限公司") {
		t.Fatalf("the result: %q", got)
	}
	b.Screenshot(t, "scenario-evaluation-result")
	setDay(time.Date(2027, 3, 30, 9, 0, 0, 0, db.CST))
	open(w.evaluation, "#confirm-result")
	must("#confirm-result")

	// Signing turns the milestones into the unit's plan tasks.
	open(w.callPath, "#sign")
	b.Do(t, chromedp.SendKeys(chromedp.ID("contract-no"), "GX-CJ-2027-001"))
	must("#sign")
	if got := b.Text(t, "#stages"); !strings.Contains(got, "签约") || !strings.Contains(got, "验收") {
		t.Fatalf("the stages after signing: %q", got)
	}
	taskPath := b.Eval(t, `document.querySelector("#stages a").getAttribute("href")`)

	as("unit")
	open(taskPath, "#file-report")
	if got := b.Text(t, "main h1"); !strings.Contains(got, "园区无人配送：签约") {
		t.Fatalf("the unit's task: %q", got)
	}
	must("#file-report")
	b.Do(t, chromedp.SetValue(chromedp.ID("pct"), "100"), chromedp.SendKeys(chromedp.ID("done"), "合同签订，设备进场"))
	must("#submit-report")
	reportPath := b.Eval(t, "location.pathname")

	as("supervisor")
	open(reportPath, "#accept")
	must("#accept")
	open(w.callPath, "#pay-1")
	must("#pay-1")
	as("leader")
	open(w.callPath, "#approve-1")
	must("#approve-1")
	as("supervisor")
	open(w.callPath, "#paid-1")
	b.Do(t, chromedp.SendKeys(chromedp.CSS(`form[action$="/stages/1/paid"] [name=voucher_no]`), "记-2027-0330"))
	must("#paid-1")
	if got := b.Text(t, "#stage-1-state"); got != "已支付" {
		t.Fatalf("stage 1 after paying: %q", got)
	}

	// Acceptance with its report; the last stage; the close.
	b.Do(t, chromedp.SendKeys(chromedp.ID("accept-opinion"), "系统运行稳定，同意验收"),
		chromedp.SetUploadFiles(chromedp.CSS(`#accept-form [name=files]`), []string{report}))
	must("#accept")
	must("#pay-2")
	as("leader")
	open(w.callPath, "#approve-2")
	must("#approve-2")
	as("supervisor")
	open(w.callPath, "#paid-2")
	b.Do(t, chromedp.SendKeys(chromedp.CSS(`form[action$="/stages/2/paid"] [name=voucher_no]`), "记-2027-0330-2"))
	must("#paid-2")
	if got := b.Text(t, "#contract-paid"); !strings.Contains(got, "70") {
		t.Fatalf("paid after both stages: %q", got)
	}
	b.Screenshot(t, "scenario-delivery-paid")
	must("#close-call")
	if got := b.Text(t, "#call-state"); got != "已结项" {
		t.Fatalf("state after closing: %q", got)
	}

	// The public portal: the result and the phases, not the contract.
	b.Logout(t)
	open(w.callPath, "#result-winner")
	if got := b.Text(t, "#result-winner"); !strings.Contains(got, "甲科技有限公司") {
		t.Fatalf("the public result: %q", got)
	}
	if page := b.Text(t, "main"); strings.Contains(page, "GX-CJ-2027-001") || !strings.Contains(page, "验收") {
		t.Fatalf("the public page: %q", page)
	}
	b.Screenshot(t, "scenario-public-closed")
}
