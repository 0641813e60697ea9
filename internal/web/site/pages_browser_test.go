package site_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// mainPages are each module's main pages as each role sees them in the
// demo; a {link:…} entry is the first link matching the pattern on the
// page named before it.
var mainPages = []struct {
	who   string // "" for a visitor
	pages []string
}{
	{"", []string{"/login", "/", "/awards", "{link:/notices/[0-9]+}", "/scenarios", "{link:/scenarios/[0-9]+}", "/scenarios?state=closed",
		"{link:/scenarios/[0-9]+}", "/scenarios/receipt"}},
	{"leader", []string{"/", "/kpi", "{link:/kpi/indicators/[0-9]+}", "/plan", "{link:/plan/nodes/[0-9]+}", "/plan/flags", "/plan/ranking",
		"{link:/plan/bulletin[?]}", "/plan/chases", "/enterprises", "{link:/enterprises/[0-9]+}", "/awards", "{link:/awards/programmes/[0-9]+}",
		"/awards/totals"}},
	{"supervisor", []string{"/", "/inbox", "/kpi/manage", "/awards/new", "/awards/flags", "/enterprises/import", "/plan/settings",
		"/scenarios/review", "{link:/scenarios/[0-9]+}", "/scenarios?state=closed", "{link:/scenarios/[0-9]+}", "{link:/scenarios/[0-9]+/evaluation}",
		"/scenarios/receipt", "/scenarios/import", "/scenarios?state=published", "{link:/scenarios/[0-9]+}", "{link:/scenarios/[0-9]+/matches}"}},
	{"jfj", []string{"/", "/plan/mine", "/plan/bulletin", "{link:/plan/nodes/[0-9]+}", "{link:/plan/reports/[0-9]+}", "/kpi", "/scenarios/mine", "/scenarios/new"}},
	{"qiye", []string{"/", "/enterprises", "{link:/enterprises/[0-9]+}", "/awards", "{link:/awards/programmes/[0-9]+}",
		"/scenarios/mine", "{link:/scenario-bids/[0-9]+}", "/scenarios", "{link:/scenarios/[0-9]+}", "{link:/scenarios/[0-9]+/bid}", "/scenarios/inbox"}},
	{"zhuanjia1", []string{"/", "/awards/reviews", "{link:/awards/assignments/[0-9]+}", "/scenario-reviews", "{link:/scenario-reviews/[0-9]+}"}},
	{"admin", []string{"/admin/users", "/admin/units", "/admin/audit", "/account"}},
	{"supervisor", []string{"/finance", "/finance/institutions/review", "/finance/institutions", "/finance/institutions/new", "/finance/needs",
		"{link:/finance/needs/[0-9]+}", "{link:/finance/needs/[0-9]+/matching}", "{link:/finance/matches/[0-9]+}", "/finance/institutions?kind=gov_fund",
		"{link:/finance/institutions/[0-9]+}", "{link:/finance/funds/[0-9]+}", "/finance/roadshows", "{link:/finance/roadshows/[0-9]+}",
		"/finance/overview?year=2023"}},
	{"qiye", []string{"/finance", "/finance/needs", "/finance/needs/new"}},
	{"leader", []string{"/insight", "{link:/insight/chains/[a-z_]+}", "/insight/breakdown", "/insight/pipeline", "/insight/warnings",
		"{link:/insight/warnings/[0-9]+}", "/insight/rules", "/insight/sources", "/insight/conflicts", "/insight/public"}},
	{"supervisor", []string{"/insight/mu"}},
	{"qiye", []string{"/insight/me"}},
	{"touzi", []string{"/finance", "/finance/dashboard", "{link:/finance/matches/[0-9]+}", "{link:/finance/needs/[0-9]+}", "/finance/institutions",
		"/finance/roadshows", "{link:/finance/roadshows/[0-9]+}"}},
}

// TestBrowserPagesFitPhonesAndPassAxe opens every module's main pages, as
// every role, in a 390 px wide window: the page body never scrolls
// sideways (wide tables scroll in their own box), and axe-core finds no
// serious or critical WCAG 2.1 A/AA violation. Screenshots go to
// GAOXIN_SCREENSHOTS.
func TestBrowserPagesFitPhonesAndPassAxe(t *testing.T) {
	h, pw := newDemoHarness(t)
	axe := webtest.AxeScript(t)
	b := webtest.NewBrowser(t, h)
	b.Do(t, chromedp.EmulateViewport(390, 844))
	linkOf := map[string]*regexp.Regexp{}
	for _, set := range mainPages {
		if set.who != "" {
			b.LoginWith(t, set.who, pw[set.who])
		}
		c := h.Anon()
		if set.who != "" {
			c = h.AsWith(set.who, pw[set.who])
		}
		prev := "/"
		for _, p := range set.pages {
			if pat, ok := strings.CutPrefix(p, "{link:"); ok {
				pat = strings.TrimSuffix(pat, "}")
				if linkOf[pat] == nil {
					linkOf[pat] = regexp.MustCompile(`href="(` + pat + `[^"#]*)"`)
				}
				m := linkOf[pat].FindSubmatch(c.Get(prev).Body)
				if m == nil {
					t.Errorf("%s: %s links no %s", set.who, prev, pat)
					continue
				}
				p = html.UnescapeString(string(m[1]))
			}
			prev = p
			b.Do(t, chromedp.Navigate(b.Base+p), chromedp.WaitReady(chromedp.CSS("footer")))
			name := strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(strings.TrimPrefix(p, "/"))
			b.Screenshot(t, fmt.Sprintf("390-%s-%s", or(set.who, "visitor"), or(name, "home")))
			if w := b.Eval(t, `String(Math.max(document.documentElement.scrollWidth, document.body.scrollWidth))`); w != "390" {
				wide := b.Eval(t, `Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > 391 && !e.closest(".scroll, table")).slice(0, 3).map(e => e.tagName + "." + e.className).join(", ")`)
				t.Errorf("%s %s: page is %s px wide at 390 (%s)", or(set.who, "visitor"), p, w, wide)
			}
			for _, v := range b.Axe(t, axe) {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s %s: %s", or(set.who, "visitor"), p, v)
				}
			}
		}
		if set.who != "" {
			b.Logout(t)
		}
	}
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
