package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
)

// multipartObjection builds a public objection form carrying files of the
// given sizes (each a valid PDF as far as sniffing goes).
func multipartObjection(t *testing.T, sizes ...int) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("name", "王五")
	mw.WriteField("contact", "wang@example.com")
	mw.WriteField("reason", "名单中企业的研发投入数据有误，请核实。")
	for i, n := range sizes {
		fw, err := mw.CreateFormFile("evidence", fmt.Sprintf("证据%d.pdf", i))
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(pdfBytes)
		fw.Write(bytes.Repeat([]byte{' '}, n-len(pdfBytes)))
	}
	mw.Close()
	return &body, mw.FormDataContentType()
}

// TestAwardUploadBodyIsBounded: the public objection form and the apply form
// read multipart bodies; without a bound on the whole body an anonymous
// caller could stream any amount to the server's temporary files. A body
// above the configured upload limit is refused with 413 and nothing is
// written, even when every single file is under the per-file limit.
func TestAwardUploadBodyIsBounded(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	w.Srv.Cfg.MaxUpload = 1 << 20
	count := func() (n int) {
		w.App.DB.R.QueryRow("SELECT (SELECT COUNT(*) FROM award_objections) + (SELECT COUNT(*) FROM award_evidence)").Scan(&n)
		return n
	}
	before := count()
	body, ct := multipartObjection(t, 400<<10, 400<<10, 400<<10)
	req := httptest.NewRequest("POST", fmt.Sprintf("/notices/%d/objections", id), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := w.anon().send(req); r.Code != http.StatusRequestEntityTooLarge || count() != before {
		t.Fatalf("1.2 MB objection under a 1 MB limit: %d, wrote %v", r.Code, count() != before)
	}
	// Within the limit the same form goes through.
	body, ct = multipartObjection(t, 200<<10)
	req = httptest.NewRequest("POST", fmt.Sprintf("/notices/%d/objections", id), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := w.anon().send(req); r.Code != http.StatusSeeOther || count() != before+2 {
		t.Fatalf("small objection: %d %s", r.Code, r.Body)
	}
}
