package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"gaoxin/internal/errs"
)

// In the gm mode API tokens and session tokens are kept as their SM3
// (computed here with the library directly), never their SHA-256, and
// still authenticate; a token hashed in one mode does not authenticate in
// the other.
func TestTokensAndSessionsHashedWithSM3InGMMode(t *testing.T) {
	t.Setenv("GAOXIN_TEST_CRYPTO", "gm")
	a, _ := setup(t)
	ctx := context.Background()
	if !a.DB.Crypto.GM() {
		t.Fatal("the database is not in the gm mode")
	}
	sm3Hex := func(s string) string { h := sm3.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	shaHex := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	u, _ := a.Org.UserByUsername(ctx, "zhang")
	plain, tk, err := a.Auth.CreateToken(ctx, u.ID, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := a.DB.R.QueryRow("SELECT token_hash FROM api_tokens WHERE id = $1", tk.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != sm3Hex(plain) || stored == shaHex(plain) {
		t.Fatalf("API token stored as %s, want its SM3 %s", stored, sm3Hex(plain))
	}
	if got, err := a.Auth.TokenUser(ctx, plain); err != nil || got.ID != u.ID {
		t.Fatalf("gm token does not authenticate: %v", err)
	}

	tok, _, err := a.Auth.Login(ctx, "zhang", pw, "10.0.0.9", "")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.DB.R.QueryRow("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", sm3Hex(tok)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("session not kept as its SM3: %d %v", n, err)
	}
	if got, _, err := a.Auth.Session(ctx, tok); err != nil || got.ID != u.ID {
		t.Fatalf("gm session does not authenticate: %v", err)
	}

	// The same rows read with the default hash match nothing.
	gm := a.DB.Crypto
	a.DB.Crypto = nil
	defer func() { a.DB.Crypto = gm }()
	if _, err := a.Auth.TokenUser(ctx, plain); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("a gm token authenticated with SHA-256: %v", err)
	}
	if _, _, err := a.Auth.Session(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
		t.Fatalf("a gm session authenticated with SHA-256: %v", err)
	}
}
