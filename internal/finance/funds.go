package finance

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// Government funds (政府引导基金) have a fund-of-funds structure: a parent
// fund with sub-funds (institutions whose parent_id names it), each with
// committed (认缴) and paid-in (实缴) capital, and investments in zone
// enterprises. The sub-funds' commitments stay within the parent's
// (checkParent); a fund's direct investments stay within its paid-in
// capital.

// FundInvestment is a fund's investment in a zone enterprise.
type FundInvestment struct {
	ID             int64  `json:"id"`
	FundID         int64  `json:"fund_id"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	AmountFen      int64  `json:"amount_fen"`
	On             string `json:"on"`
	Synthetic      bool   `json:"synthetic"`
}

// FundInvestmentInput names the enterprise by its credit code.
type FundInvestmentInput struct {
	CreditCode string `json:"credit_code"`
	AmountFen  int64  `json:"amount_fen"`
	On         string `json:"on"`
}

// Fund is a government fund with its sub-funds and investments.
type Fund struct {
	Fund            Institution      `json:"fund"`
	SubFunds        []Institution    `json:"sub_funds"`
	Investments     []FundInvestment `json:"investments"`
	InvestedFen     int64            `json:"invested_fen"`      // the fund's own investments
	SubCommittedFen int64            `json:"sub_committed_fen"` // committed to its sub-funds
	SubPaidInFen    int64            `json:"sub_paid_in_fen"`
}

// isFund reports whether i is a government fund or one's sub-fund.
func (i Institution) isFund() bool { return i.Kind == KindGovFund || i.ParentID != 0 }

// AddInvestment records a fund's investment in a zone enterprise: a
// supervisor or the fund's own account. Errors: NotFound, Forbidden,
// Invalid (not a fund, unknown enterprise, amount, date, above the fund's
// paid-in capital).
func (s *Service) AddInvestment(ctx context.Context, v Viewer, fundID int64, in FundInvestmentInput) (FundInvestment, error) {
	f, err := s.Institution(ctx, v, fundID)
	if err != nil {
		return FundInvestment{}, err
	}
	mine, _, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return FundInvestment{}, err
	}
	if !v.Runs() && mine != fundID {
		return FundInvestment{}, errs.New(errs.Forbidden, "只有基金本身或工作人员可以记录投资", "only the fund or staff may record its investments")
	}
	if !f.isFund() {
		return FundInvestment{}, errs.Field("fund_id", "只有政府引导基金及其子基金记录投资明细", "only government funds and their sub-funds record investments")
	}
	var p problems
	p.amount("amount_fen", in.AmountFen, MaxNeedFen, true, "投资金额")
	in.On = strings.TrimSpace(in.On)
	switch {
	case !validDate(in.On):
		p.add("on", in.On, "投资日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
	case in.On > s.Today():
		p.add("on", in.On, "投资日期不能晚于今天", "the date cannot be in the future")
	}
	b, err := s.Registry.BriefByCode(ctx, in.CreditCode)
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return FundInvestment{}, err
		}
		p.add("credit_code", in.CreditCode, "企业库中没有该统一社会信用代码的企业", "no enterprise in the registry has this credit code")
	}
	if err := p.err("基金投资填写有误", "the investment has errors"); err != nil {
		return FundInvestment{}, err
	}
	out := FundInvestment{FundID: fundID, EnterpriseID: b.ID, EnterpriseName: b.Name, AmountFen: in.AmountFen, On: in.On, Synthetic: s.Synthetic}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var paidIn int64
		var sum money.SQLSum
		if err := tx.QueryRowContext(ctx, "SELECT paid_in_fen FROM finance_institutions WHERE id = $1"+s.DB.ForUpdate(), fundID).Scan(&paidIn); err != nil {
			return fmt.Errorf("finance: fund %d: %w", fundID, err)
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM finance_fund_investments WHERE fund_id = $1", fundID).Scan(&sum); err != nil {
			return fmt.Errorf("finance: fund %d: %w", fundID, err)
		}
		if total, ok := money.Add(int64(sum), in.AmountFen); !ok || total > paidIn {
			return errs.Field("amount_fen", "基金累计投资不能超过其实缴规模", "a fund's investments cannot exceed its paid-in capital")
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO finance_fund_investments (fund_id, enterprise_id, enterprise_name, amount_fen, on_date, synthetic, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, fundID, b.ID, b.Name, in.AmountFen, in.On, s.Synthetic, s.nowMS()).Scan(&out.ID); err != nil {
			return fmt.Errorf("finance: fund investment: %w", err)
		}
		return s.record(ctx, tx, "finance.fund.invest", "finance_institution", fundID, nil,
			map[string]any{"enterprise": b.Name, "amount_fen": in.AmountFen, "on": in.On})
	})
	if err != nil {
		return FundInvestment{}, err
	}
	return out, nil
}

// Fund reads a government fund (or a sub-fund) with its sub-funds and
// investments, to whoever may read the institution. Errors: Unauthorized,
// NotFound (also for an institution that is not a fund).
func (s *Service) Fund(ctx context.Context, v Viewer, id int64) (Fund, error) {
	f, err := s.Institution(ctx, v, id)
	if err != nil {
		return Fund{}, err
	}
	if !f.isFund() {
		return Fund{}, errNoInstitution
	}
	out := Fund{Fund: f, SubFunds: []Institution{}, Investments: []FundInvestment{}}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, instCols+" WHERE parent_id = $1 ORDER BY id LIMIT 500", id)
	if err != nil {
		return Fund{}, fmt.Errorf("finance: sub-funds of %d: %w", id, err)
	}
	for rows.Next() {
		i, err := scanInst(rows)
		if err != nil {
			rows.Close()
			return Fund{}, err
		}
		if v.Staff() || i.State == InstApproved {
			out.SubFunds = append(out.SubFunds, i)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Fund{}, err
	}
	var committed, paid money.Total
	for _, i := range out.SubFunds {
		committed.Add(i.CommittedFen)
		paid.Add(i.PaidInFen)
	}
	if out.SubCommittedFen, err = committed.Fen("sub_committed_fen"); err != nil {
		return Fund{}, err
	}
	if out.SubPaidInFen, err = paid.Fen("sub_paid_in_fen"); err != nil {
		return Fund{}, err
	}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, `SELECT id, fund_id, enterprise_id, enterprise_name, amount_fen, on_date, synthetic
		FROM finance_fund_investments WHERE fund_id = $1 ORDER BY on_date, id LIMIT 1000`, id)
	if err != nil {
		return Fund{}, fmt.Errorf("finance: investments of %d: %w", id, err)
	}
	defer rows.Close()
	var invested money.Total
	for rows.Next() {
		var x FundInvestment
		if err := rows.Scan(&x.ID, &x.FundID, &x.EnterpriseID, &x.EnterpriseName, &x.AmountFen, &x.On, &x.Synthetic); err != nil {
			return Fund{}, err
		}
		invested.Add(x.AmountFen)
		out.Investments = append(out.Investments, x)
	}
	if err := rows.Err(); err != nil {
		return Fund{}, err
	}
	out.InvestedFen, err = invested.Fen("invested_fen")
	return out, err
}
