package receipt

import "testing"

func TestReceiptRoundTrip(t *testing.T) {
	secret, err := NewSecret()
	if err != nil || len(secret) != 16 {
		t.Fatalf("secret %q, %v", secret, err)
	}
	r := Of(42, secret)
	for _, typed := range []string{r, " " + r[:4] + " " + r[4:] + " ", toLower(r)} {
		id, s, ok := Parse(typed)
		if !ok || id != 42 || !Matches(Hash(secret), s) {
			t.Fatalf("Parse(%q) = %d %q %v", typed, id, s, ok)
		}
	}
	for _, bad := range []string{"", "42", "42-", "0-" + secret, "-1-" + secret, "x-" + secret, "42-ABC"} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if Matches("", secret) || Matches(Hash(secret), "AAAAAAAAAAAAAAAA") {
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
