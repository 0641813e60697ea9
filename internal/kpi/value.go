package kpi

import (
	"encoding/json"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
)

// Scale is the fixed-point factor of every stored figure: values are kept as
// integers counting ten-thousandths of the indicator's unit (four decimal
// places), so 1234.5 亿元 is stored as 12345000 and 10% as 100000. Input with
// more than four decimals is refused rather than rounded, so what is stored
// is exactly what was entered; only derived figures (growth, pace, gaps) are
// computed in floating point, for display, and never stored.
const Scale = 10000

// Value is an exact figure in ten-thousandths of its unit.
type Value int64

// maxAbs bounds values so sums of twelve months never overflow int64.
const maxAbs = int64(1) << 58

// ParseValue parses a decimal such as "1234.5", "-3", "+8.25" or "16,000"
// exactly. field names the input in the error. Errors: Invalid.
func ParseValue(field, s string) (Value, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	t = strings.TrimSuffix(t, "%")
	bad := func() (Value, error) {
		return 0, &errs.Error{Code: errs.Invalid, Field: field,
			Msg: "“" + s + "”不是数字（最多四位小数）", MsgEN: "“" + s + "” is not a number (at most four decimals)",
			Details: []errs.Detail{{Field: field, Value: s, Reason: "不是数字（最多四位小数）", ReasonEN: "not a number (at most four decimals)"}}}
	}
	if t == "" {
		return bad()
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" || len(frac) > 4 || len(whole) > 15 {
		return bad()
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return bad()
			}
		}
	}
	var w, f int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 4-len(frac)), 10, 64)
	}
	// Bound the whole part before scaling: 15 digits times Scale overflows
	// int64, and a wrapped product would pass as a negative figure.
	if w > maxAbs/Scale {
		return bad()
	}
	v := w*Scale + f
	if v > maxAbs {
		return bad()
	}
	if neg {
		v = -v
	}
	return Value(v), nil
}

// String prints the value with the fewest decimals that keep it exact.
func (v Value) String() string {
	n := int64(v)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := sign + strconv.FormatInt(n/Scale, 10)
	if f := n % Scale; f != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(f+Scale, 10)[1:], "0")
	}
	return s
}

// Float is the value as a float64, for derived figures only.
func (v Value) Float() float64 { return float64(v) / Scale }

// MarshalJSON writes the exact decimal as a JSON string.
func (v Value) MarshalJSON() ([]byte, error) { return json.Marshal(v.String()) }

// Opt is a figure that may be missing (NULL in storage, null in JSON).
type Opt struct {
	V  Value
	OK bool
}

// Some returns a present figure.
func Some(v Value) Opt { return Opt{V: v, OK: true} }

// MarshalJSON writes null or the exact decimal string.
func (o Opt) MarshalJSON() ([]byte, error) {
	if !o.OK {
		return []byte("null"), nil
	}
	return o.V.MarshalJSON()
}

// String is "" when missing.
func (o Opt) String() string {
	if !o.OK {
		return ""
	}
	return o.V.String()
}

// parseOpt parses an optional figure: blank is missing.
func parseOpt(field, s string) (Opt, error) {
	if strings.TrimSpace(s) == "" {
		return Opt{}, nil
	}
	v, err := ParseValue(field, s)
	return Opt{V: v, OK: err == nil}, err
}

// dbArg is the value to store: nil for missing.
func (o Opt) dbArg() any {
	if !o.OK {
		return nil
	}
	return int64(o.V)
}
