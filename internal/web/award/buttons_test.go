package award_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"
	"time"

	webaward "gaoxin/internal/web/award"

	"gaoxin/internal/award"
)

// A button is shown only when pressing it can work: the next step of a
// programme whose notice period still runs says from when it can be
// confirmed, instead of a 确认 button that fails.
func TestConfirmButtonWaitsForTheNoticePeriod(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup := w.As("supervisor")
	page := sup.Get(fmt.Sprintf("/awards/programmes/%d", id))
	want(t, page, 200, "programme page")
	if bytes.Contains(page.Body, []byte(`id="advance"`)) {
		t.Error("the confirm button is shown during the notice period")
	}
	until := w.now.Add(5 * 24 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
	if !bytes.Contains(page.Body, []byte(`id="advance-blocked"`)) || !bytes.Contains(page.Body, []byte(until)) {
		t.Errorf("the page does not say the list can be confirmed from %s", until)
	}
	w.now = w.now.Add(6 * 24 * time.Hour)
	page = sup.Get(fmt.Sprintf("/awards/programmes/%d", id))
	if !bytes.Contains(page.Body, []byte(`id="advance"`)) {
		t.Fatal("no confirm button once the notice period is over")
	}
	want(t, sup.Form(fmt.Sprintf("/awards/programmes/%d/state", id), map[string][]string{"to": {"confirmed"}}), http.StatusSeeOther, "confirm")

	// The requester of a payment is not offered its approval; another
	// approver is.
	var grants struct{ Grants []award.Grant }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", id)).JSON(t, &grants)
	c := w.As("supervisor")
	c.Header = http.Header{"Idempotency-Key": {"own"}}
	var pay award.Payment
	r := c.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", grants.Grants[0].ID), award.PaymentRequest{AmountFen: 1_00})
	want(t, r, 201, "request payment")
	r.JSON(t, &pay)
	approve := []byte(fmt.Sprintf(`id="approve-%d"`, pay.ID))
	if page := sup.Get(fmt.Sprintf("/awards/programmes/%d", id)); bytes.Contains(page.Body, approve) {
		t.Error("the requester is offered to approve their own payment")
	}
	if page := w.As("leader").Get(fmt.Sprintf("/awards/programmes/%d", id)); !bytes.Contains(page.Body, approve) {
		t.Error("the leader is not offered to approve the supervisor's payment")
	}
}

// A reviewer assigned while the programme still takes applications sees
// when scoring opens, not a form the service refuses.
func TestScoringFormOnlyInReview(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	var p award.Programme
	r := sup.Do("POST", "/api/v1/award/programmes", programmeBody())
	want(t, r, 201, "create programme")
	r.JSON(t, &p)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "open"}), 200, "open")
	var a award.Application
	r = w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/applications", p.ID), webaward.ApplyRequest{Summary: "本企业研发投入强度较高，申请科技创新20强。",
		Contact: "张三", Files: []webaward.FileInput{{Name: "a.pdf", Base64: base64.StdEncoding.EncodeToString(pdfBytes)}}})
	want(t, r, 201, "apply")
	r.JSON(t, &a)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/check", a.ID), webaward.CheckRequest{Accept: true}), 200, "check")
	var g award.Assignment
	r = sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/assignments", a.ID), webaward.AssignRequest{ReviewerID: w.userID("reviewer")})
	want(t, r, 201, "assign")
	r.JSON(t, &g)
	rv := w.As("reviewer")
	page := rv.Get(fmt.Sprintf("/awards/assignments/%d", g.ID))
	want(t, page, 200, "assignment page")
	if bytes.Contains(page.Body, []byte(`id="submit-scores"`)) || !bytes.Contains(page.Body, []byte(`id="scoring-closed"`)) {
		t.Error("the scoring form is shown while the programme takes applications")
	}
	if list := rv.Get("/awards/reviews"); !bytes.Contains(list.Body, []byte("开放评分")) {
		t.Error("the reviews list does not say when scoring opens")
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "review"}), 200, "review")
	if page := rv.Get(fmt.Sprintf("/awards/assignments/%d", g.ID)); !bytes.Contains(page.Body, []byte(`id="submit-scores"`)) {
		t.Error("no scoring form in review")
	}
}
