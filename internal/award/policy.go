package award

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// KindPolicy is a policy fund another module grants from by its own money
// rule (政策兑现: a financing subsidy such as 贴息 or 担保费补贴, whose
// amounts the tech-finance module works out from each loan). It is a
// programme confirmed at once with the year's budget and no ranking; each
// grant comes from the other module's rule, inside that module's
// transaction, and is paid through the ledger's own rules like any
// grant. An enterprise holds at most one grant per policy programme (one
// subsidy a year under one policy). Policy programmes are listed with the
// awards, so the zone's staff pay them where they pay every grant.
const KindPolicy = "policy"

// HasNotice reports whether p has a public notice page (公示): a ranked
// programme, not a past one known by its honours nor a policy fund, once
// its result is public.
func (p Programme) HasNotice() bool {
	return PublicState(p.State) && !p.Historical && p.Kind != KindPolicy
}

// PolicyInput opens a policy fund.
type PolicyInput struct {
	Year      int
	NameZH    string
	NameEN    string
	BudgetFen int64
	Basis     string // the policy document and what it pays for
}

// OpenPolicy records a policy fund inside the caller's transaction tx, with
// its audit row, and returns the programme's id. Errors: Invalid naming
// budget_fen, name_zh or year.
func (s *Service) OpenPolicy(ctx context.Context, tx *sql.Tx, in PolicyInput) (int64, error) {
	if in.BudgetFen <= 0 {
		return 0, errs.Field("budget_fen", "政策资金预算须大于 0", "the policy budget must be above 0")
	}
	if err := money.Check("budget_fen", in.BudgetFen); err != nil {
		return 0, err
	}
	if strings.TrimSpace(in.NameZH) == "" {
		return 0, errs.Field("name_zh", "请填写政策名称", "the policy needs a name")
	}
	if in.Year < 2000 || in.Year > 2100 {
		return 0, errs.Field("year", "年度应在 2000–2100 之间", "year must be 2000–2100")
	}
	now := s.nowMS()
	var prog int64
	err := tx.QueryRowContext(ctx, `INSERT INTO award_programmes (year, name_zh, name_en, kind, state, quota, budget_fen, rules_json,
		notice_days, note, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,0,$6,'{"money":{"kind":"manual"}}',0,$7,$8,$9,$9) RETURNING id`,
		in.Year, strings.TrimSpace(in.NameZH), strings.TrimSpace(in.NameEN), KindPolicy, StateConfirmed, in.BudgetFen, in.Basis,
		nullID(audit.ActorFrom(ctx).ID), now).Scan(&prog)
	if err != nil {
		return 0, fmt.Errorf("award: open policy: %w", err)
	}
	return prog, s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.policy.open", ObjectType: "award_programme", ObjectID: idStr(prog),
		After: map[string]any{"name_zh": in.NameZH, "kind": KindPolicy, "budget_fen": in.BudgetFen, "basis": in.Basis}})
}

// PolicyGrant grants amount to enterprise ent from policy fund progID,
// inside the caller's transaction tx: the fund's budget lock is taken
// first, so concurrent grants can never sum above the budget. Errors:
// Invalid naming amount_fen; NotFound; Conflict (not a policy fund, the
// fund spent, the enterprise already granted from it).
func (s *Service) PolicyGrant(ctx context.Context, tx *sql.Tx, progID, ent, amount int64, basis string) (Grant, error) {
	if amount <= 0 {
		return Grant{}, errs.Field("amount_fen", "金额须大于 0", "amount must be above 0")
	}
	if err := money.Check("amount_fen", amount); err != nil {
		return Grant{}, err
	}
	if err := s.DB.Lock(ctx, tx, "award.budget."+idStr(progID)); err != nil {
		return Grant{}, err
	}
	p, err := s.programmeTx(ctx, tx, progID)
	if err != nil {
		return Grant{}, err
	}
	if p.Kind != KindPolicy || p.State != StateConfirmed {
		return Grant{}, errs.New(errs.Conflict, "该项目不是可兑现的政策资金", "this programme is not a policy fund in force")
	}
	var used money.SQLSum
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM award_grants WHERE programme_id=$1", progID).Scan(&used); err != nil {
		return Grant{}, fmt.Errorf("award: granted so far: %w", err)
	}
	if after, ok := money.Add(int64(used), amount); !ok || after > p.BudgetFen {
		left, asked := enterprise.FormatFen(p.BudgetFen-int64(used)), enterprise.FormatFen(amount)
		return Grant{}, errs.New(errs.Conflict, fmt.Sprintf("超出政策资金预算：剩余 %s，本次 %s", left, asked),
			fmt.Sprintf("over the policy budget: %s left, %s asked", left, asked))
	}
	id, err := s.insertGrant(ctx, tx, progID, ent, 0, amount, strings.TrimSpace(basis))
	if err != nil {
		return Grant{}, err
	}
	return Grant{ID: id, ProgrammeID: progID, EnterpriseID: ent, AmountFen: amount, Basis: strings.TrimSpace(basis), RemainingFen: amount}, nil
}
