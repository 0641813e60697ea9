package site_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// phoneWidth is the narrowest window every page must fit: a common phone.
const phoneWidth = 390

// TestEveryPageFitsPhones walks the demo as every role, the way
// TestEveryLinkAndButtonWorks does, and opens one page of each route (and
// set of query fields) that role reaches in a 390 px wide browser window:
// the page body never scrolls sideways. Wide tables scroll inside their
// own box, long words break, forms stack. A failure names the page and
// the first elements that stick out (screenshots go to
// GAOXIN_SCREENSHOTS).
func TestEveryPageFitsPhones(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole demo in a browser")
	}
	h, pw, accounts := newDemoHarnessAccounts(t)
	addRegistryWork(t, h, pw)
	b := webtest.NewBrowser(t, h)
	b.Do(t, chromedp.EmulateViewport(phoneWidth, 844))
	routes := h.Srv.Routes()
	gets := routeMux(routes, "GET", nil)
	for _, w := range walkers(t, h, pw, accounts) {
		res := walk(t, w.c, gets, routeMux(routes, "POST", w.user()), func([]byte) string { return "" }, 1)
		if w.role != "" {
			b.LoginWith(t, w.name, pw[w.name])
		}
		// The walk reads one page per route and query fields; the
		// browser opens one per route.
		opened := map[string]bool{}
		for _, f := range res.html {
			_, pattern := gets.Handler(httptest.NewRequest("GET", f.target, nil))
			if opened[pattern] {
				continue
			}
			opened[pattern] = true
			if wide := pageWidth(t, b, f.target); wide != "" {
				t.Errorf("%s: %s (linked from %s) is wider than %d px: %s", w.name, f.target, f.on, phoneWidth, wide)
				b.Screenshot(t, fmt.Sprintf("wide-%s-%s", strings.Trim(w.name, "()"), strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(f.target)))
			}
		}
		t.Logf("%s: %d pages at %d px", w.name, len(opened), phoneWidth)
		if w.role != "" {
			b.Logout(t)
		}
	}
}

// addRegistryWork gives the registry's pages what the demo lacks: an import
// that was written, one that was refused (its error table), a value the
// enterprise reported and staff have yet to confirm, and one they sent
// back with a reason.
func addRegistryWork(t *testing.T, h *webtest.Harness, pw map[string]string) {
	t.Helper()
	staff := h.AsWith("supervisor", pw["supervisor"])
	for _, csv := range []string{
		"统一社会信用代码,企业名称,年度,营业收入（万元）\n91410100DM00099904,演示新导入企业有限公司,2022,100\n",
		"统一社会信用代码,企业名称,年度,营业收入（万元）\n91410100DM00099905,校验位错误的企业有限公司,2022,-5\n",
	} {
		r := staff.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=phone.csv", strings.NewReader(csv)))
		if r.Code != http.StatusOK && r.Code != http.StatusUnprocessableEntity {
			t.Fatalf("import: %d %s", r.Code, r.Body)
		}
	}
	self := h.AsWith("qiye", pw["qiye"])
	own := self.Get("/enterprises")
	if loc := own.Header.Get("Location"); loc != "" {
		own = self.Get(loc)
	}
	m := regexp.MustCompile(`action="/enterprises/([0-9]+)/figures"`).FindSubmatch(own.Body)
	if m == nil {
		t.Fatal("the enterprise account's page has no figure form")
	}
	id := string(m[1])
	if r := self.Form("/enterprises/"+id+"/figures", url.Values{"year": {"2022"}, "v_revenue": {"120000"}, "v_rd_spend": {"2000"}}); r.Code >= 400 {
		t.Fatalf("self-report: %d %s", r.Code, r.Body)
	}
	if r := staff.Form("/enterprises/"+id+"/figures/review", url.Values{"indicator": {"rd_spend"}, "year": {"2022"}, "month": {"0"},
		"decision": {"reject"}, "reason": {"与统计局口径不一致，请附审计报告后重新报送"}}); r.Code >= 400 {
		t.Fatalf("reject: %d %s", r.Code, r.Body)
	}
}

// pageWidth opens target and returns "" when the page fits the window, or
// its width and the first elements that stick out.
func pageWidth(t *testing.T, b *webtest.Browser, target string) string {
	t.Helper()
	// The big screen is drawn bare, with no footer.
	b.Do(t, chromedp.Navigate(b.Base+target), chromedp.WaitReady(chromedp.CSS("footer, body.screen")))
	w := b.Eval(t, `String(Math.max(document.documentElement.scrollWidth, document.body.scrollWidth))`)
	if w == fmt.Sprint(phoneWidth) || w == fmt.Sprint(phoneWidth+1) {
		return ""
	}
	return w + " px; " + b.Eval(t, fmt.Sprintf(`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > %d && !e.closest(".scroll")).slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "")).join(", ")`, phoneWidth+1))
}
