package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/award"
)

// loadFinanceHonour runs 2023 十大优秀金融机构 through the awards module
// over the finance module's institutions: the institutions' own formula
// (money placed, deals, the early-stage share), ranked at the year's end
// on the deals funded in 2023, published for seven days and confirmed.
// It pays nothing: the honour is the title.
func loadFinanceHonour(ctx context.Context, s *app.App) error {
	at := func(who string, d time.Time) (context.Context, *award.Service) {
		c, f := financeAt(ctx, s, who, d)
		a := *s.Award
		a.Now = f.Now
		return c, &a
	}
	sub := s.Finance.AwardSubject()
	cctx, svc := at("supervisor", day(time.December, 20))
	p, err := svc.CreateProgramme(cctx, award.NewProgramme{Year: 2023, NameZH: "2023 年度十大优秀金融机构（演示）", NameEN: "2023 Ten best financial institutions (demo)",
		Kind: award.KindRanking, Quota: 10, NoticeDays: 7, Note: "演示项目：按科技金融模块中 2023 年到位的投融资项目评选，数据为合成数据。",
		Rules: award.Rules{Subject: sub.Code, DataYear: 2023, Terms: sub.Formula, Money: award.MoneyRule{Kind: award.MoneyNone}}})
	if err != nil {
		return fmt.Errorf("demo: finance honour: %w", err)
	}
	for _, to := range []string{award.StateOpen, award.StateReview} {
		if _, err := svc.Advance(cctx, p.ID, to); err != nil {
			return fmt.Errorf("demo: finance honour %s: %w", to, err)
		}
	}
	if _, err := svc.RankProgramme(cctx, p.ID); err != nil {
		return fmt.Errorf("demo: finance honour ranking: %w", err)
	}
	nctx, nsvc := at("supervisor", day(time.December, 21))
	if _, err := nsvc.Advance(nctx, p.ID, award.StateNotice); err != nil {
		return fmt.Errorf("demo: finance honour notice: %w", err)
	}
	fctx, fsvc := at("supervisor", day(time.December, 29))
	if _, err := fsvc.Advance(fctx, p.ID, award.StateConfirmed); err != nil {
		return fmt.Errorf("demo: finance honour confirmed: %w", err)
	}
	return nil
}
