package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
)

// The scenario demo: two batches of synthetic calls (演示) in the seed's
// four categories, bids from demo enterprises (one joint), one call
// evaluated by three experts and confirmed into delivery
// (scenario_eval.go), one call failed with a reason, calls open for bids
// at the demo's date, and a need awaiting review.

// scenarioAt is the scenario service with its clock at t, and ctx acting
// as who at that time.
func scenarioAt(ctx context.Context, s *app.App, who string, t time.Time) (context.Context, *scenario.Service) {
	svc := *s.Scenario
	svc.Now, svc.Synthetic = func() time.Time { return t }, true
	// The plan's tasks and the ledger's contract a delivery writes carry
	// the same date.
	p, l := *s.Plan, *s.Award
	p.Now, l.Now = svc.Now, svc.Now
	svc.Plan, svc.Ledger = &p, &l
	ctx = audit.WithClock(ctx, svc.Now)
	id := int64(0)
	if u, err := s.Org.UserByUsername(ctx, who); err == nil {
		id = u.ID
	}
	return audit.WithActor(ctx, audit.Actor{ID: id, Name: who}), &svc
}

// viewerOf is the scenario viewer of a demo account.
func viewerOf(ctx context.Context, s *app.App, username string) (scenario.Viewer, error) {
	u, err := s.Org.UserByUsername(ctx, username)
	if err != nil {
		return scenario.Viewer{}, fmt.Errorf("demo: scenario: %s: %w", username, err)
	}
	return scenario.ViewerOf(&u), nil
}

// entViewer is an enterprise of the demo registry acting without an
// account of its own (its bids carry no user).
func entViewer(ctx context.Context, s *app.App, n int) (scenario.Viewer, error) {
	e, err := s.Enterprise.ByCode(ctx, enterprise.System, demoCode(n))
	if err != nil {
		return scenario.Viewer{}, fmt.Errorf("demo: scenario: enterprise %d: %w", n, err)
	}
	return scenario.Viewer{Role: org.Enterprise, EnterpriseID: e.ID, Name: e.Name}, nil
}

type demoCall struct {
	who, title, cat, problem, caps, site, data, deadline, ends string
	chains                                                     []string
	wan                                                        int64
}

var scenarioBatches = []struct {
	title     string
	published time.Time
	calls     []demoCall
}{
	{"2023 年第一批场景机会清单（演示）", day(time.May, 15), []demoCall{
		{"jfj", "智慧岛算力中心行业大模型应用场景（演示）", scenario.CatProject, "算力中心二期建成后需要本地行业大模型的落地应用，带动算力消纳。",
			"行业大模型训练与推理、数据治理", "中原智慧岛算力中心", "算力资源按需开放 5000 卡时", "2023-06-30", "2023-12-31", []string{"compute"}, 300},
		{"kcj", "超硬材料生产线数字化改造（演示）", scenario.CatDigital, "超硬材料企业压机群缺少在线监测，良品率波动大。",
			"工业互联网平台、设备联网、质量追溯", "园区超硬材料企业", "三条生产线的设备数据", "2023-06-30", "2023-12-31", []string{"nm_superhard", "iot"}, 120},
	}},
	{"2023 年第二批场景机会清单（演示）", day(time.November, 1), []demoCall{
		{"shifo", "城市道路积水智能监测（演示）", scenario.CatService, "汛期部分道路积水无法及时发现和处置。",
			"物联网液位传感、视频识别、预警平台", "石佛办事处辖区主次干道", "历年积水点位与排水管网数据", "2023-12-20", "2024-06-30", []string{"iot_sensor"}, 80},
		{"jfj", "北斗高精度定位园区物流（演示）", scenario.CatUrban, "园区内部物流车辆调度依赖人工，效率低。",
			"北斗高精度定位、无人配送调度", "电子信息产业园", "园区道路高精度地图", "2023-12-31", "2024-09-30", []string{"bd"}, 150},
	}},
}

func loadScenario(ctx context.Context, s *app.App) error {
	sup, err := viewerOf(ctx, s, "supervisor")
	if err != nil {
		return err
	}
	var calls []scenario.Need
	for _, b := range scenarioBatches {
		sctx, svc := scenarioAt(ctx, s, "supervisor", b.published.AddDate(0, 0, -5))
		batch, err := svc.CreateBatch(sctx, sup, b.title)
		if err != nil {
			return fmt.Errorf("demo: scenario batch: %w", err)
		}
		for i, c := range b.calls {
			owner, err := viewerOf(ctx, s, c.who)
			if err != nil {
				return err
			}
			octx, osvc := scenarioAt(ctx, s, c.who, b.published.AddDate(0, 0, -20+i))
			n, err := osvc.Submit(octx, owner, scenario.NeedInput{Title: c.title, Category: c.cat, Chains: c.chains, Problem: c.problem,
				Capabilities: c.caps, Site: c.site, DataOpen: c.data, BudgetFen: c.wan * 1_000_000, PriceCap: true,
				Deadline: c.deadline, EndsOn: c.ends, ContactName: "联系人（演示）", ContactPhone: "0371-6758 0000"}, nil)
			if err != nil {
				return fmt.Errorf("demo: scenario need %s: %w", c.title, err)
			}
			if _, err := svc.Approve(sctx, sup, n.ID, batch.ID); err != nil {
				return fmt.Errorf("demo: scenario approve %s: %w", c.title, err)
			}
			calls = append(calls, n)
		}
		pctx, psvc := scenarioAt(ctx, s, "supervisor", b.published)
		if _, err := psvc.PublishBatch(pctx, sup, batch.ID); err != nil {
			return fmt.Errorf("demo: scenario publish: %w", err)
		}
	}
	ents := make([]scenario.Viewer, 6)
	for i := range ents {
		if ents[i], err = entViewer(ctx, s, i+2); err != nil {
			return err
		}
	}
	qiye, err := viewerOf(ctx, s, "qiye")
	if err != nil {
		return err
	}
	codeOf := func(n int) string { return demoCode(n) }
	ms := func(a, b string) []scenario.Milestone {
		return []scenario.Milestone{{Title: "签约进场", DueOn: a, SharePct: 30}, {Title: "验收", DueOn: b, SharePct: 70}}
	}
	bid := func(v scenario.Viewer, t time.Time, need scenario.Need, wan int64, partners []scenario.PartnerInput, m []scenario.Milestone) (scenario.Bid, error) {
		bctx, bsvc := scenarioAt(ctx, s, "demo", t)
		return bsvc.SubmitBid(bctx, v, need.ID, scenario.BidInput{Solution: "（演示）" + need.Title + "的解决方案：总体架构、实施步骤与运维保障。",
			Team: "项目负责人 1 名，工程师 8 名（演示）", PriceFen: wan * 1_000_000, Partners: partners, Milestones: m}, nil)
	}
	// The first call: a joint bid and a solo bid; bidding closed, then
	// evaluated.
	joint, err := bid(ents[0], day(time.June, 10), calls[0], 280, []scenario.PartnerInput{{CreditCode: codeOf(4), Role: "数据治理"}}, ms("2023-08-01", "2023-12-15"))
	if err != nil {
		return fmt.Errorf("demo: scenario joint bid: %w", err)
	}
	cctx, csvc := scenarioAt(ctx, s, "demo", day(time.June, 12))
	if _, err := csvc.ConfirmPartner(cctx, ents[2], joint.ID); err != nil {
		return fmt.Errorf("demo: scenario confirm: %w", err)
	}
	solo, err := bid(ents[1], day(time.June, 20), calls[0], 295, nil, ms("2023-08-15", "2023-12-20"))
	if err != nil {
		return fmt.Errorf("demo: scenario bid: %w", err)
	}
	// The second call: one bid, then it fails with a reason.
	if _, err := bid(ents[3], day(time.June, 25), calls[1], 110, nil, ms("2023-08-01", "2023-11-30")); err != nil {
		return fmt.Errorf("demo: scenario bid: %w", err)
	}
	for i, reason := range []string{"", "唯一揭榜方案未达到在线监测精度要求，拟调整需求后在下一批重新发布（演示）"} {
		dctx, dsvc := scenarioAt(ctx, s, "supervisor", day(time.July, 3))
		if _, err := dsvc.CloseBids(dctx, sup, calls[i].ID); err != nil {
			return fmt.Errorf("demo: scenario close: %w", err)
		}
		if reason != "" {
			fctx, fsvc := scenarioAt(ctx, s, "supervisor", day(time.July, 20))
			if _, err := fsvc.Fail(fctx, sup, calls[i].ID, reason); err != nil {
				return fmt.Errorf("demo: scenario fail: %w", err)
			}
		}
	}
	// The first call is evaluated, its result noticed and confirmed.
	if err := evaluateScenario(ctx, s, sup, calls[0].ID, joint.ID, solo.ID); err != nil {
		return err
	}
	// …and delivered: signed, reported, accepted, paid in two stages, closed.
	if err := deliverScenario(ctx, s, sup, calls[0].ID); err != nil {
		return err
	}
	// The third call is open at the demo's date: the demo enterprise has bid.
	if _, err := bid(qiye, day(time.November, 10), calls[2], 72, nil, ms("2024-01-15", "2024-06-15")); err != nil {
		return fmt.Errorf("demo: scenario bid: %w", err)
	}
	// A need awaiting review.
	kcj, err := viewerOf(ctx, s, "kcj")
	if err != nil {
		return err
	}
	nctx, nsvc := scenarioAt(ctx, s, "kcj", day(time.November, 15))
	if _, err := nsvc.Submit(nctx, kcj, scenario.NeedInput{Title: "政务服务大厅智能导办（演示）", Category: scenario.CatService, Chains: []string{"nextgen_it"},
		Problem: "办事群众不清楚材料要求，窗口重复咨询多。", Capabilities: "智能问答、材料预审", Site: "高新区政务服务中心",
		BudgetFen: 60 * 1_000_000, PriceCap: true, Deadline: "2024-01-31", EndsOn: "2024-08-31", ContactName: "联系人（演示）", ContactPhone: "0371-6758 0001"}, nil); err != nil {
		return fmt.Errorf("demo: scenario need: %w", err)
	}
	return nil
}
