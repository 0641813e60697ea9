package finance_test

import (
	"net/http"
	"net/url"
	"testing"
)

// An investor account registers its institution through the form; bad
// input is refused by field with nothing written; staff approve one and
// reject another with a reason; who sees the institution and its
// contacts follows the module's rules.
func TestInstitutionRegisteredAndApprovedThroughPages(t *testing.T) {
	w := newWorld(t)
	vc1, vc2, sup, leader := w.As("vc1"), w.As("vc2"), w.As("supervisor"), w.As("leader")
	ent, unit, anon := w.As("enterprise"), w.As("unit"), w.Anon()

	want(t, vc1.Get("/finance"), http.StatusOK, "the module's front page")
	has(t, vc1.Get("/finance"), "the investor's front page", `id="register-link"`)
	want(t, vc1.Get("/finance/institutions/new"), http.StatusOK, "the registration form")
	want(t, ent.Get("/finance/institutions/new"), http.StatusForbidden, "an enterprise opens the registration form")

	// Bad input: a credit code failing its check, a negative amount, a
	// ticket cap below its floor. Nothing is written.
	bad := institutionForm("中原科创投资有限公司", "914403001922038217")
	bad.Set("aum", "-5")
	r := vc1.Form("/finance/institutions", bad)
	want(t, r, http.StatusBadRequest, "bad registration")
	has(t, r, "the refused form", "aum_fen", "中原科创投资有限公司")
	bad = institutionForm("中原科创投资有限公司", "914403001922038217")
	bad.Set("ticket_max", "10")
	r = vc1.Form("/finance/institutions", bad)
	want(t, r, http.StatusBadRequest, "bad registration")
	has(t, r, "the refused form", "credit_code", "ticket_max_fen")
	if n := w.count("SELECT COUNT(*) FROM finance_institutions"); n != 0 {
		t.Fatalf("a refused registration wrote %d institutions", n)
	}

	r = vc1.Form("/finance/institutions", institutionForm("中原科创投资有限公司", "9144030071526726XG"))
	want(t, r, http.StatusSeeOther, "register")
	inst := "/finance/institutions/" + idFrom(t, r, "/finance/institutions/")
	page := vc1.Get(inst)
	want(t, page, http.StatusOK, "the institution's own page")
	has(t, page, "the pending institution's own page", "待审核", "陈经理", "0371-6000 0001", "50.00 亿元", "1000.00 万元 – 1.00 亿元")
	want(t, vc1.Form("/finance/institutions", institutionForm("又一家机构", "91330100716105852F")), http.StatusConflict, "a second registration")
	want(t, ent.Get(inst), http.StatusNotFound, "an enterprise reads a pending institution")
	want(t, anon.Get(inst), http.StatusSeeOther, "the public reads an institution")
	has(t, vc1.Get("/finance/dashboard"), "a pending institution's dashboard", "待审核")

	// Staff approve from the queue; only supervisors may.
	review := leader.Get("/finance/institutions/review")
	want(t, review, http.StatusOK, "the leader reads the queue")
	has(t, review, "the queue", "中原科创投资有限公司")
	lacks(t, review, "the leader's queue", `action="`+inst+`/approve"`)
	has(t, sup.Get("/finance/institutions/review"), "the supervisor's queue", `action="`+inst+`/approve"`)
	want(t, leader.Form(inst+"/approve", nil), http.StatusForbidden, "a leader approves")
	want(t, vc1.Form(inst+"/approve", nil), http.StatusForbidden, "the institution approves itself")
	want(t, sup.Form(inst+"/approve", nil), http.StatusSeeOther, "approve")
	want(t, sup.Form(inst+"/approve", nil), http.StatusConflict, "approve twice")

	// Approved: listed to signed-in accounts, contacts only to those allowed.
	page = ent.Get(inst)
	want(t, page, http.StatusOK, "an enterprise reads an approved institution")
	has(t, page, "the enterprise's view", "已入库", "中原科创投资有限公司")
	lacks(t, page, "the enterprise's view", "0371-6000 0001", "chen@example.com")
	has(t, unit.Get("/finance/institutions"), "the list", "中原科创投资有限公司")
	has(t, sup.Get(inst), "staff's view", "0371-6000 0001")

	// Another is rejected: a reason is required, and it is shown to the
	// institution.
	r = vc2.Form("/finance/institutions", institutionForm("可疑投资有限公司", "91330100716105852F"))
	want(t, r, http.StatusSeeOther, "register a second")
	other := "/finance/institutions/" + idFrom(t, r, "/finance/institutions/")
	r = sup.Form(other+"/reject", url.Values{"reason": {""}})
	want(t, r, http.StatusBadRequest, "reject without a reason")
	has(t, r, "the queue drawn again", "reason")
	want(t, sup.Form(other+"/reject", url.Values{"reason": {"营业执照与登记信息不符"}}), http.StatusSeeOther, "reject")
	has(t, vc2.Get(other), "the rejected institution's page", "未通过", "营业执照与登记信息不符")
	want(t, ent.Get(other), http.StatusNotFound, "an enterprise reads a rejected institution")
	lacks(t, ent.Get("/finance/institutions"), "the list to an enterprise", "可疑投资有限公司")
	has(t, sup.Get("/finance/institutions?state=rejected"), "staff's list of rejected ones", "可疑投资有限公司")
	want(t, ent.Get("/finance/institutions?state=nope"), http.StatusOK, "a state filter from one who may not filter")
	want(t, sup.Get("/finance/institutions?state=nope"), http.StatusBadRequest, "a bad state filter")
}

// Staff record a government fund, a sub-fund within its commitment, and
// an investment in a zone enterprise within its paid-in capital; the
// fund's page shows them; another fund's account may not record there.
func TestGovernmentFundThroughPages(t *testing.T) {
	w := newWorld(t)
	sup, ent, vc3 := w.As("supervisor"), w.As("enterprise"), w.As("vc3")
	fund := url.Values{"kind": {"gov_fund"}, "name": {"高新区科技创新引导基金"}, "credit_code": {"9144030071526726XG"}, "aum": {"200000"},
		"ticket_min": {"500"}, "stages": {"seed", "angel", "a"}, "instruments": {"equity"}, "committed": {"200000"}, "paid_in": {"80000"}}
	r := sup.Form("/finance/institutions", fund)
	want(t, r, http.StatusSeeOther, "record the fund")
	id := idFrom(t, r, "/finance/institutions/")
	has(t, sup.Get("/finance/institutions/"+id), "the fund's profile", "已入库", `href="/finance/funds/`+id+`"`)

	sub := url.Values{"kind": {"vc_pe"}, "name": {"高新区天使子基金"}, "credit_code": {"91330100716105852F"}, "ticket_min": {"100"},
		"stages": {"angel"}, "instruments": {"equity"}, "parent_id": {id}, "committed": {"300000"}, "paid_in": {"1000"}}
	r = sup.Form("/finance/institutions", sub)
	want(t, r, http.StatusBadRequest, "a sub-fund above the parent's commitment")
	has(t, r, "the refused form", "committed_fen")
	sub.Set("committed", "50000")
	want(t, sup.Form("/finance/institutions", sub), http.StatusSeeOther, "record the sub-fund")

	fundPage := "/finance/funds/" + id
	r = sup.Form(fundPage+"/investments", url.Values{"credit_code": {"914403001922038216"}, "amount": {"90000"}, "on": {"2023-05-20"}})
	want(t, r, http.StatusBadRequest, "an investment above the paid-in capital")
	want(t, vc3.Form(fundPage+"/investments", url.Values{"credit_code": {"914403001922038216"}, "amount": {"100"}, "on": {"2023-05-20"}}),
		http.StatusForbidden, "an investor of no fund records an investment")
	if n := w.count("SELECT COUNT(*) FROM finance_fund_investments"); n != 0 {
		t.Fatalf("refused investments wrote %d rows", n)
	}
	want(t, sup.Form(fundPage+"/investments", url.Values{"credit_code": {"914403001922038216"}, "amount": {"2000"}, "on": {"2023-05-20"}}),
		http.StatusSeeOther, "record an investment")
	page := ent.Get(fundPage)
	want(t, page, http.StatusOK, "an enterprise reads the fund")
	has(t, page, "the fund page", "20.00 亿元", "8.00 亿元", "高新区天使子基金", "5.00 亿元", "甲传感科技有限公司", "2000.00 万元", "2023-05-20")
	lacks(t, page, "the fund page to an enterprise", `id="invest-form"`)
	want(t, w.Anon().Get(fundPage), http.StatusSeeOther, "the public reads a fund")
}
