package site_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gaoxin/internal/org"
	"gaoxin/internal/web/site"
	"gaoxin/internal/web/webtest"
)

// Every route of every module, from the assembled route table: a caller
// not signed in gets 401 (or, for a page, the login redirect) on every
// route that is not public, and each role the route's rule leaves out gets
// 403. The modules' own access tests check that the allowed roles get
// through.
func TestEveryRouteRefusesWhomItsRuleLeavesOut(t *testing.T) {
	h := webtest.New(t)
	users := map[org.Role]string{org.Admin: "admin", org.Leader: "leader", org.Supervisor: "supervisor",
		org.UnitStaff: "unit", org.Enterprise: "enterprise", org.Reviewer: "reviewer"}
	clients := map[org.Role]*webtest.Client{}
	for role, name := range users {
		clients[role] = h.As(name)
	}
	anon := h.Anon()
	path := func(p string) string {
		p = strings.NewReplacer("{$}", "", "{id}", "999999").Replace(p)
		return site.PathParam.ReplaceAllString(p, "1")
	}
	send := func(c *webtest.Client, method, p string) *webtest.Resp {
		req := httptest.NewRequest(method, p, strings.NewReader("{}"))
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return c.Send(req)
	}
	routes := h.Srv.Routes()
	if len(routes) < 150 {
		t.Fatalf("only %d routes: a module is missing from the assembly", len(routes))
	}
	for _, rt := range routes {
		if rt.Access.IsPublic() {
			continue
		}
		p := path(rt.Path)
		if r := send(anon, rt.Method, p); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous %s %s = %d, want 401 or the login redirect", rt.Method, rt.Path, r.Code)
		}
		allowed := rt.Access.Roles()
		if len(allowed) == 0 {
			continue
		}
		for role, c := range clients {
			in := false
			for _, a := range allowed {
				in = in || a == role
			}
			if in {
				continue
			}
			if r := send(c, rt.Method, p); r.Code != http.StatusForbidden {
				t.Errorf("%s %s %s = %d, want 403", role, rt.Method, rt.Path, r.Code)
			}
		}
	}
}

// Every JSON answer is kept out of caches, whatever its status: each GET
// route of the API, asked by each role, and the refusals among them.
func TestEveryJSONAnswerIsNoStore(t *testing.T) {
	h := webtest.New(t)
	path := func(p string) string {
		p = strings.NewReplacer("{$}", "", "{id}", "1").Replace(p)
		return site.PathParam.ReplaceAllString(p, "1")
	}
	var asked int
	for _, name := range []string{"", "admin", "supervisor", "unit", "enterprise"} {
		c := h.Anon()
		if name != "" {
			c = h.As(name)
		}
		for _, rt := range h.Srv.Routes() {
			if rt.Method != http.MethodGet || !strings.HasPrefix(rt.Path, "/api/") {
				continue
			}
			r := c.Get(path(rt.Path))
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				continue
			}
			asked++
			if got := r.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s GET %s = %d with Cache-Control %q, want no-store", name, rt.Path, r.Code, got)
			}
		}
	}
	if asked < 100 {
		t.Fatalf("only %d JSON answers checked", asked)
	}
}
