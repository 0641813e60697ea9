// Package money holds the rules every amount of money in gaoxin obeys.
//
// Money is an integer number of fen (分). No single amount may exceed MaxFen
// in size: above it a figure is not credible (it is more than the whole
// country's yearly output), and the bound keeps every stored sum far from
// int64's limit. Sums are still added with Add or a Total, which notice an
// overflow instead of wrapping, and sums that SQL computes are read through
// SQLSum, which refuses a value that does not fit int64 (PostgreSQL's SUM
// over bigint answers numeric).
package money

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
)

// MaxFen is the largest credible amount: 1,000,000,000,000 元 (一万亿元),
// that is 10^14 fen. At this bound, 92,233 amounts fit in an int64 sum.
const MaxFen int64 = 100_000_000_000_000

// Credible reports whether fen is within ±MaxFen.
func Credible(fen int64) bool { return fen >= -MaxFen && fen <= MaxFen }

// Check returns an Invalid error naming field when fen is outside ±MaxFen,
// and nil otherwise. Sign rules (above 0, not negative) stay with callers.
func Check(field string, fen int64) error {
	if Credible(fen) {
		return nil
	}
	zh, en := Reason()
	e := errs.Field(field, field+"："+zh, field+": "+en)
	e.Details[0].Value = strconv.FormatInt(fen, 10)
	e.Details[0].Reason, e.Details[0].ReasonEN = zh, en
	return e
}

// Reason is the bilingual reason an amount above MaxFen is refused, for
// callers that build their own details (an import names row and column).
func Reason() (zh, en string) {
	return "金额超出可信范围（绝对值不超过 1 万亿元，即 10^14 分）",
		"amount is not credible (at most 1,000,000,000,000 yuan, 10^14 fen, either way)"
}

// Add returns a+b; ok is false when the sum does not fit int64.
func Add(a, b int64) (sum int64, ok bool) {
	s := a + b
	// Overflow happened iff both operands have the sign the sum lacks.
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

// Sub returns a−b; ok is false when the difference does not fit int64.
func Sub(a, b int64) (diff int64, ok bool) {
	if b == math.MinInt64 {
		if a >= 0 {
			return 0, false
		}
		return a - b, true
	}
	return Add(a, -b)
}

// Total adds amounts one at a time and remembers whether any addition
// overflowed; the zero value is an empty sum.
type Total struct {
	fen      int64
	overflow bool
}

// Add adds fen to the total.
func (t *Total) Add(fen int64) {
	if t.overflow {
		return
	}
	s, ok := Add(t.fen, fen)
	if !ok {
		t.overflow = true
		return
	}
	t.fen = s
}

// Fen returns the sum, or an error when it overflowed; what names the sum
// in the error.
func (t Total) Fen(what string) (int64, error) {
	if t.overflow {
		return 0, fmt.Errorf("money: %s: sum does not fit int64", what)
	}
	return t.fen, nil
}

// SQLSum scans a SUM of fen computed by the database: an integer (SQLite),
// a numeric given as text (PostgreSQL's SUM over bigint) or NULL (no rows,
// read as 0). A value that is not a whole number or does not fit int64 is
// an error, never a wrapped or rounded number.
type SQLSum int64

// Scan implements sql.Scanner.
func (s *SQLSum) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = 0
	case int64:
		*s = SQLSum(v)
	case float64:
		if v != math.Trunc(v) || v < math.MinInt64 || v >= math.MaxInt64 {
			return fmt.Errorf("money: sum %v is not a whole number of fen within int64", v)
		}
		*s = SQLSum(int64(v))
	case []byte:
		return s.parse(string(v))
	case string:
		return s.parse(v)
	default:
		return fmt.Errorf("money: cannot read a sum from %T", src)
	}
	return nil
}

func (s *SQLSum) parse(t string) error {
	t = strings.TrimSpace(t)
	// numeric may print a zero scale ("12.00" after arithmetic); fen are whole.
	if i := strings.IndexByte(t, '.'); i >= 0 && strings.Trim(t[i+1:], "0") == "" {
		t = t[:i]
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return fmt.Errorf("money: sum %q does not fit int64 fen: %w", t, err)
	}
	*s = SQLSum(v)
	return nil
}

// Value implements driver.Valuer, so a SQLSum can be passed back as an argument.
func (s SQLSum) Value() (driver.Value, error) { return int64(s), nil }

// ParseAmount reads an amount typed in 元 (wan false: "1,500,000.5", at
// most two decimals) or in 万元 (wan true: "150.00005", at most six) as
// fen. Thousands separators and surrounding spaces are allowed; the sign
// is not. ok is false for anything else, or above MaxFen.
func ParseAmount(s string, wan bool) (fen int64, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	s = strings.ReplaceAll(s, "，", "")
	whole, frac, _ := strings.Cut(s, ".")
	places := 2
	if wan {
		places = 6
	}
	if whole == "" || len(frac) > places || len(whole) > 15 {
		return 0, false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	frac += strings.Repeat("0", places-len(frac))
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	scale := int64(100)
	if wan {
		scale = 1_000_000
	}
	if w > MaxFen/scale {
		return 0, false
	}
	fen = w*scale + f
	return fen, fen <= MaxFen
}
