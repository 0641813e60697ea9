// Package fixed is the exact decimal that every score in gaoxin is kept in:
// the awards module's ranking formula and the review panel's mean both
// count in it, so that one rounding rule holds for all of them.
package fixed

import (
	"math/bits"
	"strconv"
	"strings"
)

// Fixed is an exact decimal in millionths (10^-6): 1.5 is Fixed(1_500_000).
//
// Rounding rule (the only one in scoring): every division — a ratio of two
// figures, a growth rate, a benchmark, a min–max or percentile transform, a
// panel mean — is computed exactly in 128-bit integers and rounded once to
// the nearest millionth, halves away from zero (MulDiv). Weights are whole
// numbers, so points = weight × transformed value is exact, and a total is
// an exact sum. Ranking the same data twice therefore gives byte-identical
// results.
type Fixed int64

// One is 1 as a Fixed.
const One Fixed = 1_000_000

// String renders f with six decimals, e.g. "12.345600".
func (f Fixed) String() string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-f)
	}
	s := strconv.FormatUint(u/1_000_000, 10) + "." + pad6(u%1_000_000)
	if neg {
		return "-" + s
	}
	return s
}

// Short renders f with four decimals (rounded half away from zero), for pages.
func (f Fixed) Short() string {
	q, _ := MulDiv(int64(f), 1, 100)
	neg := q < 0
	if neg {
		q = -q
	}
	s := strconv.FormatInt(q/10_000, 10) + "." + pad6(uint64(q % 10_000))[2:]
	if neg {
		return "-" + s
	}
	return s
}

// Trimmed renders f with only the decimals needed: 50, 35.5, 0.001333.
func (f Fixed) Trimmed() string {
	s := strings.TrimRight(f.String(), "0")
	return strings.TrimSuffix(s, ".")
}

// AppendTo appends f's six-decimal form (String) to b.
func (f Fixed) AppendTo(b []byte) []byte {
	u := uint64(f)
	if f < 0 {
		b = append(b, '-')
		u = uint64(-f)
	}
	b = strconv.AppendUint(b, u/1_000_000, 10)
	b = append(b, '.')
	frac := u % 1_000_000
	for d := uint64(100_000); d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return b
}

func pad6(v uint64) string {
	s := strconv.FormatUint(v, 10)
	return strings.Repeat("0", 6-len(s)) + s
}

// MarshalText writes the six-decimal form, so JSON carries exact strings.
func (f Fixed) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads a decimal such as "1.5", "-0.25" or "100".
func (f *Fixed) UnmarshalText(b []byte) error {
	v, ok := Parse(string(b))
	if !ok {
		return &strconv.NumError{Func: "ParseFixed", Num: string(b), Err: strconv.ErrSyntax}
	}
	*f = v
	return nil
}

// Parse parses a decimal with at most six fractional digits.
func Parse(s string) (Fixed, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 6 || strings.ContainsAny(whole+frac, "+- ") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 9_000_000_000_000 {
		return 0, false
	}
	var fr int64
	if frac != "" {
		fr, err = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
		if err != nil {
			return 0, false
		}
	}
	v := Fixed(w*1_000_000 + fr)
	if neg {
		v = -v
	}
	return v, true
}

// MulDiv returns a×b÷c rounded to the nearest integer, halves away from zero,
// computed in 128 bits. ok is false when c is zero or the result does not fit
// in an int64.
func MulDiv(a, b, c int64) (int64, bool) {
	if c == 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0) != (c < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	uc := abs64(c)
	if hi >= uc {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, uc)
	if r >= uc-r { // r*2 >= c without overflow: round the half away from zero
		q++
	}
	if q > 1<<63-1 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}
