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

// TestTrivialPasswordsRefusedInEveryMode: each of these is 12 characters
// or more, so the length rule alone let them through.
func TestTrivialPasswordsRefusedInEveryMode(t *testing.T) {
	refused := []string{
		"            ", "aaaaaaaaaaaa", "AAAAAAAAAAAAAAAA", "abcabcabcabc", "121212121212",
		"123456789012", "abcdefghijklm", "zyxwvutsrqpo", "987654321098",
		"password1234", "Password2024!", "qwertyuiop12", "1qaz2wsx3edc", "iloveyou1314",
		"123456123456", "woaini520520", "Admin@123456", "passwordpassword",
	}
	for _, strict := range []bool{false, true} {
		for _, pw := range refused {
			err := PasswordPolicy{Strict: strict}.Check(pw)
			if errs.CodeOf(err) != errs.Invalid {
				t.Errorf("strict=%v: %q accepted", strict, pw)
			}
		}
	}
	for _, pw := range []string{"correct-horse-battery", "Zheng-Zhou-2023-GX!", "十二个汉字的密码也可以的呀", "tq8-Vm2x-pL4r"} {
		if err := (PasswordPolicy{}).Check(pw); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
	for i := 0; i < 50; i++ {
		if pw := GeneratePassword(); trivial(pw) != "" {
			t.Fatalf("generated password %q is trivial", pw)
		}
	}
}
