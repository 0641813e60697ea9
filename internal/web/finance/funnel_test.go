package finance_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/finance"
)

// From a need posted through the form to money received, through the
// pages: the refused callers (another enterprise, an institution outside
// the fit, the public, a unit, an investor on another's match and notes)
// get 403, 404 or the login page, and nothing is written.
func TestNeedToMoneyReceivedThroughPages(t *testing.T) {
	w := newWorld(t)
	w.registered("vc1", institutionForm("中原科创投资有限公司", "9144030071526726XG"))
	outside := institutionForm("超硬材料产业基金", "91330100716105852F")
	outside.Set("chains", "nm") // 新材料: outside the sensor need's chain
	w.registered("vc2", outside)
	ent, ent2, vc1, vc2, sup := w.As("enterprise"), w.As("enterprise2"), w.As("vc1"), w.As("vc2"), w.As("supervisor")
	unit, anon := w.As("unit"), w.Anon()

	// Bad needs are refused by field, and nothing is written.
	for _, c := range []struct{ amount, unit, field string }{
		{"-5", "wan", "amount_fen"},       // negative
		{"20000000", "wan", "amount_fen"}, // 2,000 亿: above 1,000 亿
		{"12.345", "yuan", "amount_fen"},  // three decimals of 元
		{"0", "wan", "amount_fen"},        // nothing asked
		{"3000", "wan", ""},               // fine, but the title is missing below
	} {
		f := needForm()
		f.Set("amount", c.amount)
		f.Set("amount_unit", c.unit)
		if c.field == "" {
			f.Set("title", "")
			c.field = "title"
		}
		r := multipartForm(ent, "/finance/needs", f, nil)
		want(t, r, http.StatusBadRequest, "need of "+c.amount+" "+c.unit)
		has(t, r, "the refused need form (what was typed kept)", c.field, "新建一条 8 英寸 MEMS 产线")
	}
	want(t, multipartForm(vc1, "/finance/needs", needForm(), nil), http.StatusForbidden, "an investor posts a need")
	if n := w.count("SELECT COUNT(*) FROM finance_needs"); n != 0 {
		t.Fatalf("refused needs wrote %d", n)
	}

	// The need, with its pitch deck and a registry figure shared.
	f := needForm()
	f.Set("shared_figures", "revenue")
	r := multipartForm(ent, "/finance/needs", f, map[string][]byte{"商业计划书.pdf": []byte("%PDF-1.4 deck")})
	want(t, r, http.StatusSeeOther, "post the need")
	needID := idFrom(t, r, "/finance/needs/")
	need := "/finance/needs/" + needID
	page := ent.Get(need)
	want(t, page, http.StatusOK, "the owner's need page")
	has(t, page, "the owner's need page", "征集中", "3000.00 万元", "股权融资", "A 轮", "传感器", "商业计划书.pdf")
	file := regexpFind(t, page, `/finance/files/[0-9]+`)
	has(t, ent.Get("/finance/needs"), "the enterprise's list", "MEMS 传感器产线扩产")

	// Who may read it.
	want(t, ent2.Get(need), http.StatusNotFound, "another enterprise reads the need")
	want(t, vc2.Get(need), http.StatusNotFound, "an institution outside the fit reads the need")
	want(t, unit.Get(need), http.StatusForbidden, "a unit reads the need")
	if r := anon.Get(need); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("the public reads the need: %d %s", r.Code, r.Header.Get("Location"))
	}
	want(t, vc1.Get(need), http.StatusOK, "the fitting institution reads the need")
	want(t, vc1.Get(file), http.StatusOK, "the fitting institution downloads the deck")
	want(t, vc2.Get(file), http.StatusNotFound, "an institution outside the fit downloads the deck")
	want(t, ent2.Get(file), http.StatusNotFound, "another enterprise downloads the deck")
	lacks(t, ent2.Get("/finance/needs"), "another enterprise's list", "MEMS 传感器产线扩产")
	want(t, ent2.Get(need+"/matching"), http.StatusNotFound, "another enterprise reads the matching")
	want(t, vc1.Get(need+"/matching"), http.StatusForbidden, "an institution reads the matching")
	if r := vc2.Do("GET", "/api/v1/finance/needs/"+needID, nil); r.Code != http.StatusNotFound {
		t.Fatalf("API: an institution outside the fit reads the need: %d", r.Code)
	}

	// Matching lists the fitting institution with its reasons, not the other.
	m := ent.Get(need + "/matching")
	want(t, m, http.StatusOK, "the owner's matching page")
	has(t, m, "the matching page", "中原科创投资有限公司", "专注A 轮", "主力区间", "+20/20", "该产业链尚无到位案例")
	lacks(t, m, "the matching page", "超硬材料产业基金", `class="tag blue"`)
	has(t, sup.Get(need+"/matching"), "staff's matching page", "中原科创投资有限公司")
	has(t, vc1.Get("/finance/dashboard"), "the fitting institution's dashboard", "MEMS 传感器产线扩产")
	lacks(t, vc2.Get("/finance/dashboard"), "the outside institution's dashboard", "MEMS 传感器产线扩产")

	// Interest: only from an institution that sees the need.
	want(t, vc2.Form(need+"/interest", nil), http.StatusNotFound, "interest from outside the fit")
	want(t, ent2.Form(need+"/interest", nil), http.StatusForbidden, "interest from an enterprise")
	if n := w.count("SELECT COUNT(*) FROM finance_matches"); n != 0 {
		t.Fatalf("refused interest wrote %d matches", n)
	}
	r = vc1.Form(need+"/interest", url.Values{"note": {"关注传感器赛道"}})
	want(t, r, http.StatusSeeOther, "express interest")
	matchID := idFrom(t, r, "/finance/matches/")
	match := "/finance/matches/" + matchID
	has(t, ent.Get(need), "the need page after interest", "中原科创投资有限公司", `id="accept-`+matchID+`"`)
	has(t, ent.Get("/finance/needs"), "the enterprise's list after interest", "机构意向", "项待回应")
	has(t, ent.Get(need+"/matching"), "the matching page after interest", `href="`+match+`">机构意向</a>`)
	lacks(t, ent.Get(match), "the match before it is accepted", "0371-6000 0001")

	// Answers: only the need's enterprise.
	want(t, ent2.Form(match+"/answer", url.Values{"accept": {"1"}}), http.StatusNotFound, "another enterprise accepts")
	want(t, vc1.Form(match+"/answer", url.Values{"accept": {"1"}}), http.StatusForbidden, "the institution accepts itself")
	want(t, vc1.Form(match+"/steps", url.Values{"step": {"meeting"}}), http.StatusConflict, "a step before the answer")
	if n := w.count("SELECT COUNT(*) FROM finance_match_steps WHERE match_id = $1", matchID); n != 1 {
		t.Fatalf("refused answers wrote steps: %d", n)
	}
	want(t, ent.Form(match+"/answer", url.Values{"accept": {"1"}}), http.StatusSeeOther, "accept")
	has(t, w.As("enterprise").Get("/finance/institutions/"+strings.TrimPrefix(regexpFind(t, ent.Get(match), `/finance/institutions/[0-9]+`), "/finance/institutions/")),
		"the institution's page after acceptance", "0371-6000 0001")

	// Private notes: the institution and staff, never the enterprise or
	// another institution.
	r = vc1.Form(match+"/notes", url.Values{"body": {"创始人背景扎实，需核实订单"}})
	want(t, r, http.StatusSeeOther, "a note")
	has(t, vc1.Get(match), "the institution's match page", "创始人背景扎实")
	has(t, sup.Get(match), "staff's match page", "创始人背景扎实")
	lacks(t, ent.Get(match), "the enterprise's match page", "创始人背景扎实")
	want(t, vc2.Get(match), http.StatusNotFound, "another investor reads the match")
	want(t, vc2.Form(match+"/notes", url.Values{"body": {"窥探"}}), http.StatusNotFound, "another investor writes a note")
	if r := vc2.Do("GET", "/api/v1/finance/matches/"+matchID+"/notes", nil); r.Code != http.StatusNotFound {
		t.Fatalf("API: another investor reads the notes: %d %s", r.Code, r.Body)
	}
	if r := ent.Do("GET", "/api/v1/finance/matches/"+matchID+"/notes", nil); r.Code != http.StatusForbidden {
		t.Fatalf("API: the enterprise reads the notes: %d %s", r.Code, r.Body)
	}
	if n := w.count("SELECT COUNT(*) FROM finance_match_notes"); n != 1 {
		t.Fatalf("notes: %d, want 1", n)
	}

	// CSRF: a cross-site form post is refused before anything is written.
	req := httptest.NewRequest("POST", match+"/steps", strings.NewReader("step=meeting"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	want(t, vc1.Send(req), http.StatusForbidden, "a cross-site step")

	// The steps, none skipped, to money received.
	before := w.count("SELECT COUNT(*) FROM finance_match_steps WHERE match_id = $1", matchID)
	r = vc1.Form(match+"/steps", url.Values{"step": {"funded"}, "on": {"2023-06-10"}, "amount": {"2500"}})
	want(t, r, http.StatusConflict, "到位 without 投资意向")
	has(t, r, "the refused step", "不能跳过环节")
	want(t, vc2.Form(match+"/steps", url.Values{"step": {"meeting"}}), http.StatusNotFound, "another investor records a step")
	want(t, ent.Form(match+"/steps", url.Values{"step": {"meeting"}}), http.StatusForbidden, "the enterprise records a step")
	if n := w.count("SELECT COUNT(*) FROM finance_match_steps WHERE match_id = $1", matchID); n != before {
		t.Fatalf("refused steps wrote %d rows", n-before)
	}
	for _, st := range []url.Values{
		{"step": {"meeting"}, "on": {"2023-06-10"}},
		{"step": {"diligence"}, "on": {"2023-06-10"}, "note": {"财务尽调"}},
		{"step": {"term"}, "on": {"2023-06-10"}, "amount": {"3000"}},
	} {
		want(t, vc1.Form(match+"/steps", st), http.StatusSeeOther, "step "+st.Get("step"))
	}
	r = vc1.Form(match+"/steps", url.Values{"step": {"funded"}, "on": {"2023-06-10"}, "amount": {"-1"}})
	want(t, r, http.StatusBadRequest, "a negative amount received")
	want(t, vc1.Form(match+"/steps", url.Values{"step": {"funded"}, "on": {"2023-06-10"}, "amount": {"2500"}}), http.StatusSeeOther, "到位")
	page = ent.Get(match)
	has(t, page, "the funded match", "到位", "2500.00 万元", "3000.00 万元", "财务尽调")
	lacks(t, page, "the funded match", `id="step-form"`, `id="close-form"`)
	got, err := w.App.Finance.Matches(w.ctx(), finance.Viewer{UserID: 1, Role: "supervisor"}, finance.MatchFilter{})
	if err != nil || len(got) != 1 || got[0].FundedFen != 2_500_000_000 || got[0].Step != finance.StepFunded || got[0].FundedOn != "2023-06-10" {
		t.Fatalf("the match as recorded: %+v %v", got, err)
	}
	has(t, vc1.Get("/finance/dashboard"), "the dashboard after funding", `id="count-funded">1<`)

	// A supervisor corrects the amount received; the institution and the
	// enterprise may not, by page or API.
	has(t, sup.Get(match), "staff's funded match", `id="correct-funding"`)
	lacks(t, vc1.Get(match), "the institution's funded match", `id="correct-funding"`)
	fix := url.Values{"on": {"2023-06-10"}, "amount": {"2000"}, "reason": {"经核对银行回单，实际到位 2000 万元"}}
	want(t, vc1.Form(match+"/funding", fix), http.StatusForbidden, "the institution corrects its deal")
	want(t, ent.Form(match+"/funding", fix), http.StatusForbidden, "the enterprise corrects the deal")
	if r := vc1.Do("POST", "/api/v1/finance/matches/"+matchID+"/funding", map[string]any{"amount_fen": 1, "on": "2023-06-10", "reason": "x"}); r.Code != http.StatusForbidden {
		t.Fatalf("API: the institution corrects its deal: %d %s", r.Code, r.Body)
	}
	r = sup.Form(match+"/funding", url.Values{"on": {"2023-06-10"}, "amount": {"2000"}})
	want(t, r, http.StatusBadRequest, "a correction without a reason")
	has(t, r, "the refused correction", "更正原因")
	want(t, sup.Form(match+"/funding", fix), http.StatusSeeOther, "the correction")
	has(t, sup.Get(match+"?ok=corrected"), "the corrected match", "2000.00 万元", "到位记录已更正")
	if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'finance.match.correct'"); n != 1 {
		t.Fatalf("audited corrections: %d", n)
	}
}

// A declined interest and a match closed with a reason.
func TestDeclineAndClose(t *testing.T) {
	w := newWorld(t)
	w.registered("vc1", institutionForm("中原科创投资有限公司", "9144030071526726XG"))
	ent, vc1 := w.As("enterprise"), w.As("vc1")
	r := multipartForm(ent, "/finance/needs", needForm(), nil)
	want(t, r, http.StatusSeeOther, "post")
	need := "/finance/needs/" + idFrom(t, r, "/finance/needs/")
	r = vc1.Form(need+"/interest", nil)
	want(t, r, http.StatusSeeOther, "interest")
	match := "/finance/matches/" + idFrom(t, r, "/finance/matches/")
	want(t, ent.Form(match+"/answer", url.Values{"accept": {"0"}, "reason": {"本轮已有领投方"}}), http.StatusSeeOther, "decline")
	has(t, vc1.Get(match), "the declined match", "已关闭", "本轮已有领投方")
	want(t, vc1.Form(need+"/interest", nil), http.StatusConflict, "interest twice")
	want(t, ent.Form(match+"/close", url.Values{"reason": {"再关一次"}}), http.StatusConflict, "close a closed match")

	// The enterprise closes its need: a fitting institution that never
	// answered no longer sees it.
	w.registered("vc2", institutionForm("第二家创投有限公司", "91330100716105852F"))
	want(t, w.As("vc2").Get(need), http.StatusOK, "a second fitting institution reads the need")
	want(t, w.As("enterprise2").Form(need+"/close", nil), http.StatusNotFound, "another enterprise closes the need")
	want(t, ent.Form(need+"/close", nil), http.StatusSeeOther, "close the need")
	want(t, w.As("vc2").Get(need), http.StatusNotFound, "the second institution after closing")
	want(t, vc1.Get(need), http.StatusOK, "the institution with a match after closing")
}
