package finance_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// TestBrowserNeedToMoneyReceived: an investor account registers its
// institution through the form; a supervisor approves it from the queue;
// an enterprise posts a need (amount in 万元, a pitch deck); the need's
// matching page lists the institution with its reasons; the institution
// finds the need on its dashboard and expresses interest; the enterprise
// accepts; the institution records each step to 到位 with the amount.
func TestBrowserNeedToMoneyReceived(t *testing.T) {
	w := newWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	deck := filepath.Join(t.TempDir(), "商业计划书.pdf")
	if err := os.WriteFile(deck, []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Login(t, "vc1")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("register-link")))
	b.ClickNav(t, "register-link")
	b.Do(t, chromedp.SendKeys(chromedp.ID("name"), "中原科创投资有限公司"),
		chromedp.SendKeys(chromedp.ID("credit_code"), "9144030071526726XG"),
		chromedp.SendKeys(chromedp.ID("aum"), "500000"),
		chromedp.SendKeys(chromedp.ID("ticket_min"), "1000"),
		chromedp.SendKeys(chromedp.ID("ticket_max"), "10000"),
		chromedp.SetValue(chromedp.ID("settled_on"), "2023-03-01"),
		chromedp.Click(chromedp.CSS(`#stages input[value="a"]`)),
		chromedp.Click(chromedp.CSS(`#stages input[value="b"]`)),
		chromedp.Click(chromedp.CSS(`#instruments input[value="equity"]`)),
		chromedp.SendKeys(chromedp.CSS(`#contacts input[name="contact_name"]`), "陈经理"),
		chromedp.SendKeys(chromedp.CSS(`#contacts input[name="contact_phone"]`), "0371-60000001"),
	)
	b.Eval(t, `for (const o of document.querySelectorAll("#chains option")) o.selected = (o.value === "iot"); "ok"`)
	b.Screenshot(t, "finance-institution-form")
	b.ClickNav(t, "submit-institution")
	if st := b.Text(t, "#inst-state"); st != "待审核" {
		t.Fatalf("state after registering: %q", st)
	}
	instURL := b.Eval(t, "location.pathname")
	b.Logout(t)

	b.Login(t, "supervisor")
	id := strings.TrimPrefix(instURL, "/finance/institutions/")
	b.Do(t, chromedp.Navigate(b.Base+"/finance/institutions/review"), chromedp.WaitVisible(chromedp.ID("approve-"+id)))
	b.Screenshot(t, "finance-review")
	b.ClickNav(t, "approve-"+id)
	b.Logout(t)

	b.Login(t, "enterprise")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("post-need-link")))
	b.ClickNav(t, "post-need-link")
	b.Do(t, chromedp.SendKeys(chromedp.ID("title"), "MEMS 传感器产线扩产"),
		chromedp.SendKeys(chromedp.ID("amount"), "3000"),
		chromedp.SetValue(chromedp.ID("instrument"), "equity"),
		chromedp.SetValue(chromedp.ID("stage"), "a"),
		chromedp.SendKeys(chromedp.ID("use_of_funds"), "新建一条 8 英寸 MEMS 产线"),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{deck}),
	)
	b.Screenshot(t, "finance-need-form")
	b.ClickNav(t, "submit-need")
	if got := b.Text(t, "#need-amount"); got != "3000.00 万元" {
		t.Fatalf("the need's amount: %q", got)
	}
	needURL := b.Eval(t, "location.pathname")
	b.ClickNav(t, "matching-link")
	ranked := b.Text(t, "#ranked")
	for _, want := range []string{"中原科创投资有限公司", "专注A 轮", "主力区间"} {
		if !strings.Contains(ranked, want) {
			t.Fatalf("the matching page lacks %q: %s", want, ranked)
		}
	}
	b.Screenshot(t, "finance-matching")
	b.Logout(t)

	b.Login(t, "vc1")
	b.Do(t, chromedp.Navigate(b.Base+"/finance/dashboard"), chromedp.WaitVisible(chromedp.ID("fit-needs")))
	if got := b.Text(t, "#fit-needs"); !strings.Contains(got, "MEMS 传感器产线扩产") {
		t.Fatalf("the dashboard does not list the need: %s", got)
	}
	b.Screenshot(t, "finance-dashboard")
	b.Do(t, chromedp.Navigate(b.Base+needURL), chromedp.WaitVisible(chromedp.ID("express-interest")),
		chromedp.SendKeys(chromedp.ID("interest-note"), "关注传感器赛道，希望约见"))
	b.ClickNav(t, "express-interest")
	matchURL := b.Eval(t, "location.pathname")
	b.Logout(t)

	b.Login(t, "enterprise")
	b.Do(t, chromedp.Navigate(b.Base+matchURL), chromedp.WaitVisible(chromedp.ID("accept")))
	b.ClickNav(t, "accept")
	if st := b.Text(t, "#match-state"); st != "匹配" {
		t.Fatalf("state after accepting: %q", st)
	}
	b.Logout(t)

	b.Login(t, "vc1")
	b.Do(t, chromedp.Navigate(b.Base+matchURL), chromedp.WaitVisible(chromedp.ID("step-form")))
	for _, step := range []struct{ next, amount string }{{"对接", ""}, {"尽调", ""}, {"投资意向/授信", "3000"}, {"到位", "2500"}} {
		if got := b.Text(t, "#next-step"); got != step.next {
			t.Fatalf("next step %q, want %q", got, step.next)
		}
		if step.amount != "" {
			b.Do(t, chromedp.SendKeys(chromedp.ID("step-amount"), step.amount))
		}
		if step.next == "到位" {
			b.Screenshot(t, "finance-match-step")
		}
		b.ClickNav(t, "advance")
	}
	if st := b.Text(t, "#match-state"); st != "到位" {
		t.Fatalf("state after the last step: %q", st)
	}
	if got := b.Text(t, "#match-funded"); !strings.Contains(got, "2500.00 万元") {
		t.Fatalf("money received: %q", got)
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("note-body"), "首期款已到账，跟进二期"))
	b.ClickNav(t, "add-note")
	b.Screenshot(t, "finance-match")
	b.Do(t, chromedp.Navigate(b.Base+"/finance/dashboard"), chromedp.WaitVisible(chromedp.ID("count-funded")))
	if got := b.Text(t, "#count-funded"); got != "1" {
		t.Fatalf("funded on the dashboard: %q", got)
	}
	b.Screenshot(t, "finance-dashboard-funded")
}

// TestBrowserRoadshowAndOverview: a supervisor records a roadshow from the
// module's front page, invites a funded need and records its bank
// attending, and reads the outcome; the enterprise reads the roadshow too;
// the supervisor opens the year's overview with its charts and map.
func TestBrowserRoadshowAndOverview(t *testing.T) {
	w := newWorld(t)
	w.fundedLoan("1000")
	b := webtest.NewBrowser(t, w.Harness)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("roadshows-link")))
	b.ClickNav(t, "roadshows-link")
	b.Do(t, chromedp.SendKeys(chromedp.ID("title"), "2023 年第三期科技金融路演"),
		chromedp.SetValue(chromedp.ID("on"), "2023-09-20"),
		chromedp.SendKeys(chromedp.ID("place"), "科技金融广场路演厅"))
	b.Screenshot(t, "finance-roadshows")
	b.ClickNav(t, "create-roadshow")
	if got := b.Text(t, "#roadshow-when"); !strings.Contains(got, "2023-09-20 · 科技金融广场路演厅") {
		t.Fatalf("the roadshow reads %q", got)
	}
	roadshow := b.Eval(t, "location.pathname")
	b.Do(t, chromedp.Click(chromedp.CSS(`#invite-form input[name="needs"]`)))
	b.ClickNav(t, "invite")
	b.Do(t, chromedp.Click(chromedp.CSS(`#attend-form input[name="institutions"]`)))
	b.ClickNav(t, "attend")
	for id, want := range map[string]string{"#outcome-needs": "1", "#outcome-institutions": "1", "#reached-funded": "1", "#outcome-funded": "1000.00 万元"} {
		if got := b.Text(t, id); got != want {
			t.Fatalf("%s: %q, want %q", id, got, want)
		}
	}
	b.Screenshot(t, "finance-roadshow")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("overview-link")))
	b.ClickNav(t, "overview-link")
	b.Do(t, chromedp.Navigate(b.Base+"/finance/overview?year=2023"), chromedp.WaitVisible(chromedp.ID("map")))
	if got := b.Text(t, "#settled"); got != "1" {
		t.Fatalf("settled: %q", got)
	}
	if got := b.Eval(t, `String(document.querySelectorAll("#funnel svg rect").length)`); got != "6" {
		t.Fatalf("the funnel chart draws %s bars", got)
	}
	b.Screenshot(t, "finance-overview")
	b.Logout(t)

	b.Login(t, "enterprise")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("roadshows-link")))
	b.ClickNav(t, "roadshows-link")
	b.Do(t, chromedp.Navigate(b.Base+roadshow), chromedp.WaitVisible(chromedp.ID("roadshow-needs")))
	if got := b.Text(t, "#roadshow-needs"); !strings.Contains(got, "传感器产线流动资金贷款") {
		t.Fatalf("the enterprise's roadshow page: %q", got)
	}
	b.Screenshot(t, "finance-roadshow-enterprise")
}
