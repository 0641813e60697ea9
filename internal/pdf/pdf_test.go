package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func sample() *Doc {
	d := New("2023 科技创新20强 公示")
	d.Heading("2023 科技创新20强（演示）拟奖励名单公示", 1)
	d.Para("公示期：2023-11-01 至 2023-11-08。对公示名单有异议的，请在公示期内通过平台提交异议，并附相关证明材料。R&D intensity is computed as R&D spending ÷ revenue.")
	var rows [][]string
	for i := 1; i <= 60; i++ {
		rows = append(rows, []string{strconv.Itoa(i), fmt.Sprintf("郑州演示第%d号科技有限公司", i), "91410100MA44A7KX3A", "86.2500", "A"})
	}
	d.Table([]float64{1, 5, 4, 2, 1}, []string{"名次", "企业名称", "统一社会信用代码", "总分", "分档"}, rows)
	d.Para("郑州高新技术产业开发区管理委员会")
	return d
}

// The file is a well-formed PDF: every cross-reference offset points at
// its object, the table runs over pages with its header repeated, and the
// text is there in the font's encoding.
func TestDocument(t *testing.T) {
	b := sample().Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatal("not a PDF")
	}
	start, err := strconv.Atoi(regexp.MustCompile(`startxref\n(\d+)`).FindStringSubmatch(string(b))[1])
	if err != nil || !bytes.HasPrefix(b[start:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the table", start)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllStringSubmatch(string(b[start:]), -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(e[1])
		if want := fmt.Sprintf("%d 0 obj", i+1); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i+1, b[off:off+10])
		}
	}
	if n := bytes.Count(b, []byte("/Type /Page ")); n < 2 {
		t.Fatalf("%d pages: 60 rows should run over", n)
	}
	if n := bytes.Count(b, []byte("<"+ucs2("统一社会信用代码")+">")); n < 2 {
		t.Fatalf("the header appears %d times, want once per page", n)
	}
	if !bytes.Contains(b, []byte("<"+ucs2("公示期：2023-11-01 至 2023-11-08。对公示名单有异议的，请在公示期内通过平台提交异"))) {
		t.Fatal("the paragraph's first line is missing")
	}
}

// With poppler's pdftotext at hand, the words come back out as Chinese.
func TestTextExtracts(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	f := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(f, sample().Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"拟奖励名单公示", "郑州演示第60号科技有限公司", "91410100MA44A7KX3A", "管理委员会"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("extracted text lacks %q:\n%s", want, out)
		}
	}
}

func TestWrap(t *testing.T) {
	lines := wrap("研发投入 ÷ 营业收入 R&D spending over revenue", 10, 60)
	for _, l := range lines {
		if width(l, 10) > 60 {
			t.Errorf("line %q is %.1f wide", l, width(l, 10))
		}
	}
	if strings.Join(lines, "") == "" || len(lines) < 3 {
		t.Fatalf("lines = %q", lines)
	}
	for _, l := range lines {
		if strings.HasSuffix(l, "spen") || strings.HasPrefix(l, "ding") {
			t.Errorf("a word was cut: %q", lines)
		}
	}
}
