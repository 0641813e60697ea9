package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db/dbtest"
)

// keyFile writes an SM4 key file (the text as given) and returns its path.
func keyFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The flags are checked before the database is touched: gm needs a key
// file of 16 bytes, a key file needs gm, and the mode is a known one.
func TestCryptoFlagsAreChecked(t *testing.T) {
	dsn := dbtest.DSN(t)
	short := keyFile(t, "short.key", "00112233")
	good := keyFile(t, "good.key", "00112233445566778899aabbccddeeff\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--crypto", "gm", "--crypto-key-file="}, "--crypto-key-file"},
		{[]string{"--crypto", "gm", "--crypto-key-file", short}, "16 bytes"},
		{[]string{"--crypto", "gm", "--crypto-key-file", filepath.Join(t.TempDir(), "missing.key")}, "SM4 key file"},
		{[]string{"--crypto", "default", "--crypto-key-file", good}, "--crypto gm"},
		{[]string{"--crypto", "sm", "--crypto-key-file="}, "default or gm"},
	} {
		code, _, errs := gx(t, "", append([]string{"migrate", "--db", dsn}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("migrate %v: %d %q, want an error naming %q", c.args, code, errs, c.want)
		}
	}
	// A demo without a key file seals under the public demo key.
	cfg := Config{Crypto: "gm"}
	if s, err := cfg.cryptoSuite(true); err != nil || !s.Demo() {
		t.Fatalf("demo suite: %v %v", s, err)
	}
	if _, err := cfg.cryptoSuite(false); err == nil {
		t.Fatal("gm without a key file outside a demo")
	}
}

// A database keeps the mode it was made in: a default database refuses
// gm and a gm one refuses default. In gm, `crypto rotate` moves the
// fields to the new key, after which the old key file is refused and the
// new one opens the database, whose trail still verifies.
func TestCryptoModeAndRotateCommands(t *testing.T) {
	def := dbtest.DSN(t)
	k1 := keyFile(t, "k1.key", "00112233445566778899aabbccddeeff\n")
	k2 := keyFile(t, "k2.key", "ZmVkY2JhOTg3NjU0MzIxMA==\n") // base64 of "fedcba9876543210"
	plain := []string{"--crypto", "default", "--crypto-key-file="}
	gm1 := []string{"--crypto", "gm", "--crypto-key-file", k1}
	gm2 := []string{"--crypto", "gm", "--crypto-key-file", k2}
	if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--db", def, "--username", "ops", "--role", "admin", "--password-stdin"}, plain...)...); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if code, _, errs := gx(t, "", append([]string{"user", "list", "--db", def}, gm1...)...); code == 0 || !strings.Contains(errs, "--crypto default") {
		t.Fatalf("a default database opened in gm: %d %s", code, errs)
	}
	if code, _, errs := gx(t, "", append([]string{"crypto", "rotate", "--db", def, "--new-key-file", k2}, plain...)...); code == 0 || !strings.Contains(errs, "gm") {
		t.Fatalf("rotate on a default database: %d %s", code, errs)
	}

	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--db", dsn, "--username", "ops", "--role", "admin", "--password-stdin"}, gm1...)...); code != 0 {
		t.Fatalf("user add in gm: %s", errs)
	}
	if code, _, errs := gx(t, "", append([]string{"user", "list", "--db", dsn}, plain...)...); code == 0 || !strings.Contains(errs, "--crypto gm") {
		t.Fatalf("a gm database opened in default: %d %s", code, errs)
	}
	id1, id2 := crypt.KeyID([]byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}), crypt.KeyID([]byte("fedcba9876543210"))
	if code, out, errs := gx(t, "", append([]string{"crypto", "status", "--db", dsn}, gm2...)...); code != 0 || !strings.Contains(out, "gm") ||
		!strings.Contains(out, "sealed under SM4 key "+id1) || !strings.Contains(out, "SM4 key "+id2) {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	if code, out, errs := gx(t, "", append([]string{"crypto", "rotate", "--db", dsn}, gm1...)...); code != 2 {
		t.Fatalf("rotate without --new-key-file: %d %s %s", code, out, errs)
	}
	code, out, errs := gx(t, "", append([]string{"crypto", "rotate", "--db", dsn, "--new-key-file", k2}, gm1...)...)
	if code != 0 || !strings.Contains(out, "from SM4 key "+id1+" to "+id2) || !strings.Contains(out, "enterprises.bank_account") {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	if code, _, errs := gx(t, "", append([]string{"user", "list", "--db", dsn}, gm1...)...); code == 0 || !strings.Contains(errs, id2) {
		t.Fatalf("the old key after the rotation: %d %s", code, errs)
	}
	if code, out, errs := gx(t, "", append([]string{"audit", "verify", "--db", dsn}, gm2...)...); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify with the new key: %d %s %s", code, out, errs)
	}
}
