package award_test

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/award"
	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"
)

// section is the text of the element with the given id, up to the end of
// its table (or the whole body from there when it has none).
func section(body []byte, id, end string) string {
	s := string(body)
	i := strings.Index(s, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	return s
}

// codes are internal codes no person should read on a page.
var codes = []string{"rd_spend", "revenue", "taxes", "land", "hnte", "listed", "bands", "benchmark", "percentile", "minmax", "amount_fen", "ratio", "growth"}

func lacksCodes(t *testing.T, where, text string) {
	t.Helper()
	for _, c := range codes {
		if strings.Contains(text, c) {
			t.Errorf("%s shows the code %q", where, c)
		}
	}
}

// TestNoticeAndProgrammeSpeakInWords: the public notice says its
// conditions, formula and money rule with the registry's indicator and
// tier names and no codes, its checksum sits behind a details switch, and
// its objection form chooses the enterprise and the figure from lists. The
// programme page's formula and audit trail read the same way.
func TestNoticeAndProgrammeSpeakInWords(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	page := w.Anon().Get(fmt.Sprintf("/notices/%d", id))
	want(t, page, 200, "notice")
	body := string(page.Body)
	for _, s := range []string{"研发投入 ÷ 营业收入（2022 年）", "利税/税收 ÷ 用地面积", "营业收入增长率（2022 年比 2021 年）", "除以基准值 0.05",
		"按百分位折算", "高新技术企业", "按名次奖励：第 1 名每家 100.00 万元；第 2 名每家 50.00 万元", "研发投入强度：",
		`<select name="indicator" id="obj-figure">`, `<option value="rd_spend">研发投入</option>`, `<option value="` + strconv.FormatInt(w.e1, 10) + `">演示甲公司</option>`,
		"<details><summary>校验信息</summary>"} {
		if !strings.Contains(body, s) {
			t.Errorf("notice lacks %q", s)
		}
	}
	// Codes may appear only as the values of the form's options.
	visible := regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(body, "")
	lacksCodes(t, "the notice", visible)
	if strings.Contains(visible, "<code>rd") || strings.Contains(body, "企业 ID") || strings.Contains(body, "指标代码") {
		t.Error("the notice asks for or shows codes")
	}

	sup := w.As("supervisor")
	want(t, w.Anon().Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {"王五"}, "contact": {"wang@example.com"},
		"enterprise_id": {fmt.Sprint(w.e1)}, "indicator": {"rd_spend"}, "reason": {"甲公司 2022 年研发投入数据有误，应为 1000 元。"}}), 200, "object")
	prog := sup.Get(fmt.Sprintf("/awards/programmes/%d", id))
	want(t, prog, 200, "programme page")
	formula := section(prog.Body, "formula", "</table>")
	if !strings.Contains(formula, "研发投入 ÷ 营业收入") {
		t.Errorf("programme formula: %s", formula)
	}
	lacksCodes(t, "the programme's formula", formula)
	if m := section(prog.Body, "money-rule", "</p>"); !strings.Contains(m, "按名次奖励") || strings.Contains(m, "bands") {
		t.Errorf("money rule: %s", m)
	}
	objs := section(prog.Body, "objections", "</section>")
	for _, s := range []string{"针对 演示甲公司", "数据：研发投入", `<select name="enterprise_id" id="ent-`, `<option value="rd_spend" selected>研发投入</option>`} {
		if !strings.Contains(objs, s) {
			t.Errorf("objections section lacks %q", s)
		}
	}
	if strings.Contains(objs, "企业 ID") || strings.Contains(objs, "指标代码") {
		t.Error("the decision form asks for an enterprise ID or an indicator code")
	}
	trail := section(prog.Body, "trail", "</table>")
	for _, s := range []string{"发布公示", "提出异议", "提交申报", "形式审查", "状态：评审中 → 公示中", "企业：演示甲公司", "数据：研发投入"} {
		if !strings.Contains(trail, s) {
			t.Errorf("audit trail lacks %q", s)
		}
	}
	// Outside the details switch the trail shows no codes and no epoch milliseconds.
	plain := regexp.MustCompile(`(?s)<details>.*?</details>`).ReplaceAllString(trail, "")
	lacksCodes(t, "the audit trail", plain)
	if strings.Contains(plain, "award.") || regexp.MustCompile(`\d{13}`).MatchString(plain) {
		t.Errorf("audit trail shows action codes or epoch milliseconds: %s", plain)
	}
}

var receiptRE = regexp.MustCompile(`id="receipt">([^<]+)<`)

// TestObjectionReceiptLookup: filing an objection answers with a receipt
// number; anyone holding it, signed in or not, sees the decision on that
// objection and nothing of the objector or of other objections; a wrong
// receipt is refused, and an address that keeps guessing is stopped.
func TestObjectionReceiptLookup(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	file := func(name, reason, figure string) string {
		r := w.Anon().Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {name}, "contact": {name + "@example.com"},
			"enterprise_id": {fmt.Sprint(w.e1)}, "indicator": {figure}, "reason": {reason}})
		want(t, r, 200, "object")
		m := receiptRE.FindSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no receipt on the answer: %s", r.Body)
		}
		return string(m[1])
	}
	first := file("王五", "甲公司 2022 年研发投入数据有误，应为 1000 元。", "rd_spend")
	second := file("赵六", "另一条异议：乙公司的营业收入不实，请核查。", "")
	want(t, w.Anon().Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {"钱七"}, "contact": {"x"},
		"indicator": {"employees"}, "reason": {"针对一个公示中没有的数据提出异议。"}}), 400, "a figure the notice does not use")

	lookup := func(c *webtest.Client, receipt string) *webtest.Resp {
		return c.Form("/notices/receipt", url.Values{"receipt": {receipt}})
	}
	r := lookup(w.Anon(), first)
	want(t, r, 200, "look up by receipt")
	got := section(r.Body, "receipt-status", "</section>")
	for _, s := range []string{"2023 科技创新20强", "演示甲公司", "研发投入", "待处理"} {
		if !strings.Contains(got, s) {
			t.Errorf("look-up lacks %q: %s", s, got)
		}
	}
	for _, s := range []string{"王五", "wang", "赵六", "营业收入不实"} {
		if strings.Contains(string(r.Body), s) {
			t.Errorf("look-up leaks %q", s)
		}
	}

	var objs struct{ Objections []award.Objection }
	w.As("supervisor").Get(fmt.Sprintf("/api/v1/award/programmes/%d/objections", id)).JSON(t, &objs)
	want(t, w.As("supervisor").Do("POST", fmt.Sprintf("/api/v1/award/objections/%d/decision", objs.Objections[0].ID),
		webaward.DecisionRequest{Finding: "经核实，研发投入数据无误。"}), 200, "dismiss")
	r = lookup(w.Anon(), strings.ToLower(" "+first+" "))
	want(t, r, 200, "look up, typed loosely")
	if got := section(r.Body, "receipt-status", "</section>"); !strings.Contains(got, "不成立") || !strings.Contains(got, "经核实，研发投入数据无误。") {
		t.Errorf("look-up after the decision: %s", got)
	}
	var st award.ReceiptStatus
	api := w.Anon().Do("POST", "/api/v1/award/objection-receipts", webaward.ReceiptRequest{Receipt: second})
	want(t, api, 200, "API look-up")
	api.JSON(t, &st)
	if st.State != "filed" || st.StateZH != "待处理" || st.Finding != "" || st.ObjectionID == objs.Objections[0].ID {
		t.Errorf("second objection's status: %+v", st)
	}

	// The first objection's number with the second's secret, a made-up
	// secret, and nonsense are all refused alike.
	idOf := func(r string) string { return r[:strings.Index(r, "-")] }
	secretOf := func(r string) string { return r[strings.Index(r, "-")+1:] }
	guesser := w.Anon()
	guesser.IP = "198.51.100.7"
	for _, bad := range []string{idOf(first) + "-" + secretOf(second), idOf(first) + "-AAAAAAAAAAAAAAAA", "nonsense"} {
		want(t, lookup(guesser, bad), 404, "wrong receipt "+bad)
	}
	want(t, guesser.Do("POST", "/api/v1/award/objection-receipts", webaward.ReceiptRequest{Receipt: idOf(second) + "-BBBBBBBBBBBBBBBB"}), 404, "wrong receipt over the API")
	for i := 4; i < award.ReceiptMissesPerHour; i++ {
		want(t, lookup(guesser, fmt.Sprintf("%s-%016d", idOf(first), i)), 404, "guess")
	}
	want(t, lookup(guesser, first), 429, "a right receipt from an address that kept guessing")
	want(t, lookup(w.Anon(), first), 200, "the same receipt from another address")
	w.now = w.now.Add(61 * time.Minute)
	want(t, lookup(guesser, first), 200, "the guessing address an hour later")
}

// TestApplicationOutcomeShown: the enterprise reads what became of its
// application, on the programme page, its list and the application page:
// provisionally selected on notice, then won with its amount; a withdrawn
// application says so with its reason.
func TestApplicationOutcomeShown(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	ent := w.As("enterprise2")
	r := ent.Get(fmt.Sprintf("/awards/programmes/%d", id))
	want(t, r, 200, "programme page")
	if got := section(r.Body, "my-outcome", "</p>"); !strings.Contains(got, "拟入选，公示中") || !strings.Contains(got, "第 2 名，总分") {
		t.Errorf("outcome on notice: %s", got)
	}
	w.now = w.now.Add(6 * 24 * time.Hour)
	want(t, w.As("supervisor").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	for who, text := range map[string]string{"enterprise": "获奖，奖补 100.00 万元", "enterprise2": "获奖，奖补 50.00 万元"} {
		if got := w.As(who).Get("/awards"); !strings.Contains(section(got.Body, "my-apps", "</table>"), text) {
			t.Errorf("%s's list: %s", who, got.Body)
		}
	}

	// A second programme: the enterprise applies and withdraws, with a reason.
	sup := w.As("supervisor")
	body := programmeBody()
	body.NameZH = "2023 数字化转型十强"
	var p award.Programme
	created := sup.Do("POST", "/api/v1/award/programmes", body)
	want(t, created, 201, "create")
	created.JSON(t, &p)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "open"}), 200, "open")
	var a award.Application
	applied := w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/applications", p.ID), webaward.ApplyRequest{Summary: "本企业数字化转型成效显著，申请参评。", Contact: "张三"})
	want(t, applied, 201, "apply")
	applied.JSON(t, &a)
	path := fmt.Sprintf("/awards/applications/%d/withdraw", a.ID)
	want(t, w.As("enterprise2").Form(path, url.Values{"reason": {"不是我的申报"}}), 404, "another enterprise withdraws it")
	want(t, w.As("enterprise").Form(path, url.Values{"reason": {" "}}), 400, "withdraw without a reason")
	want(t, w.As("enterprise").Form(path, url.Values{"reason": {"资料不全，下次再报"}}), 303, "withdraw")
	page := w.As("enterprise").Get(fmt.Sprintf("/awards/applications/%d", a.ID))
	if got := section(page.Body, "app-outcome", "</dd>"); !strings.Contains(got, "已撤回申报：资料不全，下次再报") {
		t.Errorf("withdrawn application: %d %s", page.Code, page.Body)
	}
	want(t, w.As("enterprise").Form(path, url.Values{"reason": {"再撤一次"}}), 409, "withdraw twice")
}

// TestPaymentListExportIsNumeric: the payment list has its title once,
// statuses in Chinese, amounts as numbers formatted in 元 that sum to the
// totals row, and no idempotency keys.
func TestPaymentListExportIsNumeric(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup := w.As("supervisor")
	w.now = w.now.Add(6 * 24 * time.Hour)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	var grants struct{ Grants []award.Grant }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", id)).JSON(t, &grants)
	c := w.As("supervisor")
	c.Header = map[string][]string{"Idempotency-Key": {"secret-idem-key-42"}}
	var p award.Payment
	r := c.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", grants.Grants[0].ID), award.PaymentRequest{AmountFen: 300_000_00})
	want(t, r, 201, "pay")
	r.JSON(t, &p)
	want(t, w.As("leader").Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/approve", p.ID), nil), 200, "approve")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/paid", p.ID), webaward.PaidRequest{VoucherNo: "记-1", PaidOn: "2023-03-07"}), 200, "paid")

	x := sup.Get(fmt.Sprintf("/awards/programmes/%d/payments.xlsx", id))
	want(t, x, 200, "export")
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("付款清单")
	all := fmt.Sprint(rows)
	if strings.Count(all, "2023") != strings.Count(all, "2023-03-07")+1 || !strings.Contains(rows[0][0], "2023 科技创新20强") {
		t.Errorf("title: %q", rows[0])
	}
	for _, s := range []string{"幂等", "secret-idem-key-42", "paid", "pending", "amount_fen"} {
		if strings.Contains(all, s) {
			t.Errorf("export shows %q: %q", s, rows)
		}
	}
	if !strings.Contains(all, "已支付") || !strings.Contains(all, "未申请付款") {
		t.Errorf("statuses: %q", rows)
	}
	num := func(cell string) float64 {
		t.Helper()
		v, err := f.GetCellValue("付款清单", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s is not a number: %q", cell, v)
		}
		return n
	}
	last := len(rows)
	var granted, paid float64
	for row := 4; row < last; row++ {
		granted += num(fmt.Sprintf("D%d", row))
		if v, _ := f.GetCellValue("付款清单", fmt.Sprintf("J%d", row)); v != "" {
			paid += num(fmt.Sprintf("J%d", row))
		}
	}
	if granted != 1_500_000 || num(fmt.Sprintf("D%d", last)) != granted || paid != 300_000 || num(fmt.Sprintf("J%d", last)) != paid {
		t.Errorf("granted %v (total %v), paid %v (total %v)", granted, num(fmt.Sprintf("D%d", last)), paid, num(fmt.Sprintf("J%d", last)))
	}
	if fm, _ := f.GetCellFormula("付款清单", fmt.Sprintf("D%d", last)); fm != fmt.Sprintf("SUM(D4:D%d)", last-1) {
		t.Errorf("total formula %q", fm)
	}
	if v, _ := f.GetCellValue("付款清单", "D4"); v != "1,000,000.00" {
		t.Errorf("D4 shows %q, want 1,000,000.00", v)
	}
}

// TestPaymentDatesChecked: a payment date before the grant or more than a
// day ahead, and a reversal before its payment, are refused with 400
// naming the field, in Chinese.
func TestPaymentDatesChecked(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup := w.As("supervisor")
	w.now = w.now.Add(6 * 24 * time.Hour) // 2023-03-07 17:00 in China
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	var grants struct{ Grants []award.Grant }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", id)).JSON(t, &grants)
	c := w.As("supervisor")
	c.Header = map[string][]string{"Idempotency-Key": {"k"}}
	var p award.Payment
	c.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", grants.Grants[0].ID), award.PaymentRequest{AmountFen: 100}).JSON(t, &p)
	want(t, w.As("leader").Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/approve", p.ID), nil), 200, "approve")
	paid := fmt.Sprintf("/api/v1/award/payments/%d/paid", p.ID)
	refused := func(r *webtest.Resp, field, text, what string) {
		t.Helper()
		want(t, r, 400, what)
		if fs := errorField(t, r); fs[0] != field || !strings.Contains(string(r.Body), text) {
			t.Errorf("%s: fields %v, body %s", what, fs, r.Body)
		}
	}
	refused(sup.Do("POST", paid, webaward.PaidRequest{VoucherNo: "记-1", PaidOn: "2023-03-06"}), "paid_on", "付款日期不能早于奖补核定日期 2023-03-07", "paid before the grant")
	refused(sup.Do("POST", paid, webaward.PaidRequest{VoucherNo: "记-1", PaidOn: "2023-03-09"}), "paid_on", "付款日期不能晚于 2023-03-08", "paid two days ahead")
	// The form answers alike.
	if r := sup.Form(fmt.Sprintf("/awards/payments/%d/paid", p.ID), url.Values{"voucher_no": {"记-1"}, "paid_on": {"2022-12-31"}}); r.Code != 400 || !strings.Contains(string(r.Body), "付款日期不能早于奖补核定日期") {
		t.Errorf("form, paid before the grant: %d", r.Code)
	}
	want(t, sup.Do("POST", paid, webaward.PaidRequest{VoucherNo: "记-1", PaidOn: "2023-03-08"}), 200, "paid tomorrow")
	rev := fmt.Sprintf("/api/v1/award/payments/%d/reversal", p.ID)
	w.now = w.now.Add(3 * 24 * time.Hour)
	refused(sup.Do("POST", rev, map[string]string{"reason": "账户有误", "date": "2023-03-07"}), "date", "冲正日期不能早于付款日期 2023-03-08", "reversal before the payment")
	refused(sup.Do("POST", rev, map[string]string{"reason": "账户有误", "date": "2023-03-31"}), "date", "冲正日期不能晚于", "reversal in the future")
	want(t, sup.Do("POST", rev, map[string]string{"reason": "账户有误", "date": "2023-03-10"}), 200, "reversal")
}
