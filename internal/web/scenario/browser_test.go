package scenario_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"
)

// TestBrowserNeedPublishedAndBid: a unit submits a need through the form
// (several chains, budget in 万元, an attachment); a supervisor approves
// it into a batch and publishes the batch from the pages; an enterprise
// finds the call on the public portal and bids jointly with a partner
// through the bid form; the partner confirms.
func TestBrowserNeedPublishedAndBid(t *testing.T) {
	w := newWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	doc := filepath.Join(t.TempDir(), "积水点位.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logout := func() {
		b.Do(t, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))
	}
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Login(t, "unit")
	b.Do(t, chromedp.Navigate(b.Base+"/scenarios/new"), chromedp.WaitVisible(chromedp.ID("need-form")),
		chromedp.SendKeys(chromedp.ID("title"), "城市道路积水智能监测"),
		chromedp.SetValue(chromedp.ID("category"), "service"),
		chromedp.SendKeys(chromedp.ID("problem"), "汛期道路积水无法及时发现"),
		chromedp.SendKeys(chromedp.ID("budget"), "50"),
		chromedp.SetValue(chromedp.ID("deadline"), "2027-03-31"),
		chromedp.SetValue(chromedp.ID("ends_on"), "2027-12-31"),
		chromedp.SendKeys(chromedp.ID("contact_name"), "王工"),
		chromedp.SendKeys(chromedp.ID("contact_phone"), "0371-67581234"),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{doc}),
	)
	b.Eval(t, `for (const o of document.querySelectorAll("#chains option")) o.selected = (o.value === "iot" || o.value === "iot_sensor"); "ok"`)
	b.Screenshot(t, "scenario-need-form")
	b.ClickNav(t, "submit-need")
	if st := b.Text(t, "#call-state"); st != "征集中" {
		t.Fatalf("state after submitting: %q", st)
	}
	callURL := b.Eval(t, "location.pathname")
	logout()

	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/scenarios/review"), chromedp.WaitVisible(chromedp.ID("batch-title")),
		chromedp.SendKeys(chromedp.ID("batch-title"), "2027 年第一批场景机会清单"))
	b.ClickNav(t, "create-batch")
	b.Do(t, chromedp.Navigate(b.Base+callURL), chromedp.WaitVisible(chromedp.ID("approve")))
	b.ClickNav(t, "approve")
	if st := b.Text(t, "#call-state"); st != "审核通过" {
		t.Fatalf("state after approving: %q", st)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/scenarios/review"), chromedp.WaitVisible(chromedp.ID("publish-1")))
	b.Screenshot(t, "scenario-review")
	b.ClickNav(t, "publish-1")
	logout()

	b.Login(t, "enterprise")
	b.Do(t, chromedp.Navigate(b.Base+"/scenarios?chain=iot"), chromedp.WaitVisible(chromedp.ID("calls")))
	if !strings.Contains(b.Text(t, "#calls"), "城市道路积水智能监测") {
		t.Fatalf("the portal does not list the call: %s", b.Text(t, "#calls"))
	}
	b.Screenshot(t, "scenario-portal")
	b.Do(t, chromedp.Navigate(b.Base+callURL), chromedp.WaitVisible(chromedp.ID("bid-link")))
	b.ClickNav(t, "bid-link")
	b.Do(t, chromedp.SendKeys(chromedp.ID("solution"), "布设液位传感器，接入城市运行平台"),
		chromedp.SendKeys(chromedp.ID("team"), "工程师 6 名"),
		chromedp.SendKeys(chromedp.ID("price"), "45"))
	b.Eval(t, `const r = document.querySelectorAll("#milestones tbody tr");
		const set = (row, name, v) => { row.querySelector("[name="+name+"]").value = v; };
		set(r[0], "ms_title", "签约"); set(r[0], "ms_due", "2027-04-15"); set(r[0], "ms_share", "30");
		set(r[1], "ms_title", "验收"); set(r[1], "ms_due", "2027-11-30"); set(r[1], "ms_share", "70");
		document.querySelector("#partners [name=partner_code]").value = "`+w.code2+`";
		document.querySelector("#partners [name=partner_role]").value = "数据平台"; "ok"`)
	b.Screenshot(t, "scenario-bid-form")
	b.ClickNav(t, "submit-bid")
	if got := b.Text(t, "#bids"); !strings.Contains(got, "甲科技有限公司") || !strings.Contains(got, "待确认") {
		t.Fatalf("the enterprise's bid on the call page: %q", got)
	}
	b.Screenshot(t, "scenario-call-with-bid")
	logout()

	b.Login(t, "enterprise2")
	b.Do(t, chromedp.Navigate(b.Base+"/scenarios/mine"), chromedp.WaitVisible(chromedp.ID("my-bids")))
	bidURL := b.Eval(t, `document.querySelector("#my-bids a").getAttribute("href")`)
	b.Do(t, chromedp.Navigate(b.Base+bidURL), chromedp.WaitVisible(chromedp.ID("confirm-bid")))
	b.ClickNav(t, "confirm-bid")
	if got := b.Text(t, "#bid-partners"); !strings.Contains(got, "已确认") {
		t.Fatalf("after confirming: %q", got)
	}
	b.Screenshot(t, "scenario-bid")
}
