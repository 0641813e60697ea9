package crypt_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"gaoxin/internal/crypt"
)

func mustGM(t *testing.T, key string) *crypt.Suite {
	t.Helper()
	s, err := crypt.New(crypt.GM, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const field = "enterprises.bank_account"

// A sealed value carries the version and the key's id, does not show what
// was typed, differs each time (a fresh nonce) and opens back; altered, moved
// to another field or opened under another key, it does not open.
func TestSealOpen(t *testing.T) {
	s := mustGM(t, "0123456789abcdef")
	a, err := s.Seal(field, "6222020200112233445")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Seal(field, "6222020200112233445")
	if !crypt.Sealed(a) || !strings.HasPrefix(a, "gm1:"+s.KeyID()+":") || strings.Contains(a, "6222") || a == b {
		t.Fatalf("sealed forms %q and %q", a, b)
	}
	if crypt.SealedKeyID(a) != s.KeyID() || len(s.KeyID()) != 8 {
		t.Fatalf("key id %q of %q", crypt.SealedKeyID(a), a)
	}
	if got, err := s.Open(field, a); err != nil || got != "6222020200112233445" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := s.Open("finance_contacts.phone", a); err == nil {
		t.Fatal("a value moved to another field opened")
	}
	raw, _ := base64.RawStdEncoding.DecodeString(a[len("gm1:")+9:])
	raw[len(raw)-1] ^= 1
	if _, err := s.Open(field, a[:len("gm1:")+9]+base64.RawStdEncoding.EncodeToString(raw)); err == nil {
		t.Fatal("an altered value opened")
	}
	other := mustGM(t, "fedcba9876543210")
	if _, err := other.Open(field, a); err == nil || !strings.Contains(err.Error(), s.KeyID()) {
		t.Fatalf("another key: %v", err)
	}
	// Empty stays empty; a value stored as typed reads as it is.
	if v, _ := s.Seal(field, ""); v != "" {
		t.Fatalf("empty sealed as %q", v)
	}
	if v, err := s.Open(field, "0371-6758 1234"); err != nil || v != "0371-6758 1234" {
		t.Fatalf("plain value: %q %v", v, err)
	}
}

// The default mode (also a nil suite) stores fields as typed and refuses
// to read a sealed one rather than show its sealed form.
func TestDefaultModeStoresAsTyped(t *testing.T) {
	def, err := crypt.New(crypt.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*crypt.Suite{nil, def} {
		if v, _ := s.Seal(field, "13800000000"); v != "13800000000" {
			t.Fatalf("default seal = %q", v)
		}
		if s.GM() || s.Mode() != crypt.Default || s.HashName() != "SHA-256" || s.KeyID() != "" {
			t.Fatalf("default suite: %v", s)
		}
		sealed, _ := mustGM(t, "0123456789abcdef").Seal(field, "13800000000")
		if _, err := s.Open(field, sealed); err == nil || !strings.Contains(err.Error(), "--crypto gm") {
			t.Fatalf("default open of a sealed value: %v", err)
		}
	}
	// SHA-256 of "abc" (FIPS 180-2), the default digest of kept secrets.
	if got := def.Digest("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("default digest = %s", got)
	}
	if _, err := crypt.New(crypt.Default, []byte("0123456789abcdef")); err == nil {
		t.Fatal("a key in the default mode was accepted")
	}
}

func TestKeysAndModes(t *testing.T) {
	for _, text := range []string{"30313233343536373839616263646566", " 3031323334353637383961626364656\x36\n",
		base64.StdEncoding.EncodeToString([]byte("0123456789abcdef")) + "\n", base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef"))} {
		k, err := crypt.ParseKey(text)
		if err != nil || string(k) != "0123456789abcdef" {
			t.Errorf("ParseKey(%q) = %q, %v", text, k, err)
		}
	}
	for _, bad := range []string{"", "0123456789abcdef0123", "303132333435363738396162636465", "not a key at all, not at all!"} {
		if _, err := crypt.ParseKey(bad); err == nil || !strings.Contains(err.Error(), "16 bytes") {
			t.Errorf("ParseKey(%q) accepted (%v)", bad, err)
		}
	}
	if _, err := crypt.New(crypt.GM, []byte("short")); err == nil {
		t.Fatal("a 5-byte SM4 key was accepted")
	}
	for in, want := range map[string]crypt.Mode{"": crypt.Default, "default": crypt.Default, "GM": crypt.GM, " gm ": crypt.GM} {
		if m, err := crypt.ParseMode(in); err != nil || m != want {
			t.Errorf("ParseMode(%q) = %q, %v", in, m, err)
		}
	}
	if _, err := crypt.ParseMode("sm"); err == nil {
		t.Fatal("mode sm accepted")
	}
	if d := crypt.NewDemo(); !d.Demo() || !strings.Contains(d.String(), "demo") || d.KeyID() != crypt.KeyID(crypt.DemoKey) {
		t.Fatalf("demo suite: %v", d)
	}
}

// Reseal moves a value to the new key, seals one stored as typed, and
// leaves one already under the new key alone.
func TestReseal(t *testing.T) {
	old, nw := mustGM(t, "0123456789abcdef"), mustGM(t, "fedcba9876543210")
	a, _ := old.Seal(field, "6222020200112233445")
	moved, changed, err := nw.Reseal(old, field, a)
	if err != nil || !changed || crypt.SealedKeyID(moved) != nw.KeyID() {
		t.Fatalf("reseal: %q %v %v", moved, changed, err)
	}
	if v, err := nw.Open(field, moved); err != nil || v != "6222020200112233445" {
		t.Fatalf("open moved: %q %v", v, err)
	}
	if _, err := old.Open(field, moved); err == nil {
		t.Fatal("the old key opens the moved value")
	}
	if again, changed, err := nw.Reseal(old, field, moved); err != nil || changed || again != moved {
		t.Fatalf("reseal twice: %v %v", changed, err)
	}
	if p, changed, err := nw.Reseal(old, field, "123456"); err != nil || !changed || !crypt.Sealed(p) {
		t.Fatalf("reseal of a typed value: %q %v %v", p, changed, err)
	}
	if _, _, err := nw.Reseal(mustGM(t, "another key 0000"), field, a); err == nil {
		t.Fatal("a value under a third key was resealed")
	}
}
