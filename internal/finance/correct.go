package finance

import (
	"context"
	"database/sql"
	"strings"

	"gaoxin/internal/errs"
)

// FundingCorrection is what staff find on checking a deal received (到位):
// its true amount and date, and why.
type FundingCorrection struct {
	AmountFen int64  `json:"amount_fen"`
	On        string `json:"on"`
	Reason    string `json:"reason"`
}

// CorrectFunding corrects the amount and date of a funded match, as a
// supervisor finds on checking it (an objection to 十大优秀金融机构, an
// audit of the targets' figures). The match keeps its place in the funnel;
// its 到位 step, the funnel's monthly rollup and the institution's deals
// move to the corrected figures in one transaction, audited with before,
// after and the reason. A deal that a financing subsidy was granted on
// cannot be corrected here: its grant was computed from the old amount.
// Errors: Forbidden (not a supervisor), NotFound, Conflict (not funded, or
// subsidised), Invalid (amount, date, reason).
func (s *Service) CorrectFunding(ctx context.Context, v Viewer, matchID int64, c FundingCorrection) (Match, error) {
	c.On, c.Reason = strings.TrimSpace(c.On), strings.TrimSpace(c.Reason)
	if !v.Runs() {
		return Match{}, errs.New(errs.Forbidden, "只有主管部门可以更正到位记录", "only supervisors correct a deal received")
	}
	var p problems
	p.amount("amount_fen", c.AmountFen, MaxNeedFen, true, "到位金额")
	switch {
	case !validDate(c.On):
		p.add("on", c.On, "日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
	case c.On > s.Today():
		p.add("on", c.On, "日期不能晚于今天（"+s.Today()+"）", "the date cannot be after today ("+s.Today()+")")
	}
	p.text("reason", c.Reason, true, 1000, "更正原因", "reason")
	if err := p.err("到位记录更正有误", "the correction has errors"); err != nil {
		return Match{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, _, err := s.lockMatch(ctx, tx, v, matchID)
		if err != nil {
			return err
		}
		if m.Step != StepFunded {
			return stepErr("资金尚未到位，没有可更正的到位记录", "the money has not been received; there is nothing to correct")
		}
		var term string
		if err := tx.QueryRowContext(ctx, "SELECT on_date FROM finance_match_steps WHERE match_id = $1 AND step = $2", m.ID, StepTerm).Scan(&term); err != nil {
			return err
		}
		if c.On < term {
			return errs.Field("on", "日期不能早于投资意向/授信（"+term+"）", "the date cannot be before the term sheet ("+term+")")
		}
		var granted int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM finance_subsidies WHERE match_id = $1", m.ID).Scan(&granted); err != nil {
			return err
		}
		if granted > 0 {
			return errs.New(errs.Conflict, "该笔到位已据以核定贴息或担保费补贴，不能在此更正；请先在奖补台账处理该补助",
				"a financing subsidy was granted on this deal; settle that grant in the awards ledger first")
		}
		if c.AmountFen == m.FundedFen && c.On == m.FundedOn {
			return errs.Field("amount_fen", "更正后的金额和日期与原记录相同", "the correction changes neither the amount nor the date")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE finance_matches SET funded_fen = $1, funded_on = $2, step_on = $2, updated_at = $3 WHERE id = $4",
			c.AmountFen, c.On, s.nowMS(), m.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE finance_match_steps SET on_date = $1, amount_fen = $2 WHERE match_id = $3 AND step = $4",
			c.On, c.AmountFen, m.ID, StepFunded); err != nil {
			return err
		}
		if err := s.stepMonths(ctx, tx, m.ID, StepFunded, m.FundedOn[:7], -1, -m.FundedFen); err != nil {
			return err
		}
		if err := s.stepMonths(ctx, tx, m.ID, StepFunded, c.On[:7], 1, c.AmountFen); err != nil {
			return err
		}
		if err := s.rollDeals(ctx, tx, m, 0, c.AmountFen-m.FundedFen); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.match.correct", "finance_match", m.ID,
			map[string]any{"amount_fen": m.FundedFen, "on": m.FundedOn},
			map[string]any{"amount_fen": c.AmountFen, "on": c.On, "reason": c.Reason})
	})
	if err != nil {
		return Match{}, err
	}
	return s.Match(ctx, v, matchID)
}
