package finance_test

import (
	"strings"
	"sync"
	"testing"

	"gaoxin/internal/award"
	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// bank is a bank lending 100 万 to 1 亿 in every chain, at seed to B
// rounds, by loan and IP-pledge loan.
func bank(n int, name string) finance.InstitutionInput {
	return finance.InstitutionInput{Kind: finance.KindBank, Name: name, CreditCode: code(n), AUMFen: yi(500),
		TicketMinFen: wan(100), TicketMaxFen: yi(1), SettledOn: "2023-02-01", Stages: []string{"seed", "angel", "a", "b"},
		Instruments: []string{"loan", "ip_pledge"},
		Contacts:    []finance.Contact{{Name: "周行长", Title: "科技金融部", Phone: "0371-6000 0002"}}}
}

// funded takes a need of ent for amount by instrument through every step
// with institution inst (its account iv) to money received on 2023-06-10.
func (f *fixture) funded(ent, iv finance.Viewer, title, instrument string, amount int64) finance.Match {
	f.t.Helper()
	in := finance.NeedInput{Title: title, AmountFen: amount, Instrument: instrument, Stage: "a", UseOfFunds: "研发与流动资金"}
	n, err := f.S.Post(f.ctx, ent, in, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	m, err := f.S.ExpressInterest(f.ctx, iv, n.ID, "")
	if err != nil {
		f.t.Fatal(err)
	}
	if m, err = f.S.Answer(f.ctx, ent, m.ID, true, ""); err != nil {
		f.t.Fatal(err)
	}
	for _, st := range []finance.StepInput{{Step: finance.StepMeeting}, {Step: finance.StepDiligence},
		{Step: finance.StepTerm, AmountFen: amount}, {Step: finance.StepFunded, AmountFen: amount}} {
		if m, err = f.S.Advance(f.ctx, iv, m.ID, st); err != nil {
			f.t.Fatal(err)
		}
	}
	return m
}

func interestRule(budget int64) finance.SubsidyRuleInput {
	return finance.SubsidyRuleInput{Year: 2023, NameZH: "2023 年科技贷款贴息", Kind: finance.SubsidyInterest,
		Instruments: []string{"loan", "ip_pledge"}, RateBP: 345, SharePct: 50, Months: 12, CapFen: wan(50), BudgetFen: budget,
		Basis: "郑高管〔2023〕12 号"}
}

// A 贴息 rule opens a policy fund in the awards ledger; a funded loan is
// granted its subsidy once, worked out and explained, within the fund's
// budget, once a year per enterprise; staff pay it through the ledger.
func TestSubsidyGrantedOnceWithinBudget(t *testing.T) {
	f := newFixture(t)
	bv, _ := f.approved("bank1", bank(7, "中原银行郑州高新支行"))
	vv, _ := f.approved("vc1", vc(8, "高新创投"))

	// Bad rules and the wrong people: refused, nothing written.
	_, err := f.S.CreateSubsidyRule(f.ctx, f.leader, interestRule(wan(100)))
	wantErr(t, err, errs.Forbidden, "")
	for field, bad := range map[string]func(*finance.SubsidyRuleInput){
		"rate_bp": func(r *finance.SubsidyRuleInput) { r.RateBP = 0 }, "instruments": func(r *finance.SubsidyRuleInput) { r.Instruments = nil },
		"budget_fen": func(r *finance.SubsidyRuleInput) { r.BudgetFen = 0 }, "share_pct": func(r *finance.SubsidyRuleInput) { r.SharePct = 120 },
		"kind": func(r *finance.SubsidyRuleInput) { r.Kind = "gift" }, "cap_fen": func(r *finance.SubsidyRuleInput) { r.CapFen = -1 },
		"name_zh": func(r *finance.SubsidyRuleInput) { r.NameZH = " " },
	} {
		in := interestRule(wan(100))
		bad(&in)
		_, err := f.S.CreateSubsidyRule(f.ctx, f.staff, in)
		wantErr(t, err, errs.Invalid, field)
	}
	if n := f.count("SELECT COUNT(*) FROM finance_subsidy_rules"); n != 0 {
		t.Fatalf("%d rules after refusals", n)
	}
	rule, err := f.S.CreateSubsidyRule(f.ctx, f.staff, interestRule(wan(60)))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := f.S.Award.Programme(f.ctx, rule.ProgrammeID); err != nil || p.Kind != award.KindPolicy || p.BudgetFen != wan(60) {
		t.Fatalf("the policy fund: %+v %v", p, err)
	}

	loan := f.funded(f.entA, bv, "传感器产线流动资金贷款", "loan", wan(1000))
	equity := f.funded(f.entA, vv, "A 轮股权融资", "equity", wan(3000))
	// 1,000 万 × 3.45% × 50% × 12 ÷ 12 = 172,500 元.
	q, err := f.S.QuoteSubsidy(f.ctx, f.staff, loan.ID, rule.ID)
	if err != nil || q.AmountFen != 17_250_000 || q.Capped || !strings.Contains(q.FormulaZH, "172,500.00 元") {
		t.Fatalf("quote: %+v %v", q, err)
	}
	_, err = f.S.QuoteSubsidy(f.ctx, f.entA, loan.ID, rule.ID)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.GrantSubsidy(f.ctx, f.staff, equity.ID, rule.ID)
	wantErr(t, err, errs.Conflict, "")
	_, err = f.S.GrantSubsidy(f.ctx, f.leader, loan.ID, rule.ID)
	wantErr(t, err, errs.Forbidden, "")

	// Two supervisors grant the same deal at once: one grant.
	var wg sync.WaitGroup
	results := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.S.GrantSubsidy(f.ctx, f.staff, loan.ID, rule.ID)
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	granted := 0
	for err := range results {
		if err == nil {
			granted++
		} else if errs.As(err).Code != errs.Conflict {
			t.Fatalf("a concurrent grant: %v", err)
		}
	}
	if granted != 1 {
		t.Fatalf("%d grants of one deal", granted)
	}
	_, err = f.S.GrantSubsidy(f.ctx, f.staff, loan.ID, rule.ID)
	wantErr(t, err, errs.Conflict, "")
	// The subsidy was worked out from the amount received: that amount can
	// no longer be corrected under it.
	_, err = f.S.CorrectFunding(f.ctx, f.staff, loan.ID, finance.FundingCorrection{AmountFen: wan(100), On: loan.FundedOn, Reason: "核对回单"})
	wantErr(t, err, errs.Conflict, "")

	// 乙's loan of 3,000 万 works out 517,500 元, capped at 500,000 元:
	// more than the 427,500 元 left in the fund.
	big := f.funded(f.entB, bv, "新材料产线贷款", "loan", wan(3000))
	if q, _ := f.S.QuoteSubsidy(f.ctx, f.staff, big.ID, rule.ID); !q.Capped || q.AmountFen != wan(50) {
		t.Fatalf("capped quote: %+v", q)
	}
	_, err = f.S.GrantSubsidy(f.ctx, f.staff, big.ID, rule.ID)
	if e := errs.As(err); e.Code != errs.Conflict || !strings.Contains(e.Message("zh"), "超出政策资金预算") {
		t.Fatalf("over the budget: %v", err)
	}
	// 甲's second loan the same year: once a year per enterprise.
	second := f.funded(f.entA, bv, "知识产权质押贷款", "ip_pledge", wan(200))
	_, err = f.S.GrantSubsidy(f.ctx, f.staff, second.ID, rule.ID)
	if e := errs.As(err); e.Code != errs.Conflict || !strings.Contains(e.Message("zh"), "每家企业每年一次") {
		t.Fatalf("a second subsidy to one enterprise: %v", err)
	}

	// The rule's list of funded deals still to subsidise: 乙's over what
	// is left, 甲's second loan blocked by the once-a-year rule, the
	// equity deal and the granted loan not listed.
	cs, err := f.S.SubsidyCandidates(f.ctx, f.staff, rule.ID)
	if err != nil || len(cs) != 2 {
		t.Fatalf("candidates: %+v %v", cs, err)
	}
	blocked := map[int64]string{}
	for _, c := range cs {
		blocked[c.Match.ID] = c.Blocked
	}
	if !strings.Contains(blocked[big.ID], "余额不足") || !strings.Contains(blocked[second.ID], "每年一次") {
		t.Fatalf("candidates blocked: %v", blocked)
	}
	_, err = f.S.SubsidyCandidates(f.ctx, f.leader, rule.ID)
	if err != nil {
		t.Fatalf("a leader reads the candidates: %v", err)
	}
	_, err = f.S.SubsidyCandidates(f.ctx, f.entA, rule.ID)
	wantErr(t, err, errs.NotFound, "")

	ss, err := f.S.Subsidies(f.ctx, f.staff, finance.SubsidyFilter{RuleID: rule.ID})
	if err != nil || len(ss) != 1 || ss[0].AmountFen != 17_250_000 || ss[0].EnterpriseName != "甲科技有限公司" {
		t.Fatalf("subsidies: %+v %v", ss, err)
	}
	_, err = f.S.Subsidies(f.ctx, f.entA, finance.SubsidyFilter{})
	wantErr(t, err, errs.Forbidden, "")
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'finance.subsidy.grant'"); n != 1 {
		t.Fatalf("%d audit rows of grants", n)
	}

	// Paid through the ledger: requested, approved by another, paid.
	pay, _, err := f.S.Award.RequestPayment(f.ctx, ss[0].GrantID, "subsidy-1", award.PaymentRequest{AmountFen: ss[0].AmountFen})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Award.Approve(f.ctx, pay.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Award.MarkPaid(f.ctx, pay.ID, "记-2023-0610", "2023-06-10"); err != nil {
		t.Fatal(err)
	}
	if r, err := f.S.SubsidyRule(f.ctx, f.staff, rule.ID); err != nil || r.GrantedFen != 17_250_000 || r.PaidFen != 17_250_000 || r.Grants != 1 {
		t.Fatalf("the rule's fund after paying: %+v %v", r, err)
	}
}
