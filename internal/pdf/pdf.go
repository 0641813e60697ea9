// Package pdf writes plain A4 documents of Chinese and English text:
// headings, paragraphs and ruled tables, for the notices and bulletins a
// zone files on paper or sends as attachments.
//
// The text is set in STSong-Light, one of the Adobe-GB1 fonts that PDF
// readers supply themselves (every reader that shows Chinese does), with
// the UniGB-UCS2-H encoding; no font is embedded, so a document stays a
// few kilobytes and no font file ships with the binary. Widths are those
// of the font's metrics: Chinese characters one em, Latin letters and
// digits half an em.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
)

// A4 in points, and the margins.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 56.0
	bottom       = 56.0
)

// Doc is a document being written, page by page.
type Doc struct {
	title string
	pages []*bytes.Buffer
	page  *bytes.Buffer
	y     float64 // the baseline of the next line, from the bottom
}

// New starts a document with a title (kept in its properties).
func New(title string) *Doc {
	d := &Doc{title: title}
	d.newPage()
	return d
}

func (d *Doc) newPage() {
	d.page = &bytes.Buffer{}
	d.pages = append(d.pages, d.page)
	d.y = pageH - margin
}

// room starts a new page unless h points are left above the bottom margin.
func (d *Doc) room(h float64) {
	if d.y-h < bottom {
		d.newPage()
	}
}

// width is the advance of s at size: one em for a character outside
// ASCII, half an em inside it.
func width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += size / 2
		} else {
			w += size
		}
	}
	return w
}

// wrap breaks s into lines no wider than max at size, at any character
// (Chinese has no spaces to break at) but keeping Latin words whole where
// they fit.
func wrap(s string, size, max float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var line []rune
		w := 0.0
		runes := []rune(para)
		for i := 0; i < len(runes); i++ {
			r := runes[i]
			rw := width(string(r), size)
			if w+rw > max && len(line) > 0 {
				// Move a Latin word cut in two to the next line.
				cut := len(line)
				if r != ' ' && r < 0x80 {
					for cut > 0 && line[cut-1] != ' ' && line[cut-1] < 0x80 {
						cut--
					}
					if cut == 0 {
						cut = len(line)
					}
				}
				lines = append(lines, strings.TrimRight(string(line[:cut]), " "))
				line = append([]rune(nil), line[cut:]...)
				w = width(string(line), size)
			}
			line = append(line, r)
			w += rw
		}
		lines = append(lines, string(line))
	}
	return lines
}

// text writes one line at x, y.
func (d *Doc) text(x, y, size float64, s string) {
	fmt.Fprintf(d.page, "BT /F1 %.1f Tf %.2f %.2f Td <%s> Tj ET\n", size, x, y, ucs2(s))
}

// gbForm maps characters the Adobe-GB1 character set lacks to the ones it
// has for the same mark: the middle dot and the bullet to the full-width
// middle dot, the minus sign to the full-width hyphen-minus.
var gbForm = map[rune]rune{0x00B7: 0x30FB, 0x2022: 0x30FB, 0x2212: 0xFF0D}

// ucs2 is s as UTF-16BE hex, the font's encoding; a character beyond the
// Basic Multilingual Plane, which UCS-2 cannot name, becomes a question
// mark.
func ucs2(s string) string {
	var b strings.Builder
	for _, r := range s {
		if g, ok := gbForm[r]; ok {
			r = g
		}
		if r > 0xFFFF || utf16.IsSurrogate(r) {
			r = '?'
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

// Heading writes a title line at 16 points, or a section heading at 12.
func (d *Doc) Heading(s string, level int) {
	size := 16.0
	if level > 1 {
		size = 12
	}
	for _, l := range wrap(s, size, pageW-2*margin) {
		d.room(size * 1.6)
		d.y -= size * 1.2
		d.text(margin, d.y, size, l)
		d.y -= size * 0.4
	}
	d.y -= 4
}

// Para writes a paragraph at 10.5 points (五号), wrapped to the page.
func (d *Doc) Para(s string) {
	const size = 10.5
	for _, l := range wrap(s, size, pageW-2*margin) {
		d.room(size * 1.6)
		d.y -= size * 1.5
		d.text(margin, d.y, size, l)
	}
	d.y -= 6
}

// Table writes a ruled table at 9 points: the header row and rows, each
// column of the given share of the page's width, cells wrapped within
// their column; a table that runs over a page repeats its header.
func (d *Doc) Table(shares []float64, header []string, rows [][]string) {
	const size, pad = 9.0, 3.0
	total := 0.0
	for _, s := range shares {
		total += s
	}
	widths := make([]float64, len(shares))
	for i, s := range shares {
		widths[i] = s / total * (pageW - 2*margin)
	}
	head, headLines := cellLines(widths, header, size, pad)
	for i, r := range append([][]string{header}, rows...) {
		cells, lines := cellLines(widths, r, size, pad)
		if d.y-rowHeight(lines, size, pad) < bottom {
			d.newPage()
			if i > 0 {
				d.rowAt(widths, head, headLines, size, pad)
			}
		}
		d.rowAt(widths, cells, lines, size, pad)
	}
	d.y -= 8
}

// cellLines wraps each cell of a row within its column, and says how many
// lines the tallest cell takes.
func cellLines(widths []float64, cells []string, size, pad float64) ([][]string, int) {
	wrapped := make([][]string, len(widths))
	lines := 1
	for i := range widths {
		if i < len(cells) {
			wrapped[i] = wrap(cells[i], size, widths[i]-2*pad)
		}
		lines = max(lines, len(wrapped[i]))
	}
	return wrapped, lines
}

func rowHeight(lines int, size, pad float64) float64 { return float64(lines)*size*1.3 + 2*pad }

// rowAt draws one row of wrapped cells with its rules at the current
// position.
func (d *Doc) rowAt(widths []float64, wrapped [][]string, lines int, size, pad float64) {
	h := rowHeight(lines, size, pad)
	x := margin
	top := d.y
	fmt.Fprintf(d.page, "0.5 w %.2f %.2f %.2f %.2f re S\n", margin, top-h, pageW-2*margin, h)
	for i, w := range widths {
		if i > 0 {
			fmt.Fprintf(d.page, "%.2f %.2f m %.2f %.2f l S\n", x, top, x, top-h)
		}
		for j, l := range wrapped[i] {
			d.text(x+pad, top-pad-size-float64(j)*size*1.3+1, size, l)
		}
		x += w
	}
	d.y = top - h
}

// Bytes is the finished document.
func (d *Doc) Bytes() []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 info; then
	// each page and its content.
	kids := make([]string, len(d.pages))
	for i := range d.pages {
		kids[i] = fmt.Sprintf("%d 0 R", 7+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages)))
	obj("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>")
	obj("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>")
	obj("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	obj(fmt.Sprintf("<< /Title <FEFF%s> /Producer (gaoxin) >>", ucs2(d.title)))
	for i, p := range d.pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", pageW, pageH, 8+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", p.Len(), p.Bytes()))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
