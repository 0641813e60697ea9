package office

import (
	"archive/zip"
	"bytes"
	"testing"
)

func archive(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<x/>"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestValid(t *testing.T) {
	docx := archive(t, "[Content_Types].xml", "word/document.xml")
	xlsx := archive(t, "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	other := archive(t, "readme.txt", "setup.exe")
	cases := []struct {
		ext  string
		data []byte
		want bool
	}{
		{".docx", docx, true},
		{".DOCX", docx, true},
		{".xlsx", xlsx, true},
		{".docx", xlsx, false}, // a workbook named .docx
		{".xlsx", other, false},
		{".docx", archive(t, "word/document.xml"), false}, // no content types
		{".docx", []byte("PK\x03\x04 not really a zip"), false},
		{".pdf", docx, false},
	}
	for _, c := range cases {
		if got := Valid(c.ext, c.data); got != c.want {
			t.Errorf("Valid(%s, %d bytes) = %v, want %v", c.ext, len(c.data), got, c.want)
		}
	}
	if !IsOfficeExt(".pptx") || IsOfficeExt(".zip") {
		t.Error("IsOfficeExt")
	}
}
