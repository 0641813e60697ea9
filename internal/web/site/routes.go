package site

import (
	"io/fs"
	"net/http"

	"gaoxin/internal/org"
)

// registerRoutes lists every route of the product. Each module keeps its own
// routes in routes_<module>.go and is called from here.
func (s *Server) registerRoutes() {
	static, _ := fs.Sub(assets, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	s.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)

	// Shell pages.
	s.handle("GET /{$}", "Home", Public, s.handleHome)
	s.handle("GET /lang", "Switch language", Public, s.handleLang)
	s.handle("GET /login", "Login page", Public, s.handleLoginPage)
	s.handle("POST /login", "Log in", Public, s.handleLoginForm)
	s.handle("POST /logout", "Log out", Public, s.handleLogoutForm)
	s.handle("GET /account", "My account", SignedIn, s.handleAccount)
	s.handle("POST /account/password", "Change password", SignedIn, s.handlePasswordForm)
	s.handle("POST /account/tokens", "Create API token", SignedIn, s.handleTokenForm)
	s.handle("POST /account/tokens/{id}/revoke", "Revoke API token", SignedIn, s.handleTokenRevokeForm)
	admin := Only(org.Admin)
	// Metrics name every route and the pools' state: for operators, read
	// with an admin's API token (Prometheus: authorization credentials).
	s.handle("GET /metrics", "Prometheus metrics (admin)", admin, func(w http.ResponseWriter, r *http.Request) error {
		s.handleMetrics(w, r)
		return nil
	})
	s.handle("GET /admin/users", "Users", admin, s.handleAdminUsers)
	s.handle("POST /admin/users", "Create user", admin, s.handleAdminUserCreate)
	s.handle("POST /admin/users/{id}/disable", "Disable user", admin, s.handleAdminUserDisable(true))
	s.handle("POST /admin/users/{id}/enable", "Enable user", admin, s.handleAdminUserDisable(false))
	s.handle("GET /admin/units", "Units", admin, s.handleAdminUnits)
	s.handle("POST /admin/units", "Create unit", admin, s.handleAdminUnitCreate)
	s.handle("POST /admin/units/{id}/disable", "Disable unit", admin, s.handleAdminUnitDisable(true))
	s.handle("POST /admin/units/{id}/enable", "Enable unit", admin, s.handleAdminUnitDisable(false))
	s.handle("GET /admin/audit", "Audit trail", admin, s.handleAdminAudit)
	s.enterpriseRoutes()

	s.planRoutes()

	// JSON API.
	s.handle("GET /api/v1/openapi.json", "This OpenAPI document", Public, s.handleOpenAPI)
	s.handleBody("POST /api/v1/session", "Log in; sets the session cookie", Public, loginRequest{Username: "leader", Password: "…"}, s.apiLogin)
	s.handle("DELETE /api/v1/session", "Log out", SignedIn, s.apiLogout)
	s.handle("GET /api/v1/me", "The signed-in user", SignedIn, s.apiMe)
	s.handle("GET /api/v1/tokens", "My API tokens", SignedIn, s.apiTokens)
	s.handleBody("POST /api/v1/tokens", "Create an API token", SignedIn, tokenRequest{Name: "nightly import"}, s.apiTokenCreate)
	s.handle("DELETE /api/v1/tokens/{id}", "Revoke an API token", SignedIn, s.apiTokenRevoke)
	s.handleBody("PUT /api/v1/me/password", "Change my password", SignedIn, passwordRequest{Current: "…", New: "…"}, s.apiPassword)
	s.handle("GET /api/v1/users", "List users", admin, s.apiUsers)
	s.handleBody("POST /api/v1/users", "Create a user", admin, userRequest{Username: "zhang.san", Role: "unit", Unit: "jfj", Password: "…"}, s.apiUserCreate)
	s.handleBody("PATCH /api/v1/users/{id}", "Disable or enable a user", admin, disableRequest{Disabled: true}, s.apiUserPatch)
	s.handle("GET /api/v1/units", "List units", SignedIn, s.apiUnits)
	s.handleBody("POST /api/v1/units", "Create a unit", admin, org.Unit{Code: "jfj", NameZH: "经济发展局", NameEN: "Economic Development Bureau", Kind: "内设机构"}, s.apiUnitCreate)
	s.handleBody("PATCH /api/v1/units/{id}", "Disable or enable a unit", admin, disableRequest{Disabled: true}, s.apiUnitPatch)
	s.handle("GET /api/v1/audit", "Audit trail, newest first", admin, s.apiAudit)
	s.handle("GET /api/v1/audit/verify", "Verify the audit hash chain", admin, s.apiAuditVerify)

	s.awardRoutes()
	s.kpiRoutes()
}
