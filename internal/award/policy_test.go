package award

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"gaoxin/internal/errs"
)

// TestPolicyFundGrantsWithinBudgetOncePerEnterprise: a policy fund opened
// by another module's transaction grants concurrently, never above its
// budget, at most once per enterprise; bad amounts and non-policy
// programmes are refused; grants are paid through the ledger as any.
func TestPolicyFundGrantsWithinBudgetOncePerEnterprise(t *testing.T) {
	f := newFixture(t)
	manual, _, sup := confirmedManual(t, f, 1, 1_000_00)
	ctx := f.as(sup)
	var prog int64
	if err := f.S.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		prog, err = f.S.OpenPolicy(ctx, tx, PolicyInput{Year: 2023, NameZH: "2023 年科技贷款贴息", BudgetFen: 10_000_00, Basis: "郑高管〔2023〕12 号"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []PolicyInput{{Year: 2023, NameZH: "x", BudgetFen: 0}, {Year: 2023, NameZH: " ", BudgetFen: 1}, {Year: 1900, NameZH: "x", BudgetFen: 1}} {
		err := f.S.DB.Tx(ctx, func(tx *sql.Tx) error { _, err := f.S.OpenPolicy(ctx, tx, bad); return err })
		if e := errs.As(err); e.Code != errs.Invalid {
			t.Errorf("open %+v: %v", bad, err)
		}
	}
	p := ok(f.S.Programme(ctx, prog))(t)
	if p.Kind != KindPolicy || p.State != StateConfirmed || p.BudgetFen != 10_000_00 {
		t.Fatalf("the policy fund: %+v", p)
	}
	grant := func(ent, amount int64) (Grant, error) {
		var g Grant
		err := f.S.DB.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			g, err = f.S.PolicyGrant(ctx, tx, prog, ent, amount, "贷款贴息")
			return err
		})
		return g, err
	}
	// Twelve enterprises ask 1,000 元 each at once against 10,000 元.
	var ents []int64
	for i := range 12 {
		ents = append(ents, f.mustCreateEnterprise(fmt.Sprintf("P%04d", i), fmt.Sprintf("贴息企业%d", i), "2015-01-01"))
	}
	var wg sync.WaitGroup
	results := make(chan error, len(ents))
	for _, e := range ents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := grant(e, 1_000_00)
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	granted := 0
	for err := range results {
		switch e := errs.As(err); {
		case err == nil:
			granted++
		case e.Code != errs.Conflict || !strings.Contains(e.Message("zh"), "超出政策资金预算"):
			t.Fatalf("a refused grant: %v", err)
		}
	}
	if granted != 10 {
		t.Fatalf("%d grants of 1,000 元 from 10,000 元", granted)
	}
	var sum int64
	for _, g := range ok(f.S.Grants(ctx, prog, 0))(t) {
		sum += g.AmountFen
	}
	if sum != 10_000_00 {
		t.Fatalf("granted %d fen", sum)
	}

	// A second grant to the same enterprise is refused, even with budget
	// left; so are bad amounts and a programme that is not a policy fund.
	var prog2 int64
	if err := f.S.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		prog2, err = f.S.OpenPolicy(ctx, tx, PolicyInput{Year: 2023, NameZH: "2023 年担保费补贴", BudgetFen: 100_000_00})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	again := func(ent, amount int64, prog int64) error {
		return f.S.DB.Tx(ctx, func(tx *sql.Tx) error {
			_, err := f.S.PolicyGrant(ctx, tx, prog, ent, amount, "担保费补贴")
			return err
		})
	}
	if err := again(ents[0], 500_00, prog2); err != nil {
		t.Fatal(err)
	}
	if e := errs.As(again(ents[0], 500_00, prog2)); e.Code != errs.Conflict {
		t.Fatalf("a second grant to one enterprise: %v", e)
	}
	for _, amount := range []int64{0, -1, 1 << 62} {
		if e := errs.As(again(ents[1], amount, prog2)); e.Code != errs.Invalid || e.Details[0].Field != "amount_fen" {
			t.Fatalf("amount %d: %v", amount, e)
		}
	}
	if e := errs.As(again(ents[1], 100, manual.ID)); e.Code != errs.Conflict {
		t.Fatalf("a grant from a prize programme: %v", e)
	}

	// Paid through the ledger: requested, approved by another, paid.
	g := ok(f.S.Grants(ctx, prog2, 0))(t)[0]
	pay, _, err := f.S.RequestPayment(ctx, g.ID, "policy-1", PaymentRequest{AmountFen: 500_00})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Approve(f.as(f.mustCreateUser("leader", "leader", 0)), pay.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.MarkPaid(ctx, pay.ID, "记-2023-0303", "2023-03-03"); err != nil {
		t.Fatal(err)
	}
	if g := ok(f.S.Grant(ctx, g.ID))(t); g.PaidFen != 500_00 {
		t.Fatalf("paid %d", g.PaidFen)
	}
}
