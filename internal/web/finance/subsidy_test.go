package finance_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/finance"
	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"
)

// fundedLoan has vc1 registered as a bank, 甲 post a loan need of amount
// 万元, vc1 take it through every step to money received; it returns the
// match's id.
func (w *world) fundedLoan(amount string) int64 {
	w.T.Helper()
	bank := institutionForm("中原银行郑州高新支行", "9144030071526726XG")
	bank["kind"], bank["instruments"], bank["stages"], bank["ticket_min"], bank["chains"] = []string{"bank"}, []string{"loan"}, []string{"a"}, []string{"100"}, nil
	w.registered("vc1", bank)
	need := needForm()
	need["instrument"], need["amount"], need["title"] = []string{"loan"}, []string{amount}, []string{"传感器产线流动资金贷款"}
	r := multipartForm(w.As("enterprise"), "/finance/needs", need, nil)
	want(w.T, r, http.StatusSeeOther, "post the loan need")
	needID := idFrom(w.T, r, "/finance/needs/")
	var m finance.Match
	r = w.As("vc1").Do("POST", "/api/v1/finance/needs/"+needID+"/interest", map[string]string{"note": ""})
	want(w.T, r, http.StatusCreated, "interest")
	r.JSON(w.T, &m)
	want(w.T, w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/finance/matches/%d/answer", m.ID), map[string]bool{"accept": true}), 200, "accept")
	fen := int64(0)
	fmt.Sscan(amount, &fen)
	for _, st := range []finance.StepInput{{Step: "meeting"}, {Step: "diligence"}, {Step: "term", AmountFen: fen * 1_000_000}, {Step: "funded", AmountFen: fen * 1_000_000}} {
		want(w.T, w.As("vc1").Do("POST", fmt.Sprintf("/api/v1/finance/matches/%d/steps", m.ID), st), 200, "step "+st.Step)
	}
	return m.ID
}

func ruleForm() url.Values {
	return url.Values{"year": {"2023"}, "kind": {"interest"}, "name_zh": {"2023 年科技贷款贴息"}, "instruments": {"loan", "ip_pledge"},
		"rate": {"3.45"}, "share_pct": {"50"}, "months": {"12"}, "cap": {"50"}, "budget": {"100"}, "basis": {"郑高管〔2023〕12 号"}}
}

// TestSubsidyPagesAndAPI: bad rules are refused naming the field; only
// staff read the rules and only supervisors record and grant; a funded loan
// is granted once, by form and by API.
func TestSubsidyPagesAndAPI(t *testing.T) {
	w := newWorld(t)
	match := w.fundedLoan("1000")
	sup := w.As("supervisor")
	bad := ruleForm()
	bad["rate"] = []string{"3.456"}
	r := sup.Form("/finance/subsidies", bad)
	want(t, r, http.StatusBadRequest, "a bad rate")
	has(t, r, "the refused form", "年化利率/费率应为百分数", "3.456", "rate_bp")
	bad = ruleForm()
	bad["budget"], bad["instruments"] = []string{"0"}, nil
	r = sup.Form("/finance/subsidies", bad)
	want(t, r, http.StatusBadRequest, "no budget, no instrument")
	has(t, r, "the refused form", "年度资金预算应大于 0", "budget_fen", "instruments")
	if n := w.count("SELECT COUNT(*) FROM finance_subsidy_rules"); n != 0 {
		t.Fatalf("%d rules after a refusal", n)
	}
	for _, who := range []string{"enterprise", "vc1", "unit"} {
		if r := w.As(who).Form("/finance/subsidies", ruleForm()); r.Code != http.StatusForbidden {
			t.Fatalf("%s records a rule: %d", who, r.Code)
		}
		if r := w.As(who).Get("/api/v1/finance/subsidies"); r.Code != http.StatusForbidden {
			t.Fatalf("%s reads the rules: %d", who, r.Code)
		}
	}
	want(t, w.Anon().Get("/finance/subsidies"), http.StatusSeeOther, "the public on the rules")
	r = sup.Form("/finance/subsidies", ruleForm())
	want(t, r, http.StatusSeeOther, "record the rule")
	path := "/finance/subsidies/" + idFrom(t, r, "/finance/subsidies/")
	page := sup.Get(path)
	has(t, page, "the rule's page", "传感器产线流动资金贷款", "17.25 万元", "172,500.00 元", fmt.Sprintf(`id="grant-%d"`, match))
	lacks(t, w.As("leader").Get(path), "the leader's view of the rule", `id="grant-`)
	if r := w.As("leader").Form(path+"/grants", url.Values{"match_id": {fmt.Sprint(match)}}); r.Code != http.StatusForbidden {
		t.Fatalf("a leader grants: %d", r.Code)
	}
	want(t, sup.Form(path+"/grants", url.Values{"match_id": {fmt.Sprint(match)}}), http.StatusSeeOther, "grant")
	again := sup.Do("POST", "/api/v1"+path+"/grants", map[string]int64{"match_id": match})
	want(t, again, http.StatusConflict, "grant twice through the API")
	if !strings.Contains(string(again.Body), "不能重复") {
		t.Fatalf("the second grant's refusal: %s", again.Body)
	}
	var d struct {
		Rule       finance.SubsidyRule        `json:"rule"`
		Subsidies  []finance.Subsidy          `json:"subsidies"`
		Candidates []finance.SubsidyCandidate `json:"candidates"`
	}
	sup.Get("/api/v1"+path).JSON(t, &d)
	if len(d.Subsidies) != 1 || d.Subsidies[0].AmountFen != 17_250_000 || len(d.Candidates) != 0 || d.Rule.GrantedFen != 17_250_000 {
		t.Fatalf("the rule after granting: %+v", d)
	}
}

// TestBrowserSubsidyGrantedAndPaidOnce: a supervisor records a 贴息 rule
// through the form, grants a funded loan its subsidy from the rule's page,
// and pays it in the awards ledger with the leader's approval; the deal is
// then no longer offered, and the fund shows it paid.
func TestBrowserSubsidyGrantedAndPaidOnce(t *testing.T) {
	w := newWorld(t)
	match := w.fundedLoan("1000")
	b := webtest.NewBrowser(t, w.Harness)
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/finance"), chromedp.WaitVisible(chromedp.ID("subsidies-link")))
	b.ClickNav(t, "subsidies-link")
	b.Do(t, chromedp.SetValue(chromedp.ID("name_zh"), "2023 年科技贷款贴息"), chromedp.SetValue(chromedp.ID("year"), "2023"),
		chromedp.SetValue(chromedp.ID("rate"), "3.45"), chromedp.SetValue(chromedp.ID("cap"), "50"), chromedp.SetValue(chromedp.ID("budget"), "100"))
	b.Screenshot(t, "finance-subsidy-form")
	b.ClickNav(t, "create-subsidy")
	if got := b.Text(t, "#candidates"); !strings.Contains(got, "17.25 万元") {
		t.Fatalf("the deal's quote: %q", got)
	}
	b.ClickNav(t, fmt.Sprintf("grant-%d", match))
	if got := b.Text(t, "#granted"); !strings.Contains(got, "17.25 万元") {
		t.Fatalf("granted: %q", got)
	}
	if b.Eval(t, fmt.Sprintf(`document.getElementById("grant-%d") ? "y" : "n"`, match)) != "n" {
		t.Fatal("the granted deal is offered again")
	}
	b.Screenshot(t, "finance-subsidy-granted")
	b.ClickNav(t, "fund-link")
	pay := b.Eval(t, `[...document.querySelectorAll("button[id^=pay-]")].map(e => e.id).join(",")`)
	if pay == "" || strings.Contains(pay, ",") {
		t.Fatalf("pay buttons on the fund's page: %q", pay)
	}
	b.ClickNav(t, pay)
	fundPath := b.Eval(t, "location.pathname")
	b.Logout(t)
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(b.Base+fundPath), chromedp.WaitVisible(chromedp.CSS("button[id^=approve-]")))
	b.ClickNav(t, b.Eval(t, `document.querySelector("button[id^=approve-]").id`))
	b.Logout(t)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+fundPath), chromedp.WaitVisible(chromedp.CSS("input[id^=voucher-]")))
	b.Do(t, chromedp.SendKeys(chromedp.CSS("input[id^=voucher-]"), "记-2023-0612"))
	b.ClickNav(t, b.Eval(t, `[...document.querySelectorAll("button[id^=paid-]")].find(e => e.id !== "paid-total").id`))
	b.Do(t, chromedp.Navigate(b.Base+"/finance/subsidies"), chromedp.WaitVisible(chromedp.ID("subsidy-rules")))
	if got := b.Text(t, "#subsidy-rules"); strings.Count(got, "17.25 万元") != 2 {
		t.Fatalf("the rule's granted and paid: %q", got)
	}
	b.Screenshot(t, "finance-subsidies")
}
