package insight_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// TestBrowserChainMapToEnterpriseAndCrossing: a leader opens the chain
// map, clicks 超硬材料 in the drawn tree, sees its figures and top
// enterprises, follows the first to the enterprise's page, goes on to the
// registry's list filtered to the node, then crosses chain × area.
func TestBrowserChainMapToEnterpriseAndCrossing(t *testing.T) {
	w := newWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(b.Base+"/insight"), chromedp.WaitVisible(chromedp.ID("node-nm_superhard")))
	b.Screenshot(t, "insight-map")
	b.ClickNav(t, "node-nm_superhard")
	chain := b.Eval(t, "location.href")
	if got := b.Eval(t, "location.pathname + location.search"); got != "/insight/chains/nm_superhard?year=2023" {
		t.Fatalf("after clicking the node: %s", got)
	}
	if now, rev := b.Text(t, "#now"), b.Text(t, "#revenue"); now != "2" || !strings.HasPrefix(rev, "200.00 万元") || !strings.Contains(rev, "+33.3%") {
		t.Fatalf("superhard figures: now %q revenue %q", now, rev)
	}
	if top := b.Text(t, "#top-list"); !strings.HasPrefix(top, "甲超硬材料有限公司") || !strings.Contains(top, "乙金刚石有限公司") {
		t.Fatalf("top enterprises: %q", top)
	}
	b.Screenshot(t, "insight-chain")
	b.ClickNav(t, "top-"+id(w.e1))
	if got := b.Eval(t, "location.pathname"); got != "/enterprises/"+id(w.e1) || !strings.Contains(b.Text(t, "main"), "甲超硬材料有限公司") {
		t.Fatalf("enterprise page: %s", got)
	}
	b.Do(t, chromedp.Navigate(chain), chromedp.WaitVisible(chromedp.ID("registry-list")))
	b.ClickNav(t, "registry-list")
	if list := b.Text(t, "main"); !strings.Contains(list, "甲超硬材料有限公司") || !strings.Contains(list, "乙金刚石有限公司") || strings.Contains(list, "丙传感科技有限公司") {
		t.Fatalf("registry list filtered to the node: %s", list)
	}
	b.Do(t, chromedp.Navigate(chain), chromedp.WaitVisible(chromedp.ID("by-area")))
	b.ClickNav(t, "by-area")
	b.Do(t, chromedp.SetValue(chromedp.ID("measure"), "revenue"))
	b.ClickNav(t, "show")
	row := b.Eval(t, `[...document.querySelectorAll("#breakdown tbody tr")].map(r => r.innerText.trim()).find(t => t.startsWith("超硬材料")) || ""`)
	head := b.Text(t, "#breakdown thead")
	if !strings.Contains(head, "石佛办事处") || !strings.Contains(head, "沟赵办事处") || !strings.Contains(row, "150.00 万元") || !strings.Contains(row, "50.00 万元") {
		t.Fatalf("chain × area: head %q row %q", head, row)
	}
	if b.Eval(t, `document.querySelector("#heat svg") ? "y" : "n"`) != "y" {
		t.Fatal("no heat map")
	}
	b.Screenshot(t, "insight-breakdown")
}
