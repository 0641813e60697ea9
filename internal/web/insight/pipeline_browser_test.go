package insight_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// TestBrowserPipelineOutreach: a supervisor opens the tier pipeline, sees
// the funnel and 甲's gap to 高新, ticks 甲 and makes the outreach task,
// which the list then links.
func TestBrowserPipelineOutreach(t *testing.T) {
	w := newPipelineWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/insight/pipeline?tier=hnte"), chromedp.WaitVisible(chromedp.CSS("#funnel svg")))
	if gap := b.Text(t, "#close tbody tr td:nth-child(5)"); !strings.Contains(gap, "差 0.8 个百分点") {
		t.Fatalf("gap shown: %q", gap)
	}
	b.Screenshot(t, "insight-pipeline")
	b.Do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="pick"][value="%d:hnte"]`, w.ent))))
	b.ClickNav(t, "make-outreach")
	if flash := b.Text(t, ".flash"); !strings.Contains(flash, "已生成走访任务：1") {
		t.Fatalf("flash: %q", flash)
	}
	if link := b.Text(t, "#close tbody tr td:nth-child(6)"); link != "已建任务" {
		t.Fatalf("task link: %q", link)
	}
}
