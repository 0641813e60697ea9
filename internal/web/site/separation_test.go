package site_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/org"
	"gaoxin/internal/web/webtest"
)

// TestThreeAdministratorsSeparated: with the three administrators
// separated (等保 三员分立) the administrator keeps accounts and units but
// can no longer read the audit trail or disable accounts; the audit
// administrator alone reads, exports and verifies the trail, the security
// administrator alone disables and enables accounts, and neither can do
// the other's work or create accounts. Without the separation the
// administrator does all three.
func TestThreeAdministratorsSeparated(t *testing.T) {
	h := webtest.New(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, nu := range []org.NewUser{{Username: "anquan", Role: org.SecAdmin}, {Username: "shenji", Role: org.Auditor}} {
		nu.Password = webtest.Password
		if _, err := h.App.Org.CreateUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	victim, err := h.App.Org.UserByUsername(ctx, "reviewer")
	if err != nil {
		t.Fatal(err)
	}
	disable := "/admin/users/" + strconv.FormatInt(victim.ID, 10) + "/disable"
	admin, sec, aud := h.As("admin"), h.As("anquan"), h.As("shenji")
	want := func(who string, c *webtest.Client, method, path string, code int) {
		t.Helper()
		var r *webtest.Resp
		if method == "GET" {
			r = c.Get(path)
		} else {
			r = c.Form(path, url.Values{})
		}
		if r.Code != code {
			t.Errorf("%s %s %s = %d, want %d: %.200s", who, method, path, r.Code, code, r.Body)
		}
	}
	// Together: the administrator does all; the other two their own.
	want("admin", admin, "GET", "/admin/audit", http.StatusOK)
	want("shenji", aud, "GET", "/admin/audit", http.StatusOK)
	want("shenji", aud, "GET", "/admin/users", http.StatusForbidden)
	want("anquan", sec, "GET", "/admin/audit", http.StatusForbidden)
	want("anquan", sec, "POST", "/admin/users", http.StatusForbidden)

	h.Srv.Cfg.SeparateAdmins = true
	want("admin", admin, "GET", "/admin/audit", http.StatusForbidden)
	want("admin", admin, "GET", "/api/v1/audit", http.StatusForbidden)
	want("admin", admin, "GET", "/api/v1/audit/verify", http.StatusForbidden)
	want("admin", admin, "POST", disable, http.StatusForbidden)
	if r := admin.Get("/admin/audit"); !strings.Contains(string(r.Body), "审计管理员") {
		t.Errorf("the refusal does not name whose work it is: %.300s", r.Body)
	}
	page := string(admin.Get("/admin/users").Body)
	if strings.Contains(page, `href="/admin/audit"`) || strings.Contains(page, "/disable\"") {
		t.Error("the administrator's page still offers the audit trail or the disable buttons")
	}
	if !strings.Contains(page, `action="/admin/users"`) {
		t.Error("the administrator lost the form that creates accounts")
	}
	want("shenji", aud, "GET", "/admin/audit", http.StatusOK)
	want("shenji", aud, "GET", "/admin/audit/export", http.StatusOK)
	want("shenji", aud, "GET", "/api/v1/audit/verify", http.StatusOK)
	want("shenji", aud, "POST", disable, http.StatusForbidden)
	want("anquan", sec, "GET", "/admin/audit", http.StatusForbidden)
	want("anquan", sec, "POST", "/admin/users", http.StatusForbidden)
	secPage := string(sec.Get("/admin/users").Body)
	if strings.Contains(secPage, `action="/admin/users"`) || !strings.Contains(secPage, disable) {
		t.Error("the security administrator's page: a create form, or no disable buttons")
	}
	want("anquan", sec, "POST", disable, http.StatusSeeOther)
	if u, _ := h.App.Org.UserByUsername(ctx, "reviewer"); !u.Disabled {
		t.Error("the security administrator's disable did not take")
	}
	// Who did what stays on the record for the audit administrator.
	var trail struct {
		Rows []struct {
			Action    string
			ActorName string `json:"actor_name"`
		}
	}
	aud.Get("/api/v1/audit?action=user").JSON(t, &trail)
	var seen bool
	for _, r := range trail.Rows {
		seen = seen || r.ActorName == "anquan"
	}
	if !seen {
		t.Errorf("the audit administrator does not see the security administrator's work: %+v", trail.Rows)
	}
}
