package enterprise

import (
	"strconv"
	"testing"
)

func TestParseScaled(t *testing.T) {
	cases := []struct {
		in    string
		exp   int
		want  int64
		isErr bool
	}{
		{"0", 2, 0, false},
		{"1", 2, 100, false},
		{"1234.56", 2, 123456, false},
		{"1,234.56", 2, 123456, false},
		{"１，２３４．５６", 2, 123456, false},
		{" 12 345 ", 0, 12345, false},
		{"-3", 0, -3, false},
		{"+3", 0, 3, false},
		{"1.005", 2, 101, false},   // half away from zero
		{"1.004", 2, 100, false},   // rounds down
		{"-1.005", 2, -101, false}, // half away from zero for negatives
		{"1.2E+07", 0, 12000000, false},
		{"1.5e-1", 2, 15, false},
		{"12.3456", 6, 12345600, false}, // 万元 to fen
		{"0.000001", 6, 1, false},
		{"0.0000004", 6, 0, false},
		{".5", 0, 1, false},
		{"5.", 0, 5, false},
		{"9223372036854775807", 0, 9223372036854775807, false},
		{"9223372036854775808", 0, 0, true},
		{"100000000000000", 6, 0, true},
		{"", 0, 0, true},
		{"abc", 0, 0, true},
		{"1.2.3", 0, 0, true},
		{"12元", 0, 0, true},
		{"-", 0, 0, true},
		{".", 0, 0, true},
		{"1e999", 0, 0, true},
	}
	for _, c := range cases {
		got, err := ParseScaled(c.in, c.exp)
		if (err != nil) != c.isErr || (!c.isErr && got != c.want) {
			t.Errorf("ParseScaled(%q, %d) = %d, %v; want %d, err=%v", c.in, c.exp, got, err, c.want, c.isErr)
		}
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2023-01-16", "2023-01-16"},
		{"2023/1/6", "2023-01-06"},
		{"2023.1.6", "2023-01-06"},
		{"2023年1月16日", "2023-01-16"},
		{"２０２３－０１－１６", "2023-01-16"},
		{"20230116", "2023-01-16"},
		{"44942", "2023-01-16"}, // Excel serial
		{"44942.75", "2023-01-16"},
		{"61", "1900-03-01"},
		{"2024-02-29", "2024-02-29"},
		{"2023-01-16 08:30:00", "2023-01-16"},
		{"2023-02-29", ""},
		{"2023-13-01", ""},
		{"16/01/2023", ""},
		{"明天", ""},
		{"0", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := ParseDate(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %q, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// FuzzParseScaled checks that the cell parser never panics and agrees with
// strconv on plain integers.
func FuzzParseScaled(f *testing.F) {
	for _, s := range []string{"1,234.56", "１２３", "1.2E+07", "-0.005", "", "9223372036854775807", "1e-40", "..", "+-1"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, exp int) {
		if exp < -10 || exp > 10 {
			return
		}
		v, err := ParseScaled(s, exp)
		if err != nil {
			return
		}
		if exp == 0 {
			if n, perr := strconv.ParseInt(s, 10, 64); perr == nil && n != v {
				t.Fatalf("ParseScaled(%q, 0) = %d, strconv says %d", s, v, n)
			}
		}
		if _, d := ParseDate(s); d != nil && d.zh == "" {
			t.Fatal("date error without a message")
		}
	})
}
