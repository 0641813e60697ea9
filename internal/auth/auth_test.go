package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/auth"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

const pw = "correct-horse-battery"

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*app.App, *clock) {
	t.Helper()
	a := app.New(dbtest.Open(t), app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	c := &clock{t: time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC)}
	a.Auth.Now = c.now
	if _, err := a.Org.CreateUser(context.Background(), org.NewUser{Username: "zhang", Role: org.Leader, Password: pw}); err != nil {
		t.Fatal(err)
	}
	return a, c
}

func TestLockoutAfterFiveFailuresFromOneAddress(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		_, _, err := a.Auth.Login(ctx, "zhang", "wrong-password-xx", "10.0.0.1", "")
		if errs.CodeOf(err) != errs.Unauthorized {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// even the right password is refused from that address while locked,
	// with the answer an unknown account gets
	_, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.1", "")
	_, _, unknown := a.Auth.Login(ctx, "nobody-at-all", pw, "10.0.0.1", "")
	if errs.CodeOf(err) != errs.Unauthorized || err.Error() != unknown.Error() {
		t.Fatalf("right password while locked: %v (unknown account: %v)", err, unknown)
	}
	// from another address the account is not locked
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.2", ""); err != nil {
		t.Fatalf("locked from another address: %v", err)
	}
	c.t = c.t.Add(15*time.Minute + time.Second)
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.1", ""); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
}

func TestUnlockClearsLocksFromEveryAddress(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	for _, ip := range []string{"10.0.0.1", "10.0.0.9"} {
		for i := 0; i < 5; i++ {
			a.Auth.Login(ctx, "zhang", "wrong-password-xx", ip, "")
		}
	}
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.9", ""); err == nil {
		t.Fatal("not locked")
	}
	u, _ := a.Org.UserByUsername(ctx, "zhang")
	if err := a.Auth.Unlock(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"10.0.0.1", "10.0.0.9"} {
		if _, _, err := a.Auth.Login(ctx, "zhang", pw, ip, ""); err != nil {
			t.Fatalf("still locked from %s: %v", ip, err)
		}
	}
}

func TestTokenCannotCreateTokens(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	u, _ := a.Org.UserByUsername(ctx, "zhang")
	_, tk, err := a.Auth.CreateToken(ctx, u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Auth.CreateToken(auth.WithBearer(ctx, tk.ID), u.ID, "successor"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("token made a token: %v", err)
	}
}

func TestSuccessResetsFailureCount(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		a.Auth.Login(ctx, "zhang", "nope-nope-nope", "10.0.0.2", "")
	}
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.2", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, _, err := a.Auth.Login(ctx, "zhang", "nope-nope-nope", "10.0.0.2", ""); errs.CodeOf(err) != errs.Unauthorized {
			t.Fatalf("consecutive count was not reset: %v", err)
		}
	}
}

func TestIPThrottleAcrossAccounts(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	for i := 0; i < a.Auth.Cfg.IPMaxFailures; i++ {
		a.Auth.Login(ctx, "nobody"+strings.Repeat("x", i%3), "guess-guess-guess", "10.9.9.9", "")
	}
	_, _, err := a.Auth.Login(ctx, "zhang", pw, "10.9.9.9", "")
	if errs.CodeOf(err) != errs.RateLimited {
		t.Fatalf("throttled IP logged in: %v", err)
	}
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.9.9.10", ""); err != nil {
		t.Fatalf("another IP is not throttled: %v", err)
	}
}

func TestSessionIdleAbsoluteAndLogout(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	tok, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.3", "")
	if err != nil {
		t.Fatal(err)
	}
	// active use keeps the session alive past 30 minutes of total time
	for i := 0; i < 3; i++ {
		c.t = c.t.Add(20 * time.Minute)
		if _, _, err := a.Auth.Session(ctx, tok); err != nil {
			t.Fatalf("active session expired at step %d: %v", i, err)
		}
	}
	c.t = c.t.Add(31 * time.Minute)
	if _, _, err := a.Auth.Session(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("idle session still valid: %v", err)
	}
	// absolute lifetime
	tok, _, _ = a.Auth.Login(ctx, "zhang", pw, "10.0.0.3", "")
	for i := 0; i < 25; i++ { // 25 × 29 min > 12 h
		c.t = c.t.Add(29 * time.Minute)
		if _, _, err := a.Auth.Session(ctx, tok); err != nil {
			if i*29 < 12*60-29 {
				t.Fatalf("session ended early after %d min: %v", (i+1)*29, err)
			}
			break
		}
		if (i+1)*29 > 12*60 {
			t.Fatalf("session outlived 12 hours")
		}
	}
	tok, _, _ = a.Auth.Login(ctx, "zhang", pw, "10.0.0.3", "")
	if err := a.Auth.Logout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Auth.Session(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("session valid after logout: %v", err)
	}
}

func TestTokensHashedAndRevocable(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	u, _ := a.Org.UserByUsername(ctx, "zhang")
	plain, tk, err := a.Auth.CreateToken(ctx, u.ID, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	a.DB.R.QueryRow("SELECT token_hash FROM api_tokens WHERE id = $1", tk.ID).Scan(&stored)
	if stored == plain || strings.Contains(stored, plain[3:]) {
		t.Fatal("token stored in clear")
	}
	if got, err := a.Auth.TokenUser(ctx, plain); err != nil || got.ID != u.ID {
		t.Fatalf("token user: %v", err)
	}
	if err := a.Auth.RevokeToken(ctx, u.ID, tk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Auth.TokenUser(ctx, plain); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("revoked token accepted: %v", err)
	}
	if _, err := a.Auth.TokenUser(ctx, "gx_forged"); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatal("forged token accepted")
	}
}

func TestDisabledUserCannotLogIn(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	u, _ := a.Org.UserByUsername(ctx, "zhang")
	tok, _, _ := a.Auth.Login(ctx, "zhang", pw, "10.0.0.4", "")
	if err := a.Org.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Auth.Session(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatal("disabled user's session still valid")
	}
	if _, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.4", ""); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("disabled user logged in: %v", err)
	}
}

func TestLoginAuditedWithoutSecrets(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	a.Auth.Login(ctx, "zhang", "wrong-secret-value", "10.0.0.5", "")
	a.Auth.Login(ctx, "zhang", pw, "10.0.0.5", "")
	rows, err := a.Audit.List(ctx, audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var ok, failed int
	for _, r := range rows {
		if strings.Contains(r.Before+r.After, pw) || strings.Contains(r.Before+r.After, "wrong-secret-value") || strings.Contains(r.After, "argon2id") {
			t.Fatalf("secret in audit row %d: %s", r.ID, r.After)
		}
		if r.Action == "auth.login" && r.Outcome == audit.OK {
			ok++
		}
		if r.Action == "auth.login" && r.Outcome == audit.Failed {
			failed++
		}
	}
	if ok != 1 || failed != 1 {
		t.Fatalf("login audit rows ok=%d failed=%d", ok, failed)
	}
}
