package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type numbered struct {
	num   int
	cells []string
}

func readAll(t *testing.T, data []byte) []numbered {
	t.Helper()
	x, err := Open(data, Within(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var out []numbered
	for x.Next() {
		out = append(out, numbered{x.Num(), slices.Clone(x.Row())})
	}
	if err := x.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// excelizeRows is what excelize reads, raw, without the empty rows and
// trailing empty cells it reports and this package does not.
func excelizeRows(t *testing.T, data []byte) []numbered {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var out []numbered
	n := 0
	for rs.Next() {
		n++
		cols, err := rs.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for len(cols) > 0 && cols[len(cols)-1] == "" {
			cols = cols[:len(cols)-1]
		}
		if len(cols) > 0 {
			out = append(out, numbered{n, cols})
		}
	}
	return out
}

func same(a, b []numbered) bool {
	return slices.EqualFunc(a, b, func(x, y numbered) bool { return x.num == y.num && slices.Equal(x.cells, y.cells) })
}

// Files written by excelize, both ways it writes strings (the shared table
// through SetCellValue, inline through the stream writer), read the same
// as excelize reads them: text with markup characters, Chinese, numbers,
// booleans, formulas, gaps between rows and between cells.
func TestSameAsExcelize(t *testing.T) {
	values := [][]any{
		{"2024 年度企业主要经济指标", nil, nil},
		{"统一社会信用代码", "企业名称", "营业收入（万元）", "备注"},
		{"91410100MA44A7KX3A", "甲 & 乙 <科技> \"有限\" 'x'", 1234.5, true},
		nil,
		{"91410100MA44A7KX3A", nil, "1,234.50", false, nil, "far"},
		{" 前后空格 ", "line1\nline2", 45000, 0.1 + 0.2},
	}
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			f := excelize.NewFile()
			if stream {
				sw, err := f.NewStreamWriter("Sheet1")
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range values {
					if row == nil {
						continue
					}
					cell, _ := excelize.CoordinatesToCellName(1, i+1)
					if err := sw.SetRow(cell, row); err != nil {
						t.Fatal(err)
					}
				}
				sw.Flush()
			} else {
				for i, row := range values {
					for j, v := range row {
						if v == nil {
							continue
						}
						cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
						f.SetCellValue("Sheet1", cell, v)
					}
				}
				f.SetCellFormula("Sheet1", "H3", "C3*2")
				f.NewSheet("Other")
				f.SetCellValue("Other", "A1", "not the first sheet")
			}
			var buf bytes.Buffer
			f.Write(&buf)
			got, want := readAll(t, buf.Bytes()), excelizeRows(t, buf.Bytes())
			if !same(got, want) {
				t.Fatalf("read\n%+v\nexcelize\n%+v", got, want)
			}
			if len(got) != 5 || got[3].num != 5 || got[1].cells[0] != "统一社会信用代码" {
				t.Fatalf("rows %+v", got)
			}
		})
	}
}

// zipOf builds a workbook from its parts.
func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// What other programs write: prefixed element names, a workbook in another
// folder named by the package relationships, an absolute target, rich
// text with a phonetic guide, character references, CDATA, comments,
// cells without references, formulas with cached results, error values,
// single-quoted attributes and a '>' inside an attribute value.
func TestOtherWriters(t *testing.T) {
	parts := map[string]string{
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="book/wb.xml"/></Relationships>`,
		"book/wb.xml": `<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="数据" sheetId="7" rel:id="rIdB"/><x:sheet name="说明" sheetId="1" rel:id="rIdA"/></x:sheets></x:workbook>`,
		"book/_rels/wb.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="notes.xml"/>
<Relationship Id='rIdB' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet' Target='/book/sheets/data.xml'/>
<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>`,
		"book/strings.xml": `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3">
<x:si><x:t>企业名称</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">郑州 </x:t></x:r><x:r><x:t>高新</x:t></x:r><x:rPh sb="0" eb="2"><x:t>ヨミ</x:t></x:rPh><x:phoneticPr fontId="1"/></x:si>
<x:si><x:t/></x:si></x:sst>`,
		"book/notes.xml": `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
		"book/sheets/data.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- written by hand -->
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:E9"/>
<x:sheetData>
<x:row r="2" spans="1:5"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="s" s="3"><x:v>1</x:v></x:c><x:c r="C2" t="s"><x:v>2</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:t>&#x7532;&#20057;&amp;&lt;&gt;&quot;&apos;</x:t></x:is></x:c><x:c><x:v>  42 </x:v></x:c><x:c t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="9"><x:c r="E9" s="1" note='a>b'><x:v><![CDATA[45000]]></x:v></x:c><x:c r="F9" s="2"/></x:row>
<x:row r="10"/>
</x:sheetData><x:mergeCells count="0"/></x:worksheet>`,
	}
	x, err := Open(zipOf(t, parts), Within(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if x.Dimension() != 9 {
		t.Fatalf("dimension %d", x.Dimension())
	}
	x.Close()
	got := readAll(t, zipOf(t, parts))
	want := []numbered{
		{2, []string{"企业名称", "郑州 高新"}},
		{3, []string{"甲乙&<>\"'", "  42 ", "ab", "#N/A", "1"}},
		{9, []string{"", "", "", "", "45000"}},
		{10, nil},
	}
	if !same(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
}

// Broken or foreign input is refused with an error, never a panic or a
// silent short read.
func TestRefused(t *testing.T) {
	good := map[string]string{
		"xl/workbook.xml":            `<workbook><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml":       `<sst><si><t>a</t></si></sst>`,
		"xl/worksheets/sheet1.xml":   `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
	}
	if got := readAll(t, zipOf(t, good)); len(got) != 1 || got[0].cells[0] != "a" {
		t.Fatalf("the good file: %+v", got)
	}
	if _, err := Open([]byte("not a zip"), Within(1<<20)); err != ErrNotXLSX {
		t.Fatalf("not a zip: %v", err)
	}
	noSheet := maps(good, "xl/worksheets/sheet1.xml", "")
	if _, err := Open(zipOf(t, noSheet), Within(1<<20)); err != ErrNotXLSX {
		t.Fatalf("no worksheet: %v", err)
	}
	big := maps(good, "xl/sharedStrings.xml", "<sst>"+strings.Repeat("<si><t>abcdefgh</t></si>", 1000)+"</sst>")
	if _, err := Open(zipOf(t, big), Within(4096)); err != ErrTooLarge {
		t.Fatal("shared strings over the limit accepted")
	}
	for name, sheet := range map[string]string{
		"missing shared string": `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData></worksheet>`,
		"bad row number":        `<worksheet><sheetData><row r="x"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		"bad cell reference":    `<worksheet><sheetData><row r="1"><c r="11"><v>1</v></c></row></sheetData></worksheet>`,
		"cut short":             `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v>`,
		"bad entity":            `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nope;</t></is></c></row></sheetData></worksheet>`,
		"column beyond XFD":     `<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`,
	} {
		x, err := Open(zipOf(t, maps(good, "xl/worksheets/sheet1.xml", sheet)), Within(1<<20))
		if err != nil {
			t.Fatalf("%s: open: %v", name, err)
		}
		for x.Next() {
		}
		if x.Err() == nil {
			t.Errorf("%s: no error", name)
		}
		x.Close()
	}
}

// maps returns a copy of m with key set to v, or removed when v is empty.
func maps(m map[string]string, key, v string) map[string]string {
	out := map[string]string{}
	for k, x := range m {
		out[k] = x
	}
	if v == "" {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

func FuzzOpen(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b</t></is></c><c><v>1</v></c></row></sheetData></worksheet>`)
	f.Add(`<worksheet><sheetData><row><c t="s"><v>0</v></c></row><row r="3"/></sheetData></worksheet>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		data := zipOf(t, map[string]string{
			"xl/workbook.xml":            `<workbook><sheets><sheet r:id="r1"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="r1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
			"xl/sharedStrings.xml":       `<sst><si><t>a</t></si></sst>`,
			"xl/worksheets/sheet1.xml":   sheet,
		})
		x, err := Open(data, Within(1<<20))
		if err != nil {
			return
		}
		defer x.Close()
		last := 0
		for x.Next() {
			if x.Num() < 1 || len(x.Row()) > 16384 {
				t.Fatalf("row %d with %d cells", x.Num(), len(x.Row()))
			}
			last = x.Num()
		}
		_ = last
	})
}

// A cell with an invisible direction override or zero-width character
// stops the sheet at that cell, naming its row and column; the rows before
// it were read as usual.
func TestHiddenCharacterRefused(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "企业名称")
	f.SetCellValue("Sheet1", "A2", "郑州某某科技有限公司")
	f.SetCellValue("Sheet1", "C3", "郑州某某\u200b科技有限公司")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := Open(buf.Bytes(), Within(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for x.Next() {
		rows++
	}
	h, ok := errors.AsType[*HiddenError](x.Err())
	if !ok || h.Row != 3 || h.Column != "C" || h.Rune != 0x200B || rows != 2 {
		t.Fatalf("after %d rows: %v, want the zero-width space at C3 after 2 rows", rows, x.Err())
	}
}
