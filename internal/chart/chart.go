// Package chart draws small SVG charts on the server: line charts for
// series over time and horizontal bar charts for rankings. Output is plain
// SVG text, so pages print, need no JavaScript, and tests read it.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Palette is the default series colours.
var Palette = []string{"#b3261e", "#2b6cb0", "#1b7f3b", "#b7791f", "#6b46c1", "#52606d"}

// Series is one line. A NaN value is a gap (no figure for that period).
type Series struct {
	Name   string
	Values []float64
	Color  string // default from Palette
	Dashed bool   // e.g. a target line
}

// Line is a line chart over shared x labels.
type Line struct {
	Title   string
	XLabels []string
	Series  []Series
	YUnit   string // appended to axis labels, e.g. "%" or "亿元"
	Width   int    // default 640
	Height  int    // default 260
}

// SVG renders the chart.
func (c Line) SVG() template.HTML {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 640
	}
	if h == 0 {
		h = 260
	}
	const left, right, top, bottom = 56, 16, 28, 48
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	n := len(c.XLabels)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(left) + pw/2
		}
		return float64(left) + pw*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(top) + ph*(1-(v-lo)/(hi-lo)) }
	// Written with appends rather than fmt: a detail page draws one per
	// request. The output is byte for byte what the Fprintf version wrote
	// (testdata holds it).
	b := svgBuf(make([]byte, 0, 4096))
	title := esc(c.Title)
	b.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).i(w).s(" ").i(h).s(`" width="`).i(w).s(`" height="`).i(h).
		s(`" role="img" aria-label="`).s(title).s(`" class="chart">`)
	b.s(`<title>`).s(title).s(`</title>`)
	b.s(`<text x="`).i(left).s(`" y="16" font-size="13" font-weight="600" fill="#1f2933">`).s(title).s(`</text>`)
	// Shared presentation attributes sit on groups, not on every element.
	b.s(`<g stroke="#e4e7eb">`)
	for _, t := range ticks {
		b.s(`<line x1="`).i(left).s(`" x2="`).i(w - right).s(`" y1="`).coord(y(t)).s(`" y2="`).coord(y(t)).s(`"/>`)
	}
	b.s(`</g><g font-size="11" fill="#66788a" text-anchor="end">`)
	yunit := esc(c.YUnit)
	for _, t := range ticks {
		b.s(`<text x="`).i(left - 6).s(`" y="`).coord(y(t) + 4).s(`">`).s(fmtNum(t)).s(yunit).s(`</text>`)
	}
	b.s(`</g>`)
	if lo < 0 && hi > 0 {
		b.s(`<line x1="`).i(left).s(`" x2="`).i(w - right).s(`" y1="`).f1(y(0)).s(`" y2="`).f1(y(0)).s(`" stroke="#9aa5b1"/>`)
	}
	step := 1
	if n > 12 {
		step = (n + 11) / 12
	}
	b.s(`<g font-size="11" fill="#66788a" text-anchor="middle">`)
	for i, l := range c.XLabels {
		if i%step == 0 || i == n-1 {
			b.s(`<text x="`).coord(x(i)).s(`" y="`).i(h - bottom + 16).s(`">`).s(esc(l)).s(`</text>`)
		}
	}
	b.s(`</g>`)
	pointsDrawn := false
	for si, s := range c.Series {
		color := s.Color
		if color == "" {
			color = Palette[si%len(Palette)]
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		name := esc(s.Name)
		b.s(`<path d="`)
		pen, first := false, true
		for i, v := range s.Values {
			if i >= n || math.IsNaN(v) || math.IsInf(v, 0) {
				pen = false
				continue
			}
			if !first {
				b.s(" ")
			}
			first = false
			if pen {
				b.s("L")
			} else {
				b.s("M")
			}
			b.coord(x(i)).s(" ").coord(y(v))
			pen = true
		}
		b.s(`" fill="none" stroke="`).s(color).s(`" stroke-width="2"`).s(dash).s(`><title>`).s(name).s(`</title></path>`)
		// Points with their values as tooltips mark the first solid series
		// only (the subject of the chart); the others are plain lines.
		if !s.Dashed && !pointsDrawn {
			pointsDrawn = true
			b.s(`<g fill="`).s(color).s(`">`)
			for i, v := range s.Values {
				if i < n && !math.IsNaN(v) && !math.IsInf(v, 0) {
					b.s(`<circle cx="`).coord(x(i)).s(`" cy="`).coord(y(v)).s(`" r="2.5"><title>`).s(name).s(" ").s(esc(c.XLabels[i])).
						s(": ").s(fmtNum(v)).s(yunit).s(`</title></circle>`)
				}
			}
			b.s(`</g>`)
		}
		lx := left + si*130
		b.s(`<line x1="`).i(lx).s(`" x2="`).i(lx + 18).s(`" y1="`).i(h - 12).s(`" y2="`).i(h - 12).s(`" stroke="`).s(color).s(`" stroke-width="2"`).s(dash).s(`/>`)
		b.s(`<text x="`).i(lx + 22).s(`" y="`).i(h - 8).s(`" font-size="11" fill="#1f2933">`).s(name).s(`</text>`)
	}
	b.s(`</svg>`)
	return template.HTML(b)
}

// svgBuf appends the parts of an SVG.
type svgBuf []byte

func (b *svgBuf) s(x string) *svgBuf { *b = append(*b, x...); return b }
func (b *svgBuf) i(x int) *svgBuf    { *b = strconv.AppendInt(*b, int64(x), 10); return b }

// f1 appends v with one decimal (fmt's %.1f).
func (b *svgBuf) f1(v float64) *svgBuf { *b = strconv.AppendFloat(*b, v, 'f', 1, 64); return b }

// coord appends a coordinate as coord prints it.
func (b *svgBuf) coord(v float64) *svgBuf {
	*b = strconv.AppendFloat(*b, v, 'f', 1, 64)
	if n := len(*b); n >= 2 && (*b)[n-2] == '.' && (*b)[n-1] == '0' {
		*b = (*b)[:n-2]
	}
	return b
}

// Bar is a horizontal bar chart, one bar per label.
type Bar struct {
	Title  string
	Labels []string
	Values []float64
	Unit   string
	Color  string
	Width  int // default 640
}

// SVG renders the chart.
func (c Bar) SVG() template.HTML {
	w := c.Width
	if w == 0 {
		w = 640
	}
	const left, right, top, row = 150, 70, 28, 22
	h := top + row*len(c.Labels) + 8
	color := c.Color
	if color == "" {
		color = Palette[1]
	}
	hi := 0.0
	for _, v := range c.Values {
		hi = math.Max(hi, math.Abs(v))
	}
	if hi == 0 {
		hi = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" class="chart">`, w, h, w, h, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title><text x="4" y="16" font-size="13" font-weight="600" fill="#1f2933">%s</text>`, esc(c.Title), esc(c.Title))
	for i, l := range c.Labels {
		v := 0.0
		if i < len(c.Values) {
			v = c.Values[i]
		}
		yy := top + i*row
		bw := float64(w-left-right) * math.Abs(v) / hi
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#1f2933">%s</text>`, left-6, yy+14, esc(l))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s" rx="2"><title>%s: %s%s</title></rect>`, left, yy+3, bw, row-8, color, esc(l), fmtNum(v), esc(c.Unit))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" fill="#52606d">%s%s</text>`, float64(left)+bw+4, yy+14, fmtNum(v), esc(c.Unit))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// coord prints a coordinate with at most one decimal.
func coord(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// fmtNum prints a number with at most two decimals and no trailing zeros.
func fmtNum(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi == lo {
		hi, lo = hi+1, lo-1
		if lo > 0 && lo < 1 {
			lo = 0
		}
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	start := math.Floor(lo/step) * step
	end := math.Ceil(hi/step) * step
	var out []float64
	for v := start; v <= end+step/2; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	if len(out) < 2 {
		out = append(out, start+step)
	}
	return out
}
