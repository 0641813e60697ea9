package site

import (
	"io/fs"
	"net/http"

	"gaoxin/internal/web"

	"gaoxin/internal/org"
)

// routes lists the routes of the site itself: home, login, language,
// account, administration, metrics, health, static files and the API's
// foundation. Each module lists its own in its package's routes.go.
func (s *handlers) routes() {
	static, _ := fs.Sub(assets, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	s.HandleOutside("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	s.HandleOutside("GET /healthz", http.HandlerFunc(s.handleHealthz))
	s.HandleOutside("GET /readyz", http.HandlerFunc(s.handleReadyz))

	// Shell pages.
	s.Handle("GET /{$}", "Home", web.Public, s.handleHome)
	s.Handle("GET /lang", "Switch language", web.Public, s.handleLang)
	s.Handle("GET /login", "Login page", web.Public, s.handleLoginPage)
	s.Handle("POST /login", "Log in", web.Public, s.handleLoginForm)
	s.Handle("POST /logout", "Log out", web.Public, s.handleLogoutForm)
	s.Handle("GET /account", "My account", web.SignedIn, s.handleAccount)
	s.Handle("POST /account/password", "Change password", web.SignedIn, s.handlePasswordForm)
	s.Handle("POST /account/tokens", "Create API token", web.SignedIn, s.handleTokenForm)
	s.Handle("POST /account/tokens/{id}/revoke", "Revoke API token", web.SignedIn, s.handleTokenRevokeForm)
	admin := web.Only(org.Admin)
	// The security and audit duties: the administrator's too, unless the
	// three administrators are separated (Config.SeparateAdmins).
	security := web.Only(org.Admin, org.SecAdmin).Duty("security")
	auditing := web.Only(org.Admin, org.Auditor).Duty("audit")
	// The account list: the administrator and the security administrator.
	people := web.Only(org.Admin, org.SecAdmin)
	// Metrics name every route and the pools' state: for operators, read
	// with an admin's API token (Prometheus: authorization credentials).
	s.Handle("GET /metrics", "Prometheus metrics (admin)", admin, s.MetricsHandler())
	s.Handle("GET /admin/users", "Users", people, s.handleAdminUsers)
	s.Handle("POST /admin/users", "Create user", admin, s.handleAdminUserCreate)
	s.Handle("POST /admin/users/{id}/disable", "Disable user", security, s.handleAdminUserDisable(true))
	s.Handle("POST /admin/users/{id}/enable", "Enable user", security, s.handleAdminUserDisable(false))
	s.Handle("GET /admin/units", "Units", admin, s.handleAdminUnits)
	s.Handle("POST /admin/units", "Create unit", admin, s.handleAdminUnitCreate)
	s.Handle("POST /admin/units/{id}/disable", "Disable unit", admin, s.handleAdminUnitDisable(true))
	s.Handle("POST /admin/units/{id}/enable", "Enable unit", admin, s.handleAdminUnitDisable(false))
	s.Handle("POST /admin/units/{id}/scope", "Set a unit's registry scope", admin, s.handleAdminUnitScope)
	s.Handle("GET /admin/audit", "Audit trail", auditing, s.handleAdminAudit)
	s.Handle("GET /admin/audit/export", "Audit trail as .xlsx (same filters)", auditing, s.handleAdminAuditExport)
	// JSON API.
	s.Handle("GET /api/v1/openapi.json", "This OpenAPI document", web.Public, s.handleOpenAPI)
	s.HandleBody("POST /api/v1/session", "Log in; sets the session cookie", web.Public, loginRequest{Username: "leader", Password: "…"}, s.apiLogin)
	s.Handle("DELETE /api/v1/session", "Log out", web.SignedIn, s.apiLogout)
	s.Handle("GET /api/v1/me", "The signed-in user", web.SignedIn, s.apiMe)
	s.Handle("GET /api/v1/tokens", "My API tokens", web.SignedIn, s.apiTokens)
	s.HandleBody("POST /api/v1/tokens", "Create an API token", web.SignedIn, tokenRequest{Name: "nightly import"}, s.apiTokenCreate)
	s.Handle("DELETE /api/v1/tokens/{id}", "Revoke an API token", web.SignedIn, s.apiTokenRevoke)
	s.HandleBody("PUT /api/v1/me/password", "Change my password", web.SignedIn, passwordRequest{Current: "…", New: "…"}, s.apiPassword)
	s.Handle("GET /api/v1/users", "List users", people, s.apiUsers)
	s.HandleBody("POST /api/v1/users", "Create a user", admin, userRequest{Username: "zhang.san", Role: "unit", Unit: "jfj", Password: "…"}, s.apiUserCreate)
	s.HandleBody("PATCH /api/v1/users/{id}", "Disable or enable a user", security, disableRequest{Disabled: true}, s.apiUserPatch)
	s.Handle("GET /api/v1/units", "List units", web.SignedIn, s.apiUnits)
	s.HandleBody("POST /api/v1/units", "Create a unit", admin, org.Unit{Code: "jfj", NameZH: "经济发展局", NameEN: "Economic Development Bureau", Kind: "内设机构"}, s.apiUnitCreate)
	s.HandleBody("PATCH /api/v1/units/{id}", "Disable or enable a unit", admin, disableRequest{Disabled: true}, s.apiUnitPatch)
	s.Handle("GET /api/v1/audit", "Audit trail, newest first, told in words (filters: actor, object_type, object_id, action, from, to, before, limit)", auditing, s.apiAudit)
	s.Handle("GET /api/v1/audit/refusals", "Refused requests counted per source and minute, last 24 h", auditing, s.apiAuditRefusals)
	s.Handle("GET /api/v1/audit/verify", "Verify the audit hash chain", auditing, s.apiAuditVerify)

}
