package site_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/db"
	"gaoxin/internal/org"
	"gaoxin/internal/web/webtest"
)

// TestStrictModePasswordExpires: in the 等保 mode a password older than 90
// days must be changed before anything else. Pages lead to the account
// page, which says why; the API answers 403 password_expired; changing
// the password opens everything again. API tokens (for machines) go on
// working, and outside the strict mode an old password is no matter.
func TestStrictModePasswordExpires(t *testing.T) {
	h := webtest.New(t)
	old := time.Now().Add(-91 * 24 * time.Hour).UnixMilli()
	if _, err := h.App.DB.W.Exec("UPDATE users SET password_changed_at = $1 WHERE username = 'unit'", old); err != nil {
		t.Fatal(err)
	}
	unit := h.As("unit")
	if r := unit.Get("/api/v1/plan"); r.Code != http.StatusOK {
		t.Fatalf("outside the strict mode an old password expired: %d %s", r.Code, r.Body)
	}
	tok := unit.Do("POST", "/api/v1/tokens", map[string]string{"name": "nightly"})
	var made struct{ Token string }
	tok.JSON(t, &made)

	h.App.Org.Policy.Strict, h.App.Org.Policy.MaxAge = true, org.StrictMaxAge
	if r := unit.Get("/plan"); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/account?expired=1" {
		t.Fatalf("a page with the password expired: %d %s", r.Code, r.Header.Get("Location"))
	}
	if r := unit.Get("/api/v1/plan"); r.Code != http.StatusForbidden || r.ErrCode() != "password_expired" {
		t.Fatalf("the API with the password expired: %d %s", r.Code, r.Body)
	}
	if r := unit.Get("/account"); r.Code != http.StatusOK || !strings.Contains(string(r.Body), "超过 90 天") {
		t.Fatalf("the account page does not say the password expired: %d", r.Code)
	}
	machine := h.Anon()
	machine.Bearer = made.Token
	if r := machine.Get("/api/v1/plan"); r.Code != http.StatusOK {
		t.Fatalf("an API token stopped with its owner's password: %d %s", r.Code, r.Body)
	}
	if r := unit.Do("PUT", "/api/v1/me/password", map[string]string{"current": webtest.Password, "new": "Gx-Renewed-2026!"}); r.Code != http.StatusNoContent {
		t.Fatalf("change the expired password: %d %s", r.Code, r.Body)
	}
	if r := unit.Get("/api/v1/plan"); r.Code != http.StatusOK {
		t.Fatalf("after the change: %d %s", r.Code, r.Body)
	}
	var at int64
	h.App.DB.R.QueryRow("SELECT password_changed_at FROM users WHERE username = 'unit'").Scan(&at)
	if at < db.Now()-60_000 {
		t.Fatalf("password_changed_at not moved: %d", at)
	}
}

// TestBrowserExpiredPasswordIsChangedFirst: in the browser, an account
// whose password is past its lifetime lands on its account page with the
// reason, changes the password there, and then reaches its pages.
func TestBrowserExpiredPasswordIsChangedFirst(t *testing.T) {
	h := webtest.New(t)
	h.App.Org.Policy.Strict, h.App.Org.Policy.MaxAge = true, org.StrictMaxAge
	old := time.Now().Add(-100 * 24 * time.Hour).UnixMilli()
	if _, err := h.App.DB.W.Exec("UPDATE users SET password_changed_at = $1 WHERE username = 'unit'", old); err != nil {
		t.Fatal(err)
	}
	b := webtest.NewBrowser(t, h)
	b.Login(t, "unit")
	b.Do(t, chromedp.Navigate(b.Base+"/plan"), chromedp.WaitVisible(chromedp.CSS(`p.error`)))
	if path := b.Eval(t, "location.pathname"); path != "/account" {
		t.Fatalf("an expired password led to %s", path)
	}
	if msg := b.Text(t, "p.error"); !strings.Contains(msg, "超过 90 天") {
		t.Fatalf("the account page says %q", msg)
	}
	b.Screenshot(t, "account-password-expired")
	b.Do(t,
		chromedp.SendKeys(chromedp.CSS(`input[name="current"]`), webtest.Password),
		chromedp.SendKeys(chromedp.CSS(`input[name="new"]`), "Gx-Renewed-2026!"),
		chromedp.Submit(chromedp.CSS(`input[name="new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		chromedp.Navigate(b.Base+"/plan"),
		chromedp.WaitReady(chromedp.CSS("footer")),
	)
	if path := b.Eval(t, "location.pathname"); path != "/plan" {
		t.Fatalf("after changing the password the plan page led to %s", path)
	}
}
