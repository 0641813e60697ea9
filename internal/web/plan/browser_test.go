package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlanReportAccepted: a unit files a report with evidence through
// the report page, a supervisor accepts it on the review page, and the plan
// page shows the task's and the theme's progress changed.
func TestBrowserPlanReportAccepted(t *testing.T) {
	f := newPlanFixture(t)
	b := webtest.NewBrowser(t, f.h)
	evidence := filepath.Join(t.TempDir(), "进展佐证.pdf")
	if err := os.WriteFile(evidence, []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(b.Base+"/plan?year=2023"), chromedp.WaitVisible(chromedp.ID("root-progress")))
	if got := b.Text(t, "#root-progress"); got != "0.0%" {
		t.Fatalf("theme progress before: %q", got)
	}
	b.Do(t, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))

	b.Login(t, "unit")
	b.Do(t, chromedp.Navigate(b.Base+"/plan/mine?year=2023"), chromedp.WaitVisible(chromedp.ID("my-tasks")))
	b.Screenshot(t, "plan-unit-mine")
	b.Do(t,
		chromedp.Navigate(b.Base+"/plan/tasks/"+id(f.a)+"/report?period=2023-05"),
		chromedp.WaitVisible(chromedp.ID("report-form")),
		chromedp.SendKeys(chromedp.ID("pct"), "80"),
		chromedp.SendKeys(chromedp.ID("done"), "三家实验室完成挂牌"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{evidence}),
	)
	b.Screenshot(t, "plan-unit-report-form")
	b.Do(t, chromedp.Click(chromedp.ID("submit-report")), chromedp.WaitVisible(chromedp.ID("report-state")))
	if st := b.Text(t, "#report-state"); st != "待审核" {
		t.Fatalf("state after submit: %q", st)
	}
	reportURL := b.Eval(t, "location.pathname")
	b.Do(t, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))

	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/inbox?year=2023"), chromedp.WaitVisible(chromedp.ID("inbox")))
	b.Screenshot(t, "plan-supervisor-inbox")
	b.Do(t, chromedp.Navigate(b.Base+reportURL), chromedp.WaitVisible(chromedp.ID("review-form")))
	if !strings.Contains(b.Text(t, "main"), "进展佐证.pdf") {
		t.Fatal("the attachment is not listed on the review page")
	}
	b.Screenshot(t, "plan-supervisor-review")
	b.Do(t, chromedp.Click(chromedp.ID("accept")), chromedp.WaitVisible(chromedp.ID("node-progress")))
	if got := b.Text(t, "#node-progress"); got != "80.0%" {
		t.Fatalf("task progress after accept: %q", got)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/plan?year=2023"), chromedp.WaitVisible(chromedp.ID("root-progress")))
	// Task A 80 %, task B 0 %, equal shares: 40 % up the tree.
	if got := b.Text(t, "#root-progress"); got != "40.0%" {
		t.Fatalf("theme progress after accept: %q", got)
	}
	b.Screenshot(t, "plan-tree-after")
}
