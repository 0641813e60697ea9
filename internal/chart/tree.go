package chart

import (
	"html/template"
	"math"
)

// TreeNode is one box of a tree: a name, lines of figures under it, a
// link, and a shade (0–1) of its box.
type TreeNode struct {
	ID     string // the box's element id ("" for none)
	Label  string
	Lines  []string
	Href   string // "" for no link
	Parent int    // index of the parent in Nodes; -1 for a root
	Shade  float64
}

// Tree draws nodes left to right: roots in the first column, each level
// in the next, leaves stacked top to bottom in the order given and each
// parent centred on its children. Nodes come parents first (depth-first
// order keeps the branches untangled).
type Tree struct {
	Title    string
	Nodes    []TreeNode
	BoxWidth int // default 210
}

// SVG renders the tree.
func (c Tree) SVG() template.HTML {
	bw := c.BoxWidth
	if bw == 0 {
		bw = 210
	}
	const gap, pad, top, lineH = 36, 8, 30, 14
	n := len(c.Nodes)
	depth := make([]int, n)
	kids := make([][]int, n)
	lines, maxDepth := 0, 0
	for i, nd := range c.Nodes {
		if p := nd.Parent; p >= 0 && p < i {
			depth[i] = depth[p] + 1
			kids[p] = append(kids[p], i)
		}
		maxDepth = max(maxDepth, depth[i])
		lines = max(lines, len(nd.Lines))
	}
	boxH := 20 + lineH*lines
	slot := boxH + 10
	// Leaves take the next slot; a parent sits midway between its first
	// and last child (children come after their parent, so walk backwards).
	cy := make([]float64, n)
	next := 0
	for i := range c.Nodes {
		if len(kids[i]) == 0 {
			cy[i] = float64(top + next*slot + boxH/2)
			next++
		}
	}
	for i := n - 1; i >= 0; i-- {
		if k := kids[i]; len(k) > 0 {
			cy[i] = (cy[k[0]] + cy[k[len(k)-1]]) / 2
		}
	}
	w := pad*2 + (maxDepth+1)*(bw+gap) - gap
	h := top + max(next, 1)*slot + pad
	x := func(i int) int { return pad + depth[i]*(bw+gap) }

	b := svgBuf(make([]byte, 0, 512*max(n, 1)))
	title := esc(c.Title)
	b.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).i(w).s(" ").i(h).s(`" width="`).i(w).s(`" height="`).i(h).
		s(`" role="group" aria-label="`).s(title).s(`" class="chart tree">`)
	b.s(`<title>`).s(title).s(`</title>`)
	b.s(`<text x="`).i(pad).s(`" y="16" font-size="13" font-weight="600" fill="#1f2933">`).s(title).s(`</text>`)
	// Elbow connectors from each parent's right edge to its children.
	b.s(`<g fill="none" stroke="#9aa5b1">`)
	for i := range c.Nodes {
		for _, k := range kids[i] {
			x0, x1 := x(i)+bw, x(k)
			mid := x0 + gap/2
			b.s(`<path d="M`).i(x0).s(" ").coord(cy[i]).s("H").i(mid).s("V").coord(cy[k]).s("H").i(x1).s(`"/>`)
		}
	}
	b.s(`</g>`)
	for i, nd := range c.Nodes {
		if nd.Href != "" {
			b.s(`<a href="`).s(esc(nd.Href)).s(`">`)
		}
		b.s(`<g`)
		if nd.ID != "" {
			b.s(` id="`).s(esc(nd.ID)).s(`"`)
		}
		b.s(` class="node">`)
		b.s(`<title>`).s(esc(nd.Label)).s(`</title>`)
		y0 := cy[i] - float64(boxH)/2
		shade := math.Max(0, math.Min(1, nd.Shade))
		b.s(`<rect x="`).i(x(i)).s(`" y="`).coord(y0).s(`" width="`).i(bw).s(`" height="`).i(boxH).
			s(`" rx="4" fill="`).s(blend(shade * 0.35)).s(`" stroke="#2b6cb0"/>`)
		b.s(`<text x="`).i(x(i) + 6).s(`" y="`).coord(y0 + 15).s(`" font-size="12" font-weight="600" fill="#1f2933">`).s(esc(nd.Label)).s(`</text>`)
		for j, l := range nd.Lines {
			b.s(`<text x="`).i(x(i) + 6).s(`" y="`).coord(y0 + 15 + float64(lineH*(j+1))).s(`" font-size="11" fill="#3e4c59">`).s(esc(l)).s(`</text>`)
		}
		b.s(`</g>`)
		if nd.Href != "" {
			b.s(`</a>`)
		}
	}
	b.s(`</svg>`)
	return template.HTML(b)
}

// blend is the brand blue at share t (0–1) over white, as #rrggbb.
func blend(t float64) string {
	const r, g, bl = 0x2b, 0x6c, 0xb0
	mix := func(c int) int { return int(math.Round(255 + (float64(c)-255)*t)) }
	const hex = "0123456789abcdef"
	out := []byte{'#', 0, 0, 0, 0, 0, 0}
	for k, c := range []int{mix(r), mix(g), mix(bl)} {
		out[1+2*k], out[2+2*k] = hex[c>>4], hex[c&15]
	}
	return string(out)
}
