package enterprise_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
)

// FormatFen and FormatScaled print exactly what their fmt versions
// printed (written out here as the reference), on edges and on many
// values of every size and sign.
func TestFormatMatchesFmt(t *testing.T) {
	refFen := func(fen int64) string {
		mag, neg := uint64(fen), fen < 0
		if neg {
			mag = uint64(-(fen + 1)) + 1
		}
		unit, div := "元", uint64(100)
		switch {
		case mag >= 100_000_000*100:
			unit, div = "亿元", 100_000_000*100
		case mag >= 10_000*100:
			unit, div = "万元", 10_000*100
		}
		h := mag/div*100 + (mag%div*100+div/2)/div
		s := fmt.Sprintf("%d.%02d %s", h/100, h%100, unit)
		if neg {
			s = "-" + s
		}
		return s
	}
	refScaled := func(v int64, scale int) string {
		mag, neg := uint64(v), v < 0
		if neg {
			mag = uint64(-(v + 1)) + 1
		}
		if scale <= 0 {
			return fmt.Sprint(v)
		}
		p := uint64(1)
		for range scale {
			p *= 10
		}
		s := fmt.Sprint(mag / p)
		if frac := mag % p; frac != 0 {
			s += "." + strings.TrimRight(fmt.Sprintf("%0*d", scale, frac), "0")
		}
		if neg {
			s = "-" + s
		}
		return s
	}
	vals := []int64{0, 1, -1, 5, 9, 10, 49, 50, 99, 100, 101, 999_999, 1_000_000, 1_000_001, 9_999_999_999, 10_000_000_000,
		math.MaxInt64, math.MinInt64, -math.MaxInt64, 100_000_000_000_000}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := r.Int64() >> r.IntN(63)
		if r.IntN(2) == 0 {
			v = -v
		}
		vals = append(vals, v)
	}
	for _, v := range vals {
		if got, want := enterprise.FormatFen(v), refFen(v); got != want {
			t.Fatalf("FormatFen(%d) = %q, want %q", v, got, want)
		}
		for scale := 0; scale <= 6; scale++ {
			if got, want := enterprise.FormatScaled(v, scale), refScaled(v, scale); got != want {
				t.Fatalf("FormatScaled(%d, %d) = %q, want %q", v, scale, got, want)
			}
		}
	}
}
