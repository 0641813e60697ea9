package finance_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"gaoxin/internal/finance"
	"gaoxin/internal/org"
)

// TestOverviewPageAndAPI: after a loan funded in June 2023 the overview
// of 2023 counts the institution settled (50 亿 of capital against the
// seed's 160 firms and 2,000 亿), the match at every step, the money in
// June under its industry and the institution on the stage map; the API
// answers what the service reads. Only staff read it; a bad year is
// refused naming the field.
func TestOverviewPageAndAPI(t *testing.T) {
	w := newWorld(t)
	w.fundedLoan("1000")
	var o finance.Overview
	r := w.As("leader").Get("/api/v1/finance/overview?year=2023")
	want(t, r, http.StatusOK, "the overview by API")
	r.JSON(t, &o)
	direct, err := w.App.Finance.Overview(w.ctx(), finance.Viewer{UserID: 1, Role: org.Leader}, 2023)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(o)
	b, _ := json.Marshal(direct)
	if string(a) != string(b) {
		t.Fatalf("the API answers\n%s\nthe service reads\n%s", a, b)
	}
	if o.Settled != 1 || o.CapitalFen != 500_000_000_000 || o.TargetSettled != 160 || o.TargetCapitalFen != 20_000_000_000_000 || o.FundedFen != 1_000_000_000 {
		t.Fatalf("overview: %+v", o)
	}
	for _, c := range o.Funnel {
		if c.Count != 1 {
			t.Errorf("%s: %d, want 1", c.Step, c.Count)
		}
	}
	if len(o.ByChain) != 1 || o.ByChain[0].Months[5] != 1_000_000_000 {
		t.Fatalf("by chain: %+v", o.ByChain)
	}
	page := w.As("supervisor").Get("/finance/overview?year=2023")
	want(t, page, http.StatusOK, "the overview page")
	has(t, page, "the overview page", `id="settled">1<`, `50.00 亿元</strong> / 2000.00 亿元`, `id="funnel-funded">1<`, "<svg", "物联网",
		`id="funded">1000.00 万元<`, "（0.6%）", "（2.5%）", "background: rgba(43, 108, 176, 0.450)")
	// The bank lends at A round on every chain: one institution in that cell.
	if got := regexpFind(t, page, `<th scope="row">A 轮</th><td class="num" style="[^"]*">1</td>`); got == "" {
		t.Fatal("no cell")
	}
	en := httptest.NewRequest("GET", "/finance/overview?year=2023", nil)
	en.Header.Set("Accept-Language", "en")
	page = w.As("supervisor").Send(en)
	want(t, page, http.StatusOK, "the overview in English")
	has(t, page, "the overview in English", "Tech finance overview 2023", "Institutions by stage and industry", "<th class=\"num\">Jun</th>", "50.00 100M yuan", "Any chain")
	lacks(t, page, "the overview in English", "对接漏斗", "不限产业")
	empty := w.As("admin").Get("/finance/overview?year=2022")
	want(t, empty, http.StatusOK, "an empty year")
	has(t, empty, "an empty year", `id="settled">0<`, "当年尚无到位资金")
	r = w.As("supervisor").Get("/finance/overview?year=1999")
	want(t, r, http.StatusBadRequest, "a bad year")
	has(t, r, "a bad year", "年度应为 2000–2100 的整数")
	for _, who := range []string{"enterprise", "vc1", "unit"} {
		want(t, w.As(who).Get("/finance/overview"), http.StatusForbidden, who+" on the overview")
		want(t, w.As(who).Get("/api/v1/finance/overview?year="+strconv.Itoa(2023)), http.StatusForbidden, who+" on the API")
	}
	want(t, w.Anon().Get("/api/v1/finance/overview"), http.StatusUnauthorized, "the public on the API")
}
