package site_test

import (
	"net/http"
	"testing"

	"gaoxin/internal/web/webtest"
)

// TestFoundationAccess walks every foundation endpoint with every role: the
// allowed roles get through, anonymous callers get 401 and other roles 403.
func TestFoundationAccess(t *testing.T) {
	h := webtest.New(t)
	all := []string{"admin", "leader", "supervisor", "unit", "enterprise", "reviewer"}
	cases := []struct {
		method, path string
		allowed      []string // nil: every signed-in role
	}{
		{"GET", "/api/v1/me", nil},
		{"GET", "/api/v1/tokens", nil},
		{"GET", "/api/v1/units", nil},
		{"GET", "/account", nil},
		{"GET", "/api/v1/users", []string{"admin"}},
		{"GET", "/api/v1/audit", []string{"admin"}},
		{"GET", "/api/v1/audit/verify", []string{"admin"}},
		{"GET", "/admin/users", []string{"admin"}},
		{"GET", "/admin/units", []string{"admin"}},
		{"GET", "/admin/audit", []string{"admin"}},
	}
	clients := map[string]*webtest.Client{}
	for _, u := range all {
		clients[u] = h.As(u)
	}
	for _, tc := range cases {
		if r := h.Anon().Do(tc.method, tc.path, nil); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous %s %s = %d, want 401 (or login redirect)", tc.method, tc.path, r.Code)
		}
		for _, u := range all {
			ok := tc.allowed == nil
			for _, a := range tc.allowed {
				ok = ok || a == u
			}
			r := clients[u].Do(tc.method, tc.path, nil)
			if ok && r.Code != http.StatusOK {
				t.Errorf("%s %s %s = %d, want 200: %s", u, tc.method, tc.path, r.Code, r.Body)
			}
			if !ok && r.Code != http.StatusForbidden {
				t.Errorf("%s %s %s = %d, want 403", u, tc.method, tc.path, r.Code)
			}
		}
	}
}

func TestUnitUserCannotCallAdminWrites(t *testing.T) {
	h := webtest.New(t)
	c := h.As("unit")
	r := c.Do("POST", "/api/v1/users", map[string]string{"username": "evil", "role": "admin", "password": "long-enough-password"})
	if r.Code != http.StatusForbidden || r.ErrCode() != "forbidden" {
		t.Fatalf("unit creating a user: %d %s", r.Code, r.Body)
	}
	if _, err := h.App.Org.UserByUsername(t.Context(), "evil"); err == nil {
		t.Fatal("refused request still created the user")
	}
	counts, _ := h.App.Audit.Refusals(t.Context(), 0, 10)
	if len(counts) != 1 || counts[0].Code != "forbidden" || counts[0].Count != 1 || counts[0].LastPath != "POST /api/v1/users" {
		t.Fatalf("refusal not counted: %+v", counts)
	}
}
