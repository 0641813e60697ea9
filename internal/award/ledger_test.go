package award

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// confirmedManual is a confirmed prize programme with n winners, a manual
// money rule and the given budget, ranked on one tax figure.
func confirmedManual(t *testing.T, f *fixture, n int, budget int64) (Programme, []int64, int64) {
	t.Helper()
	sup := f.mustCreateUser("sup", "supervisor", 0)
	var ents []int64
	for i := 0; i < n; i++ {
		e := f.mustCreateEnterprise(fmt.Sprintf("C%04d", i), fmt.Sprintf("并发企业%d", i), "2010-01-01")
		f.fig(e, "taxes", 2022, int64(100+i))
		ents = append(ents, e)
	}
	ctx := f.as(sup)
	p := ok(f.S.CreateProgramme(ctx, NewProgramme{Year: 2023, NameZH: "上市之星奖", Kind: KindPrize, BudgetFen: budget, NoticeDays: 1,
		Rules: Rules{DataYear: 2022, Money: MoneyRule{Kind: "manual"},
			Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}))(t)
	for _, st := range []string{StateOpen, StateReview} {
		ok(f.S.Advance(ctx, p.ID, st))(t)
	}
	ok(f.S.RankProgramme(ctx, p.ID))(t)
	ok(f.S.Advance(ctx, p.ID, StateNotice))(t)
	f.now = f.now.Add(48 * time.Hour)
	ok(f.S.Advance(ctx, p.ID, StateConfirmed))(t)
	return p, ents, sup
}

func TestConcurrentGrantsNeverExceedBudget(t *testing.T) {
	f := newFixture(t)
	// 40 winners ask 3,000 元 each against 100,000 元: 33 fit.
	p, ents, sup := confirmedManual(t, f, 40, 100_000_00)
	var wg sync.WaitGroup
	errsN := make(chan error, len(ents))
	for _, e := range ents {
		wg.Add(1)
		go func(e int64) {
			defer wg.Done()
			_, err := f.S.CreateGrant(f.as(sup), p.ID, e, 3_000_00, "评审委员会决定")
			errsN <- err
		}(e)
	}
	wg.Wait()
	close(errsN)
	okN := 0
	for err := range errsN {
		if err == nil {
			okN++
		} else if asErr(err).Code != "conflict" {
			t.Errorf("unexpected error: %v", err)
		}
	}
	var sum int64
	f.DB.R.QueryRow("SELECT COALESCE(SUM(amount_fen),0) FROM award_grants WHERE programme_id=$1", p.ID).Scan(&sum)
	if okN != 33 || sum != 33*3_000_00 || sum > p.BudgetFen {
		t.Fatalf("%d grants summing %d fen against a budget of %d", okN, sum, p.BudgetFen)
	}
}

func TestConcurrentPaymentsPayOnce(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 2, 10_000_00)
	g := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], 5_000_00, ""))(t)
	const n = 200
	run := func(key func(i int) string) (ids map[int64]int, oks, refused int) {
		ids = map[int64]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				pay, _, err := f.S.RequestPayment(f.as(sup), g.ID, key(i), PaymentRequest{AmountFen: g.AmountFen, Note: "全额兑现"})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					if asErr(err).Code != "conflict" {
						t.Errorf("request %d: %v", i, err)
					}
					refused++
					return
				}
				oks++
				ids[pay.ID]++
			}(i)
		}
		wg.Wait()
		return
	}
	ids, oks, _ := run(func(int) string { return "same-key" })
	if len(ids) != 1 || oks != n {
		t.Fatalf("same key: %d distinct payments from %d answers", len(ids), oks)
	}
	// Reset: reverse that request is impossible while pending, so use a second grant.
	g = ok(f.S.CreateGrant(f.as(sup), p.ID, ents[1], 5_000_00, ""))(t)
	ids, oks, refused := run(func(i int) string { return fmt.Sprint("key-", i) })
	if len(ids) != 1 || oks != 1 || refused != n-1 {
		t.Fatalf("different keys: %d payments, %d ok, %d refused", len(ids), oks, refused)
	}
	var rows int
	f.DB.R.QueryRow("SELECT COUNT(*) FROM award_payments").Scan(&rows)
	if rows != 2 {
		t.Fatalf("payment rows = %d, want 2", rows)
	}
}
