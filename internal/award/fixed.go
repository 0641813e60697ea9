package award

import "gaoxin/internal/fixed"

// Fixed is the exact decimal of scoring, in millionths, with its one
// rounding rule (internal/fixed): the formula's values, weights' points,
// totals and the panel's mean are all Fixed.
type Fixed = fixed.Fixed

// One is 1 as a Fixed.
const One = fixed.One

// ParseFixed parses a decimal with at most six fractional digits.
func ParseFixed(s string) (Fixed, bool) { return fixed.Parse(s) }

// mulDiv is fixed.MulDiv: a×b÷c rounded once, halves away from zero.
func mulDiv(a, b, c int64) (int64, bool) { return fixed.MulDiv(a, b, c) }

// pow10 is 10^n for 0 ≤ n ≤ 18.
func pow10(n int) int64 {
	v := int64(1)
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}
