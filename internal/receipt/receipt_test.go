package receipt

import (
	"testing"

	"gaoxin/internal/crypt"
)

func TestReceiptRoundTrip(t *testing.T) {
	gm, err := crypt.New(crypt.GM, []byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*crypt.Suite{nil, gm} {
		roundTrip(t, c)
	}
	secret, _ := NewSecret()
	if Matches(nil, Hash(gm, secret), secret) || Matches(gm, Hash(nil, secret), secret) {
		t.Fatal("a receipt hashed in one cryptographic mode matches in the other")
	}
}

func roundTrip(t *testing.T, c *crypt.Suite) {
	secret, err := NewSecret()
	if err != nil || len(secret) != 16 {
		t.Fatalf("secret %q, %v", secret, err)
	}
	r := Of(42, secret)
	for _, typed := range []string{r, " " + r[:4] + " " + r[4:] + " ", toLower(r)} {
		id, s, ok := Parse(typed)
		if !ok || id != 42 || !Matches(c, Hash(c, secret), s) {
			t.Fatalf("Parse(%q) = %d %q %v", typed, id, s, ok)
		}
	}
	for _, bad := range []string{"", "42", "42-", "0-" + secret, "-1-" + secret, "x-" + secret, "42-ABC"} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if Matches(c, "", secret) || Matches(c, Hash(c, secret), "AAAAAAAAAAAAAAAA") {
		t.Fatal("a wrong or missing hash matches")
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
