// Package xlsx reads the first worksheet of an .xlsx workbook row by row,
// as the raw text of each cell: numbers and dates as stored (dates as
// Excel serials), shared and inline strings resolved, formulas as their
// cached results. It streams the sheet through a small XML scanner of its
// own instead of building the workbook: reading is most of an import's
// work, and a general XML decoder spends several times as long per cell.
package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/text"
)

// ErrNotXLSX means the data is not an .xlsx workbook with a worksheet.
var ErrNotXLSX = errors.New("xlsx: not an .xlsx workbook")

// Rows reads the rows of a workbook's first worksheet.
type Rows struct {
	sheet io.ReadCloser
	s     scanner
	sst   []string
	row   []string
	num   int // the current row's number, 1-based, as Excel shows it
	rows  int // the last row of the sheet's dimension, 0 if not given
	err   error
	done  bool
}

// Open opens data as a workbook and positions before its first
// worksheet's first row. The worksheet streams; the shared strings are kept,
// as strings. A workbook over lim is refused with ErrTooLarge before
// anything is inflated; one that is not a workbook with ErrNotXLSX.
func Open(data []byte, lim Limits) (*Rows, error) {
	if !lim.valid() {
		return nil, fmt.Errorf("xlsx: limits %+v: every bound must be above 0", lim)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrNotXLSX
	}
	if err := lim.check(zr); err != nil {
		return nil, err
	}
	limit := lim.Other
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))] = f
	}
	part := func(name string) ([]byte, error) {
		f := files[strings.ToLower(name)]
		if f == nil {
			return nil, ErrNotXLSX
		}
		rc, err := f.Open()
		if err != nil {
			return nil, ErrNotXLSX
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil {
			return nil, ErrNotXLSX
		}
		if int64(len(b)) > limit {
			return nil, ErrTooLarge
		}
		return b, nil
	}
	book := "xl/workbook.xml"
	if rels, err := part("_rels/.rels"); err == nil {
		for _, r := range relationships(rels) {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				book = strings.TrimPrefix(r.target, "/")
			}
		}
	}
	bookXML, err := part(book)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(book)
	relsXML, err := part(path.Join(dir, "_rels", path.Base(book)+".rels"))
	if err != nil {
		return nil, err
	}
	rels := relationships(relsXML)
	sheetID := firstSheet(bookXML)
	resolve := func(target string) string {
		if strings.HasPrefix(target, "/") {
			return target[1:]
		}
		return path.Join(dir, target)
	}
	var sheetPath, sstPath string
	for _, r := range rels {
		switch {
		case r.id == sheetID && sheetID != "":
			sheetPath = resolve(r.target)
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstPath = resolve(r.target)
		}
	}
	f := files[strings.ToLower(sheetPath)]
	if f == nil {
		return nil, ErrNotXLSX
	}
	x := &Rows{}
	if sf := files[strings.ToLower(sstPath)]; sf != nil {
		rc, err := sf.Open()
		if err != nil {
			return nil, ErrNotXLSX
		}
		lr := &io.LimitedReader{R: rc, N: lim.SharedStrings + 1}
		x.sst, err = sharedStrings(lr)
		rc.Close()
		if lr.N <= 0 {
			return nil, ErrTooLarge
		}
		if err != nil {
			return nil, err
		}
	}
	if x.sheet, err = f.Open(); err != nil {
		return nil, ErrNotXLSX
	}
	x.s.br = bufio.NewReaderSize(x.sheet, 64<<10)
	if err := x.seekData(); err != nil {
		x.sheet.Close()
		return nil, err
	}
	return x, nil
}

// seekData reads up to <sheetData>, taking the dimension on the way.
func (x *Rows) seekData() error {
	for {
		t := x.s.next()
		switch {
		case t.kind == tEOF:
			if x.s.err != nil {
				return ErrNotXLSX
			}
			x.done = true // a sheet without data
			return nil
		case t.kind == tStart && string(t.name) == "dimension":
			if ref := attr(t.attrs, "ref"); ref != "" {
				_, end, _ := strings.Cut(ref, ":")
				if end == "" {
					end = ref
				}
				_, x.rows = cellRef(end)
			}
		case t.kind == tStart && string(t.name) == "sheetData":
			if t.selfClose {
				x.done = true
			}
			return nil
		}
	}
}

// Dimension is the last row the sheet declares (0 when it declares none).
func (x *Rows) Dimension() int { return x.rows }

// Next reads the next row that has cells; false at the end or on error
// (see Err).
func (x *Rows) Next() bool {
	if x.done || x.err != nil {
		return false
	}
	for {
		t := x.s.next()
		switch t.kind {
		case tEOF:
			x.done = true
			if x.s.err != nil && x.s.err != io.EOF {
				x.err = x.s.err
			}
			return false
		case tEnd:
			if string(t.name) == "sheetData" {
				x.done = true
				return false
			}
		case tStart:
			if string(t.name) != "row" {
				continue
			}
			num := x.num + 1
			if r := attr(t.attrs, "r"); r != "" {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 {
					x.err = fmt.Errorf("xlsx: row %q: bad number", r)
					return false
				}
				num = n
			}
			x.num = num
			x.row = make([]string, 0, len(x.row))
			if t.selfClose {
				return true
			}
			if err := x.readRow(); err != nil {
				x.err = err
				return false
			}
			if err := x.checkHidden(); err != nil {
				x.err = err
				return false
			}
			return true
		}
	}
}

// readRow reads the cells up to </row>.
func (x *Rows) readRow() error {
	col := 0
	for {
		t := x.s.next()
		switch t.kind {
		case tEOF:
			return fmt.Errorf("xlsx: row %d: unexpected end of sheet", x.num)
		case tEnd:
			if string(t.name) == "row" {
				return nil
			}
		case tStart:
			if string(t.name) != "c" {
				if !t.selfClose {
					x.s.skip(t.name)
				}
				continue
			}
			if ref := attr(t.attrs, "r"); ref != "" {
				c, _ := cellRef(ref)
				if c < 1 {
					return fmt.Errorf("xlsx: row %d: bad cell reference %q", x.num, ref)
				}
				col = c
			} else {
				col++
			}
			typ := attr(t.attrs, "t")
			v := ""
			if !t.selfClose {
				var err error
				if v, err = x.readCell(typ); err != nil {
					return err
				}
			}
			if v == "" {
				continue
			}
			if col > 16384 {
				return fmt.Errorf("xlsx: row %d: column %d beyond XFD", x.num, col)
			}
			for len(x.row) < col {
				x.row = append(x.row, "")
			}
			x.row[col-1] = v
		}
	}
}

// readCell reads a cell's content up to </c> and returns its raw text.
func (x *Rows) readCell(typ string) (string, error) {
	var v, inline string
	for {
		t := x.s.next()
		switch t.kind {
		case tEOF:
			return "", fmt.Errorf("xlsx: row %d: unexpected end of sheet in a cell", x.num)
		case tEnd:
			if string(t.name) != "c" {
				continue
			}
			switch typ {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if v == "" {
					return "", nil
				}
				if err != nil || i < 0 || i >= len(x.sst) {
					return "", fmt.Errorf("xlsx: row %d: shared string %q missing", x.num, v)
				}
				return x.sst[i], nil
			case "inlineStr":
				return inline, nil
			}
			return v, nil
		case tStart:
			if t.selfClose {
				continue
			}
			switch string(t.name) {
			case "v":
				v = x.s.text("v")
			case "is":
				inline = x.s.richText("is")
			default:
				x.s.skip(t.name)
			}
		}
	}
}

// Row is the current row's cells, from column A to its last non-empty
// cell; valid until the next call to Next.
func (x *Rows) Row() []string { return x.row }

// Num is the current row's number as Excel shows it.
func (x *Rows) Num() int { return x.num }

// Err is the error that stopped Next, if any.
func (x *Rows) Err() error { return x.err }

// Close releases the sheet.
func (x *Rows) Close() error { return x.sheet.Close() }

// cellRef splits a reference like "AB12" into column (1-based) and row;
// 0 for a part that is missing or malformed.
func cellRef(ref string) (col, row int) {
	i := 0
	for i < len(ref) {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > 1<<20 {
			return 0, 0
		}
		i++
	}
	if i == 0 {
		col = 0
	}
	if i < len(ref) {
		row, _ = strconv.Atoi(ref[i:])
	}
	return col, row
}

type relationship struct{ id, typ, target string }

// relationships lists the Relationship elements of a .rels part.
func relationships(data []byte) []relationship {
	var out []relationship
	s := scanner{br: bufio.NewReader(bytes.NewReader(data))}
	for t := s.next(); t.kind != tEOF; t = s.next() {
		if t.kind == tStart && string(t.name) == "Relationship" {
			out = append(out, relationship{attr(t.attrs, "Id"), attr(t.attrs, "Type"), attr(t.attrs, "Target")})
		}
	}
	return out
}

// firstSheet is the relationship id of the workbook's first sheet.
func firstSheet(data []byte) string {
	s := scanner{br: bufio.NewReader(bytes.NewReader(data))}
	for t := s.next(); t.kind != tEOF; t = s.next() {
		if t.kind == tStart && string(t.name) == "sheet" {
			return prefixedAttr(t.attrs, "id")
		}
	}
	return ""
}

// sharedStrings reads the shared string table: each <si>'s text, runs
// joined, phonetic guides left out.
func sharedStrings(r io.Reader) ([]string, error) {
	s := scanner{br: bufio.NewReaderSize(r, 64<<10)}
	var out []string
	for t := s.next(); t.kind != tEOF; t = s.next() {
		if t.kind == tStart && string(t.name) == "si" {
			if t.selfClose {
				out = append(out, "")
				continue
			}
			out = append(out, s.richText("si"))
		}
	}
	if s.err != nil && s.err != io.EOF {
		return nil, ErrNotXLSX
	}
	return out, nil
}

// ColumnName is the letters Excel shows for a 1-based column number (1 →
// A, 27 → AA); "" for a number below 1.
func ColumnName(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append(b, byte('A'+n%26))
		n /= 26
	}
	slices.Reverse(b)
	return string(b)
}

// HiddenError is a cell holding a character that is not seen but changes
// how the text reads (internal/text): the sheet is refused at that cell.
type HiddenError struct {
	Row    int    // as Excel numbers it
	Column string // A, B, … AA
	Rune   rune
}

func (e *HiddenError) Error() string {
	return fmt.Sprintf("xlsx: cell %s%d holds the invisible character U+%04X", e.Column, e.Row, e.Rune)
}

// Messages says what is wrong in Chinese and in English, for the person
// who made the sheet.
func (e *HiddenError) Messages() (zh, en string) {
	return fmt.Sprintf("第 %d 行 %s 列含有不可见的方向控制或零宽字符（U+%04X），请删除后重新导入，未导入任何数据", e.Row, e.Column, e.Rune),
		fmt.Sprintf("row %d, column %s holds an invisible direction-control or zero-width character (U+%04X); delete it and import again: nothing imported", e.Row, e.Column, e.Rune)
}

// checkHidden refuses the row just read when a cell holds a hidden
// character.
func (x *Rows) checkHidden() error {
	for i, c := range x.row {
		for _, r := range c {
			if text.Hidden(r) {
				return &HiddenError{Row: x.num, Column: ColumnName(i + 1), Rune: r}
			}
		}
	}
	return nil
}
