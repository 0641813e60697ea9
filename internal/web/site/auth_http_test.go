package site_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
	"gaoxin/internal/web/webtest"
)

func TestCSRFRefusesCrossSiteCookiePost(t *testing.T) {
	h := webtest.New(t)
	c := h.As("admin")
	vals := url.Values{"code": {"evil"}, "name_zh": {"跨站"}, "kind": {"内设机构"}}
	req := httptest.NewRequest("POST", "/admin/units", strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.Send(req); r.Code != http.StatusForbidden {
		t.Fatalf("cross-site form post: %d", r.Code)
	}
	req = httptest.NewRequest("POST", "/api/v1/units", strings.NewReader(`{"code":"evil2","name_zh":"跨站","kind":"内设机构"}`))
	req.Header.Set("Origin", "https://attacker.example")
	req.Host = "gaoxin.example"
	if r := c.Send(req); r.Code != http.StatusForbidden {
		t.Fatalf("cross-origin JSON post: %d", r.Code)
	}
	if _, err := h.App.Org.UnitByCode(t.Context(), "evil"); err == nil {
		t.Fatal("cross-site request created a unit")
	}
	// the same post from the same site goes through
	if r := c.Form("/admin/units", vals); r.Code != http.StatusSeeOther {
		t.Fatalf("same-site form post: %d %s", r.Code, r.Body)
	}
}

func TestSessionCookieFlagsAndLogout(t *testing.T) {
	h := webtest.New(t)
	r := h.Anon().Do("POST", "/api/v1/session", map[string]string{"username": "unit", "password": webtest.Password})
	sc := r.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", web.SessionCookie + "="} {
		if !strings.Contains(sc, want) {
			t.Errorf("session cookie lacks %s: %s", want, sc)
		}
	}
	c := h.As("unit")
	if r := c.Do("DELETE", "/api/v1/session", nil); r.Code != http.StatusNoContent {
		t.Fatalf("logout: %d", r.Code)
	}
	if r := c.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("revoked session still works: %d", r.Code)
	}
}

func TestBearerTokenAndRevocation(t *testing.T) {
	h := webtest.New(t)
	c := h.As("supervisor")
	var created struct {
		Token string
		Info  struct{ ID int64 }
	}
	r := c.Do("POST", "/api/v1/tokens", map[string]string{"name": "script"})
	r.JSON(t, &created)
	if r.Code != http.StatusCreated || !strings.HasPrefix(created.Token, "gx_") {
		t.Fatalf("create token: %d %s", r.Code, r.Body)
	}
	script := &webtest.Client{H: h, IP: "192.0.2.9", Bearer: created.Token}
	var me struct{ Username string }
	script.Get("/api/v1/me").JSON(t, &me)
	if me.Username != "supervisor" {
		t.Fatalf("token user = %q", me.Username)
	}
	// tokens carry the role: a supervisor token cannot do admin work
	if r := script.Get("/api/v1/users"); r.Code != http.StatusForbidden {
		t.Fatalf("supervisor token on admin endpoint: %d", r.Code)
	}
	if r := c.Do("DELETE", "/api/v1/tokens/"+itoa(created.Info.ID), nil); r.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d", r.Code)
	}
	if r := script.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", r.Code)
	}
	// another user cannot revoke someone else's token
	r = c.Do("POST", "/api/v1/tokens", map[string]string{"name": "second"})
	r.JSON(t, &created)
	if r := h.As("unit").Do("DELETE", "/api/v1/tokens/"+itoa(created.Info.ID), nil); r.Code != http.StatusNotFound {
		t.Fatalf("revoking another user's token: %d", r.Code)
	}
	bad := &webtest.Client{H: h, IP: "192.0.2.9", Bearer: "gx_not-a-real-token"}
	if r := bad.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("forged token: %d", r.Code)
	}
}

func TestOpenAPIMatchesRouter(t *testing.T) {
	h := webtest.New(t)
	r := h.Anon().Get("/api/v1/openapi.json")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.JSON(t, &doc)
	if doc.OpenAPI == "" || len(doc.Paths) == 0 {
		t.Fatalf("no document: %s", r.Body)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+path] = true
		}
	}
	for _, rt := range h.Srv.Routes() {
		if rt.API && !documented[rt.Method+" "+rt.Path] {
			t.Errorf("route %s %s is not in openapi.json", rt.Method, rt.Path)
		}
		delete(documented, rt.Method+" "+rt.Path)
	}
	for op := range documented {
		t.Errorf("openapi.json documents %s, which the router does not serve", op)
	}
	// every documented operation is answered by a handler, not the mux's 404/405
	admin := h.As("admin")
	for path, ops := range doc.Paths {
		for m := range ops {
			p := strings.NewReplacer("{id}", "999999").Replace(path)
			p = site.PathParam.ReplaceAllString(p, "x")
			req := httptest.NewRequest(strings.ToUpper(m), p, strings.NewReader("{}"))
			res := admin.Send(req)
			if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") && res.Code != http.StatusNoContent && !strings.Contains(ct, "spreadsheet") && !strings.Contains(ct, "html") {
				t.Errorf("%s %s answered by no handler: %d %s", m, p, res.Code, ct)
			}
		}
	}
}

func TestLanguageSwitchRemembered(t *testing.T) {
	h := webtest.New(t)
	c := h.Anon()
	if r := c.Get("/login"); !strings.Contains(string(r.Body), "用户名") {
		t.Fatal("default page is not Chinese")
	}
	r := c.Get("/lang?to=en&back=/login")
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %s", r.Code, r.Header.Get("Location"))
	}
	cookie := (&http.Response{Header: r.Header}).Cookies()[0]
	req := httptest.NewRequest("GET", "/login", nil)
	req.AddCookie(cookie)
	if r := c.Send(req); !strings.Contains(string(r.Body), "Username") {
		t.Fatal("switch to English not remembered")
	}
	// an open redirect is refused
	if r := c.Get("/lang?to=en&back=//evil.example/"); r.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %s", r.Header.Get("Location"))
	}
	req = httptest.NewRequest("GET", "/login", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	if r := c.Send(req); !strings.Contains(string(r.Body), "Username") {
		t.Fatal("Accept-Language en not honoured")
	}
}

func TestAdminCreatesUserThroughFormAndBadInputNamesField(t *testing.T) {
	h := webtest.New(t)
	c := h.As("admin")
	r := c.Form("/admin/users", url.Values{"username": {"li.si"}, "role": {"unit"}, "unit": {"jfj"}, "password": {"short"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "密码至少 12 个字符") {
		t.Fatalf("short password: %d", r.Code)
	}
	if _, err := h.App.Org.UserByUsername(t.Context(), "li.si"); err == nil {
		t.Fatal("refused form created the user")
	}
	r = c.Form("/admin/users", url.Values{"username": {"li.si"}, "role": {"unit"}, "unit": {"jfj"}, "password": {webtest.Password}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Code, r.Body)
	}
	r = c.Do("POST", "/api/v1/users", map[string]string{"username": "li.si", "role": "unit", "unit": "jfj", "password": "a-long-enough-one"})
	var e struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	r.JSON(t, &e)
	if r.Code != http.StatusBadRequest || e.Error.Field != "username" {
		t.Fatalf("duplicate username: %d %s", r.Code, r.Body)
	}
	r = c.Do("POST", "/api/v1/users", map[string]any{"username": 5})
	if r.Code != http.StatusBadRequest {
		t.Fatalf("wrong JSON type: %d", r.Code)
	}
	// the new user can log in
	if u := h.As("li.si"); u == nil {
		t.Fatal("no client")
	}
}

func TestAuditVerifyEndpointFindsTampering(t *testing.T) {
	h := webtest.New(t)
	c := h.As("admin")
	var v struct {
		OK         bool  `json:"ok"`
		FirstBadID int64 `json:"first_bad_id"`
	}
	c.Get("/api/v1/audit/verify").JSON(t, &v)
	if !v.OK {
		t.Fatal("fresh chain not ok")
	}
	dbtest.DropAuditGuard(t, h.App.DB)
	if _, err := h.App.DB.W.Exec("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	c.Get("/api/v1/audit/verify").JSON(t, &v)
	if v.OK || v.FirstBadID != 2 {
		t.Fatalf("tampered chain: %+v", v)
	}
	if r := c.Get("/admin/audit?verify=1"); !strings.Contains(string(r.Body), "哈希链校验失败") {
		t.Fatal("audit page does not show the broken chain")
	}
}

func TestOpsEndpoints(t *testing.T) {
	h := webtest.New(t)
	c := h.Anon()
	c.Get("/api/v1/me")
	if r := c.Get("/readyz"); r.Code != http.StatusOK {
		t.Fatalf("readyz: %d %s", r.Code, r.Body)
	}
	if r := c.Get("/metrics"); r.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous /metrics: %d", r.Code)
	}
	if r := h.As("leader").Get("/metrics"); r.Code != http.StatusForbidden {
		t.Fatalf("leader /metrics: %d", r.Code)
	}
	r := h.As("admin").Get("/metrics")
	for _, want := range []string{`gaoxin_http_requests_total{route="GET /api/v1/me",status="401"} 1`, "gaoxin_http_request_duration_seconds_bucket", `gaoxin_db_connections_idle{pool="read"}`} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if _, err := h.App.DB.W.Exec("DELETE FROM schema_migrations WHERE version = 1"); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/readyz"); r.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a pending migration: %d", r.Code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSecureCookieBehindTLS(t *testing.T) {
	h := webtest.New(t)
	h.Srv.Cfg.SecureCookies = true
	r := h.Anon().Do("POST", "/api/v1/session", map[string]string{"username": "unit", "password": webtest.Password})
	if sc := r.Header.Get("Set-Cookie"); !strings.Contains(sc, "; Secure") {
		t.Fatalf("cookie not Secure with --secure-cookies: %s", sc)
	}
}
