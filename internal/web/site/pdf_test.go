package site_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pdfText is the text poppler's pdftotext reads out of a PDF; the test
// skips without it unless the browser tests are required (CI installs
// poppler-utils beside chromium).
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_BROWSER") == "1" {
			t.Fatal("pdftotext (poppler-utils) not installed but GAOXIN_REQUIRE_BROWSER=1")
		}
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// 公示 and 通报 download as PDF with their Chinese text: the notice by
// anyone, as its page is public; the zone-wide bulletin by staff only.
func TestNoticeAndBulletinAsPDF(t *testing.T) {
	h, pw := newDemoHarness(t)
	var list struct {
		Notices []struct {
			ID     int64  `json:"id"`
			NameZH string `json:"name_zh"`
		} `json:"notices"`
	}
	if err := json.Unmarshal(h.Anon().Get("/api/v1/award/notices").Body, &list); err != nil || len(list.Notices) == 0 {
		t.Fatalf("no notice in the demo: %v", err)
	}
	n := list.Notices[0]
	var notice struct {
		Winners []struct{ Name string } `json:"winners"`
	}
	h.Anon().Get("/api/v1/award/notices/"+strconv.FormatInt(n.ID, 10)).JSON(t, &notice)
	if len(notice.Winners) == 0 {
		t.Fatal("the demo notice lists no winners")
	}
	if page := h.Anon().Get("/notices/" + strconv.FormatInt(n.ID, 10)); !strings.Contains(string(page.Body), `href="/notices/`+strconv.FormatInt(n.ID, 10)+`/pdf"`) {
		t.Error("the notice page does not link its PDF")
	}
	r := h.Anon().Get("/notices/" + strconv.FormatInt(n.ID, 10) + "/pdf")
	if r.Code != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF-")) {
		t.Fatalf("notice PDF = %d %s", r.Code, r.Header.Get("Content-Type"))
	}
	if h.Anon().Get("/notices/999999/pdf").Code != http.StatusNotFound {
		t.Error("a PDF of no notice")
	}

	leader := h.AsWith("leader", pw["leader"])
	b := leader.Get("/plan/bulletin.pdf?year=2023&month=10")
	if b.Code != http.StatusOK || !bytes.HasPrefix(b.Body, []byte("%PDF-")) {
		t.Fatalf("bulletin PDF = %d", b.Code)
	}
	if code := h.AsWith("jfj", pw["jfj"]).Get("/plan/bulletin.pdf?year=2023&month=10").Code; code != http.StatusForbidden {
		t.Errorf("a unit gets the zone-wide bulletin PDF: %d", code)
	}

	text := pdfText(t, r.Body)
	for _, want := range []string{n.NameZH, "拟入选名单", notice.Winners[0].Name, "统一社会信用代码"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice PDF lacks %q:\n%s", want, text)
		}
	}
	text = pdfText(t, b.Body)
	for _, want := range []string{"2023 年 10 月工作计划督查通报", "经济发展局", "得分"} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin PDF lacks %q:\n%s", want, text)
		}
	}
}
