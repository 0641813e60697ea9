package org

import (
	"strings"
	"testing"

	"gaoxin/internal/errs"
)

func TestArgon2idHashFormatAndCheck(t *testing.T) {
	p := Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	h, err := HashPassword("correct-horse-battery", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	h2, _ := HashPassword("correct-horse-battery", p)
	if h == h2 {
		t.Fatal("same hash twice: salt missing")
	}
	if !CheckPassword("correct-horse-battery", h) || CheckPassword("correct-horse-batterz", h) || CheckPassword("x", "garbage") {
		t.Fatal("CheckPassword wrong")
	}
}

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		pw     string
		strict bool
		ok     bool
	}{
		{"short", false, false},
		{"elevenchars", false, false},
		{"twelve-chars", false, true},
		{"十二个汉字的密码也可以的呀", false, true},
		{"alllowercaseletters", true, false},
		{"lower-and-symbols", true, false},
		{"Lower-And-Symbols", true, true},
		{"Lower1And2Digits", true, true},
	}
	for _, c := range cases {
		err := PasswordPolicy{MinLength: 12, Strict: c.strict}.Check(c.pw)
		if (err == nil) != c.ok {
			t.Errorf("%q strict=%v: err=%v, want ok=%v", c.pw, c.strict, err, c.ok)
		}
		if err != nil && errs.As(err).Field != "password" {
			t.Errorf("%q: error does not name the field", c.pw)
		}
	}
	for i := 0; i < 50; i++ {
		if err := (PasswordPolicy{Strict: true}).Check(GeneratePassword()); err != nil {
			t.Fatalf("generated password fails strict policy: %v", err)
		}
	}
}
