package award_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/award"
)

// awardWorld is the harness with registry fixtures for awards: three
// enterprises with figures, the harness "enterprise" account linked to the
// first, a second enterprise account, three more reviewers.
type awardWorld struct {
	*webtest.Harness
	now        time.Time
	e1, e2, e3 int64
}

func (w *awardWorld) exec(q string, args ...any) {
	w.T.Helper()
	if _, err := w.App.DB.W.ExecContext(context.Background(), q, args...); err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
}

func (w *awardWorld) mustCreateEnterprise(credit, name string) int64 {
	w.T.Helper()
	var id int64
	if err := w.App.DB.W.QueryRowContext(context.Background(), `INSERT INTO enterprises (credit_code, name, registered_on, synthetic, created_at, updated_at)
		VALUES ($1,$2,'2015-01-01',TRUE,1,1) RETURNING id`, credit, name).Scan(&id); err != nil {
		w.T.Fatal(err)
	}
	return id
}

func (w *awardWorld) mustSetFigure(ent int64, code string, year int, value int64) {
	w.T.Helper()
	w.exec(`INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_at) VALUES ($1,$2,$3,0,'stats',$4,'confirmed',1)`,
		ent, code, year, value)
}

func newAwardWorld(t testing.TB) *awardWorld {
	h := webtest.New(t)
	w := &awardWorld{Harness: h, now: time.Date(2023, 3, 1, 9, 0, 0, 0, time.UTC)}
	h.App.Award.Now = func() time.Time { return w.now }
	for i, c := range []struct {
		code, unit string
		scale      int
	}{{"revenue", "元", 2}, {"taxes", "元", 2}, {"rd_spend", "元", 2}, {"land", "亩", 2}} {
		w.exec(`INSERT INTO figure_indicators (code, name_zh, unit, scale, sort) VALUES ($1,$1,$2,$3,$4) ON CONFLICT DO NOTHING`, c.code, c.unit, c.scale, i)
	}
	w.e1 = w.mustCreateEnterprise("91410100MA0000001A", "演示甲公司")
	w.e2 = w.mustCreateEnterprise("91410100MA0000002B", "演示乙公司")
	w.e3 = w.mustCreateEnterprise("91410100MA0000003C", "演示丙公司")
	for i, e := range []int64{w.e1, w.e2, w.e3} {
		w.exec("INSERT INTO enterprise_tiers (enterprise_id, tier, created_at) VALUES ($1,'hnte',1)", e)
		w.mustSetFigure(e, "revenue", 2021, 100_000_00)
		w.mustSetFigure(e, "revenue", 2022, int64(110_000_00+i*5_000_00))
		w.mustSetFigure(e, "rd_spend", 2022, int64(4_000_00+i*1_000_00))
		w.mustSetFigure(e, "taxes", 2022, int64(20_000_00-i*3_000_00))
		w.mustSetFigure(e, "land", 2022, 500)
	}
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise'", w.e1)
	for _, name := range []string{"enterprise2", "reviewer2", "reviewer3"} {
		role := "reviewer"
		if name == "enterprise2" {
			role = "enterprise"
		}
		w.exec(`INSERT INTO users (username, role, password_hash, created_at, updated_at) SELECT $1, $2, password_hash, 1, 1 FROM users WHERE username='admin'`, name, role)
	}
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise2'", w.e2)
	return w
}

func (w *awardWorld) userID(name string) int64 {
	var id int64
	w.App.DB.R.QueryRow("SELECT id FROM users WHERE username=$1", name).Scan(&id)
	return id
}

// programmeBody is 2023 科技创新20强 with a quota of 2.
func programmeBody() award.NewProgramme {
	r := webaward.ExampleRules()
	r.Eligibility.RequiredFigures = []string{"revenue"}
	r.Eligibility.MinYearsInZone = 0
	r.Money = award.MoneyRule{Kind: "bands", Bands: []award.Band{{ToRank: 1, AmountFen: 1_000_000_00}, {ToRank: 2, AmountFen: 500_000_00}}}
	return award.NewProgramme{Year: 2023, NameZH: "2023 科技创新20强", NameEN: "Top innovators 2023", Kind: award.KindRanking, Quota: 2,
		BudgetFen: 2_000_000_00, NoticeDays: 5, Rules: r}
}

func want(t *testing.T, r *webtest.Resp, code int, what string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("%s: %d, want %d: %s", what, r.Code, code, r.Body)
	}
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// runToNotice takes a programme through applications, review and ranking
// over the API and publishes its notice. It returns the programme id.
func (w *awardWorld) runToNotice(t *testing.T) int64 {
	sup := w.As("supervisor")
	var p award.Programme
	r := sup.Do("POST", "/api/v1/award/programmes", programmeBody())
	want(t, r, 201, "create programme")
	r.JSON(t, &p)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "open"}), 200, "open")
	var a1, a2 award.Application
	r = w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/applications", p.ID), webaward.ApplyRequest{Summary: "本企业研发投入强度较高，申请科技创新20强。",
		Contact: "张三 13800000000", Files: []webaward.FileInput{{Name: "审计报告.pdf", Base64: base64.StdEncoding.EncodeToString(pdfBytes)}}})
	want(t, r, 201, "apply e1")
	r.JSON(t, &a1)
	r = w.As("enterprise2").Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/applications", p.ID), webaward.ApplyRequest{Summary: "本企业亩均税收高，申请科技创新20强。", Contact: "李四"})
	want(t, r, 201, "apply e2")
	r.JSON(t, &a2)
	for _, a := range []int64{a1.ID, a2.ID} {
		want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/check", a), webaward.CheckRequest{Accept: true}), 200, "check")
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "review"}), 200, "review")
	want(t, w.As("reviewer3").Do("PUT", fmt.Sprintf("/api/v1/award/reviewers/%d/affiliations", w.userID("reviewer3")), webaward.AffiliationsRequest{Affiliations: "演示乙公司"}), 200, "affiliations")
	for _, a := range []int64{a1.ID, a2.ID} {
		for _, rv := range []string{"reviewer", "reviewer2", "reviewer3"} {
			var g award.Assignment
			r := sup.Do("POST", fmt.Sprintf("/api/v1/award/applications/%d/assignments", a), webaward.AssignRequest{ReviewerID: w.userID(rv)})
			want(t, r, 201, "assign")
			r.JSON(t, &g)
			if rv == "reviewer3" && a == a2.ID {
				if g.State != "conflict" {
					t.Fatalf("reviewer3 linked to 演示乙公司 not excluded: %+v", g)
				}
				continue
			}
			want(t, w.As(rv).Do("PUT", fmt.Sprintf("/api/v1/award/assignments/%d/scores", g.ID), webaward.ScoresRequest{Scores: []award.Score{
				{Criterion: "inno", Value: "50"}, {Criterion: "mgmt", Value: "30", Comment: "良好"}}}), 200, "score")
		}
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/rank", p.ID), nil), 201, "rank")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", p.ID), webaward.StateRequest{To: "notice"}), 200, "notice")
	return p.ID
}

func TestAwardFlowOverHTTP(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup, anon := w.As("supervisor"), w.Anon()
	var v webaward.NoticeView
	r := anon.Get(fmt.Sprintf("/api/v1/award/notices/%d", id))
	want(t, r, 200, "public notice")
	r.JSON(t, &v)
	if len(v.Winners) != 2 || !v.NoticeOpen || len(v.Winners[0].Terms) != 4 {
		t.Fatalf("notice = %+v", v)
	}
	page := anon.Get(fmt.Sprintf("/notices/%d", id))
	if page.Code != 200 || !bytes.Contains(page.Body, []byte("拟入选名单")) || !bytes.Contains(page.Body, []byte("演示甲公司")) {
		t.Fatalf("notice page: %d", page.Code)
	}
	// Anyone objects through the page form; staff uphold it with a correction.
	r = anon.Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {"王五"}, "contact": {"wang@example.com"},
		"enterprise_id": {fmt.Sprint(w.e1)}, "reason": {"甲公司 2022 年研发投入数据有误，应为 1000 元。"}})
	want(t, r, http.StatusOK, "object by form (answers with the receipt)")
	var objs struct{ Objections []award.Objection }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/objections", id)).JSON(t, &objs)
	if len(objs.Objections) != 1 {
		t.Fatalf("objections = %+v", objs)
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/objections/%d/decision", objs.Objections[0].ID), webaward.DecisionRequest{Upheld: true,
		Finding: "经核实，研发投入应为 1,000 元。", Corrections: []award.Correction{{Kind: "figure", EnterpriseID: w.e1, Indicator: "rd_spend", Year: 2022, Value: 1_000_00}}}), 200, "uphold")
	var rounds struct{ Rounds []award.RoundSummary }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/rounds", id)).JSON(t, &rounds)
	if len(rounds.Rounds) != 2 || !strings.Contains(rounds.Rounds[0].Cause, "异议") {
		t.Fatalf("rounds = %+v", rounds)
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 409, "confirm before the period ends")
	w.now = w.now.Add(6 * 24 * time.Hour)
	r = anon.Do("POST", fmt.Sprintf("/api/v1/award/notices/%d/objections", id), webaward.ObjectionRequest{NewObjection: award.NewObjection{Name: "迟到", Contact: "x", Reason: "公示结束后才提出的异议。"}})
	want(t, r, 409, "objection after the notice closed")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	var grants struct{ Grants []award.Grant }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", id)).JSON(t, &grants)
	if len(grants.Grants) != 2 {
		t.Fatalf("grants = %+v", grants)
	}
	g := grants.Grants[0]
	pay := func(key string, amount int64) *webtest.Resp {
		c := w.As("supervisor")
		c.Header = http.Header{"Idempotency-Key": {key}}
		return c.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), award.PaymentRequest{AmountFen: amount, Note: "兑现"})
	}
	want(t, pay("k1", g.AmountFen), 201, "pay")
	replay := pay("k1", g.AmountFen)
	want(t, replay, 200, "replay")
	want(t, pay("k1", g.AmountFen-1), 409, "same key, other body")
	want(t, pay("k2", 1), 409, "second payment of a committed grant")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), award.PaymentRequest{AmountFen: 1}), 400, "no key")
	var p award.Payment
	replay.JSON(t, &p)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/approve", p.ID), nil), 403, "requester approves own payment")
	want(t, w.As("leader").Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/approve", p.ID), nil), 200, "leader approves")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/payments/%d/paid", p.ID), webaward.PaidRequest{VoucherNo: "记-2023-0815", PaidOn: "2023-03-07"}), 200, "paid")
	var totals struct {
		Totals        []award.Total
		PaidInYearFen int64 `json:"paid_in_year_fen"`
	}
	sup.Get("/api/v1/award/totals?year=2023").JSON(t, &totals)
	if totals.PaidInYearFen != g.AmountFen || totals.Totals[0].PaidFen != g.AmountFen {
		t.Fatalf("totals = %+v", totals)
	}
	x := sup.Get(fmt.Sprintf("/awards/programmes/%d/payments.xlsx", id))
	want(t, x, 200, "export")
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("付款清单")
	if len(rows) != 6 || rows[3][7] != "记-2023-0815" {
		t.Fatalf("xlsx rows = %q", rows)
	}
	// A payment requested by mistake on the other grant is withdrawn: by
	// the supervisor only, with a reason.
	g2 := grants.Grants[1]
	c := w.As("supervisor")
	c.Header = http.Header{"Idempotency-Key": {"k-wd"}}
	var mistaken award.Payment
	r = c.Do("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g2.ID), award.PaymentRequest{AmountFen: 1_00, Note: "误报"})
	want(t, r, 201, "mistaken payment")
	r.JSON(t, &mistaken)
	wd := fmt.Sprintf("/api/v1/award/payments/%d/withdrawal", mistaken.ID)
	want(t, w.As("leader").Do("POST", wd, webaward.WithdrawalRequest{Reason: "误报"}), 403, "leader withdraws")
	want(t, sup.Do("POST", wd, webaward.WithdrawalRequest{}), 400, "withdraw without a reason")
	r = sup.Do("POST", wd, webaward.WithdrawalRequest{Reason: "金额录入错误"})
	want(t, r, 200, "withdraw")
	r.JSON(t, &mistaken)
	if mistaken.State != "withdrawn" {
		t.Fatalf("after withdrawal: %+v", mistaken)
	}
	want(t, sup.Do("POST", wd, webaward.WithdrawalRequest{Reason: "再次"}), 409, "withdraw twice")
	if pg := sup.Get(fmt.Sprintf("/awards/programmes/%d", id)); !bytes.Contains(pg.Body, []byte("已撤回")) {
		t.Error("programme page does not show the withdrawn payment")
	}
	for _, path := range []string{fmt.Sprintf("/awards/programmes/%d", id), "/awards", "/awards/totals?year=2023", "/awards/flags"} {
		want(t, sup.Get(path), 200, path)
	}
	pg := sup.Get(fmt.Sprintf("/awards/programmes/%d", id))
	for _, s := range []string{"award.payment.paid", "award.payment.withdrawn", "award.objection.upheld", "award.score", "award.check", "award.apply"} {
		if !bytes.Contains(pg.Body, []byte(s)) {
			t.Errorf("programme page audit trail lacks %s", s)
		}
	}
}
