package xlsx

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"math"
	"strings"
	"testing"
)

// small is a minimal workbook; sheet and extra parts are added per case.
func small(sheet string, extra map[string]string) map[string]string {
	m := map[string]string{
		"xl/workbook.xml":            `<workbook><sheets><sheet r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml":       `<sst><si><t>a</t></si></sst>`,
		"xl/worksheets/sheet1.xml":   sheet,
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestLimits(t *testing.T) {
	bigSheet := `<worksheet><sheetData>` + strings.Repeat(`<row><c t="s"><v>0</v></c></row>`, 2000) + `</sheetData></worksheet>`
	plain := `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`
	for _, c := range []struct {
		name  string
		parts map[string]string
		lim   Limits
		ok    bool
	}{
		{"a big worksheet streams past the other bounds", small(bigSheet, nil), Limits{Unzipped: 1 << 20, Other: 4096, SharedStrings: 4096}, true},
		{"but not past the whole", small(bigSheet, nil), Limits{Unzipped: 32 << 10, Other: 4096, SharedStrings: 4096}, false},
		{"a large media part", small(plain, map[string]string{"xl/media/image1.png": strings.Repeat("x", 8192)}), Limits{Unzipped: 1 << 20, Other: 4096, SharedStrings: 4096}, false},
		{"large shared strings", small(plain, map[string]string{"xl/sharedStrings.xml": "<sst>" + strings.Repeat("<si><t>abcdefgh</t></si>", 1000) + "</sst>"}),
			Limits{Unzipped: 1 << 20, Other: 1 << 20, SharedStrings: 4096}, false},
		{"the other worksheets count only towards the whole", small(plain, map[string]string{"xl/worksheets/sheet2.xml": bigSheet}),
			Limits{Unzipped: 1 << 20, Other: 4096, SharedStrings: 4096}, true},
	} {
		x, err := Open(zipOf(t, c.parts), c.lim)
		switch {
		case c.ok && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case !c.ok && err != ErrTooLarge:
			t.Errorf("%s: got %v, want ErrTooLarge", c.name, err)
		}
		if x != nil {
			for x.Next() {
			}
			if x.Err() != nil {
				t.Errorf("%s: %v", c.name, x.Err())
			}
			x.Close()
		}
	}
	if _, err := Open(zipOf(t, small(plain, nil)), Limits{Unzipped: 1 << 20}); err == nil || err == ErrTooLarge {
		t.Errorf("zero bounds: %v", err)
	}
}

// TestDeclaredSizesCannotWrap: parts that declare sizes whose sum passes
// 2^64 are refused on the declared sizes, not let through by a wrapped sum.
func TestDeclaredSizesCannotWrap(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range small(`<worksheet><sheetData/></worksheet>`, nil) {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	body := []byte("<x/>")
	for _, name := range []string{"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"} {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: 1<<63 - 1})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	zw.Close()
	if _, err := Open(buf.Bytes(), Limits{Unzipped: math.MaxInt64, Other: 1 << 20, SharedStrings: 1 << 20}); err != ErrTooLarge {
		t.Fatalf("declared sizes summing past 2^64: %v", err)
	}
}

func TestColumnName(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: "A", 9: "I", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := ColumnName(n); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", n, got, want)
		}
		if c, _ := cellRef(want + "1"); n > 0 && c != n {
			t.Errorf("cellRef(%s1) = %d, want %d", want, c, n)
		}
	}
}
