package site_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"
)

// login posts a JSON sign-in from the client's address.
func login(c *webtest.Client, user, pw string) *webtest.Resp {
	return c.Do("POST", "/api/v1/session", map[string]string{"username": user, "password": pw})
}

// TestLockedAndUnknownAnswerAlike: after five failures the account is
// locked from that address, and the answer is the same, status and
// message, as for an account that does not exist; from another address
// the administrator still signs in. Today's code answered 423 "locked"
// (telling an attacker the account exists) and locked the account from
// everywhere.
func TestLockedAndUnknownAnswerAlike(t *testing.T) {
	h := webtest.New(t)
	attacker := h.Anon()
	attacker.IP = "198.51.100.7"
	for i := 0; i < 5; i++ {
		if r := login(attacker, "admin", "wrong-password!"); r.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, r.Code, r.Body)
		}
	}
	locked := login(attacker, "admin", webtest.Password)
	unknown := login(attacker, "no-such-account", "wrong-password!")
	if locked.Code != http.StatusUnauthorized || locked.Code != unknown.Code || !bytes.Equal(locked.Body, unknown.Body) {
		t.Fatalf("locked: %d %s\nunknown: %d %s", locked.Code, locked.Body, unknown.Code, unknown.Body)
	}
	if locked.Header.Get("Retry-After") != "" {
		t.Fatal("a locked account's answer carries Retry-After")
	}
	// The same through the login form.
	lf := attacker.Form("/login", map[string][]string{"username": {"admin"}, "password": {webtest.Password}})
	uf := attacker.Form("/login", map[string][]string{"username": {"nobody-here"}, "password": {webtest.Password}})
	if lf.Code != uf.Code || !strings.Contains(string(lf.Body), "用户名或密码错误") || strings.Contains(string(lf.Body), "锁定，") {
		t.Fatalf("form answers differ: %d vs %d", lf.Code, uf.Code)
	}
	// The real administrator, elsewhere, is not locked out.
	office := h.Anon()
	office.IP = "10.1.2.3"
	if r := login(office, "admin", webtest.Password); r.Code != http.StatusOK {
		t.Fatalf("admin locked out from another address: %d %s", r.Code, r.Body)
	}
}

// TestAPITokenCannotCreateTokens: a token may not mint its own successors;
// a signed-in person may.
func TestAPITokenCannotCreateTokens(t *testing.T) {
	h := webtest.New(t)
	person := h.As("supervisor")
	var created struct {
		Token string
		Info  struct{ ID int64 }
	}
	r := person.Do("POST", "/api/v1/tokens", map[string]string{"name": "script"})
	r.JSON(t, &created)
	if r.Code != http.StatusCreated {
		t.Fatalf("person creates a token: %d %s", r.Code, r.Body)
	}
	script := &webtest.Client{H: h, IP: "192.0.2.9", Bearer: created.Token}
	if r := script.Do("POST", "/api/v1/tokens", map[string]string{"name": "successor"}); r.Code != http.StatusForbidden {
		t.Fatalf("token created a token: %d %s", r.Code, r.Body)
	}
	all, _ := h.App.Auth.Tokens(t.Context(), userID(t, h, "supervisor"))
	if len(all) != 1 {
		t.Fatalf("supervisor has %d tokens, want 1", len(all))
	}
}

func userID(t *testing.T, h *webtest.Harness, name string) int64 {
	t.Helper()
	u, err := h.App.Org.UserByUsername(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestRevokingATokenRevokesWhatItMade: a token made by a token (possible
// before tokens were refused that) dies with its maker.
func TestRevokingATokenRevokesWhatItMade(t *testing.T) {
	h := webtest.New(t)
	person := h.As("supervisor")
	var parent, child struct {
		Token string
		Info  struct{ ID int64 }
	}
	person.Do("POST", "/api/v1/tokens", map[string]string{"name": "parent"}).JSON(t, &parent)
	person.Do("POST", "/api/v1/tokens", map[string]string{"name": "made by parent"}).JSON(t, &child)
	// Record the lineage a token-made token carries.
	if _, err := h.App.DB.W.Exec("UPDATE api_tokens SET parent_id = $1 WHERE id = $2", parent.Info.ID, child.Info.ID); err != nil {
		t.Fatal(err)
	}
	kid := &webtest.Client{H: h, IP: "192.0.2.10", Bearer: child.Token}
	if r := kid.Get("/api/v1/me"); r.Code != http.StatusOK {
		t.Fatalf("child token: %d", r.Code)
	}
	if r := person.Do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", parent.Info.ID), nil); r.Code != http.StatusNoContent {
		t.Fatalf("revoke parent: %d %s", r.Code, r.Body)
	}
	if r := kid.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("token made by a revoked token still works: %d", r.Code)
	}
}

// TestSecondSignInEndsFirstSession: signing in as someone else in the same
// browser ends the first person's session, so its cookie no longer works
// anywhere it was copied to.
func TestSecondSignInEndsFirstSession(t *testing.T) {
	h := webtest.New(t)
	browser := h.As("unit")
	first := browser.Cookie
	copied := &webtest.Client{H: h, IP: browser.IP, Cookie: first}
	r := browser.Form("/login", map[string][]string{"username": {"leader"}, "password": {webtest.Password}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d %s", r.Code, r.Body)
	}
	if r := copied.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("first session survived a second sign-in in the same browser: %d %s", r.Code, r.Body)
	}
	// Through the API as well.
	browser = h.As("unit")
	copied.Cookie = browser.Cookie
	if r := login(browser, "leader", webtest.Password); r.Code != http.StatusOK {
		t.Fatalf("API sign-in: %d", r.Code)
	}
	if r := copied.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
		t.Fatalf("first session survived an API sign-in: %d", r.Code)
	}
}

// TestTrivialPasswordRefused: an administrator cannot give an account a
// password of twelve spaces or twelve a's.
func TestTrivialPasswordRefused(t *testing.T) {
	h := webtest.New(t)
	admin := h.As("admin")
	for _, pw := range []string{"            ", "aaaaaaaaaaaa", "password1234", "123456789012"} {
		r := admin.Do("POST", "/api/v1/users", map[string]string{"username": "weak", "role": "leader", "password": pw})
		if r.Code != http.StatusBadRequest && r.Code != http.StatusUnprocessableEntity {
			t.Fatalf("password %q: %d %s", pw, r.Code, r.Body)
		}
	}
	r := h.As("unit").Do("PUT", "/api/v1/me/password", map[string]string{"current": webtest.Password, "new": "qwertyuiop12"})
	if r.Code < 400 || r.Code >= 500 {
		t.Fatalf("own password qwertyuiop12: %d", r.Code)
	}
}

// TestRefusalsDoNotFloodTheTrail: many refused requests leave the chained
// trail as it was and add one counted row per source and minute.
func TestRefusalsDoNotFloodTheTrail(t *testing.T) {
	h := webtest.New(t)
	count := func(q string) int {
		var n int
		if err := h.App.DB.R.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count("SELECT COUNT(*) FROM audit_log")
	anon := h.Anon()
	unit := h.As("unit")
	rows := count("SELECT COUNT(*) FROM audit_log")
	bad := &webtest.Client{H: h, IP: "192.0.2.77", Bearer: "gx_forged"}
	for i := 0; i < 300; i++ {
		if r := anon.Get("/api/v1/users"); r.Code != http.StatusUnauthorized {
			t.Fatalf("anonymous: %d", r.Code)
		}
		if r := unit.Get("/api/v1/users"); r.Code != http.StatusForbidden {
			t.Fatalf("unit: %d", r.Code)
		}
		if r := bad.Get("/api/v1/me"); r.Code != http.StatusUnauthorized {
			t.Fatalf("forged token: %d", r.Code)
		}
	}
	if got := count("SELECT COUNT(*) FROM audit_log"); got != rows {
		t.Fatalf("900 refusals wrote %d audit rows (before them %d, at start %d)", got-rows, rows, before)
	}
	if err := h.App.Audit.FlushRefusals(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Aggregated: one row per source, code and minute (the test may cross
	// a minute boundary once).
	if n := count("SELECT COUNT(*) FROM audit_refusals"); n < 3 || n > 6 {
		t.Fatalf("%d refusal rows, want 3 (or up to 6 across a minute)", n)
	}
	if n := count("SELECT SUM(count) FROM audit_refusals"); n != 900 {
		t.Fatalf("refusals counted %d, want 900", n)
	}
	// And counted in the metrics.
	m := h.As("admin").Get("/metrics")
	if !strings.Contains(string(m.Body), `gaoxin_http_refusals_total{code="unauthorized"} 600`) ||
		!strings.Contains(string(m.Body), `gaoxin_http_refusals_total{code="forbidden"} 300`) {
		t.Fatalf("metrics lack the refusal counts")
	}
	// A failed sign-in is still its own chained row.
	rows = count("SELECT COUNT(*) FROM audit_log")
	login(anon, "leader", "wrong-password!")
	if got := count("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failed'"); got != 1 || count("SELECT COUNT(*) FROM audit_log") != rows+1 {
		t.Fatalf("failed login rows: %d", got)
	}
}
