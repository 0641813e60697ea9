package enterprise_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
	webent "gaoxin/internal/web/enterprise"
)

// TestRejectionNeedsReasonTheEnterpriseSees: the confirmation list shows,
// beside each self-reported value, the value in force for its period and
// which of the two counts; a rejection without a reason is refused (API
// and form); with one, the enterprise reads the reason on its page and in
// its figures, and a second enterprise does not.
func TestRejectionNeedsReasonTheEnterpriseSees(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	sup, ea := h.As("supervisor"), h.As("enterprise")
	api := "/api/v1/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	page := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	// The statistics bureau's 2023 revenue is 800 万元; the enterprise reports
	// 888.8 万元 for 2023 and 50 people for 2023 (no other source).
	if r := sup.Do("POST", api+"/figures", []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 800_000_000, Source: "stats"}}); r.Code != http.StatusOK {
		t.Fatalf("stats figure: %d %s", r.Code, r.Body)
	}
	if r := ea.Do("POST", api+"/figures", []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 888_800_000}, {Indicator: "employees", Year: 2023, Value: 50}}); r.Code != http.StatusOK {
		t.Fatalf("self report: %d %s", r.Code, r.Body)
	}
	pending := sup.Get("/enterprises/pending")
	if pending.Code != http.StatusOK {
		t.Fatalf("pending page: %d", pending.Code)
	}
	rows := strings.Split(string(pending.Body), "<tr>")
	var revenue, staff string
	for _, r := range rows {
		switch {
		case strings.Contains(r, "888.80 万元"):
			revenue = r
		case strings.Contains(r, ">50"):
			staff = r
		}
	}
	for _, s := range []string{"800.00 万元（统计局）", "统计局数据（来源优先，自报仅作参考）", `name="reason"`} {
		if !strings.Contains(revenue, s) {
			t.Errorf("pending revenue row lacks %q: %s", s, revenue)
		}
	}
	if !strings.Contains(staff, "暂无") || !strings.Contains(staff, "企业自报数值") {
		t.Errorf("pending employees row: %s", staff)
	}
	var list []enterprise.PendingFigure
	sup.Get("/api/v1/enterprise-figures/pending").JSON(t, &list)
	for _, p := range list {
		if p.Indicator == "revenue" && (!p.HasOfficial || p.Official != 800_000_000 || p.OfficialSource != enterprise.FromStats || p.Counts() != enterprise.FromStats) {
			t.Errorf("pending revenue: %+v", p)
		}
	}

	r := sup.Do("POST", api+"/figures/review", webent.ReviewRequest{Indicator: "revenue", Year: 2023})
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field":"reason"`) || !strings.Contains(string(r.Body), "退回须写明原因") {
		t.Fatalf("reject without a reason: %d %s", r.Code, r.Body)
	}
	if r := sup.Form(page+"/figures/review", url.Values{"indicator": {"revenue"}, "year": {"2023"}, "decision": {"reject"}, "reason": {"  "}}); r.Code != http.StatusBadRequest {
		t.Fatalf("form reject without a reason: %d", r.Code)
	}
	const why = "与统计局年报数据不符，请核对后重报"
	if r := sup.Form(page+"/figures/review", url.Values{"indicator": {"revenue"}, "year": {"2023"}, "decision": {"reject"}, "reason": {why}}); r.Code != http.StatusSeeOther {
		t.Fatalf("form reject: %d %s", r.Code, r.Body)
	}
	if d := ea.Get(page); !strings.Contains(string(d.Body), "退回原因："+why) {
		t.Errorf("the enterprise's page lacks the reason")
	}
	var figs []enterprise.Figure
	ea.Get(api+"/figures").JSON(t, &figs)
	found := false
	for _, f := range figs {
		found = found || (f.Source == enterprise.FromSelf && f.Status == enterprise.Rejected && f.Reason == why)
	}
	if !found {
		t.Errorf("the enterprise's figures lack the reason: %+v", figs)
	}
	if r := sup.Do("POST", api+"/figures/review", webent.ReviewRequest{Indicator: "employees", Year: 2023, Confirm: true}); r.Code != http.StatusOK {
		t.Fatalf("confirm without a reason: %d %s", r.Code, r.Body)
	}
}
