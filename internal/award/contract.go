package award

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// KindContract is a contract another module pays through this ledger (a
// scenario call's delivery contract, 合同兑付): a programme confirmed at
// once, holding one grant of the contract's amount, so that its payments
// follow the ledger's rules — never above the amount, never twice, an
// idempotency key each, approved by another person than the requester.
// Contracts are not award programmes: the awards pages leave them out,
// the totals count their money.
const KindContract = "contract"

// ContractInput opens a contract.
type ContractInput struct {
	Year         int
	NameZH       string
	NameEN       string
	EnterpriseID int64 // the payee
	AmountFen    int64
	Basis        string // the contract's number and what it is for
}

// OpenContract records a contract inside the caller's transaction tx, with
// its audit rows, and returns its grant. Errors: Invalid naming amount_fen
// or name_zh.
func (s *Service) OpenContract(ctx context.Context, tx *sql.Tx, in ContractInput) (Grant, error) {
	if in.AmountFen <= 0 {
		return Grant{}, errs.Field("amount_fen", "合同金额须大于 0", "the contract amount must be above 0")
	}
	if err := money.Check("amount_fen", in.AmountFen); err != nil {
		return Grant{}, err
	}
	if strings.TrimSpace(in.NameZH) == "" {
		return Grant{}, errs.Field("name_zh", "请填写合同名称", "the contract needs a name")
	}
	now := s.nowMS()
	actor := audit.ActorFrom(ctx)
	var prog int64
	err := tx.QueryRowContext(ctx, `INSERT INTO award_programmes (year, name_zh, name_en, kind, state, quota, budget_fen, rules_json,
		notice_days, note, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,1,$6,'{}',0,$7,$8,$9,$9) RETURNING id`,
		in.Year, strings.TrimSpace(in.NameZH), in.NameEN, KindContract, StateConfirmed, in.AmountFen, in.Basis, nullID(actor.ID), now).Scan(&prog)
	if err != nil {
		return Grant{}, fmt.Errorf("award: open contract: %w", err)
	}
	if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.contract.open", ObjectType: "award_programme", ObjectID: idStr(prog),
		After: map[string]any{"name_zh": in.NameZH, "kind": KindContract, "budget_fen": in.AmountFen, "basis": in.Basis}}); err != nil {
		return Grant{}, err
	}
	id, err := s.insertGrant(ctx, tx, prog, in.EnterpriseID, 1, in.AmountFen, in.Basis)
	if err != nil {
		return Grant{}, err
	}
	return Grant{ID: id, ProgrammeID: prog, EnterpriseID: in.EnterpriseID, Rank: 1, AmountFen: in.AmountFen, Basis: in.Basis,
		RemainingFen: in.AmountFen}, nil
}

// PaymentsByID reads the payments of ids, in chunks of 500, for a module
// that pays through the ledger and sums what it paid; unknown ids are
// absent.
func (s *Service) PaymentsByID(ctx context.Context, ids []int64) (map[int64]Payment, error) {
	out := make(map[int64]Payment, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		list := make([]string, n)
		for i, id := range ids[:n] {
			list[i] = idStr(id)
		}
		rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT "+payCols+" FROM award_payments WHERE id IN ("+strings.Join(list, ",")+")")
		if err != nil {
			return nil, fmt.Errorf("award: payments by id: %w", err)
		}
		for rows.Next() {
			p, err := scanPayment(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[p.ID] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}
