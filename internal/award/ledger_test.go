package award

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
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

// TestIdempotencyKeyIsPerRequester: a key belongs to the person who sent it.
// Another supervisor reusing it (by chance or on purpose) must not be handed
// the first person's payment as a replay, nor be refused because someone
// else's body differs: their request is judged on its own.
func TestIdempotencyKeyIsPerRequester(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 2, 10_000_00)
	other := f.mustCreateUser("sup2", "supervisor", 0)
	g1 := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], 4_000_00, ""))(t)
	g2 := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[1], 4_000_00, ""))(t)
	first, replayed, err := f.S.RequestPayment(f.as(sup), g1.ID, "k-1", PaymentRequest{AmountFen: 4_000_00, Note: "兑现"})
	if err != nil || replayed {
		t.Fatalf("first request: %+v %v %v", first, replayed, err)
	}
	// Same key, same body, another person: not a replay of someone else's
	// payment; the grant is fully committed, so it is refused on its merits.
	got, replayed, err := f.S.RequestPayment(f.as(other), g1.ID, "k-1", PaymentRequest{AmountFen: 4_000_00, Note: "兑现"})
	if replayed || errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("other requester reusing the key: %+v replayed=%v err=%v, want a conflict on the grant's balance", got, replayed, err)
	}
	// Same key, another grant, another person: a new request of their own.
	got, replayed, err = f.S.RequestPayment(f.as(other), g2.ID, "k-1", PaymentRequest{AmountFen: 1_000_00})
	if err != nil || replayed || got.ID == first.ID || got.IdemKey != "k-1" || got.RequestedBy != other {
		t.Fatalf("other requester's own payment: %+v replayed=%v err=%v", got, replayed, err)
	}
	// Each person's replay still answers with their own payment.
	if again, replayed, err := f.S.RequestPayment(f.as(other), g2.ID, "k-1", PaymentRequest{AmountFen: 1_000_00}); err != nil || !replayed || again.ID != got.ID || again.IdemKey != "k-1" {
		t.Fatalf("replay by the other requester: %+v %v %v", again, replayed, err)
	}
	if again, replayed, err := f.S.RequestPayment(f.as(sup), g1.ID, "k-1", PaymentRequest{AmountFen: 4_000_00, Note: "兑现"}); err != nil || !replayed || again.ID != first.ID {
		t.Fatalf("replay by the first requester: %+v %v %v", again, replayed, err)
	}
	if pays := ok(f.S.Payments(f.ctx, g2.ID))(t); len(pays) != 1 || pays[0].IdemKey != "k-1" {
		t.Fatalf("listed payments show the key as sent: %+v", pays)
	}
}

// TestExportNeutralisesFormulas: text typed by people (an enterprise's
// registered name, a voucher number, an idempotency key) goes into the
// finance bureau's .xlsx. A cell beginning with = + - @ (or a tab or CR)
// would be read as a formula once the list is re-saved or pasted as CSV, so
// such text is written with a leading apostrophe; amounts stay as written.
func TestExportNeutralisesFormulas(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 2, 10_000_00)
	evil := `=HYPERLINK("http://example.com/x","点击")`
	f.exec("UPDATE enterprises SET name=$1 WHERE id=$2", evil, ents[0])
	g := ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], 4_000_00, ""))(t)
	pay, _, err := f.S.RequestPayment(f.as(sup), g.ID, "@SUM(1)", PaymentRequest{AmountFen: 4_000_00})
	if err != nil {
		t.Fatal(err)
	}
	leader := f.mustCreateUser("leader", "leader", 0)
	ok(f.S.Approve(f.as(leader), pay.ID))(t)
	f.now = time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC)
	ok(f.S.MarkPaid(f.as(sup), pay.ID, "+cmd|' /C calc'!A0", "2023-04-01"))(t)
	f.exec("UPDATE enterprises SET bank_name=$1, bank_account=$2 WHERE id=$3", "中国工商银行郑州高新技术开发区支行", "1702020109024567891", ents[0])
	var buf bytes.Buffer
	if err := f.S.ExportPayments(f.ctx, Viewer{UserID: leader, Role: org.Enterprise}, p.ID, &buf); errs.As(err).Code != errs.Forbidden {
		t.Fatalf("an enterprise exports the payment list: %v", err)
	}
	if err := f.S.ExportPayments(f.ctx, Viewer{UserID: sup, Role: org.Supervisor}, p.ID, &buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("付款清单")
	if len(rows) != 5 {
		t.Fatalf("rows = %q", rows)
	}
	row := rows[3]
	if row[1] != "'"+evil || row[7] != "'+cmd|' /C calc'!A0" || row[3] != "4,000.00" || row[5] != "4,000.00" {
		t.Fatalf("exported row = %q", row)
	}
	// The payee's bank and account, the account as text to the last digit.
	if len(row) < 12 || row[10] != "中国工商银行郑州高新技术开发区支行" || row[11] != "1702020109024567891" {
		t.Fatalf("exported payee = %q", row)
	}
	for i, r := range rows {
		for j, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %d,%d starts a formula: %q", i+1, j+1, c)
			}
		}
	}
}

// TestProgrammePaymentsMatchPerGrant: the programme page and the export read
// every grant's payments in one query; it must list exactly what the
// per-grant listing does, in the same order, and nothing of other grants.
func TestProgrammePaymentsMatchPerGrant(t *testing.T) {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 3, 10_000_00)
	var grants []Grant
	for i, e := range ents {
		grants = append(grants, ok(f.S.CreateGrant(f.as(sup), p.ID, e, int64(1_000_00*(i+1)), ""))(t))
	}
	for i, g := range grants[:2] {
		for k := 0; k <= i; k++ {
			ok2 := func(_ Payment, _ bool, err error) {
				if err != nil {
					t.Fatal(err)
				}
			}
			ok2(f.S.RequestPayment(f.as(sup), g.ID, fmt.Sprint("k", i, k), PaymentRequest{AmountFen: 500_00}))
		}
	}
	all := ok(f.S.ProgrammePayments(f.ctx, p.ID))(t)
	total := 0
	for _, g := range grants {
		want := ok(f.S.Payments(f.ctx, g.ID))(t)
		got := all[g.ID]
		total += len(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("grant %d: %+v, per grant %+v", g.ID, got, want)
		}
	}
	if total != 3 || len(all[grants[2].ID]) != 0 {
		t.Fatalf("payments by grant = %+v", all)
	}
}
