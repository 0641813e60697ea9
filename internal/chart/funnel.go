package chart

import (
	"html/template"
	"strconv"
)

// Band is one stage of a funnel.
type Band struct {
	Label string // the stage's name, at the left
	Value int64  // its count; the band's width is in proportion
	Note  string // beside the count at the right (e.g. "占上一级 45%")
}

// Funnel is a funnel chart: one band per stage, top to bottom, each as
// wide as its count against the largest, narrowing into the next band.
type Funnel struct {
	Title string
	Bands []Band
	Color string // default Palette[1]
	Width int    // default 720
}

// SVG renders the chart.
func (c Funnel) SVG() template.HTML {
	w := c.Width
	if w == 0 {
		w = 720
	}
	color := c.Color
	if color == "" {
		color = Palette[1]
	}
	const top, bandH, gap, labelW, noteW = 28, 40, 4, 210, 140
	h := top + len(c.Bands)*(bandH+gap) + 8
	area := float64(w - labelW - noteW)
	mid := float64(labelW) + area/2
	var most int64
	for _, b := range c.Bands {
		most = max(most, b.Value)
	}
	// An empty stage keeps a sliver so the funnel stays whole.
	width := func(v int64) float64 {
		if most <= 0 {
			return area * 0.06
		}
		return max(area*float64(v)/float64(most), area*0.06)
	}
	b := svgBuf(make([]byte, 0, 2048))
	title := esc(c.Title)
	b.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).i(w).s(" ").i(h).s(`" width="`).i(w).s(`" height="`).i(h).
		s(`" role="img" aria-label="`).s(title).s(`" class="chart funnel">`)
	b.s(`<title>`).s(title).s(`</title>`)
	b.s(`<text x="0" y="16" font-size="13" font-weight="600" fill="#1f2933">`).s(title).s(`</text>`)
	for i, band := range c.Bands {
		y0 := float64(top + i*(bandH+gap))
		y1 := y0 + bandH
		wt := width(band.Value)
		wb := wt * 0.8
		if i+1 < len(c.Bands) {
			wb = min(wt, width(c.Bands[i+1].Value))
		}
		b.s(`<g class="band"><polygon points="`).
			coord(mid - wt/2).s(",").coord(y0).s(" ").coord(mid + wt/2).s(",").coord(y0).s(" ").
			coord(mid + wb/2).s(",").coord(y1).s(" ").coord(mid - wb/2).s(",").coord(y1).
			s(`" fill="`).s(esc(color)).s(`" fill-opacity="`).s(strconv.FormatFloat(0.95-0.1*float64(i%6), 'f', 2, 64)).s(`"/>`)
		b.s(`<text x="`).i(labelW - 8).s(`" y="`).coord(y0 + bandH/2 + 5).s(`" font-size="13" text-anchor="end" fill="#1f2933">`).s(esc(band.Label)).s(`</text>`)
		b.s(`<text x="`).coord(mid).s(`" y="`).coord(y0 + bandH/2 + 5).s(`" font-size="14" font-weight="600" text-anchor="middle" fill="#fff" stroke="#1f2933" stroke-width="0.6" paint-order="stroke">`).
			s(strconv.FormatInt(band.Value, 10)).s(`</text>`)
		if band.Note != "" {
			b.s(`<text x="`).i(w - noteW + 8).s(`" y="`).coord(y0 + bandH/2 + 5).s(`" font-size="12" fill="#52606d">`).s(esc(band.Note)).s(`</text>`)
		}
		b.s(`</g>`)
	}
	b.s(`</svg>`)
	return template.HTML(b)
}
