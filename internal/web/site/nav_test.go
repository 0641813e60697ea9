package site_test

import (
	"net/http"
	"strings"
	"testing"

	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// mainNav is the main navigation of a page.
func mainNav(t *testing.T, body []byte) string {
	t.Helper()
	s := string(body)
	i := strings.Index(s, `<nav class="main"`)
	if i < 0 {
		t.Fatalf("no main navigation in %s", s)
	}
	j := strings.Index(s[i:], "</nav>")
	return s[i : i+j+len("</nav>")]
}

// The main navigation shows each role its modules, marks the module of
// the page as the current one (class and aria-current) and speaks the
// page's language. (A module still to come would show as words without a
// link; none is left.)
func TestMainNavigation(t *testing.T) {
	h := webtest.New(t)
	leader := h.As("leader")
	nav := mainNav(t, leader.Get("/enterprises").Body)
	want := `<nav class="main" aria-label="主导航">
    <a href="/">首页</a><a href="/kpi">目标指标</a><a href="/plan">督查督办</a><a href="/enterprises" class="active" aria-current="page">企业库</a><a href="/awards">评优奖补</a><a href="/scenarios">场景机会</a>` +
		`<a href="/insight">产业大脑</a><a href="/finance">科技金融</a>
  </nav>`
	if nav != want {
		t.Errorf("leader on /enterprises:\n got %s\nwant %s", nav, want)
	}
	// A page below a module marks that module; home is current only at /.
	for path, current := range map[string]string{"/kpi/overdue": "/kpi", "/plan/flags": "/plan", "/awards/totals": "/awards", "/insight/breakdown": "/insight", "/": "/"} {
		nav := mainNav(t, leader.Get(path).Body)
		if strings.Count(nav, `aria-current="page"`) != 1 || !strings.Contains(nav, `<a href="`+current+`" class="active" aria-current="page">`) {
			t.Errorf("%s: current module is not %s: %s", path, current, nav)
		}
	}
	// The administrator also sees administration; the public sees home and
	// awards only, and no module is current on the login page.
	if nav := mainNav(t, h.As("admin").Get("/admin/audit").Body); !strings.Contains(nav, `<a href="/admin/users" class="active" aria-current="page">系统管理</a>`) {
		t.Errorf("admin on /admin/audit: %s", nav)
	}
	anon := mainNav(t, h.Anon().Get("/login").Body)
	if strings.Contains(anon, "/kpi") || strings.Contains(anon, "/enterprises") || strings.Contains(anon, "aria-current") || !strings.Contains(anon, `<a href="/awards">评优奖补</a>`) {
		t.Errorf("public navigation: %s", anon)
	}
	// In English.
	leader.Header = http.Header{"Cookie": {web.SessionCookie + "=" + leader.Cookie + "; " + web.LangCookie + "=en"}}
	en := mainNav(t, leader.Get("/kpi").Body)
	for _, w := range []string{`aria-label="Main"`, `<a href="/kpi" class="active" aria-current="page">Targets</a>`, `<a href="/insight">Industry brain</a>`, `<a href="/finance">Tech finance</a>`} {
		if !strings.Contains(en, w) {
			t.Errorf("English navigation lacks %s: %s", w, en)
		}
	}
}
