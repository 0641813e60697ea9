package office

import (
	"testing"

	"gaoxin/internal/office/officetest"
)

func TestValid(t *testing.T) {
	docx := officetest.Archive(t, "[Content_Types].xml", "word/document.xml")
	xlsx := officetest.Archive(t, "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	other := officetest.Archive(t, "readme.txt", "setup.exe")
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
		{".docx", officetest.Archive(t, "word/document.xml"), false}, // no content types
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
