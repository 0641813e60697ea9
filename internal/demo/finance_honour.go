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
// (money placed, deals, the early-stage share), ranked on the deals
// funded in 2023 so far and on public notice at the demo's date, open to
// objections. It pays nothing: the honour is the title.
func loadFinanceHonour(ctx context.Context, s *app.App) error {
	at := func(who string, d time.Time) (context.Context, *award.Service) {
		c, f := financeAt(ctx, s, who, d)
		a := *s.Award
		a.Now = f.Now
		return c, &a
	}
	sub := s.Finance.AwardSubject()
	cctx, svc := at("supervisor", day(time.November, 10))
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
	nctx, nsvc := at("supervisor", day(time.November, 17))
	if _, err := nsvc.RankProgramme(nctx, p.ID); err != nil {
		return fmt.Errorf("demo: finance honour ranking: %w", err)
	}
	if _, err := nsvc.Advance(nctx, p.ID, award.StateNotice); err != nil {
		return fmt.Errorf("demo: finance honour notice: %w", err)
	}
	return nil
}
