package award

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/money"
)

// Grant is the money a confirmed winner is granted (奖补资金).
type Grant struct {
	ID             int64  `json:"id"`
	ProgrammeID    int64  `json:"programme_id"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	CreditCode     string `json:"credit_code"`
	Rank           int    `json:"rank"`
	AmountFen      int64  `json:"amount_fen"`
	Basis          string `json:"basis"`
	CommittedFen   int64  `json:"committed_fen"` // pending + approved + paid, less reversals
	PaidFen        int64  `json:"paid_fen"`      // sum of ledger entries
	RemainingFen   int64  `json:"remaining_fen"` // amount − committed
}

// grantWinners makes one grant per winner of the latest round by the money
// rule, inside the confirming transaction. It never makes a 0-fen grant:
// bands that stop short of a winner are refused, and a winner the rule
// gives 0 fen (a formula on 0 points) gets no grant, recorded in the audit
// log. Errors: Conflict when bands leave
// winners without an amount (naming their ranks) or the sum would exceed
// the budget.
func (s *Service) grantWinners(ctx context.Context, tx *sql.Tx, p Programme) error {
	r, err := s.latestRound(ctx, tx, p.ID)
	if err != nil {
		return errs.New(errs.Conflict, "没有排名结果，不能认定", "no ranking: cannot confirm")
	}
	if err := p.Rules.Money.unpaidError(r.Result, "认定", "confirm"); err != nil {
		return err
	}
	var sum money.Total
	type g struct {
		e      Entry
		amount int64
	}
	var gs []g
	var none []map[string]any // winners whose amount is 0 fen (a formula on 0 points)
	for _, e := range r.Result.Entries {
		if !e.Winner {
			continue
		}
		amt, auto := p.Rules.Money.Amount(e.Rank, e.Total)
		if !auto {
			return nil
		}
		if amt <= 0 {
			none = append(none, map[string]any{"enterprise_id": e.EnterpriseID, "rank": e.Rank, "total": e.Total.Short()})
			continue
		}
		if err := money.Check("amount_fen", amt); err != nil {
			return err
		}
		sum.Add(amt)
		gs = append(gs, g{e, amt})
	}
	if len(none) > 0 {
		// They keep their place among the winners; a 0-fen grant would only
		// clutter the ledger with a payment nobody can make.
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.grant.none", ObjectType: "award_programme", ObjectID: idStr(p.ID),
			After: map[string]any{"reason": "the money rule gives these winners 0 fen", "winners": none}}); err != nil {
			return err
		}
	}
	total, overflow := sum.Fen("award: grants of the money rule")
	if overflow != nil || total > p.BudgetFen {
		if overflow != nil {
			total = math.MaxInt64 // reported as "above the budget", which it is
		}
		return errs.New(errs.Conflict, fmt.Sprintf("按奖励规则合计 %s，超出预算 %s", enterprise.FormatFen(total), enterprise.FormatFen(p.BudgetFen)),
			fmt.Sprintf("the money rule totals %s, above the budget of %s", enterprise.FormatFen(total), enterprise.FormatFen(p.BudgetFen)))
	}
	rule := MoneyKind(p.Rules.Money.Kind)
	for _, x := range gs {
		basis := fmt.Sprintf("第 %d 名，总分 %s，%s", x.e.Rank, x.e.Total.Short(), rule.ZH)
		if _, err := s.insertGrant(ctx, tx, p.ID, x.e.EnterpriseID, x.e.Rank, x.amount, basis); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) insertGrant(ctx context.Context, tx *sql.Tx, progID, ent int64, rank int, amount int64, basis string) (int64, error) {
	if err := money.Check("amount_fen", amount); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO award_grants (programme_id, enterprise_id, rank, amount_fen, basis, created_at)
		VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, progID, ent, rank, amount, basis, s.nowMS()).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, errs.New(errs.Conflict, "该企业在本项目已有奖补", "this enterprise already has a grant in this programme")
	}
	if err != nil {
		return 0, fmt.Errorf("award: grant: %w", err)
	}
	return id, s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.grant", ObjectType: "award_grant", ObjectID: idStr(id),
		After: map[string]any{"programme_id": progID, "enterprise_id": ent, "rank": rank, "amount_fen": amount, "basis": basis}})
}

// CreateGrant grants amount to a confirmed winner when the money rule is
// manual. The programme row is locked, so concurrent grants can never sum
// above the budget. Errors: Invalid, NotFound, Conflict (state, not a
// winner, already granted, over budget). An amount above money.MaxFen is
// Invalid, naming amount_fen.
func (s *Service) CreateGrant(ctx context.Context, progID, ent, amount int64, basis string) (Grant, error) {
	if amount <= 0 {
		return Grant{}, errs.Field("amount_fen", "金额须大于 0", "amount must be above 0")
	}
	if err := money.Check("amount_fen", amount); err != nil {
		return Grant{}, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, "award.budget."+idStr(progID)); err != nil {
			return err
		}
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		if p.State != StateConfirmed {
			return errs.New(errs.Conflict, "项目认定后才能发放奖补", "grants are made once the programme is confirmed")
		}
		if p.Rules.Money.Kind != "manual" {
			return errs.New(errs.Conflict, "本项目按规则自动生成奖补", "this programme's grants follow its money rule")
		}
		r, err := s.latestRound(ctx, tx, progID)
		if err != nil {
			return err
		}
		rank := 0
		for _, e := range r.Result.Entries {
			if e.EnterpriseID == ent && e.Winner {
				rank = e.Rank
			}
		}
		if rank == 0 {
			return errs.Field("enterprise_id", "该企业不在认定名单中", "this enterprise is not a confirmed winner")
		}
		var used money.SQLSum
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM award_grants WHERE programme_id=$1", progID).Scan(&used); err != nil {
			return fmt.Errorf("award: granted so far: %w", err)
		}
		if after, ok := money.Add(int64(used), amount); !ok || after > p.BudgetFen {
			left, asked := enterprise.FormatFen(p.BudgetFen-int64(used)), enterprise.FormatFen(amount)
			return errs.New(errs.Conflict, fmt.Sprintf("超出预算：剩余 %s，申请 %s", left, asked), fmt.Sprintf("over budget: %s left, %s asked", left, asked))
		}
		id, err = s.insertGrant(ctx, tx, progID, ent, rank, amount, strings.TrimSpace(basis))
		return err
	})
	if err != nil {
		return Grant{}, err
	}
	return s.Grant(ctx, id)
}

// grantCols reads the award's own rows; the enterprise's name and code
// come from the registry (nameGrants).
const grantCols = `g.id, g.programme_id, g.enterprise_id, g.rank, g.amount_fen, g.basis,
	COALESCE((SELECT SUM(amount_fen) FROM award_payments WHERE grant_id=g.id AND state IN ('pending','approved','paid')), 0),
	COALESCE((SELECT SUM(amount_fen) FROM award_ledger WHERE grant_id=g.id), 0)
	FROM award_grants g`

func scanGrant(sc interface{ Scan(...any) error }) (Grant, error) {
	var g Grant
	var committed, paid money.SQLSum
	err := sc.Scan(&g.ID, &g.ProgrammeID, &g.EnterpriseID, &g.Rank, &g.AmountFen, &g.Basis, &committed, &paid)
	if err != nil {
		return g, err
	}
	g.CommittedFen, g.PaidFen = int64(committed), int64(paid)
	left, ok := money.Sub(g.AmountFen, g.CommittedFen)
	if !ok {
		return g, fmt.Errorf("award: grant %d: amount %d less committed %d does not fit int64", g.ID, g.AmountFen, g.CommittedFen)
	}
	g.RemainingFen = left
	return g, nil
}

// Grant returns one grant with balances derived from payments and the ledger.
func (s *Service) Grant(ctx context.Context, id int64) (Grant, error) {
	g, err := scanGrant(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+grantCols+" WHERE g.id=$1", id))
	if err == sql.ErrNoRows {
		return g, errs.New(errs.NotFound, "奖补不存在", "grant not found")
	}
	if err != nil {
		return g, err
	}
	one := []Grant{g}
	err = s.nameGrants(ctx, one)
	return one[0], err
}

func (s *Service) nameGrants(ctx context.Context, gs []Grant) error {
	return withEnterprises(ctx, s, gs, func(g *Grant) int64 { return g.EnterpriseID },
		func(g *Grant, e enterprise.Brief) { g.EnterpriseName, g.CreditCode = e.Name, e.CreditCode })
}

// Grants lists a programme's grants by rank (progID ≠ 0) or an enterprise's.
func (s *Service) Grants(ctx context.Context, progID, ent int64) ([]Grant, error) {
	q, arg := "SELECT "+grantCols+" WHERE g.programme_id=$1 ORDER BY g.rank, g.id LIMIT 5000", progID
	if ent != 0 {
		q, arg = "SELECT "+grantCols+" WHERE g.enterprise_id=$1 ORDER BY g.id DESC LIMIT 500", ent
	}
	var out []Grant
	err := eachRow(ctx, s.DB.R, q, []any{arg}, func(r *sql.Rows) error {
		g, err := scanGrant(r)
		out = append(out, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.nameGrants(ctx, out)
}

// Payment is a request to pay (part of) a grant: pending → approved → paid,
// or reversed after payment by a ledger reversal.
type Payment struct {
	ID          int64  `json:"id"`
	GrantID     int64  `json:"grant_id"`
	AmountFen   int64  `json:"amount_fen"`
	State       string `json:"state"`
	IdemKey     string `json:"idempotency_key"`
	RequestedBy int64  `json:"requested_by,omitempty"`
	ApprovedBy  int64  `json:"approved_by,omitempty"`
	VoucherNo   string `json:"voucher_no,omitempty"`
	PaidOn      string `json:"paid_on,omitempty"`
	Note        string `json:"note,omitempty"`
	CreatedAt   int64  `json:"created_at"`
}

// PaymentRequest is the body of a payment request.
type PaymentRequest struct {
	AmountFen int64  `json:"amount_fen"`
	Note      string `json:"note"`
}

func (r PaymentRequest) hash(grantID int64) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(grantID, 10) + "\x00" + strconv.FormatInt(r.AmountFen, 10) + "\x00" + strings.TrimSpace(r.Note)))
	return hex.EncodeToString(sum[:])
}

const payCols = `id, grant_id, amount_fen, state, idem_key, COALESCE(requested_by, 0), COALESCE(approved_by, 0), voucher_no, paid_on, note, created_at`

func scanPayment(sc interface{ Scan(...any) error }) (Payment, error) {
	var p Payment
	err := sc.Scan(&p.ID, &p.GrantID, &p.AmountFen, &p.State, &p.IdemKey, &p.RequestedBy, &p.ApprovedBy, &p.VoucherNo, &p.PaidOn, &p.Note, &p.CreatedAt)
	p.IdemKey = sentKey(p.IdemKey)
	return p, err
}

// An idempotency key belongs to the person who sent it: it is stored as
// "<requester id>\x1f<key>", so one supervisor's key can neither replay nor
// block another's request. The separator cannot occur in a key (keys with
// control characters are refused).
const keySep = "\x1f"

func scopedKey(actor int64, key string) string { return idStr(actor) + keySep + key }

// sentKey is the key as its requester sent it.
func sentKey(stored string) string {
	if _, k, ok := strings.Cut(stored, keySep); ok {
		return k
	}
	return stored
}

func validKey(key string) bool {
	if key == "" || len(key) > 200 {
		return false
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// RequestPayment asks to pay amount of a grant under an idempotency key,
// scoped to the requester (the actor in ctx). The same key from the same
// person with the same body returns the first payment (replayed = true);
// the same key with another body is a Conflict. A request above what is left
// of the grant is refused (a paid grant cannot be paid twice). Errors:
// Invalid (an amount above money.MaxFen names amount_fen), NotFound, Conflict.
func (s *Service) RequestPayment(ctx context.Context, grantID int64, key string, req PaymentRequest) (Payment, bool, error) {
	key = strings.TrimSpace(key)
	if !validKey(key) {
		return Payment{}, false, errs.Field("Idempotency-Key", "须提供幂等键（1–200 个可见字符）", "an idempotency key (1–200 printable characters) is required")
	}
	if req.AmountFen <= 0 {
		return Payment{}, false, errs.Field("amount_fen", "金额须大于 0", "amount must be above 0")
	}
	if err := money.Check("amount_fen", req.AmountFen); err != nil {
		return Payment{}, false, err
	}
	h := req.hash(grantID)
	actor := audit.ActorFrom(ctx).ID
	stored := scopedKey(actor, key)
	var pay Payment
	var replayed bool
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, "award.grant."+idStr(grantID)); err != nil {
			return err
		}
		if err := s.DB.Lock(ctx, tx, "award.idem."+stored); err != nil {
			return err
		}
		var oldHash string
		err := tx.QueryRowContext(ctx, "SELECT "+payCols+", request_hash FROM award_payments WHERE idem_key=$1", stored).
			Scan(&pay.ID, &pay.GrantID, &pay.AmountFen, &pay.State, &pay.IdemKey, &pay.RequestedBy, &pay.ApprovedBy, &pay.VoucherNo, &pay.PaidOn, &pay.Note, &pay.CreatedAt, &oldHash)
		pay.IdemKey = sentKey(pay.IdemKey)
		if err == nil {
			if oldHash != h {
				return errs.New(errs.Conflict, "幂等键已用于另一笔不同的付款请求", "this idempotency key was used for a different payment request")
			}
			replayed = true
			return nil
		}
		if err != sql.ErrNoRows {
			return err
		}
		// FOR UPDATE over the join locks the grant row and the programme
		// row: the state is read under the lock that closing takes.
		var state string
		var amount int64
		var committed money.SQLSum
		err = tx.QueryRowContext(ctx, `SELECT p.state, g.amount_fen FROM award_grants g JOIN award_programmes p ON p.id=g.programme_id
			WHERE g.id=$1`+s.DB.ForUpdate(), grantID).Scan(&state, &amount)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "奖补不存在", "grant not found")
		}
		if err != nil {
			return err
		}
		if state != StateConfirmed {
			return errs.New(errs.Conflict, "项目不在认定后的兑现期", "the programme is not confirmed (or already closed)")
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM award_payments WHERE grant_id=$1 AND state IN ('pending','approved','paid')",
			grantID).Scan(&committed); err != nil {
			return fmt.Errorf("award: committed so far: %w", err)
		}
		left, ok := money.Sub(amount, int64(committed))
		if !ok {
			return fmt.Errorf("award: grant %d: amount %d less committed %d does not fit int64", grantID, amount, committed)
		}
		if req.AmountFen > left {
			l, a := enterprise.FormatFen(left), enterprise.FormatFen(req.AmountFen)
			return errs.New(errs.Conflict, fmt.Sprintf("超出奖补余额：剩余 %s，申请 %s（已付或在途的不能重复支付）", l, a),
				fmt.Sprintf("above what is left of the grant: %s left, %s asked (paid or pending money cannot be paid again)", l, a))
		}
		now := s.nowMS()
		err = tx.QueryRowContext(ctx, `INSERT INTO award_payments (grant_id, amount_fen, idem_key, request_hash, requested_by, note, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, grantID, req.AmountFen, stored, h, nullID(actor), strings.TrimSpace(req.Note), now).Scan(&pay.ID)
		if err != nil {
			return fmt.Errorf("award: request payment: %w", err)
		}
		pay = Payment{ID: pay.ID, GrantID: grantID, AmountFen: req.AmountFen, State: PayPending, IdemKey: key, RequestedBy: actor, Note: strings.TrimSpace(req.Note), CreatedAt: now}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.payment.request", ObjectType: "award_payment", ObjectID: idStr(pay.ID), After: pay})
	})
	if err != nil && db.IsUniqueViolation(err) {
		return s.RequestPayment(ctx, grantID, key, req) // lost a race on the key: answer as a replay
	}
	return pay, replayed, err
}

// PaymentByID returns one payment. Errors: NotFound.
func (s *Service) PaymentByID(ctx context.Context, id int64) (Payment, error) {
	p, err := scanPayment(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+payCols+" FROM award_payments WHERE id=$1", id))
	if err == sql.ErrNoRows {
		return p, errs.New(errs.NotFound, "付款不存在", "payment not found")
	}
	return p, err
}

// Payments lists the payments of a grant, oldest first.
func (s *Service) Payments(ctx context.Context, grantID int64) ([]Payment, error) {
	var out []Payment
	err := eachRow(ctx, s.DB.R, "SELECT "+payCols+" FROM award_payments WHERE grant_id=$1 ORDER BY id LIMIT 500", []any{grantID}, func(r *sql.Rows) error {
		p, err := scanPayment(r)
		out = append(out, p)
		return err
	})
	return out, err
}

// ProgrammePayments returns the payments of every grant of a programme,
// keyed by grant, oldest first, in one query (for the programme page and
// the finance export, instead of a query per grant).
func (s *Service) ProgrammePayments(ctx context.Context, progID int64) (map[int64][]Payment, error) {
	out := map[int64][]Payment{}
	err := eachRow(ctx, s.DB.R, `SELECT p.id, p.grant_id, p.amount_fen, p.state, p.idem_key, COALESCE(p.requested_by, 0), COALESCE(p.approved_by, 0),
		p.voucher_no, p.paid_on, p.note, p.created_at FROM award_payments p JOIN award_grants g ON g.id=p.grant_id
		WHERE g.programme_id=$1 ORDER BY p.grant_id, p.id LIMIT 50000`, []any{progID}, func(r *sql.Rows) error {
		p, err := scanPayment(r)
		out[p.GrantID] = append(out[p.GrantID], p)
		return err
	})
	return out, err
}

// Approve approves a pending payment; the approver must not be the one who
// requested it. Errors: NotFound, Forbidden (same person), Conflict.
func (s *Service) Approve(ctx context.Context, id int64) (Payment, error) {
	return s.movePayment(ctx, id, PayApproved, func(tx *sql.Tx, p Payment) error {
		if a := audit.ActorFrom(ctx).ID; a != 0 && a == p.RequestedBy {
			return errs.New(errs.Forbidden, "申请人不能审批自己的付款（双人复核）", "the requester cannot approve their own payment (four eyes)")
		}
		_, err := tx.ExecContext(ctx, "UPDATE award_payments SET state='approved', approved_by=$1, updated_at=$2 WHERE id=$3", nullID(audit.ActorFrom(ctx).ID), s.nowMS(), id)
		return err
	})
}

// MarkPaid records that an approved payment was paid, with the voucher
// number and date, as a ledger entry. Errors: Invalid, NotFound, Conflict.
func (s *Service) MarkPaid(ctx context.Context, id int64, voucher, paidOn string) (Payment, error) {
	voucher = strings.TrimSpace(voucher)
	d, err := time.Parse("2006-01-02", strings.TrimSpace(paidOn))
	switch {
	case voucher == "" || len(voucher) > 100:
		return Payment{}, errs.Field("voucher_no", "须填写凭证号", "a voucher number is required")
	case err != nil:
		return Payment{}, errs.Field("paid_on", "付款日期格式应为 YYYY-MM-DD", "payment date must be YYYY-MM-DD")
	}
	if err := s.notFuture("paid_on", "付款日期", "payment date", d); err != nil {
		return Payment{}, err
	}
	return s.movePayment(ctx, id, PayPaid, func(tx *sql.Tx, p Payment) error {
		if err := s.notBeforeGrant(ctx, tx, "paid_on", "付款日期", "payment date", p.GrantID, d); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_payments SET state='paid', voucher_no=$1, paid_on=$2, updated_at=$3 WHERE id=$4",
			voucher, d.Format("2006-01-02"), s.nowMS(), id); err != nil {
			return err
		}
		return s.ledger(ctx, tx, p, "payment", p.AmountFen, d, voucher, nil, "")
	})
}

// Reverse corrects a paid payment with a reversal entry in the ledger (the
// original entry stays). Errors: Invalid (no reason), NotFound, Conflict.
func (s *Service) Reverse(ctx context.Context, id int64, reason, on string) (Payment, error) {
	reason = strings.TrimSpace(reason)
	d, err := time.Parse("2006-01-02", strings.TrimSpace(on))
	switch {
	case reason == "":
		return Payment{}, errs.Field("reason", "冲正须写明原因", "a reversal needs a reason")
	case err != nil:
		return Payment{}, errs.Field("date", "冲正日期格式应为 YYYY-MM-DD", "reversal date must be YYYY-MM-DD")
	}
	if err := s.notFuture("date", "冲正日期", "reversal date", d); err != nil {
		return Payment{}, err
	}
	return s.movePayment(ctx, id, PayReversed, func(tx *sql.Tx, p Payment) error {
		if err := s.notBeforeGrant(ctx, tx, "date", "冲正日期", "reversal date", p.GrantID, d); err != nil {
			return err
		}
		if paid, err := time.Parse("2006-01-02", p.PaidOn); err == nil && d.Before(paid) {
			return errs.Field("date", "冲正日期不能早于付款日期 "+p.PaidOn, "the reversal date cannot be before the payment date "+p.PaidOn)
		}
		var entry int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM award_ledger WHERE payment_id=$1 AND kind='payment'", id).Scan(&entry); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_payments SET state='reversed', updated_at=$1 WHERE id=$2", s.nowMS(), id); err != nil {
			return err
		}
		return s.ledger(ctx, tx, p, "reversal", -p.AmountFen, d, p.VoucherNo, entry, reason)
	})
}

// Withdraw cancels a payment that is not paid yet (pending or approved),
// for the reason given, which is kept in its note; nothing reaches the
// ledger and the amount is free again. A programme closes only once none
// of its payments is pending or approved. Errors: Invalid (no reason),
// NotFound, Conflict (paid or settled already, programme not confirmed).
func (s *Service) Withdraw(ctx context.Context, id int64, reason string) (Payment, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Payment{}, errs.Field("reason", "撤回须写明原因", "a withdrawal needs a reason")
	}
	return s.movePayment(ctx, id, PayWithdrawn, func(tx *sql.Tx, p Payment) error {
		_, err := tx.ExecContext(ctx, "UPDATE award_payments SET state='withdrawn', note=$1, updated_at=$2 WHERE id=$3",
			strings.TrimSpace(p.Note+" 撤回："+reason), s.nowMS(), id)
		return err
	})
}

func (s *Service) ledger(ctx context.Context, tx *sql.Tx, p Payment, kind string, amount int64, d time.Time, voucher string, reverses any, note string) error {
	if err := money.Check("amount_fen", amount); err != nil {
		return err
	}
	var prog int64
	if err := tx.QueryRowContext(ctx, "SELECT programme_id FROM award_grants WHERE id=$1", p.GrantID).Scan(&prog); err != nil {
		return err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO award_ledger (programme_id, grant_id, payment_id, kind, amount_fen, paid_on, year, voucher_no,
		reverses_id, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
		prog, p.GrantID, p.ID, kind, amount, d.Format("2006-01-02"), d.Year(), voucher, reverses, note, nullID(audit.ActorFrom(ctx).ID), s.nowMS()).Scan(&id)
	if db.IsUniqueViolation(err) {
		return errs.New(errs.Conflict, "该付款已冲正", "this payment is already reversed")
	}
	if err != nil {
		return fmt.Errorf("award: ledger: %w", err)
	}
	if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.ledger." + kind, ObjectType: "award_ledger", ObjectID: idStr(id),
		After: map[string]any{"payment_id": p.ID, "grant_id": p.GrantID, "amount_fen": amount, "date": d.Format("2006-01-02"), "voucher_no": voucher, "note": note}}); err != nil {
		return err
	}
	// Money paid is read by other modules' computed indicators (a
	// scenario contract's stages): they are fresh by this version.
	return memo.Bump(ctx, tx, Module)
}

// movePayment changes a payment's state inside one transaction that holds,
// in this order, the grant's lock, the programme row and the payment row.
// The programme's state is read under its row lock: Advance takes the same
// row to close the programme, so a payment change and the closing are
// serialised, and whichever comes second sees the other's result (a payment
// never changes in a programme that closed while it ran).
func (s *Service) movePayment(ctx context.Context, id int64, to string, fn func(*sql.Tx, Payment) error) (Payment, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var gid, progID int64
		err := tx.QueryRowContext(ctx, "SELECT p.grant_id, g.programme_id FROM award_payments p JOIN award_grants g ON g.id=p.grant_id WHERE p.id=$1",
			id).Scan(&gid, &progID)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "付款不存在", "payment not found")
		} else if err != nil {
			return err
		}
		if err := s.DB.Lock(ctx, tx, "award.grant."+idStr(gid)); err != nil {
			return err
		}
		var pstate string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM award_programmes WHERE id=$1"+s.DB.ForUpdate(), progID).Scan(&pstate); err != nil {
			return err
		}
		if pstate != StateConfirmed {
			return errs.New(errs.Conflict, "项目不在认定后的兑现期（已结束），付款不能再变更", "the programme is not confirmed (it is closed); payments cannot change")
		}
		p, err := scanPayment(tx.QueryRowContext(ctx, "SELECT "+payCols+" FROM award_payments WHERE id=$1"+s.DB.ForUpdate(), id))
		if err != nil {
			return err
		}
		if err := payments.may(p.State, to); err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.payment." + to, ObjectType: "award_payment", ObjectID: idStr(id),
			Before: map[string]string{"state": p.State}, After: map[string]string{"state": to}})
	})
	if err != nil {
		return Payment{}, err
	}
	return s.PaymentByID(ctx, id)
}
