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
