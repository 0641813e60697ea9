package insight_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// TestBrowserMuEvaluation: a supervisor starts the year's per-mu
// evaluation from the industry brain and lands on its awards programme;
// once it is confirmed after its notice, the supervisor writes its classes
// into the registry from the same page and follows a class's count to the
// registry's list of those enterprises.
func TestBrowserMuEvaluation(t *testing.T) {
	h, clock, _ := muWorld(t)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/insight/mu?year=2023"), chromedp.WaitVisible(chromedp.ID("start-mu")))
	b.Screenshot(t, "insight-mu-empty")
	b.ClickNav(t, "start-mu")
	path := b.Eval(t, "location.pathname")
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/awards/programmes/"), 10, 64)
	if err != nil {
		t.Fatalf("started programme's page: %q", path)
	}
	muToConfirmed(t, h, clock, id)
	b.Do(t, chromedp.Navigate(b.Base+"/insight/mu?year=2023"), chromedp.WaitVisible(chromedp.ID("apply-"+strconv.FormatInt(id, 10))))
	b.ClickNav(t, "apply-"+strconv.FormatInt(id, 10))
	if got := b.Text(t, "#class-B"); got != "2" {
		t.Fatalf("class B count after recording: %q", got)
	}
	b.Screenshot(t, "insight-mu-recorded")
	b.ClickNav(t, "class-A")
	if list := b.Text(t, "main"); !strings.Contains(list, "甲亩均测试有限公司") || strings.Contains(list, "乙亩均测试有限公司") {
		t.Fatalf("the registry's class A list: %s", list)
	}
}
