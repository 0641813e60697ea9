package award_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/enterprise"
	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/award"
)

// TestBrowserAwardProgramme runs 2023 科技创新20强 through the pages a person
// uses: the supervisor sets it up and opens it, an enterprise applies with
// evidence, the supervisor checks it, experts score (one recuses), the
// notice is published, the public objects, the objection is upheld, the
// programme is confirmed, a grant is requested, approved and paid, and the
// payment list is exported. The second application and two assignments are
// set up over the API.
func TestBrowserAwardProgramme(t *testing.T) {
	w := newAwardWorld(t)
	b := webtest.NewBrowser(t, w.Harness)
	sup := w.As("supervisor")
	shot := b.Screenshot

	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/"))
	b.Login(t, "supervisor")
	fillProgrammeForm(t, b, shot)
	shot(t, "award-0-preview")
	b.ClickNav(t, "create")
	shot(t, "award-1-draft")
	path := b.Eval(t, "location.pathname")
	var id int64
	fmt.Sscanf(path, "/awards/programmes/%d", &id)
	b.ClickNav(t, "advance")
	if st := b.Text(t, "#state"); st != "申报中" {
		t.Fatalf("after opening: state %q", st)
	}

	// The enterprise applies with a PDF.
	pdfPath := filepath.Join(t.TempDir(), "审计报告.pdf")
	os.WriteFile(pdfPath, pdfBytes, 0o644)
	b.Logout(t)
	b.Login(t, "enterprise")
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID("summary")),
		chromedp.SendKeys(chromedp.ID("summary"), "本企业研发投入强度高于园区平均水平，申请科技创新20强。"),
		chromedp.SendKeys(chromedp.ID("contact"), "张三 13800000000"),
		chromedp.SetUploadFiles(chromedp.CSS("input[name=evidence]"), []string{pdfPath}))
	b.ClickNav(t, "apply")
	if st := b.Text(t, "#my-app-state"); st != "已提交" {
		t.Fatalf("application state %q", st)
	}
	shot(t, "award-2-applied")
	want(t, w.As("enterprise2").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/applications", id), webaward.ApplyRequest{Summary: "本企业亩均税收高，申请科技创新20强。", Contact: "李四"}), 201, "apply e2")

	// Formal check of both, in the browser.
	b.Logout(t)
	b.Login(t, "supervisor")
	apps, _ := w.App.Award.Applications(t.Context(), id, 0)
	for _, a := range apps {
		b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/applications/%d", b.Base, a.ID)), chromedp.WaitVisible(chromedp.ID("check")))
		b.ClickNav(t, "check")
	}
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID("advance")))
	b.ClickNav(t, "advance")
	// Three experts on each application; the browser assigns one.
	for _, a := range apps {
		b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/applications/%d", b.Base, a.ID)), chromedp.WaitVisible(chromedp.ID("assign")),
			chromedp.SetValue(chromedp.ID("reviewer"), fmt.Sprint(w.userID("reviewer"))))
		b.ClickNav(t, "assign")
		for _, rv := range []string{"reviewer2", "reviewer3"} {
			want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/assignments", a.ID), webaward.AssignRequest{ReviewerID: w.userID(rv)}), 201, "assign")
		}
	}
	shot(t, "award-3-application")

	// Experts: reviewer and reviewer2 score in the browser, reviewer3 recuses from one.
	for _, rv := range []string{"reviewer", "reviewer2", "reviewer3"} {
		b.Logout(t)
		b.Login(t, rv)
		gs, _ := w.App.Award.Assignments(t.Context(), w.userID(rv), 0)
		for i, g := range gs {
			b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/assignments/%d", b.Base, g.ID)), chromedp.WaitVisible(chromedp.ID("asg-state")))
			if rv == "reviewer3" && i == 0 {
				b.Do(t, chromedp.SendKeys(chromedp.ID("recuse-reason"), "曾为该企业提供咨询"))
				b.ClickNav(t, "recuse")
				continue
			}
			b.Do(t, chromedp.SetValue(chromedp.ID("score_c1"), fmt.Sprint(40+i*10)), chromedp.SetValue(chromedp.ID("score_c2"), "30"),
				chromedp.SendKeys(chromedp.ID("comment_c1"), "创新成果突出"))
			b.ClickNav(t, "submit-scores")
		}
		if rv == "reviewer" {
			shot(t, "award-4-scored")
		}
	}

	// Rank and publish in the browser.
	b.Logout(t)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID("rank")))
	b.ClickNav(t, "rank")
	shot(t, "award-5-ranked")
	b.ClickNav(t, "advance")

	// The public objects on the notice page, without signing in.
	b.Logout(t)
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/notices/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID("winners")))
	shot(t, "award-6-notice")
	b.Do(t, chromedp.SendKeys(chromedp.ID("obj-name"), "王五"), chromedp.SendKeys(chromedp.ID("obj-contact"), "wang@example.com"),
		chromedp.SetValue(chromedp.ID("obj-ent"), fmt.Sprint(w.e1)), chromedp.SetValue(chromedp.ID("obj-figure"), "rd_spend"),
		chromedp.SendKeys(chromedp.ID("obj-reason"), "甲公司 2022 年研发投入数据有误，应为 1000 元。"))
	b.ClickNav(t, "obj-submit")
	if receipt := b.Text(t, "#receipt"); !strings.Contains(receipt, "-") {
		t.Fatalf("no receipt after objecting: %q", receipt)
	}

	// Uphold with a correction: a new round.
	b.Login(t, "supervisor")
	objs, _ := w.App.Award.Objections(t.Context(), id)
	oid := objs[0].ID
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID(fmt.Sprint("decide-", oid))),
		chromedp.SetValue(chromedp.ID(fmt.Sprint("decision-", oid)), "uphold"),
		chromedp.SendKeys(chromedp.ID(fmt.Sprint("finding-", oid)), "经核实研发投入为 1000 元"),
		chromedp.SetValue(chromedp.ID(fmt.Sprint("correction-", oid)), "figure"),
		chromedp.SetValue(chromedp.ID(fmt.Sprint("ind-", oid)), "rd_spend"),
		chromedp.SendKeys(chromedp.ID(fmt.Sprint("value-", oid)), "1000"))
	b.ClickNav(t, fmt.Sprint("decide-", oid))
	if h := b.Text(t, "#ranking h2"); !strings.Contains(h, "2") {
		t.Fatalf("after upholding: %q", h)
	}
	// The notice period (7 days, the form's default) passes; confirm; pay.
	w.now = w.now.Add(8 * 24 * time.Hour)
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID("advance")))
	b.ClickNav(t, "advance")
	grants, _ := w.App.Award.Grants(t.Context(), id, 0)
	g := grants[0]
	b.ClickNav(t, fmt.Sprint("pay-", g.ID))
	pays, _ := w.App.Award.Payments(t.Context(), g.ID)
	b.Logout(t)
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID(fmt.Sprint("approve-", pays[0].ID))))
	b.ClickNav(t, fmt.Sprint("approve-", pays[0].ID))
	b.Logout(t)
	b.Login(t, "supervisor")
	b.Do(t, chromedp.Navigate(fmt.Sprintf("%s/awards/programmes/%d", b.Base, id)), chromedp.WaitVisible(chromedp.ID(fmt.Sprint("voucher-", pays[0].ID))),
		chromedp.SendKeys(chromedp.ID(fmt.Sprint("voucher-", pays[0].ID)), "记-2023-0815"))
	b.ClickNav(t, fmt.Sprint("paid-", pays[0].ID))
	if paid := b.Text(t, "#paid-total"); paid != enterprise.FormatFen(g.AmountFen) {
		t.Fatalf("paid total %q, want %q", paid, enterprise.FormatFen(g.AmountFen))
	}
	shot(t, "award-7-paid")
	ct, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch("/awards/programmes/%d/payments.xlsx").then(r => r.status + " " + r.headers.get("Content-Type"))`, id), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "200 application/vnd.openxmlformats") {
		t.Fatalf("export: %s", ct)
	}
	// The audit trail on the page shows every step, in words.
	trail := b.Text(t, "#trail")
	for _, step := range []string{"创建项目", "开始受理申报", "提交申报", "形式审查", "分配评审专家", "提交评分",
		"专家回避", "计算排名", "发布公示", "提出异议", "异议成立", "认定名单",
		"核定奖补", "申请付款", "审批付款", "登记支付", "台账记入支付"} {
		if !strings.Contains(trail, step) {
			t.Errorf("audit trail lacks %s", step)
		}
	}
	if p, _ := w.App.Award.Programme(t.Context(), id); p.State != award.StateConfirmed {
		t.Fatalf("state %s", p.State)
	}
}

// fillProgrammeForm sets up 2023 科技创新20强 on the programme form the way a
// person does, with the buttons that add rows and the live weight total,
// and previews its ranking before saving.
func fillProgrammeForm(t *testing.T, b *webtest.Browser, shot func(*testing.T, string)) {
	row := func(table string, i int, name string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf("#%s tbody tr:nth-child(%d) [name=%s]", table, i, name))
	}
	css := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	b.Do(t, chromedp.Navigate(b.Base+"/awards/new"), chromedp.WaitVisible(chromedp.CSS(`button[data-add=terms]`)),
		chromedp.SendKeys(chromedp.ID("name_zh"), "2023 科技创新20强"),
		chromedp.SetValue(chromedp.CSS("input[name=quota]"), "2"),
		chromedp.SendKeys(chromedp.ID("budget"), "200"),
		css(`input[name=require_application]`), css(`input[name=tiers][value=hnte]`), css(`input[name=required][value=revenue]`),
		// Four terms: two rows are there, the button adds two more.
		css(`button[data-add=terms]`), css(`button[data-add=terms]`),
		chromedp.SendKeys(row("terms", 1, "term_name_zh"), "研发投入强度"),
		chromedp.SetValue(row("terms", 1, "term_source"), "ratio"),
		chromedp.SetValue(row("terms", 1, "term_indicator"), "rd_spend"),
		chromedp.SetValue(row("terms", 1, "term_denominator"), "revenue"),
		chromedp.SetValue(row("terms", 1, "term_transform"), "benchmark"),
		chromedp.SendKeys(row("terms", 1, "term_benchmark"), "0.05"),
		chromedp.SendKeys(row("terms", 1, "term_cap"), "2"),
		chromedp.SendKeys(row("terms", 1, "term_weight"), "30"),
		chromedp.SendKeys(row("terms", 2, "term_name_zh"), "亩均税收"),
		chromedp.SetValue(row("terms", 2, "term_source"), "ratio"),
		chromedp.SetValue(row("terms", 2, "term_indicator"), "taxes"),
		chromedp.SetValue(row("terms", 2, "term_denominator"), "land"),
		chromedp.SetValue(row("terms", 2, "term_transform"), "percentile"),
		chromedp.SendKeys(row("terms", 2, "term_weight"), "25"),
		chromedp.SetValue(row("terms", 3, "term_source"), "growth"),
		chromedp.SetValue(row("terms", 3, "term_indicator"), "revenue"),
		chromedp.SetValue(row("terms", 3, "term_transform"), "percentile"),
		chromedp.SendKeys(row("terms", 3, "term_weight"), "20"))
	if sum, note := b.Text(t, "#weight-sum"), b.Text(t, "#weight-note"); sum != "75" || !strings.Contains(note, "还差 25") {
		t.Fatalf("live weight total %q, %q", sum, note)
	}
	b.Do(t, chromedp.SetValue(row("terms", 4, "term_source"), "expert"),
		chromedp.SetValue(row("terms", 4, "term_transform"), "benchmark"),
		chromedp.SendKeys(row("terms", 4, "term_benchmark"), "100"),
		chromedp.SendKeys(row("terms", 4, "term_weight"), "25"),
		css(`button[data-add=criteria]`),
		chromedp.SendKeys(row("criteria", 1, "crit_name_zh"), "创新能力"), chromedp.SendKeys(row("criteria", 1, "crit_max"), "60"),
		chromedp.SendKeys(row("criteria", 2, "crit_name_zh"), "经营管理"), chromedp.SendKeys(row("criteria", 2, "crit_max"), "40"),
		css(`input[name=grading]`), css(`input[name=exempt][value=listed]`),
		chromedp.SendKeys(row("money-bands", 1, "band_to"), "1"), chromedp.SendKeys(row("money-bands", 1, "band_amount"), "100"),
		chromedp.SendKeys(row("money-bands", 2, "band_to"), "2"), chromedp.SendKeys(row("money-bands", 2, "band_amount"), "50"))
	if sum := b.Text(t, "#weight-sum"); sum != "100" || b.Eval(t, `document.getElementById("weight-sum").className`) != "ok" {
		t.Fatalf("live weight total %q", sum)
	}
	// The unit shown beside every amount follows the unit chosen.
	pick := func(unit string) string {
		return b.Eval(t, `(function () { var s = document.getElementById("unit"); s.value = "`+unit+`";
			s.dispatchEvent(new Event("change", {bubbles: true})); return document.querySelector("#money-bands th .unit").textContent; })()`)
	}
	if got := pick("yuan"); got != "（元）" {
		t.Errorf("unit after choosing 元: %q", got)
	}
	if got := pick("wan"); got != "（万元）" {
		t.Errorf("unit after choosing 万元: %q", got)
	}
	if b.Eval(t, `document.querySelector("[data-money=fixed]").hidden ? "hidden" : "shown"`) != "hidden" {
		t.Error("the fixed-amount field shows while rank bands are chosen")
	}
	// Saving with weights of 90 shows the form again as typed, the problem
	// named; corrected, the preview ranks last year's registry.
	b.Do(t, chromedp.SetValue(row("terms", 4, "term_weight"), "15"))
	b.ClickNav(t, "create")
	if msg := b.Text(t, "#form-errors"); !strings.Contains(msg, "评分公式 · 权重合计") || !strings.Contains(msg, "各项权重之和为 90，应为 100") {
		t.Fatalf("errors shown: %q", msg)
	}
	if v := b.Eval(t, `document.getElementById("name_zh").value`); v != "2023 科技创新20强" {
		t.Fatalf("the refused form lost the name: %q", v)
	}
	shot(t, "award-0-refused")
	b.Do(t, chromedp.SetValue(row("terms", 4, "term_weight"), ""), chromedp.SendKeys(row("terms", 4, "term_weight"), "25"))
	b.ClickNav(t, "preview-button")
	// On a phone the page never scrolls sideways: wide tables scroll in their box.
	b.Do(t, chromedp.EmulateViewport(390, 844))
	if w := b.Eval(t, `String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("at 390 px the form is %s px wide", w)
	}
	shot(t, "award-0-phone")
	b.Do(t, chromedp.EmulateViewport(1280, 900))
	if n := b.Text(t, "#preview-ranked"); n != "3" {
		t.Fatalf("preview ranked %q", n)
	}
	if v := b.Eval(t, `document.querySelector("#terms tbody tr:nth-child(2) [name=term_name_zh]").value`); v != "亩均税收" {
		t.Fatalf("the preview lost what was typed: %q", v)
	}
}
