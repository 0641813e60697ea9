package award

import (
	"math"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// wantField fails unless err is an Invalid error that names field, in
// both languages.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || e.Field != field {
		t.Fatalf("want invalid %q, got %v", field, err)
	}
	if e.Msg == "" || e.MsgEN == "" || e.Msg == e.MsgEN {
		t.Fatalf("want a bilingual message, got %q / %q", e.Msg, e.MsgEN)
	}
	for _, d := range e.Details {
		if d.Field == field {
			return
		}
	}
	t.Fatalf("no detail names %q: %+v", field, e.Details)
}

// The defect: a grant of MaxInt64 fen made used+amount wrap below the
// budget, so it was stored, and every SUM over the grants then failed.
func TestHugeGrantIsRefusedAndTotalsStayReadable(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 2, 100_000_00)
	ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], 100, ""))(t)
	_, err := f.S.CreateGrant(f.as(sup), p.ID, ents[1], math.MaxInt64, "")
	wantField(t, err, "amount_fen")
	ts, err := f.S.Totals(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].GrantedFen != 100 {
		t.Fatalf("totals %+v", ts)
	}
}

func TestGrantAmountBounds(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 3, money.MaxFen)
	for _, amt := range []int64{money.MaxFen + 1, math.MaxInt64, math.MaxInt64 - 99} {
		_, err := f.S.CreateGrant(f.as(sup), p.ID, ents[0], amt, "")
		wantField(t, err, "amount_fen")
	}
	// The budget check itself: what is left is compared without wrapping.
	ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], money.MaxFen-1, ""))(t)
	_, err := f.S.CreateGrant(f.as(sup), p.ID, ents[1], money.MaxFen, "")
	if errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a grant above what is left of the budget: %v", err)
	}
	g := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[1], 1, ""))(t)
	if g.AmountFen != 1 || g.RemainingFen != 1 {
		t.Fatalf("grant %+v", g)
	}
	_, err = f.S.CreateGrant(f.as(sup), p.ID, ents[2], 1, "")
	if errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a grant past a full budget: %v", err)
	}
}

func TestProgrammeMoneyBounds(t *testing.T) {
	f := newFixture(t)
	sup := f.mustCreateUser("sup", "supervisor", 0)
	base := NewProgramme{Year: 2023, NameZH: "上市之星奖", Kind: KindPrize, NoticeDays: 7, Rules: Rules{Money: MoneyRule{Kind: "manual"}}}
	n := base
	n.BudgetFen = math.MaxInt64
	_, err := f.S.CreateProgramme(f.as(sup), n)
	wantField(t, err, "budget_fen")
	n.BudgetFen = money.MaxFen
	p := ok(f.S.CreateProgramme(f.as(sup), n))(t)
	n.BudgetFen = money.MaxFen + 1
	_, err = f.S.UpdateProgramme(f.as(sup), p.ID, n)
	wantField(t, err, "budget_fen")
	for _, c := range []struct {
		rule  MoneyRule
		field string
	}{
		{MoneyRule{Kind: "fixed", AmountFen: math.MaxInt64}, "money.amount_fen"},
		{MoneyRule{Kind: "formula", PerPointFen: 100, CapFen: money.MaxFen + 1}, "money.cap_fen"},
		{MoneyRule{Kind: "formula", PerPointFen: math.MaxInt64, CapFen: 100}, "money.per_point_fen"},
		{MoneyRule{Kind: "bands", Bands: []Band{{ToRank: 1, AmountFen: 100}, {ToRank: 0, AmountFen: math.MaxInt64}}}, "money.bands[1].amount_fen"},
	} {
		n := base
		n.Rules.Money = c.rule
		_, err := f.S.UpdateProgramme(f.as(sup), p.ID, n)
		wantField(t, err, c.field)
		if err := n.Rules.Validate(KindPrize, 0, nil); err == nil {
			t.Fatalf("rules %+v validate", c.rule)
		}
	}
	if got := ok(f.S.Programme(f.ctx, p.ID))(t); got.BudgetFen != money.MaxFen {
		t.Fatalf("a refused edit changed the budget to %d", got.BudgetFen)
	}
}

func TestPaymentAmountBounds(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 1, money.MaxFen)
	g := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], money.MaxFen, ""))(t)
	for _, amt := range []int64{math.MaxInt64, money.MaxFen + 1} {
		_, _, err := f.S.RequestPayment(f.as(sup), g.ID, "k-huge", PaymentRequest{AmountFen: amt})
		wantField(t, err, "amount_fen")
	}
	ok3 := func(p Payment, _ bool, err error) (Payment, error) { return p, err }
	first := ok(ok3(f.S.RequestPayment(f.as(sup), g.ID, "k-1", PaymentRequest{AmountFen: money.MaxFen - 1})))(t)
	// What is left is 1 fen: MaxFen more is refused as above the balance, not wrapped.
	_, _, err := f.S.RequestPayment(f.as(sup), g.ID, "k-2", PaymentRequest{AmountFen: money.MaxFen})
	if errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("above the balance: %v", err)
	}
	leader := f.mustCreateUser("leader", "leader", 0)
	ok(f.S.Approve(f.as(leader), first.ID))(t)
	f.now = time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC)
	ok(f.S.MarkPaid(f.as(sup), first.ID, "记-1", "2023-04-01"))(t)
	g = ok(f.S.Grant(f.ctx, g.ID))(t)
	if g.PaidFen != money.MaxFen-1 || g.CommittedFen != money.MaxFen-1 || g.RemainingFen != 1 {
		t.Fatalf("grant %+v", g)
	}
}

// TestTotalsOfLargeButValidAmounts: three programmes, each granting and
// paying the largest credible amount, sum exactly, in SQL and in Go.
func TestTotalsOfLargeButValidAmounts(t *testing.T) {
	f := newFixture(t)
	sup := f.mustCreateUser("sup", "supervisor", 0)
	leader := f.mustCreateUser("leader", "leader", 0)
	ctx := f.as(sup)
	var ents []int64
	for i := 0; i < 3; i++ {
		e := f.mustCreateEnterprise("L000"+string(rune('0'+i)), "大额企业"+string(rune('A'+i)), "2010-01-01")
		f.fig(e, "taxes", 2022, int64(100+i))
		ents = append(ents, e)
	}
	for i := 0; i < 3; i++ {
		p := ok(f.S.CreateProgramme(ctx, NewProgramme{Year: 2023, NameZH: "大额奖" + string(rune('A'+i)), Kind: KindPrize, BudgetFen: money.MaxFen, NoticeDays: 1,
			Rules: Rules{DataYear: 2022, Money: MoneyRule{Kind: "manual"},
				Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}))(t)
		for _, st := range []string{StateOpen, StateReview} {
			ok(f.S.Advance(ctx, p.ID, st))(t)
		}
		ok(f.S.RankProgramme(ctx, p.ID))(t)
		ok(f.S.Advance(ctx, p.ID, StateNotice))(t)
		f.now = f.now.Add(48 * time.Hour)
		ok(f.S.Advance(ctx, p.ID, StateConfirmed))(t)
		g := ok(f.S.CreateGrant(ctx, p.ID, ents[i], money.MaxFen, ""))(t)
		pay, _, err := f.S.RequestPayment(ctx, g.ID, "all-"+string(rune('A'+i)), PaymentRequest{AmountFen: money.MaxFen})
		if err != nil {
			t.Fatal(err)
		}
		ok(f.S.Approve(f.as(leader), pay.ID))(t)
		ok(f.S.MarkPaid(ctx, pay.ID, "记-大额", f.now.In(db.CST).Format("2006-01-02")))(t)
	}
	ts := ok(f.S.Totals(f.ctx, 2023))(t)
	sum := ok(SumTotals(ts))(t)
	want := TotalsSum{BudgetFen: 3 * money.MaxFen, GrantedFen: 3 * money.MaxFen, PaidFen: 3 * money.MaxFen, Winners: 3}
	if len(ts) != 3 || sum != want {
		t.Fatalf("totals %+v, sum %+v", ts, sum)
	}
	if v := ok(f.S.YearPaid(f.ctx, 2023))(t); v != 3*money.MaxFen {
		t.Fatalf("paid in 2023: %d", v)
	}
}

// TestStoredOverflowIsAnError: rows written around the service (as the
// defect once let through) make a sum past int64. Totals then fail with an
// error instead of a wrapped figure, on SQLite (SUM raises) and PostgreSQL
// (SUM answers numeric, which the scan refuses).
func TestStoredOverflowIsAnError(t *testing.T) {
	f := newFixture(t)
	p, ents, _ := confirmedManual(t, f, 2, 100)
	f.exec("INSERT INTO award_grants (programme_id, enterprise_id, rank, amount_fen, basis, created_at) VALUES ($1,$2,1,$3,'',1)", p.ID, ents[0], int64(math.MaxInt64))
	f.exec("INSERT INTO award_grants (programme_id, enterprise_id, rank, amount_fen, basis, created_at) VALUES ($1,$2,2,$3,'',1)", p.ID, ents[1], int64(1))
	if ts, err := f.S.Totals(f.ctx, 2023); err == nil {
		t.Fatalf("totals of an overflowing sum: %+v", ts)
	}
	if _, err := SumTotals([]Total{{GrantedFen: math.MaxInt64}, {GrantedFen: 1}}); err == nil {
		t.Fatal("SumTotals wrapped")
	}
}

// An upheld objection's figure correction is held to the same bound.
func TestCorrectionValueBound(t *testing.T) {
	f := newFixture(t)
	_, err := f.S.Decide(f.ctx, 1, true, "核实", []Correction{{Kind: "figure", EnterpriseID: 1, Indicator: "taxes", Year: 2022, Value: math.MaxInt64}})
	wantField(t, err, "corrections[0].value")
}
