package award_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	webaward "gaoxin/internal/web/award"

	"gaoxin/internal/award"
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
	if r := w.Anon().Send(req); r.Code != http.StatusRequestEntityTooLarge || count() != before {
		t.Fatalf("1.2 MB objection under a 1 MB limit: %d, wrote %v", r.Code, count() != before)
	}
	// Within the limit the same form goes through.
	body, ct = multipartObjection(t, 200<<10)
	req = httptest.NewRequest("POST", fmt.Sprintf("/notices/%d/objections", id), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := w.Anon().Send(req); r.Code != http.StatusOK || count() != before+2 {
		t.Fatalf("small objection: %d %s", r.Code, r.Body)
	}
}

// TestAwardStateSkipsRefused tries the steps out of order and the objects of
// others over the API: scoring or recusing once the programme left review,
// granting before confirmation, editing or re-ranking a published list, an
// enterprise reading another's evidence by id, objecting after
// confirmation. Each is refused.
func TestAwardStateSkipsRefused(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup := w.As("supervisor")
	var apps struct{ Applications []award.Application }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/applications", id)).JSON(t, &apps)
	var a1, a2 award.Application
	for _, a := range apps.Applications {
		full, err := w.App.Award.Application(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.EnterpriseID == w.e1 {
			a1 = full
		} else {
			a2 = full
		}
	}
	gs, _ := w.App.Award.Assignments(t.Context(), w.userID("reviewer"), 0)
	var mine int64
	for _, g := range gs {
		if g.ApplicationID == a2.ID {
			mine = g.ID
		}
	}
	scores := webaward.ScoresRequest{Scores: []award.Score{{Criterion: "inno", Value: "1"}, {Criterion: "mgmt", Value: "1"}}}
	want(t, w.As("reviewer").Do("PUT", fmt.Sprintf("/api/v1/award/assignments/%d/scores", mine), scores), 409, "scoring on notice")
	want(t, w.As("reviewer").Do("POST", fmt.Sprintf("/api/v1/award/assignments/%d/recuse", mine), webaward.ReasonRequest{Reason: "公示期才发现关联"}), 409, "recusing on notice")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/grants", id), webaward.GrantRequest{EnterpriseID: w.e1, AmountFen: 1, Basis: "x"}), 409, "grant on notice")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/rank", id), nil), 409, "re-rank on notice without an objection")
	want(t, sup.Do("PUT", fmt.Sprintf("/api/v1/award/programmes/%d", id), programmeBody()), 409, "editing a published programme")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/check", a1.ID), webaward.CheckRequest{Accept: false, Reason: "补退"}), 409, "re-checking after review")
	// The enterprise of a2 cannot fetch a1's evidence by id, nor its page.
	want(t, w.As("enterprise2").Get(fmt.Sprintf("/awards/evidence/%d", a1.Evidence[0].ID)), 404, "another enterprise's evidence (page route)")
	w.now = w.now.Add(6 * 24 * time.Hour)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	want(t, w.Anon().Do("POST", fmt.Sprintf("/api/v1/award/notices/%d/objections", id), webaward.ObjectionRequest{NewObjection: award.NewObjection{Name: "迟到", Contact: "x", Reason: "认定之后才提出的异议。"}}), 409, "objection after confirmation")
	var objs struct{ Objections []award.Objection }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/objections", id)).JSON(t, &objs)
	if len(objs.Objections) != 0 {
		t.Fatalf("objections = %+v", objs)
	}
}
