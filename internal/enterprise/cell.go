package enterprise

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// cellError is why a cell's value was refused, in both languages.
type cellError struct{ zh, en string }

func (e *cellError) Error() string { return e.en }

var (
	errNotNumber = &cellError{"不是数字", "not a number"}
	errTooBig    = &cellError{"数值超出范围", "number out of range"}
	// errNotCredible refuses an amount of money above money.MaxFen.
	errNotCredible = &cellError{"金额超出可信范围（不超过 1 万亿元）", "amount is not credible (at most 1,000,000,000,000 yuan)"}
	errNotDate     = &cellError{"不是有效日期（可用 2023-01-16、2023/1/16、2023年1月16日、20230116 或 Excel 日期）", "not a valid date (use 2023-01-16, 2023/1/16, 2023年1月16日, 20230116 or an Excel date)"}
)

// cleanNumber prepares a cell for number parsing: full-width to half-width,
// spaces and thousands separators (, ， ’ and thin spaces) removed, the
// full-width and ideographic decimal points made '.'.
func cleanNumber(s string) string {
	s = halfWidth(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case ',', '，', ' ', '\t', '\u00a0', '\u2009', '\u202f', '\'', '’', '_':
			continue
		case '。':
			r = '.'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ParseScaled parses a decimal number as written in a spreadsheet cell
// ("1,234.5", "１２３４．５", "1.2E+07", " -3 ") and returns it multiplied by
// 10^exp10, rounded half away from zero, exactly (no floating point). A
// value that needs more than int64 is refused. The empty string is an error;
// callers treat blank cells before calling.
func ParseScaled(s string, exp10 int) (int64, error) {
	s = cleanNumber(s)
	if s == "" {
		return 0, errNotNumber
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	// Split off an exponent.
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > 40 || e < -40 {
			return 0, errNotNumber
		}
		exp10 += e
		s = s[:i]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || hasDot && strings.ContainsRune(frac, '.') {
		return 0, errNotNumber
	}
	digits := intPart + frac
	exp10 -= len(frac)
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, errNotNumber
		}
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return 0, nil
	}
	// Drop digits below the result's precision, keeping one for rounding.
	roundUp := false
	if exp10 < 0 {
		cut := len(digits) + exp10 // digits kept
		if cut < 0 {
			return 0, nil
		}
		if cut < len(digits) {
			roundUp = digits[cut] >= '5'
			digits = digits[:cut]
		}
		exp10 = 0
	}
	if len(digits)+exp10 > 19 {
		return 0, errTooBig
	}
	var v uint64
	for i := 0; i < len(digits); i++ {
		v = v*10 + uint64(digits[i]-'0')
	}
	for i := 0; i < exp10; i++ {
		v *= 10
	}
	if roundUp {
		v++
	}
	if v > math.MaxInt64 {
		return 0, errTooBig
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// excelEpoch is day 0 of Excel's 1900 date system (with its leap-year bug,
// serials from 61 on count from 1899-12-30).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads a date as spreadsheets hold it: an Excel serial number
// (44942 or 44942.5), or text such as 2023-01-16, 2023/1/16, 2023.1.16,
// 2023年1月16日 or 20230116. It returns YYYY-MM-DD.
func ParseDate(s string) (string, *cellError) {
	s = strings.TrimSpace(halfWidth(s))
	if s == "" {
		return "", errNotDate
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "-/") {
		if len(s) == 8 && !strings.Contains(s, ".") && (s[0] == '1' || s[0] == '2') {
			return ymd(s[:4], s[4:6], s[6:8])
		}
		if f < 1 || f > 2958465 { // 9999-12-31
			return "", errNotDate
		}
		return excelEpoch.AddDate(0, 0, int(f)).Format("2006-01-02"), nil
	}
	r := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
	s = r.Replace(s)
	if i := strings.IndexAny(s, " T"); i > 0 { // a time of day after the date
		s = s[:i]
	}
	p := strings.Split(s, "-")
	if len(p) != 3 {
		return "", errNotDate
	}
	return ymd(p[0], p[1], p[2])
}

func ymd(y, m, d string) (string, *cellError) {
	yi, e1 := strconv.Atoi(y)
	mi, e2 := strconv.Atoi(m)
	di, e3 := strconv.Atoi(d)
	if e1 != nil || e2 != nil || e3 != nil || yi < 1800 || yi > 9999 {
		return "", errNotDate
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di {
		return "", errNotDate
	}
	return t.Format("2006-01-02"), nil
}

// ParseYear reads a year cell: 2023, "2023年", "２０２３" or 2023.0.
func ParseYear(s string) (int, *cellError) {
	s = strings.TrimSuffix(strings.TrimSpace(halfWidth(s)), "年")
	s = strings.TrimSuffix(s, ".0")
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2200 {
		return 0, &cellError{"年度无效：" + s, "invalid year: " + s}
	}
	return y, nil
}
