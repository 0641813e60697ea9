// Package uscc parses 统一社会信用代码 (unified social credit codes,
// GB 32100-2015): 18 characters from 0-9A-HJ-NPQRTUWXY made of the
// registration-authority code (1), the type code (1), the administrative
// division (6), the organisation code (9, with its own GB 11714 check
// character) and the final check character.
package uscc

import (
	"strings"
	"unicode/utf8"

	"gaoxin/internal/errs"
)

// Charset is the code's alphabet; a character's value is its index.
const Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// weights of positions 1–17 for the final check: 3^(i−1) mod 31.
var weights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are GB 11714's weights for the 8 body characters of the
// organisation code.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// Reason says why a code was refused.
type Reason string

const (
	Empty      Reason = "empty"
	Length     Reason = "length"
	BadChar    Reason = "bad_character"
	OrgCheck   Reason = "org_check"   // GB 11714 check character (position 17) is wrong
	FinalCheck Reason = "final_check" // GB 32100 check character (position 18) is wrong
)

// Error is a refused code: which rule failed and where.
type Error struct {
	Input    string
	Reason   Reason
	Position int  // 1-based position of a bad character, or of the failed check
	Char     rune // the bad character, or the character found at a check position
	Want     byte // the expected check character, for the check reasons
}

func (e *Error) Error() string { return "uscc: " + e.EN() }

// ZH describes the refusal in Chinese.
func (e *Error) ZH() string {
	switch e.Reason {
	case Empty:
		return "统一社会信用代码为空"
	case Length:
		return "统一社会信用代码应为 18 位，实为 " + itoa(utf8.RuneCountInString(e.Input)) + " 位"
	case BadChar:
		return "第 " + itoa(e.Position) + " 位字符“" + string(e.Char) + "”不允许（只可用 0-9 和 A-H J-N P Q R T U W X Y，不含 I O Z S V）"
	case OrgCheck:
		return "组织机构代码校验位（第 17 位）错误：为 " + string(e.Char) + "，应为 " + string(e.Want)
	case FinalCheck:
		return "统一社会信用代码校验位（第 18 位）错误：为 " + string(e.Char) + "，应为 " + string(e.Want)
	}
	return "统一社会信用代码无效"
}

// EN describes the refusal in English.
func (e *Error) EN() string {
	switch e.Reason {
	case Empty:
		return "credit code is empty"
	case Length:
		return "credit code must have 18 characters, got " + itoa(utf8.RuneCountInString(e.Input))
	case BadChar:
		return "character " + itoa(e.Position) + " (" + string(e.Char) + ") is not allowed (only 0-9 and A-H J-N P Q R T U W X Y; no I O Z S V)"
	case OrgCheck:
		return "organisation-code check character (position 17) is " + string(e.Char) + ", want " + string(e.Want)
	case FinalCheck:
		return "check character (position 18) is " + string(e.Char) + ", want " + string(e.Want)
	}
	return "invalid credit code"
}

// Err converts the refusal into an Invalid error about field.
func (e *Error) Err(field string) error {
	ee := errs.Field(field, e.ZH(), e.EN())
	ee.Details[0].Value = e.Input
	return ee
}

// Normalize trims spaces, turns full-width characters into half-width ones
// and upper-cases the result. It does not check anything.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == 0xFEFF || r == 0x200B { // BOM, zero-width space
			return -1
		}
		return r
	}, b.String()))
}

// Parse normalises s and checks it fully. It returns the normalised code or
// an *Error naming the first rule that fails: Empty, Length, BadChar,
// OrgCheck, FinalCheck (in that order).
func Parse(s string) (string, error) {
	code := Normalize(s)
	if err := check(code); err != nil {
		return code, err
	}
	return code, nil
}

// ParseShape normalises s and checks only that it is 18 characters from
// 0-9 and A-Z: the form a code must have even when staff accept, with a
// recorded reason, a registered code that fails a check.
func ParseShape(s string) (string, error) {
	code := Normalize(s)
	if err := looseShape(code); err != nil {
		return code, err
	}
	return code, nil
}

func shape(code string) *Error {
	if code == "" {
		return &Error{Input: code, Reason: Empty}
	}
	if n := utf8.RuneCountInString(code); n != 18 {
		// A bad character is the clearer reason when the length is right in
		// bytes but not in runes; otherwise length comes first.
		return &Error{Input: code, Reason: Length}
	}
	for i, r := range []rune(code) {
		if r > 127 || strings.IndexByte(Charset, byte(r)) < 0 {
			return &Error{Input: code, Reason: BadChar, Position: i + 1, Char: r}
		}
	}
	return nil
}

// looseShape is the form of a code staff may accept by hand although it
// fails a check: 18 characters from 0-9 and A-Z.
func looseShape(code string) *Error {
	if code == "" {
		return &Error{Input: code, Reason: Empty}
	}
	if utf8.RuneCountInString(code) != 18 {
		return &Error{Input: code, Reason: Length}
	}
	for i, r := range []rune(code) {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return &Error{Input: code, Reason: BadChar, Position: i + 1, Char: r}
		}
	}
	return nil
}

func check(code string) error {
	if e := shape(code); e != nil {
		// A letter outside the charset in the check position is a wrong
		// check character, and is reported as such with the right one.
		if e.Reason == BadChar && e.Position == 18 && looseShape(code) == nil && shape(code[:17]+"0") == nil {
			return &Error{Input: code, Reason: FinalCheck, Position: 18, Char: e.Char, Want: CheckChar(code[:17])}
		}
		return e
	}
	if want := OrgCheckChar(code[8:16]); code[16] != want {
		return &Error{Input: code, Reason: OrgCheck, Position: 17, Char: rune(code[16]), Want: want}
	}
	if want := CheckChar(code[:17]); code[17] != want {
		return &Error{Input: code, Reason: FinalCheck, Position: 18, Char: rune(code[17]), Want: want}
	}
	return nil
}

// CheckChar returns the GB 32100 check character of the first 17
// characters (which must come from Charset).
func CheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(Charset, first17[i]) * weights[i]
	}
	return Charset[(31-sum%31)%31]
}

// OrgCheckChar returns the GB 11714 check character of an organisation
// code's 8 body characters: digits are worth their value, letters A=10 … Z=35.
func OrgCheckChar(body8 string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += orgValue(body8[i]) * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func orgValue(c byte) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	return int(c-'A') + 10
}

// Complete appends both check characters to a 16-character prefix
// (authority, type, division, organisation body); demo data uses it to make
// valid synthetic codes.
func Complete(prefix16 string) string {
	s := prefix16 + string(OrgCheckChar(prefix16[8:16]))
	return s + string(CheckChar(s))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
