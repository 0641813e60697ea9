package uscc

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in, want string
		reason   Reason
		pos      int
	}{
		// Public codes that pass both checks.
		{"914403001922038216", "914403001922038216", "", 0},
		{"9144030071526726XG", "9144030071526726XG", "", 0},
		{"91330100716105852F", "91330100716105852F", "", 0},
		// Normalisation: spaces, full-width digits and letters, lower case.
		{"  914403001922038216\t", "914403001922038216", "", 0},
		{"９１４４０３００１９２２０３８２１６", "914403001922038216", "", 0},
		{"9144030071526726xg", "9144030071526726XG", "", 0},
		{"\u3000９１３３０１００７１６１０５８５２Ｆ\u3000", "91330100716105852F", "", 0},
		// Empty and length.
		{"", "", Empty, 0},
		{"   ", "", Empty, 0},
		{"91440300192203821", "91440300192203821", Length, 0},
		{"9144030019220382166", "9144030019220382166", Length, 0},
		// Forbidden letters I O Z S V and other characters, with position.
		{"I14403001922038216", "I14403001922038216", BadChar, 1},
		{"91440300192203821O", "91440300192203821O", FinalCheck, 18},
		{"9144030019220382O6", "9144030019220382O6", BadChar, 17},
		{"9144030019220S8216", "9144030019220S8216", BadChar, 14},
		{"91440300192203821-", "91440300192203821-", BadChar, 18},
		{"9144030019220382中6", "9144030019220382中6", BadChar, 17},
		// The standard's printed example fails its final check (…Y43 passes).
		{"91350100M000100Y4Z", "91350100M000100Y4Z", FinalCheck, 18},
		{"91350100M000100Y43", "91350100M000100Y43", "", 0},
		// A wrong organisation check character is named as such.
		{"914403001922038226", "914403001922038226", OrgCheck, 17},
		// A wrong final check character.
		{"914403001922038217", "914403001922038217", FinalCheck, 18},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if got != c.want {
			t.Errorf("Parse(%q) = %q, want %q", c.in, got, c.want)
		}
		if c.reason == "" {
			if err != nil {
				t.Errorf("Parse(%q): unexpected %v", c.in, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) err = %v, want reason %s", c.in, err, c.reason)
			continue
		}
		if e.Reason != c.reason || e.Position != c.pos {
			t.Errorf("Parse(%q): reason %s at %d, want %s at %d", c.in, e.Reason, e.Position, c.reason, c.pos)
		}
		if e.ZH() == "" || e.EN() == "" {
			t.Errorf("Parse(%q): empty message", c.in)
		}
	}
}

func TestCheckChars(t *testing.T) {
	// Hand-computed GB 11714 check for 19220382: 1·3+9·7+2·9+2·10+0·5+3·8+8·4+2·2 = 164,
	// 164 mod 11 = 10, 11−10 = 1.
	if c := OrgCheckChar("19220382"); c != '1' {
		t.Errorf("OrgCheckChar(19220382) = %c, want 1", c)
	}
	// 71526726 → X (remainder 1 → 10 → X).
	if c := OrgCheckChar("71526726"); c != 'X' {
		t.Errorf("OrgCheckChar(71526726) = %c, want X", c)
	}
	if c := CheckChar("91350100M000100Y4"); c != '3' {
		t.Errorf("CheckChar(91350100M000100Y4) = %c, want 3", c)
	}
	for _, p := range []string{"9141010000000000", "91410100MA000000", "1241010012345678"} {
		code := Complete(p)
		if _, err := Parse(code); err != nil {
			t.Errorf("Complete(%s) = %s fails: %v", p, code, err)
		}
	}
}

func TestParseShapeAcceptsFailedCheck(t *testing.T) {
	code, err := ParseShape(" 91350100m000100y4z ")
	if err != nil || code != "91350100M000100Y4Z" {
		t.Fatalf("ParseShape = %q, %v", code, err)
	}
	if _, err := ParseShape("91350100M000100Y4"); err == nil {
		t.Fatal("ParseShape accepted a 17-character code")
	}
}

// FuzzParse checks that Parse never panics, that what it accepts is 18
// characters from the charset with both checks right, and that parsing is
// idempotent.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"914403001922038216", "９１４４０３００１９２２０３８２１６", "91350100M000100Y4Z", "", "I", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) returned a non-uscc error %v", s, err)
			}
			_ = e.ZH() + e.EN()
			return
		}
		if len(code) != 18 {
			t.Fatalf("Parse(%q) accepted %q of length %d", s, code, len(code))
		}
		if CheckChar(code[:17]) != code[17] || OrgCheckChar(code[8:16]) != code[16] {
			t.Fatalf("Parse(%q) accepted %q with a wrong check", s, code)
		}
		again, err := Parse(code)
		if err != nil || again != code {
			t.Fatalf("Parse not idempotent: %q → %q, %v", code, again, err)
		}
	})
}
