package finance_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"gaoxin/internal/finance"
)

// TestRoadshowPagesAndAPI: a supervisor records a roadshow (a bad date is
// refused naming the field, nothing written), invites a funded need and
// records its institution attending; the outcome counts the match at every
// step it reached and the money received. Other roles cannot write; an
// enterprise with no need invited and the public read nothing.
func TestRoadshowPagesAndAPI(t *testing.T) {
	w := newWorld(t)
	matchID := w.fundedLoan("1000")
	var m finance.Match
	w.As("supervisor").Get(fmt.Sprintf("/api/v1/finance/matches/%d", matchID)).JSON(t, &m)
	sup := w.As("supervisor")
	form := url.Values{"title": {"2023 年第三期科技金融路演"}, "on": {"2023-09-31"}, "place": {"科技金融广场路演厅"}}
	r := sup.Form("/finance/roadshows", form)
	want(t, r, http.StatusBadRequest, "a bad date")
	has(t, r, "the refused form", "路演日期应为 YYYY-MM-DD", "2023-09-31", "科技金融广场路演厅")
	for _, who := range []string{"enterprise", "vc1", "leader", "unit"} {
		form["on"] = []string{"2023-09-20"}
		if r := w.As(who).Form("/finance/roadshows", form); r.Code != http.StatusForbidden {
			t.Fatalf("%s records a roadshow: %d", who, r.Code)
		}
		if r := w.As(who).Do("POST", "/api/v1/finance/roadshows", finance.RoadshowInput{Title: "x", On: "2023-09-20", Place: "y"}); r.Code != http.StatusForbidden {
			t.Fatalf("%s records a roadshow by API: %d", who, r.Code)
		}
	}
	if n := w.count("SELECT COUNT(*) FROM finance_roadshows"); n != 0 {
		t.Fatalf("%d roadshows after refusals", n)
	}
	form["on"] = []string{"2023-09-20"}
	r = sup.Form("/finance/roadshows", form)
	want(t, r, http.StatusSeeOther, "record the roadshow")
	id := idFrom(t, r, "/finance/roadshows/")
	path := "/finance/roadshows/" + id
	page := sup.Get(path)
	want(t, page, http.StatusOK, "the new roadshow")
	has(t, page, "the new roadshow", "2023-09-20", "科技金融广场路演厅", "传感器产线流动资金贷款", `id="invite-form"`, "中原银行郑州高新支行")

	// Writes by others are refused and change nothing.
	need, inst := strconv.FormatInt(m.NeedID, 10), strconv.FormatInt(m.InstitutionID, 10)
	for _, who := range []string{"enterprise", "vc1", "leader"} {
		if r := w.As(who).Form(path+"/needs", url.Values{"needs": {need}}); r.Code != http.StatusForbidden {
			t.Fatalf("%s invites: %d", who, r.Code)
		}
		if r := w.As(who).Form(path+"/institutions", url.Values{"institutions": {inst}}); r.Code != http.StatusForbidden {
			t.Fatalf("%s records attendance: %d", who, r.Code)
		}
	}
	r = sup.Form(path+"/needs", nil)
	want(t, r, http.StatusBadRequest, "inviting nothing")
	has(t, r, "inviting nothing", "请至少选择一项融资需求")
	if n := w.count("SELECT COUNT(*) FROM finance_roadshow_needs") + w.count("SELECT COUNT(*) FROM finance_roadshow_institutions"); n != 0 {
		t.Fatalf("%d rows after refusals", n)
	}
	// The enterprise and the institution are not involved yet.
	want(t, w.As("enterprise").Get(path), http.StatusNotFound, "the enterprise before its need is invited")
	want(t, w.As("vc1").Get(path), http.StatusNotFound, "the institution before it attends")

	want(t, sup.Form(path+"/needs", url.Values{"needs": {need}}), http.StatusSeeOther, "invite the need")
	want(t, sup.Form(path+"/institutions", url.Values{"institutions": {inst}}), http.StatusSeeOther, "record attendance")
	var rs finance.Roadshow
	sup.Get("/api/v1/finance/roadshows/"+id).JSON(t, &rs)
	if rs.Outcome.Needs != 1 || rs.Outcome.Institutions != 1 || rs.Outcome.FundedFen != 1_000_000_000 {
		t.Fatalf("outcome: %+v", rs.Outcome)
	}
	for _, st := range []string{"interest", "matched", "meeting", "diligence", "term", "funded"} {
		if rs.Outcome.Reached[st] != 1 {
			t.Errorf("reached %s: %d, want 1", st, rs.Outcome.Reached[st])
		}
	}
	for _, who := range []string{"supervisor", "enterprise", "vc1"} {
		page := w.As(who).Get(path)
		want(t, page, http.StatusOK, who+" on the roadshow")
		has(t, page, who+" on the roadshow", `id="reached-funded">1<`, `id="outcome-needs">1<`, "传感器产线流动资金贷款", "中原银行郑州高新支行")
		if who != "supervisor" {
			lacks(t, page, who+" on the roadshow", `id="invite-form"`, `id="attend-form"`)
		}
		list := w.As(who).Get("/finance/roadshows")
		has(t, list, who+"'s roadshows", "2023 年第三期科技金融路演")
	}
	want(t, w.As("enterprise2").Get(path), http.StatusNotFound, "another enterprise")
	lacks(t, w.As("enterprise2").Get("/finance/roadshows"), "another enterprise's list", "2023 年第三期科技金融路演")
	want(t, w.As("enterprise2").Get("/api/v1/finance/roadshows/"+id), http.StatusNotFound, "another enterprise by API")
	want(t, w.As("unit").Get(path), http.StatusForbidden, "a unit")
	want(t, w.Anon().Get("/api/v1/finance/roadshows"), http.StatusUnauthorized, "the public")

	// The API records and lists too.
	r = sup.Do("POST", "/api/v1/finance/roadshows", finance.RoadshowInput{Title: "第四期", On: "2023-12-01", Place: "路演厅"})
	want(t, r, http.StatusCreated, "record by API")
	var second finance.Roadshow
	r.JSON(t, &second)
	r = sup.Do("POST", fmt.Sprintf("/api/v1/finance/roadshows/%d/needs", second.ID), map[string][]int64{"needs": {m.NeedID}})
	want(t, r, http.StatusOK, "invite by API")
	r = sup.Do("POST", fmt.Sprintf("/api/v1/finance/roadshows/%d/institutions", second.ID), map[string][]int64{"institutions": {}})
	want(t, r, http.StatusBadRequest, "attend nobody by API")
	var list struct {
		Roadshows []finance.Roadshow `json:"roadshows"`
	}
	w.As("enterprise").Get("/api/v1/finance/roadshows").JSON(t, &list)
	if len(list.Roadshows) != 2 || list.Roadshows[0].ID != second.ID {
		t.Fatalf("the enterprise's roadshows: %+v", list.Roadshows)
	}
}
