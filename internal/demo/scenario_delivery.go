package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"
)

// deliverScenario carries the demo's confirmed call through delivery: the
// contract signed on 2023-08-05 (its two milestones become tasks of the
// owner unit, 经发局, under 应用场景建设行动), the unit reports each done and
// the supervisor accepts the reports, the first stage (30 %) is requested,
// approved by the leader and paid; the delivery is accepted on 2023-11-10,
// the last stage (70 %) paid, and the call closed.
func deliverScenario(ctx context.Context, s *app.App, sup scenario.Viewer, id int64) error {
	leader, err := viewerOf(ctx, s, "leader")
	if err != nil {
		return err
	}
	sctx, svc := scenarioAt(ctx, s, "supervisor", day(time.August, 5))
	c, err := svc.Sign(sctx, sup, id, scenario.SignInput{ContractNo: "GX-CJ-2023-001（演示）", SignedOn: "2023-08-05"})
	if err != nil {
		return fmt.Errorf("demo: scenario sign: %w", err)
	}
	for i, d := range c.Deliverables {
		on := []time.Time{day(time.August, 10), day(time.November, 8)}[i]
		if err := reportDone(ctx, s, d.TaskID, on); err != nil {
			return err
		}
		if i == 1 {
			actx, asvc := scenarioAt(ctx, s, "supervisor", day(time.November, 10))
			if _, err := asvc.Accept(actx, sup, id, scenario.AcceptInput{Passed: true, On: "2023-11-10",
				Opinion: "（演示）专家组现场验收：行业大模型已在算力中心部署运行，推理服务稳定，同意通过验收。"}, nil); err != nil {
				return fmt.Errorf("demo: scenario accept: %w", err)
			}
		}
		pay := on.AddDate(0, 0, 4)
		pctx, psvc := scenarioAt(ctx, s, "supervisor", pay)
		if _, err := psvc.RequestPayment(pctx, sup, id, d.Seq); err != nil {
			return fmt.Errorf("demo: scenario stage %d: %w", d.Seq, err)
		}
		lctx, lsvc := scenarioAt(ctx, s, "leader", pay.AddDate(0, 0, 1))
		if _, err := lsvc.ApprovePayment(lctx, leader, id, d.Seq); err != nil {
			return fmt.Errorf("demo: scenario approve stage %d: %w", d.Seq, err)
		}
		paid := pay.AddDate(0, 0, 2)
		mctx, msvc := scenarioAt(ctx, s, "supervisor", paid)
		if _, err := msvc.MarkPaid(mctx, sup, id, d.Seq, fmt.Sprintf("记-2023-%s", paid.Format("0102")), paid.Format("2006-01-02")); err != nil {
			return fmt.Errorf("demo: scenario paid stage %d: %w", d.Seq, err)
		}
	}
	cctx, csvc := scenarioAt(ctx, s, "supervisor", day(time.November, 17))
	if _, err := csvc.Close(cctx, sup, id); err != nil {
		return fmt.Errorf("demo: scenario close: %w", err)
	}
	return nil
}

// reportDone has the task's lead unit report it done, and the supervisor
// accept the report, on the day given.
func reportDone(ctx context.Context, s *app.App, task int64, on time.Time) error {
	p := *s.Plan
	p.Now = func() time.Time { return on }
	ctx = audit.WithClock(ctx, p.Now)
	unitUser, err := s.Org.UserByUsername(ctx, "jfj")
	if err != nil {
		return err
	}
	supUser, err := s.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		return err
	}
	hundred := 100
	uctx := audit.WithActor(ctx, audit.Actor{ID: unitUser.ID, Name: unitUser.Username})
	r, err := p.CreateReport(uctx, plan.ViewerOf(&unitUser), plan.ReportInput{TaskID: task, Period: on.Format("2006-01"), Pct: &hundred, Submit: true,
		Done: "（演示）里程碑已完成，见验收材料。"})
	if err != nil {
		return fmt.Errorf("demo: scenario report: %w", err)
	}
	sctx := audit.WithActor(ctx, audit.Actor{ID: supUser.ID, Name: supUser.Username})
	if _, err := p.Review(sctx, plan.ViewerOf(&supUser), r.ID, true, "", r.Version); err != nil {
		return fmt.Errorf("demo: scenario report review: %w", err)
	}
	return nil
}
