package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
)

// DateTime formats Unix milliseconds in China time ("—" for zero).
func DateTime(ms int64) string {
	if ms == 0 {
		return "—"
	}
	return time.UnixMilli(ms).In(db.CST).Format("2006-01-02 15:04")
}

// Money formats fen the Chinese way: 元 below 万, 万元 below 亿, else 亿元,
// with two decimals.
func Money(fen int64) string { return enterprise.FormatFen(fen) }

// funcs are the template functions every page may call.
var funcs = template.FuncMap{
	"datetime": DateTime,
	"money":    Money,
	"add":      func(a, b int) int { return a + b },
	"pct":      func(v float64) string { return fmt.Sprintf("%.1f%%", v*100) },
	"join":     strings.Join,
	"growth":   Growth,
}

// Growth is cur on last as a percentage change (0 when last is 0).
func Growth(cur, last int64) float64 {
	if last == 0 {
		return 0
	}
	return float64(cur-last) * 100 / float64(last)
}
