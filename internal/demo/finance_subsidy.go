package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/award"
	"gaoxin/internal/finance"
)

// loadFinanceSubsidy records the demo's 贴息 rule in March and, once the
// demo bank loan is funded (2023-07-20), grants its subsidy and pays it
// through the awards ledger: requested by the supervisor, approved by the
// leader, paid.
func loadFinanceSubsidy(ctx context.Context, s *app.App, staff finance.Viewer) error {
	at := func(who string, d time.Time) (context.Context, *finance.Service) {
		c, f := financeAt(ctx, s, who, d)
		a := *s.Award
		a.Now = f.Now
		f.Award = &a
		return c, f
	}
	rctx, rsvc := at("supervisor", day(time.March, 1))
	rule, err := rsvc.CreateSubsidyRule(rctx, staff, finance.SubsidyRuleInput{Year: 2023, NameZH: "2023 年科技贷款贴息（演示）",
		NameEN: "Tech loan interest subsidy 2023 (demo)", Kind: finance.SubsidyInterest, Instruments: []string{"loan", "ip_pledge"},
		RateBP: 345, SharePct: 50, Months: 12, CapFen: wanFen(50), BudgetFen: wanFen(500), Basis: "演示政策文件（非真实文号）"})
	if err != nil {
		return fmt.Errorf("demo: subsidy rule: %w", err)
	}
	gctx, gsvc := at("supervisor", day(time.July, 25))
	cands, err := gsvc.SubsidyCandidates(gctx, staff, rule.ID)
	if err != nil {
		return fmt.Errorf("demo: subsidy candidates: %w", err)
	}
	if len(cands) == 0 {
		return errors.New("demo: no funded loan to subsidise")
	}
	sub, err := gsvc.GrantSubsidy(gctx, staff, cands[0].Match.ID, rule.ID)
	if err != nil {
		return fmt.Errorf("demo: subsidy grant: %w", err)
	}
	pctx, psvc := at("supervisor", day(time.July, 26))
	pay, _, err := psvc.Award.RequestPayment(pctx, sub.GrantID, "demo-subsidy-1", award.PaymentRequest{AmountFen: sub.AmountFen, Note: "贷款贴息（演示）"})
	if err != nil {
		return fmt.Errorf("demo: subsidy payment: %w", err)
	}
	lctx, lsvc := at("leader", day(time.July, 27))
	if _, err := lsvc.Award.Approve(lctx, pay.ID); err != nil {
		return fmt.Errorf("demo: subsidy approval: %w", err)
	}
	mctx, msvc := at("supervisor", day(time.July, 28))
	if _, err := msvc.Award.MarkPaid(mctx, pay.ID, "记-2023-0728（演示）", "2023-07-28"); err != nil {
		return fmt.Errorf("demo: subsidy paid: %w", err)
	}
	return nil
}
