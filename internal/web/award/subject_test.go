package award_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/award"
	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"
)

// TestInstitutionHonourThroughPages: 十大优秀金融机构 started from its
// link, saved from the form with the finance module's formula, ranked
// over the institutions (one without a deal in the year is left out with
// the reason), and published with objections about the whole list only.
func TestInstitutionHonourThroughPages(t *testing.T) {
	w := newAwardWorld(t)
	sup := w.As("supervisor")
	if _, err := w.App.DB.W.ExecContext(context.Background(), `INSERT INTO finance_institutions (kind, name, credit_code, aum_fen, ticket_min_fen,
		ticket_max_fen, settled_on, state, synthetic, created_at, updated_at) VALUES ('vc_pe', '中原科创投资', '91410100MA44XJ5U2K', 0, 0, 0, '2023-01-01', 'approved', FALSE, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	page := pageOf(t, sup.Get("/awards/new?subject=finance.institutions"))
	for _, s := range []string{`<option value="finance.institutions" selected>`, "年度十大优秀金融机构", `<option value="finance.placed" selected>`,
		`value="none" checked`, "种子及天使阶段到位项目数"} {
		if !strings.Contains(page, s) {
			t.Errorf("the honour's new form lacks %s", s)
		}
	}
	v := url.Values{"subject": {"finance.institutions"}, "year": {"2023"}, "name_zh": {"2023 年度十大优秀金融机构"}, "kind": {"ranking"}, "quota": {"10"},
		"notice_days": {"5"}, "unit": {"wan"}, "budget": {""}, "data_year": {"2023"}, "money_kind": {"none"}, "action": {"save"}}
	for _, row := range [][]string{
		{"placed", "投放区内企业资金", "figure", "finance.placed", "", "50"},
		{"deals", "到位项目数", "figure", "finance.deals", "", "30"},
		{"early", "早期项目占比", "ratio", "finance.early_deals", "finance.deals", "20"},
	} {
		for i, name := range []string{"term_code", "term_name_zh", "term_source", "term_indicator", "term_denominator", "term_weight"} {
			v.Add(name, row[i])
		}
		v.Add("term_transform", "minmax")
	}
	bad := url.Values{}
	for k, x := range v {
		bad[k] = x
	}
	bad.Set("budget", "100")
	r := sup.Form("/awards", bad)
	want(t, r, http.StatusUnprocessableEntity, "an honour for institutions with a budget")
	if !strings.Contains(string(r.Body), "不设预算") {
		t.Errorf("the refused form does not name the budget: %.300s", r.Body)
	}
	r = sup.Form("/awards", v)
	want(t, r, http.StatusSeeOther, "create the honour")
	id := createdID(t, r.Header)
	path := "/awards/programmes/" + strconv.FormatInt(id, 10)
	for _, to := range []string{award.StateOpen, award.StateReview} {
		want(t, sup.Form(path+"/state", url.Values{"to": {to}}), http.StatusSeeOther, "advance to "+to)
	}
	want(t, sup.Form(path+"/rank", nil), http.StatusSeeOther, "rank")
	page = pageOf(t, sup.Get(path))
	for _, s := range []string{"评选对象：金融机构", "中原科创投资", "2023 年没有到位的投融资项目", "<th>机构</th>"} {
		if !strings.Contains(page, s) {
			t.Errorf("the ranked honour's page lacks %s", s)
		}
	}
	want(t, sup.Form(path+"/state", url.Values{"to": {award.StateNotice}}), http.StatusSeeOther, "publish")
	notice := pageOf(t, w.Anon().Get("/notices/"+strconv.FormatInt(id, 10)))
	if !strings.Contains(notice, "2023 年度十大优秀金融机构") || strings.Contains(notice, `id="obj-ent"`) {
		t.Errorf("the notice: %.400s", notice)
	}
}

// TestBrowserInstitutionHonour: a supervisor starts 十大优秀金融机构 from
// the finance overview's link, saves the form as it comes (the finance
// module's formula, no money), opens, ranks and publishes it; the public
// notice names the institutions and asks no "about which enterprise".
func TestBrowserInstitutionHonour(t *testing.T) {
	w := newAwardWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	if _, err := w.App.DB.W.ExecContext(context.Background(), `INSERT INTO finance_institutions (kind, name, credit_code, aum_fen, ticket_min_fen,
		ticket_max_fen, settled_on, state, synthetic, created_at, updated_at) VALUES ('bank', '郑州科技支行', '91410100MA44XJ5U2K', 0, 0, 0, '2023-01-01', 'approved', FALSE, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/"))
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(b.Base+"/finance/overview?year=2023"), chromedp.WaitVisible(chromedp.ID("new-honour")))
	b.ClickNav(t, "new-honour")
	if v := b.Eval(t, `document.getElementById("subject").value`); v != "finance.institutions" {
		t.Fatalf("the form's subject: %q", v)
	}
	b.Do(t, chromedp.SetValue(chromedp.CSS(`input[name=data_year]`), "2023"))
	b.Screenshot(t, "honour-0-form")
	b.ClickNav(t, "create")
	for _, want := range []string{"申报中", "评审中"} {
		b.ClickNav(t, "advance")
		if st := b.Text(t, "#state"); st != want {
			t.Fatalf("state %q, want %q", st, want)
		}
	}
	b.ClickNav(t, "rank")
	if s := b.Text(t, "#ranking"); !strings.Contains(s, "郑州科技支行") || !strings.Contains(s, "2023 年没有到位的投融资项目") {
		t.Fatalf("the ranking: %s", s)
	}
	b.ClickNav(t, "advance")
	b.Screenshot(t, "honour-1-notice")
	path := b.Eval(t, "location.pathname")
	b.Logout(t)
	b.Do(t, chromedp.Navigate(b.Base+strings.Replace(path, "/awards/programmes/", "/notices/", 1)), chromedp.WaitVisible(chromedp.ID("winners")))
	if b.Eval(t, `document.getElementById("obj-ent") ? "y" : "n"`) != "n" {
		t.Error("the notice of a list of institutions asks which enterprise an objection is about")
	}
	if th := b.Text(t, "#winners thead"); !strings.Contains(th, "机构") {
		t.Errorf("the notice's list heads %q", th)
	}
}
