package filecheck

import (
	"bytes"
	"strings"
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/office/officetest"
)

func TestCheck(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	docx := officetest.Archive(t, "[Content_Types].xml", "word/document.xml")
	all := []string{".pdf", ".png", ".jpg", ".docx", ".pptx", ".txt"}
	cases := []struct {
		name, file string
		data       []byte
		max        int64
		exts       []string
		serve      string // "" when refused
		problem    string // part of the Chinese reason
		tooLarge   bool
	}{
		{"pdf", "evidence.pdf", pdf, 1024, all, "application/pdf", "", false},
		{"png, upper-case extension", "photo.PNG", png, 1024, all, "image/png", "", false},
		{"docx served as a Word document", "报告.docx", docx, 4096, all, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "", false},
		{"too large", "evidence.pdf", pdf, 10, all, "", "超过大小上限 0 KiB", true},
		{"limit in MB", "evidence.pdf", bytes.Repeat(pdf, 1<<15), 1 << 20, all, "", "超过大小上限 1 MB", true},
		{"empty", "evidence.pdf", nil, 1024, all, "", "文件为空", false},
		{"exe", "tool.exe", []byte("MZ\x90\x00"), 1024, all, "", "不接受.exe 文件", false},
		{"no extension", "README", []byte("text"), 1024, all, "", "无扩展名", false},
		{"known kind this form does not take", "photo.gif", []byte("GIF89a"), 1024, all, "", "可上传：.pdf .png", false},
		{"html named pdf", "fake.pdf", []byte("<html><script>alert(1)</script></html>"), 1024, all, "", "与扩展名 .pdf 不符", false},
		{"png named jpg", "photo.jpg", png, 1024, all, "", "与扩展名 .jpg 不符", false},
		{"archive named docx", "报告.docx", officetest.Archive(t, "setup.exe"), 4096, all, "", "不是有效的 .docx 文档", false},
		{"workbook named pptx", "汇报.pptx", officetest.Archive(t, "[Content_Types].xml", "xl/workbook.xml"), 4096, all, "", "不是有效的 .pptx 文档", false},
	}
	for _, c := range cases {
		serve, p := Check(c.file, c.data, c.max, c.exts)
		switch {
		case c.serve != "" && (p != nil || serve != c.serve):
			t.Errorf("%s: %q %v, want %q", c.name, serve, p, c.serve)
		case c.serve == "" && p == nil:
			t.Errorf("%s: accepted as %q", c.name, serve)
		case p != nil && (!strings.Contains(p.ZH, c.problem) || p.EN == "" || p.TooLarge != c.tooLarge):
			t.Errorf("%s: %+v, want %q (too large %v)", c.name, p, c.problem, c.tooLarge)
		}
	}
}

func TestCheckAllNamesEachRefusedFile(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
	kept, err := CheckAll("files", []Upload{{"dir/方案.pdf", pdf}}, 2, 1<<20, []string{".pdf"})
	if err != nil || len(kept) != 1 || kept[0].Filename != "方案.pdf" || kept[0].ContentType != "application/pdf" || len(kept[0].SHA256) != 64 {
		t.Fatalf("kept %+v, %v", kept, err)
	}
	_, err = CheckAll("files", []Upload{{"a.pdf", pdf}, {"b.pdf", []byte("not a pdf")}, {"c.exe", pdf}}, 5, 1<<20, []string{".pdf"})
	e := errs.As(err)
	if e.Code != errs.Invalid || len(e.Details) != 2 || e.Details[0].Row != 2 || e.Details[1].Row != 3 || e.Details[1].Value != "c.exe" {
		t.Fatalf("refused: %+v", e)
	}
	if _, err := CheckAll("files", make([]Upload, 3), 2, 1<<20, nil); errs.As(err).Field != "files" {
		t.Fatalf("too many: %v", err)
	}
}
