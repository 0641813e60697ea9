package chart

import (
	"html/template"
	"math"
	"unicode/utf8"
)

// Heat is a heat map: a grid of rows × columns whose cells are shaded by
// value (darker is more) and labelled with their text.
type Heat struct {
	Title  string
	Rows   []string
	Cols   []string
	Values [][]float64 // Values[row][col]; NaN for no value
	Labels [][]string  // each cell's text; "" or missing: the value
	Unit   string      // after each value in a cell's tooltip
}

// SVG renders the map.
func (c Heat) SVG() template.HTML {
	const pad, top, head, rowH = 8, 28, 26, 24
	labelW, cellW := 30, 48
	for _, r := range c.Rows {
		labelW = max(labelW, min(textWidth(r), 220)+12)
	}
	for _, col := range c.Cols {
		cellW = max(cellW, min(textWidth(col), 120)+10)
	}
	hi := 0.0
	for _, r := range c.Values {
		for _, v := range r {
			if !math.IsNaN(v) {
				hi = math.Max(hi, math.Abs(v))
			}
		}
	}
	// Wide enough for the title (13px: a little wider than textWidth's 11).
	w := max(pad*2+labelW+cellW*len(c.Cols), pad*2+textWidth(c.Title)*13/11+4)
	h := top + head + rowH*len(c.Rows) + pad
	b := svgBuf(make([]byte, 0, 256*(len(c.Rows)+1)*(len(c.Cols)+1)))
	title := esc(c.Title)
	b.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).i(w).s(" ").i(h).s(`" width="`).i(w).s(`" height="`).i(h).
		s(`" role="img" aria-label="`).s(title).s(`" class="chart heat">`)
	b.s(`<title>`).s(title).s(`</title>`)
	b.s(`<text x="`).i(pad).s(`" y="16" font-size="13" font-weight="600" fill="#1f2933">`).s(title).s(`</text>`)
	b.s(`<g font-size="11" fill="#1f2933" text-anchor="middle">`)
	for j, col := range c.Cols {
		b.s(`<text x="`).i(pad + labelW + cellW*j + cellW/2).s(`" y="`).i(top + head - 8).s(`">`).s(esc(clip(col, cellW-10))).s(`</text>`)
	}
	b.s(`</g><g font-size="11" fill="#1f2933" text-anchor="end">`)
	for i, r := range c.Rows {
		b.s(`<text x="`).i(pad + labelW - 6).s(`" y="`).i(top + head + rowH*i + 16).s(`">`).s(esc(clip(r, labelW-12))).s(`</text>`)
	}
	b.s(`</g><g font-size="11" text-anchor="middle">`)
	for i, r := range c.Rows {
		for j := range c.Cols {
			v := math.NaN()
			if i < len(c.Values) && j < len(c.Values[i]) {
				v = c.Values[i][j]
			}
			label := ""
			if i < len(c.Labels) && j < len(c.Labels[i]) {
				label = c.Labels[i][j]
			}
			if label == "" && !math.IsNaN(v) {
				label = fmtNum(v)
			}
			t := 0.0
			fill := "#f5f7fa"
			if !math.IsNaN(v) && hi > 0 {
				t = math.Abs(v) / hi
				fill = blend(0.08 + 0.87*t)
			}
			ink := "#1f2933"
			if t > 0.55 {
				ink = "#ffffff"
			}
			x, y := pad+labelW+cellW*j, top+head+rowH*i
			b.s(`<rect x="`).i(x).s(`" y="`).i(y).s(`" width="`).i(cellW - 2).s(`" height="`).i(rowH - 2).s(`" fill="`).s(fill).s(`">`)
			b.s(`<title>`).s(esc(r)).s(` × `).s(esc(c.Cols[j])).s(`: `).s(esc(label)).s(esc(c.Unit)).s(`</title></rect>`)
			b.s(`<text x="`).i(x + cellW/2 - 1).s(`" y="`).i(y + 15).s(`" fill="`).s(ink).s(`">`).s(esc(clip(label, cellW-6))).s(`</text>`)
		}
	}
	b.s(`</g></svg>`)
	return template.HTML(b)
}

// textWidth estimates the width of s at 11px: wide (CJK) characters 11,
// others 6.5.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 11
		} else {
			w += 6.5
		}
	}
	return int(math.Ceil(w))
}

// clip shortens s to about width pixels, ending in "…" when cut.
func clip(s string, width int) string {
	if textWidth(s) <= width {
		return s
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if textWidth(string(out))+textWidth(string(r))+11 > width {
			break
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out) + "…"
}
