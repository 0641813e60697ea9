package award

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
)

// payWorld is a confirmed manual programme with one grant of 9,000 元 and
// three payments on it: pending, approved and paid (3,000 元 each).
type payWorld struct {
	*fixture
	prog                      Programme
	grant                     Grant
	sup, leader               int64
	pending, approved, paidOn Payment
}

func newPayWorld(t *testing.T) *payWorld {
	f := newFixture(t)
	p, ents, sup := confirmedManual(t, f, 1, 10_000_00)
	w := &payWorld{fixture: f, prog: p, sup: sup, leader: f.mustCreateUser("leader", "leader", 0)}
	w.grant = ok(f.S.CreateGrant(f.as(sup), p.ID, ents[0], 9_000_00, "评审委员会决定"))(t)
	req := func(key string) Payment {
		t.Helper()
		pay, _, err := f.S.RequestPayment(f.as(sup), w.grant.ID, key, PaymentRequest{AmountFen: 3_000_00})
		if err != nil {
			t.Fatal(err)
		}
		return pay
	}
	w.pending = req("p-1")
	w.approved = ok(f.S.Approve(f.as(w.leader), req("p-2").ID))(t)
	paid := ok(f.S.Approve(f.as(w.leader), req("p-3").ID))(t)
	w.paidOn = ok(f.S.MarkPaid(f.as(sup), paid.ID, "记-2023-0301", "2023-03-03"))(t)
	return w
}

// moves are the payment changes that must stop once a programme closes.
func (w *payWorld) moves() []struct {
	name string
	do   func(ctx context.Context) error
} {
	return []struct {
		name string
		do   func(ctx context.Context) error
	}{
		{"approve", func(context.Context) error {
			_, err := w.S.Approve(w.as(w.leader), w.pending.ID)
			return err
		}},
		{"mark paid", func(context.Context) error {
			_, err := w.S.MarkPaid(w.as(w.sup), w.approved.ID, "记-2023-0302", "2023-03-04")
			return err
		}},
		{"reverse", func(context.Context) error {
			_, err := w.S.Reverse(w.as(w.sup), w.paidOn.ID, "账户有误", "2023-03-04")
			return err
		}},
		{"request", func(context.Context) error {
			_, _, err := w.S.RequestPayment(w.as(w.sup), w.grant.ID, "p-4", PaymentRequest{AmountFen: 1_000_00})
			return err
		}},
	}
}

// moneyState is every payment's state and the ledger's row count and sum.
func (w *payWorld) moneyState() string {
	w.t.Helper()
	var out []string
	err := eachRow(context.Background(), w.DB.R, "SELECT id, state FROM award_payments ORDER BY id LIMIT 100", nil, func(r *sql.Rows) error {
		var id int64
		var st string
		err := r.Scan(&id, &st)
		out = append(out, idStr(id)+":"+st)
		return err
	})
	var rows, sum int64
	if err == nil {
		err = w.DB.R.QueryRow("SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM award_ledger").Scan(&rows, &sum)
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return strings.Join(out, ",") + " ledger " + idStr(rows) + "/" + idStr(sum)
}

// TestPaymentsRefusedOnceProgrammeClosed: a programme with payments still
// pending or approved cannot be closed (they would be stuck); and after
// 结束 no payment of the programme may be requested, approved, paid or
// reversed — checked on a programme closed with open payments, as one
// closed before the closing check existed could be.
func TestPaymentsRefusedOnceProgrammeClosed(t *testing.T) {
	w := newPayWorld(t)
	_, err := w.S.Advance(w.as(w.sup), w.prog.ID, StateClosed)
	if e := asErr(err); e.Code != "conflict" || !strings.Contains(e.Msg, "2 笔付款") || !strings.Contains(e.MsgEN, "2 payments") {
		t.Fatalf("closing with a pending and an approved payment: %v", err)
	}
	w.exec("UPDATE award_programmes SET state='closed' WHERE id=$1", w.prog.ID)
	before := w.moneyState()
	for _, m := range w.moves() {
		if err := m.do(w.ctx); asErr(err).Code != "conflict" {
			t.Errorf("%s after closing: %v, want a conflict", m.name, err)
		}
	}
	if after := w.moneyState(); after != before {
		t.Fatalf("payments changed after closing: %s → %s", before, after)
	}
}

// TestPaymentWaitsForProgrammeBeingClosed holds a closing transaction open
// (the programme row locked and marked closed, the audit entry written, as
// Advance does) while a payment change runs. The payment must wait for the
// closing to commit and then be refused; it must not slip through on the
// state it read before the closing committed.
func TestPaymentWaitsForProgrammeBeingClosed(t *testing.T) {
	for _, name := range []string{"approve", "mark paid", "reverse", "request"} {
		t.Run(name, func(t *testing.T) {
			w := newPayWorld(t)
			var move func(context.Context) error
			for _, m := range w.moves() {
				if m.name == name {
					move = m.do
				}
			}
			before := w.moneyState()
			ctx := w.as(w.sup)
			tx, err := w.DB.W.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			var state string
			if err := tx.QueryRowContext(ctx, "SELECT state FROM award_programmes WHERE id=$1"+w.DB.ForUpdate(), w.prog.ID).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE award_programmes SET state='closed' WHERE id=$1", w.prog.ID); err != nil {
				t.Fatal(err)
			}
			if err := w.S.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.programme.closed", ObjectType: "award_programme", ObjectID: idStr(w.prog.ID)}); err != nil {
				t.Fatal(err)
			}
			holder := blocker(t, w.DB, tx)
			done := make(chan error, 1)
			go func() { done <- move(w.ctx) }()
			var got error
			finished := false
			for !finished && !holder.blocking() {
				select {
				case got = <-done:
					finished = true
				default:
					time.Sleep(time.Millisecond)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if !finished {
				got = <-done
			}
			if asErr(got).Code != "conflict" {
				t.Errorf("%s while the programme was being closed: %v, want a conflict", name, got)
			}
			if after := w.moneyState(); after != before {
				t.Errorf("%s changed money while the programme was being closed: %s → %s", name, before, after)
			}
		})
	}
}

// lockHolder tells whether another transaction waits behind tx.
type lockHolder struct {
	t        *testing.T
	d        *db.DB
	pid      int
	waitBase int64
}

func blocker(t *testing.T, d *db.DB, tx *sql.Tx) *lockHolder {
	t.Helper()
	h := &lockHolder{t: t, d: d, waitBase: d.W.Stats().WaitCount}
	if d.Dialect == db.Postgres {
		if err := tx.QueryRow("SELECT pg_backend_pid()").Scan(&h.pid); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// blocking reports whether someone waits for tx: on PostgreSQL a backend
// blocked by tx's locks; on SQLite a caller waiting for the one writer
// connection that tx holds.
func (h *lockHolder) blocking() bool {
	if h.d.Dialect != db.Postgres {
		return h.d.W.Stats().WaitCount > h.waitBase
	}
	var n int
	if err := h.d.R.QueryRow("SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", h.pid).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n > 0
}

// TestProgrammeClosesOnceOpenPaymentsAreSettled: approving and paying the
// open payments lets the programme close.
func TestProgrammeClosesOnceOpenPaymentsAreSettled(t *testing.T) {
	w := newPayWorld(t)
	approved := ok(w.S.Approve(w.as(w.leader), w.pending.ID))(t)
	w.now = time.Date(2023, 3, 11, 9, 0, 0, 0, time.UTC)
	ok(w.S.MarkPaid(w.as(w.sup), approved.ID, "记-2023-0310", "2023-03-10"))(t)
	if _, err := w.S.Advance(w.as(w.sup), w.prog.ID, StateClosed); asErr(err).Code != "conflict" {
		t.Fatalf("closing with one approved payment left: %v", err)
	}
	ok(w.S.MarkPaid(w.as(w.sup), w.approved.ID, "记-2023-0311", "2023-03-11"))(t)
	if got := ok(w.S.Advance(w.as(w.sup), w.prog.ID, StateClosed))(t); got.State != StateClosed {
		t.Fatalf("state %s", got.State)
	}
}

// TestWithdrawFreesTheAmountAndLetsTheProgrammeClose: a payment not yet
// paid can be withdrawn with a reason (kept in its note, audited); its
// amount is free again, nothing reaches the ledger, a paid payment cannot
// be withdrawn, and once nothing is open the programme closes.
func TestWithdrawFreesTheAmountAndLetsTheProgrammeClose(t *testing.T) {
	w := newPayWorld(t)
	ctx := w.as(w.sup)
	before := w.moneyState()
	if _, err := w.S.Withdraw(ctx, w.pending.ID, "  "); asErr(err).Code != "invalid" {
		t.Fatalf("withdraw without a reason: %v", err)
	}
	if _, err := w.S.Withdraw(ctx, w.paidOn.ID, "重复"); asErr(err).Code != "conflict" {
		t.Fatalf("withdraw a paid payment: %v", err)
	}
	got := ok(w.S.Withdraw(ctx, w.pending.ID, "重复申请"))(t)
	if got.State != "withdrawn" || !strings.Contains(got.Note, "重复申请") {
		t.Fatalf("withdrawn payment %+v", got)
	}
	ok(w.S.Withdraw(ctx, w.approved.ID, "金额有误"))(t)
	if _, err := w.S.Withdraw(ctx, w.approved.ID, "再次"); asErr(err).Code != "conflict" {
		t.Fatalf("withdraw twice: %v", err)
	}
	var ledgerRows int
	w.DB.R.QueryRow("SELECT COUNT(*) FROM award_ledger").Scan(&ledgerRows)
	if ledgerRows != 1 || !strings.HasSuffix(before, "ledger 1/300000") {
		t.Fatalf("ledger changed: %d rows (before: %s)", ledgerRows, before)
	}
	// 9,000 元 granted, 3,000 paid: 6,000 free again for a new request.
	if _, _, err := w.S.RequestPayment(ctx, w.grant.ID, "p-5", PaymentRequest{AmountFen: 6_000_00}); err != nil {
		t.Fatalf("requesting the freed 6,000 元: %v", err)
	}
	var audits int
	w.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action='award.payment.withdrawn'").Scan(&audits)
	if audits != 2 {
		t.Fatalf("audit entries for withdrawals: %d", audits)
	}
	last := ok(w.S.Payments(ctx, w.grant.ID))(t)
	for _, p := range last {
		if p.State == "pending" {
			ok(w.S.Withdraw(ctx, p.ID, "不再需要"))(t)
		}
	}
	if got := ok(w.S.Advance(ctx, w.prog.ID, StateClosed))(t); got.State != StateClosed {
		t.Fatalf("state %s", got.State)
	}
}
