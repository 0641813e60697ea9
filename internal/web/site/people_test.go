package site_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"
)

// A page names the people behind a change, a report or a value by their
// names, not by their login names: the plan's report history and progress
// override, the targets' figures, the registry's values and change log,
// the self-reported values to confirm and a programme's trail. The demo's
// own records read as loaded by the demo, not by "demo".
func TestPagesNamePeopleNotLogins(t *testing.T) {
	h, pw := newDemoHarness(t)
	leader := h.AsWith("leader", pw["leader"])
	staff := h.AsWith("supervisor", pw["supervisor"])
	self := h.AsWith("qiye", pw["qiye"])
	// A login name alone in a cell, or after a separator.
	login := regexp.MustCompile(`<td>(supervisor|leader|czj|jfj|kcj|qiye|demo)</td>|· (demo|supervisor)<|>(qiye|supervisor) 20[0-9]{2}-`)
	check := func(name, page string, want ...string) {
		t.Helper()
		if m := login.FindString(page); m != "" {
			t.Errorf("%s shows a login name: %s", name, m)
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s does not show %q", name, w)
			}
		}
	}

	task := firstTaskWithHistory(t, leader)
	check("the task page", task, "督查室 李（演示）")

	ind := firstLink(t, leader, "/kpi?year=2023", `/kpi/indicators/[0-9]+\?year=2023`)
	check("the indicator page", string(leader.Get(ind).Body), "演示数据载入")

	own := self.Get("/enterprises")
	if loc := own.Header.Get("Location"); loc != "" {
		own = self.Get(loc)
	}
	id := regexp.MustCompile(`action="/enterprises/([0-9]+)/figures"`).FindStringSubmatch(string(own.Body))
	if id == nil {
		t.Fatal("the enterprise account's page has no figure form")
	}
	if r := self.Form("/enterprises/"+id[1]+"/figures", url.Values{"year": {"2022"}, "v_revenue": {"120000"}}); r.Code >= 400 {
		t.Fatalf("self-report: %d %s", r.Code, r.Body)
	}
	check("the pending values", string(staff.Get("/enterprises/pending").Body), "演示企业000001 账号（演示）")
	check("the enterprise page", string(staff.Get("/enterprises/"+id[1]+"?figures=all").Body), "演示企业000001 账号（演示）", "演示数据载入")

	prog := firstLink(t, staff, "/awards", `/awards/programmes/[0-9]+`)
	page := string(staff.Get(prog).Body)
	if strings.Contains(page, "审计记录") {
		check("the programme page", page, "督查室 李（演示）")
	}
}

// firstTaskWithHistory is the page of the first task of the 2023 plan that
// has a report history.
func firstTaskWithHistory(t *testing.T, c *webtest.Client) string {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="(/plan/nodes/[0-9]+)"`).FindAllStringSubmatch(string(c.Get("/plan?year=2023&expand=all").Body), -1) {
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		if page := string(c.Get(m[1]).Body); strings.Contains(page, "采纳") && strings.Contains(page, "报告记录") {
			return page
		}
	}
	t.Fatal("no task of the 2023 plan has an accepted report")
	return ""
}

// firstLink is the first link on page matching pattern.
func firstLink(t *testing.T, c *webtest.Client, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(` + pattern + `)"`).FindStringSubmatch(string(c.Get(page).Body))
	if m == nil {
		t.Fatalf("%s links no %s", page, pattern)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}
