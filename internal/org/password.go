package org

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"

	"gaoxin/internal/errs"
)

// Argon2Params are the argon2id cost parameters. They are stored in every
// hash, so raising them later keeps old hashes verifiable.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows the OWASP minimum for argon2id (19 MiB, t=2, p=1).
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// HashPassword returns an encoded argon2id hash:
// $argon2id$v=19$m=…,t=…,p=…$salt$key (base64, no padding).
func HashPassword(pw string, p Argon2Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("org: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b.EncodeToString(salt), b.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash.
func CheckPassword(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b := base64.RawStdEncoding
	salt, err1 := b.DecodeString(parts[4])
	want, err2 := b.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// PasswordPolicy says what a new password must satisfy.
type PasswordPolicy struct {
	MinLength int  // at least 12
	Strict    bool // 等保 mode: at least three of lower, upper, digit, symbol
	// MaxAge, when set, is how long a password may be used before its
	// owner must change it (等保 mode: StrictMaxAge).
	MaxAge time.Duration
}

// StrictMaxAge is the password lifetime of the 等保 mode: 90 days.
const StrictMaxAge = 90 * 24 * time.Hour

// Expired reports whether u's password is older than the policy allows at
// now (Unix ms).
func (p PasswordPolicy) Expired(u User, now int64) bool {
	return p.MaxAge > 0 && u.PasswordChangedAt+p.MaxAge.Milliseconds() <= now
}

// Check returns an Invalid error naming what the password lacks.
func (p PasswordPolicy) Check(pw string) error {
	min := p.MinLength
	if min < 12 {
		min = 12
	}
	if n := len([]rune(pw)); n < min {
		return errs.Field("password", fmt.Sprintf("密码至少 %d 个字符（当前 %d 个）", min, n),
			fmt.Sprintf("password must be at least %d characters (got %d)", min, n))
	}
	if reason := trivial(pw); reason != "" {
		return errs.Field("password", "密码过于常见或有规律（"+reason+"），请换一个不易猜到的密码",
			"password is too common or too regular ("+reason+"); choose one that is hard to guess")
	}
	if !p.Strict {
		return nil
	}
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, ok := range []bool{lower, upper, digit, other} {
		if ok {
			classes++
		}
	}
	if classes < 3 {
		return errs.Field("password", "等保模式：密码须包含小写字母、大写字母、数字、符号中的至少三类",
			"strict mode: password needs at least three of lower case, upper case, digits and symbols")
	}
	return nil
}

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list, lower-cased, as a set.
func commonPasswords() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			set[strings.ToLower(w)] = true
		}
	}
	return set
}

// trivial says why pw is easy to guess, or "" when it is not: blank,
// one character repeated, a short run repeated ("abcabcabcabc"), an
// ascending or descending sequence, a common password, or a common
// password followed only by digits and symbols ("Password2024!"). It holds
// in every mode. The list is small on purpose: it catches what an attacker
// tries first, while the length rule does the rest.
func trivial(pw string) string {
	rs := []rune(strings.ToLower(pw))
	if strings.TrimSpace(pw) == "" {
		return "只有空白 / only blanks"
	}
	for period := 1; period <= len(rs)/2 && period <= 4; period++ {
		if repeats(rs, period) {
			return "重复字符 / repeated characters"
		}
	}
	if sequential(rs) {
		return "连续字符 / a sequence"
	}
	common := commonPasswords()
	lower := string(rs)
	stem := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem == "" { // all digits and symbols: judge the leading part
		stem = lower
	}
	if common[lower] || common[stem] {
		return "常见密码 / a common password"
	}
	for period := 1; period <= len(rs)/2; period++ {
		if repeats(rs, period) && common[string(rs[:period])] {
			return "常见密码重复 / a common password repeated"
		}
	}
	return ""
}

// repeats reports whether rs is its first period runes over and over.
func repeats(rs []rune, period int) bool {
	for i := period; i < len(rs); i++ {
		if rs[i] != rs[i-period] {
			return false
		}
	}
	return true
}

// sequential reports whether every rune is one more (or every rune one
// less) than the one before it: 123456789012 counts, wrapping 9 → 0.
func sequential(rs []rune) bool {
	step := func(a, b rune) int {
		if a == '9' && b == '0' {
			return 1
		}
		if a == '0' && b == '9' {
			return -1
		}
		return int(b - a)
	}
	if len(rs) < 2 {
		return false
	}
	d := step(rs[0], rs[1])
	if d != 1 && d != -1 {
		return false
	}
	for i := 2; i < len(rs); i++ {
		if step(rs[i-1], rs[i]) != d {
			return false
		}
	}
	return true
}

// GeneratePassword returns a random password of 16 characters that passes
// the strict policy (used for demo accounts and resets).
func GeneratePassword() string {
	const sets = "abcdefghijkmnpqrstuvwxyz|ABCDEFGHJKLMNPQRSTUVWXYZ|23456789|-_.!@#"
	groups := strings.Split(sets, "|")
	all := strings.Join(groups, "")
	b := make([]byte, 16)
	r := make([]byte, 16)
	rand.Read(r)
	for i := range b {
		set := all
		if i < len(groups) {
			set = groups[i]
		}
		b[i] = set[int(r[i])%len(set)]
	}
	// shuffle so the class order is not fixed
	s := make([]byte, 16)
	rand.Read(s)
	for i := len(b) - 1; i > 0; i-- {
		j := int(s[i]) % (i + 1)
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
