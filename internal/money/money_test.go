package money

import (
	"math"
	"testing"

	"gaoxin/internal/errs"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		fen  int64
		good bool
	}{
		{0, true}, {1, true}, {-1, true}, {MaxFen, true}, {-MaxFen, true},
		{MaxFen + 1, false}, {-MaxFen - 1, false}, {math.MaxInt64, false}, {math.MinInt64, false},
	} {
		err := Check("amount_fen", c.fen)
		if (err == nil) != c.good {
			t.Errorf("Check(%d) = %v", c.fen, err)
			continue
		}
		if err != nil {
			e := errs.As(err)
			if e.Code != errs.Invalid || e.Field != "amount_fen" || e.Msg == "" || e.MsgEN == "" || len(e.Details) != 1 || e.Details[0].Field != "amount_fen" {
				t.Errorf("Check(%d) = %#v", c.fen, e)
			}
		}
	}
}

func TestAddSub(t *testing.T) {
	for _, c := range []struct {
		a, b, sum int64
		ok        bool
	}{
		{1, 2, 3, true},
		{math.MaxInt64, 0, math.MaxInt64, true},
		{math.MaxInt64, 1, 0, false},
		{math.MaxInt64 - 100, 100, math.MaxInt64, true},
		{100, math.MaxInt64, 0, false},
		{math.MinInt64, -1, 0, false},
		{math.MinInt64, 1, math.MinInt64 + 1, true},
		{math.MaxInt64, math.MinInt64, -1, true},
		{-5, 3, -2, true},
	} {
		if s, ok := Add(c.a, c.b); ok != c.ok || (ok && s != c.sum) {
			t.Errorf("Add(%d, %d) = %d, %v", c.a, c.b, s, ok)
		}
	}
	for _, c := range []struct {
		a, b, d int64
		ok      bool
	}{
		{5, 3, 2, true},
		{0, math.MinInt64, 0, false},
		{-1, math.MinInt64, math.MaxInt64, true},
		{math.MinInt64, 1, 0, false},
		{MaxFen, -MaxFen, 2 * MaxFen, true},
	} {
		if d, ok := Sub(c.a, c.b); ok != c.ok || (ok && d != c.d) {
			t.Errorf("Sub(%d, %d) = %d, %v", c.a, c.b, d, ok)
		}
	}
}

func TestTotal(t *testing.T) {
	var tot Total
	for i := 0; i < 1000; i++ {
		tot.Add(MaxFen)
	}
	if v, err := tot.Fen("x"); err != nil || v != 1000*MaxFen {
		t.Fatalf("%d %v", v, err)
	}
	tot.Add(math.MaxInt64)
	tot.Add(-math.MaxInt64) // an overflow is sticky: later additions cannot undo it
	if _, err := tot.Fen("x"); err == nil {
		t.Fatal("overflow not noticed")
	}
}

func TestSQLSum(t *testing.T) {
	for _, c := range []struct {
		src  any
		want int64
		ok   bool
	}{
		{nil, 0, true}, {int64(42), 42, true}, {"42", 42, true}, {[]byte("-7"), -7, true}, {"12.00", 12, true},
		{float64(3), 3, true}, {"9223372036854775807", math.MaxInt64, true},
		{"9223372036854775808", 0, false}, {"18446744073709551614", 0, false}, {"1.5", 0, false},
		{float64(1e19), 0, false}, {2.5, 0, false}, {true, 0, false},
	} {
		var s SQLSum
		err := s.Scan(c.src)
		if (err == nil) != c.ok || (c.ok && int64(s) != c.want) {
			t.Errorf("Scan(%v) = %d, %v", c.src, s, err)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		wan  bool
		fen  int64
		good bool
	}{
		{"1,500,000.5", false, 150_000_050, true}, {"450000", false, 45_000_000, true}, {" 0.01 ", false, 1, true},
		{"150.000001", true, 150_000_001, true}, {"45", true, 45_000_000, true},
		{"1.234", false, 0, false}, {"-5", false, 0, false}, {"", false, 0, false}, {"1e6", false, 0, false},
		{"1.0000001", true, 0, false}, {"100000000000000", true, 0, false}, {"1000000000000.01", false, 0, false},
	} {
		fen, ok := ParseAmount(c.in, c.wan)
		if ok != c.good || (ok && fen != c.fen) {
			t.Errorf("ParseAmount(%q, %v) = %d, %v; want %d, %v", c.in, c.wan, fen, ok, c.fen, c.good)
		}
	}
}
