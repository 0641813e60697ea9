package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// demo2023 runs 2023 科技创新20强 from draft to paid, dated through spring
// 2023, over the synthetic enterprises.
func demo2023(ctx context.Context, s *app.App, ents []demoEnt, ids map[string]int64) error {
	sup, svc := at(ctx, s, ids, "supervisor", day(time.January, 10))
	rules := award.Rules{DataYear: 2022, RequireApplication: true,
		Eligibility: award.Eligibility{TiersAny: []string{"hnte"}, NoFlag: true, RequiredFigures: []string{"revenue", "taxes"}},
		Terms: []award.Term{
			{Code: "rd", NameZH: "研发投入强度", NameEN: "R&D intensity", Source: award.SourceRatio, Indicator: "rd_spend", Denominator: "revenue",
				Transform: award.TransformBenchmark, Benchmark: 50_000, Weight: 30, Cap: 2 * award.One},
			{Code: "mu", NameZH: "亩均税收", NameEN: "Tax per mu", Source: award.SourceRatio, Indicator: "taxes", Denominator: "land",
				Transform: award.TransformPercentile, Weight: 25},
			{Code: "growth", NameZH: "营业收入增长率", NameEN: "Revenue growth", Source: award.SourceGrowth, Indicator: "revenue",
				Transform: award.TransformPercentile, Weight: 20},
			{Code: "expert", NameZH: "专家评审", NameEN: "Expert panel", Source: award.SourceExpert, Transform: award.TransformBenchmark,
				Benchmark: 100 * award.One, Weight: 25},
		},
		Criteria: []award.Criterion{{Code: "inno", NameZH: "创新能力", NameEN: "Innovation", Max: 60}, {Code: "mgmt", NameZH: "经营管理", NameEN: "Management", Max: 40}},
		Grading:  award.Grading{Enabled: true},
		Money: award.MoneyRule{Kind: "bands", Bands: []award.Band{{ToRank: 3, AmountFen: 15_000_000_00}, {ToRank: 10, AmountFen: 10_000_000_00},
			{ToRank: 20, AmountFen: 5_800_000_00}}},
	}
	p, err := svc.CreateProgramme(sup, award.NewProgramme{Year: 2023, NameZH: "2023 科技创新20强（演示）", NameEN: "2023 Top 20 innovators (demo)",
		Kind: award.KindRanking, Quota: 20, BudgetFen: 188_000_000_00, NoticeDays: 7, Rules: rules,
		Note: "演示项目：参评企业为合成的演示企业，数据为合成数据。"})
	if err != nil {
		return err
	}
	if _, err := svc.Advance(sup, p.ID, award.StateOpen); err != nil {
		return err
	}
	// One enterprise has a flagged record: ranked out with the reason shown.
	supV := enterprise.Viewer{UserID: ids["supervisor"], Role: org.Supervisor}
	if _, err := s.Enterprise.AddFlag(sup, supV, ents[11].id, "环保处罚", "演示：2022 年环保行政处罚（合成记录）"); err != nil {
		return err
	}
	apps := map[int64]int64{}
	for i, e := range ents[:24] {
		_, es := at(ctx, s, ids, "qiye", day(time.February, 1+i%20))
		a, err := es.Apply(ctx, p.ID, e.id, fmt.Sprintf("%s 申报 2023 科技创新20强：研发投入、亩均效益与成长性情况说明（演示）。", e.name), "联系人（演示） 0371-0000000", nil)
		if err != nil {
			return err
		}
		apps[e.id] = a.ID
	}
	sup, svc = at(ctx, s, ids, "supervisor", day(time.February, 22))
	for i, e := range ents[:24] {
		accept, reason := i != 23, ""
		if !accept {
			reason = "缺少 2022 年度审计报告（演示）"
		}
		if _, err := svc.Check(sup, apps[e.id], accept, reason); err != nil {
			return err
		}
	}
	if _, err := svc.Advance(sup, p.ID, award.StateReview); err != nil {
		return err
	}
	rev, rsvc := at(ctx, s, ids, "zhuanjia5", day(time.February, 22))
	if err := rsvc.SetAffiliations(rev, ids["zhuanjia5"], ents[2].name); err != nil {
		return err
	}
	for i, e := range ents[:23] {
		for k := 1; k <= 5; k++ {
			name := fmt.Sprintf("zhuanjia%d", k)
			g, err := svc.Assign(sup, apps[e.id], ids[name])
			if err != nil {
				return err
			}
			if g.State != "assigned" {
				continue
			}
			rctx, rs := at(ctx, s, ids, name, day(time.February, 25))
			if k == 4 && i == 5 {
				if err := rs.Recuse(rctx, g.ID, ids[name], "曾为该企业提供技术咨询（演示）"); err != nil {
					return err
				}
				continue
			}
			inno := 30 + (i*7+k*11)%30
			mgmt := 20 + (i*5+k*3)%20
			if _, err := rs.SubmitScores(rctx, g.ID, ids[name], []award.Score{{Criterion: "inno", Value: fmt.Sprint(inno), Comment: "创新成果较突出（演示）"},
				{Criterion: "mgmt", Value: fmt.Sprint(mgmt)}}); err != nil {
				return err
			}
		}
	}
	sup, svc = at(ctx, s, ids, "supervisor", day(time.February, 28))
	if _, err := svc.RankProgramme(sup, p.ID); err != nil {
		return err
	}
	sup, svc = at(ctx, s, ids, "supervisor", day(time.March, 1))
	if _, err := svc.Advance(sup, p.ID, award.StateNotice); err != nil {
		return err
	}
	r, err := svc.LatestRound(sup, p.ID)
	if err != nil {
		return err
	}
	if len(r.Result.Entries) == 0 {
		return fmt.Errorf("no enterprise could be ranked: %+v", r.Result.Excluded)
	}
	target := r.Result.Entries[min(19, len(r.Result.Entries)-1)] // the last winner
	o1, err := svc.FileObjection(ctx, p.ID, award.NewObjection{EnterpriseID: target.EnterpriseID, Name: "公众（演示）", Contact: "demo@example.com",
		Reason: "该企业 2022 年研发投入口径可能包含非研发支出，请核实（演示）。"}, nil)
	if err != nil {
		return err
	}
	o2, err := svc.FileObjection(ctx, p.ID, award.NewObjection{Name: "某协会（演示）", Contact: "0371-0000001",
		Reason: "建议公布各项指标的计算方法（演示）。"}, nil)
	if err != nil {
		return err
	}
	sup, svc = at(ctx, s, ids, "supervisor", day(time.March, 6))
	figs, err := s.Enterprise.EffectiveFigures(ctx, nil, []int{2022}, []string{"rd_spend"}, []int64{target.EnterpriseID})
	if err != nil {
		return err
	}
	rd, ok := figs[enterprise.FigureKey{EnterpriseID: target.EnterpriseID, Indicator: "rd_spend", Year: 2022}]
	if !ok {
		return fmt.Errorf("demo: %s has no 2022 R&D figure", target.Name)
	}
	if _, err := svc.Decide(sup, o1.ID, true, "经核查，剔除非研发支出后研发投入按 60% 计（演示）。",
		[]award.Correction{{Kind: "figure", EnterpriseID: target.EnterpriseID, Indicator: "rd_spend", Year: 2022, Value: rd * 60 / 100}}); err != nil {
		return err
	}
	if _, err := svc.Decide(sup, o2.ID, false, "计算方法已在公示页逐项公开，异议不成立（演示）。", nil); err != nil {
		return err
	}
	sup, svc = at(ctx, s, ids, "supervisor", day(time.March, 14))
	if _, err := svc.Advance(sup, p.ID, award.StateConfirmed); err != nil {
		return err
	}
	return demoPay(ctx, s, ids, p.ID)
}

// demoPay pays every grant: requested by the supervisor, approved by the
// leader, paid with a voucher; one payment is reversed and paid again.
func demoPay(ctx context.Context, s *app.App, ids map[string]int64, progID int64) error {
	grants, err := s.Award.Grants(ctx, progID, 0)
	if err != nil {
		return err
	}
	for i, g := range grants {
		sup, svc := at(ctx, s, ids, "supervisor", day(time.March, 15))
		pay, _, err := svc.RequestPayment(sup, g.ID, fmt.Sprintf("demo-2023-%d", g.ID), award.PaymentRequest{AmountFen: g.AmountFen, Note: "奖补资金兑现（演示）"})
		if err != nil {
			return err
		}
		lead, lsvc := at(ctx, s, ids, "leader", day(time.March, 16))
		if _, err := lsvc.Approve(lead, pay.ID); err != nil {
			return err
		}
		// Payment dates may not lie ahead of the clock: each is recorded on its day.
		paidCtx, paidSvc := at(ctx, s, ids, "supervisor", day(time.March, 20))
		if _, err := paidSvc.MarkPaid(paidCtx, pay.ID, fmt.Sprintf("记-2023-03-%03d", i+1), "2023-03-20"); err != nil {
			return err
		}
		if i != 4 {
			continue
		}
		revCtx, revSvc := at(ctx, s, ids, "supervisor", day(time.March, 24))
		if _, err := revSvc.Reverse(revCtx, pay.ID, "收款账户信息有误，资金退回（演示）", "2023-03-24"); err != nil {
			return err
		}
		again, _, err := svc.RequestPayment(sup, g.ID, fmt.Sprintf("demo-2023-%d-b", g.ID), award.PaymentRequest{AmountFen: g.AmountFen, Note: "更正账户后重新支付（演示）"})
		if err != nil {
			return err
		}
		if _, err := lsvc.Approve(lead, again.ID); err != nil {
			return err
		}
		againCtx, againSvc := at(ctx, s, ids, "supervisor", day(time.March, 28))
		if _, err := againSvc.MarkPaid(againCtx, again.ID, "记-2023-03-101", "2023-03-28"); err != nil {
			return err
		}
	}
	return nil
}

// demo2024 leaves a prize open for applications, opened on 1 November
// 2023 (before the demo's date AsOf), so the demo enterprise account can
// apply.
func demo2024(ctx context.Context, s *app.App, ids map[string]int64) error {
	sup, svc := at(ctx, s, ids, "supervisor", day(time.November, 1))
	p, err := svc.CreateProgramme(sup, award.NewProgramme{Year: 2024, NameZH: "2024 企业研发奖（演示）", NameEN: "2024 Enterprise R&D Prize (demo)",
		Kind: award.KindPrize, BudgetFen: 20_000_000_00, NoticeDays: 7,
		Rules: award.Rules{DataYear: 2023, RequireApplication: true, Eligibility: award.Eligibility{NoFlag: true, RequiredFigures: []string{"rd_spend"}},
			Terms: []award.Term{{Code: "rd", NameZH: "研发投入", NameEN: "R&D expense", Source: award.SourceFigure, Indicator: "rd_spend",
				Transform: award.TransformPercentile, Weight: 100}},
			Money: award.MoneyRule{Kind: "formula", PerPointFen: 10_000_00, CapFen: 1_000_000_00}},
		Note: "演示项目：按研发投入百分位每分 1 万元、单家封顶 100 万元。"})
	if err != nil {
		return err
	}
	_, err = svc.Advance(sup, p.ID, award.StateOpen)
	return err
}
