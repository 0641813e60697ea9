package insight_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// TestBrowserSettleConflict: a supervisor opens the conflicts, keeps the
// tax office's revenue for 沙盘 with a reason, sees the conflict leave the
// open list and the settlement in the settled one, and opens the
// catalogue of sources.
func TestBrowserSettleConflict(t *testing.T) {
	h, ent, _ := sourcesWorld(t)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "supervisor")
	row := `tr[data-enterprise="` + itoa(ent) + `"]`
	b.Do(t, chromedp.Navigate(b.Base+"/insight/conflicts"), chromedp.WaitVisible(chromedp.CSS(row)))
	b.Screenshot(t, "insight-conflicts")
	b.Do(t, chromedp.SetValue(chromedp.CSS(row+` select[name="keep"]`), "tax"),
		chromedp.SendKeys(chromedp.CSS(row+` input[name="note"]`), "税务申报经核实，统计局数据漏报一笔"))
	b.ClickNav(t, "settle-"+itoa(ent)+"-revenue-2022")
	if list := b.Text(t, "#conflicts"); strings.Contains(list, "郑州沙盘超硬材料有限公司") {
		t.Fatalf("still open after settling: %s", list)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/insight/conflicts?state=settled"), chromedp.WaitVisible(chromedp.CSS(row)))
	if got := b.Text(t, row); !strings.Contains(got, "采用 税务") || !strings.Contains(got, "统计局数据漏报一笔") {
		t.Fatalf("settled row: %s", got)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/insight/sources"), chromedp.WaitVisible(chromedp.ID("source-tax")))
	if got := b.Text(t, `#source-tax tr[data-indicator="revenue"] .cov`); got != "100.0%" {
		t.Fatalf("tax revenue coverage: %q", got)
	}
	b.Screenshot(t, "insight-sources")
}
