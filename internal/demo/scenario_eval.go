package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/scenario"
)

// The scenario demo's evaluation: the first call's two bids go to three
// experts, one of whom recuses from the joint bid; they score; staff choose
// the top bid (the joint one), the result stays on notice for seven days
// without objection, and staff confirm it: the call is in delivery (实施)
// at the demo's date.

// demoScores are an expert's scores on the default criteria (技术方案 40,
// 团队能力 20, 报价 20, 实施计划 20).
func demoScores(solution, team, price, plan string) []scenario.Score {
	return []scenario.Score{{Criterion: "solution", Value: solution, Comment: "方案思路清晰（演示）"}, {Criterion: "team", Value: team},
		{Criterion: "price", Value: price}, {Criterion: "plan", Value: plan}}
}

func evaluateScenario(ctx context.Context, s *app.App, sup scenario.Viewer, call, joint, solo int64) error {
	actx, asvc := scenarioAt(ctx, s, "supervisor", day(time.July, 5))
	experts := []string{"zhuanjia1", "zhuanjia2", "zhuanjia3"}
	given := map[string]map[int64]scenario.Assignment{}
	for _, name := range experts {
		v, err := viewerOf(ctx, s, name)
		if err != nil {
			return err
		}
		given[name] = map[int64]scenario.Assignment{}
		for _, b := range []int64{joint, solo} {
			g, err := asvc.Assign(actx, sup, b, v.UserID)
			if err != nil {
				return fmt.Errorf("demo: scenario assign %s: %w", name, err)
			}
			given[name][b] = g
		}
	}
	scores := map[string]map[int64][]scenario.Score{
		"zhuanjia1": {joint: demoScores("36", "17", "17", "18"), solo: demoScores("33", "16", "15", "16")},
		"zhuanjia2": {joint: demoScores("34", "16", "18", "17"), solo: demoScores("32", "15", "16", "16")},
		"zhuanjia3": {solo: demoScores("34", "16", "15", "17")},
	}
	for i, name := range experts {
		v, err := viewerOf(ctx, s, name)
		if err != nil {
			return err
		}
		rctx, rsvc := scenarioAt(ctx, s, name, day(time.July, 8+i))
		if name == "zhuanjia3" {
			if _, err := rsvc.Recuse(rctx, v, given[name][joint].ID, "近三年曾为牵头企业提供项目咨询（演示）"); err != nil {
				return fmt.Errorf("demo: scenario recuse: %w", err)
			}
		}
		for b, ss := range scores[name] {
			if _, err := rsvc.SubmitScores(rctx, v, given[name][b].ID, ss); err != nil {
				return fmt.Errorf("demo: scenario scores of %s: %w", name, err)
			}
		}
	}
	wctx, wsvc := scenarioAt(ctx, s, "supervisor", day(time.July, 20))
	if _, err := wsvc.ChooseWinner(wctx, sup, call, joint, ""); err != nil {
		return fmt.Errorf("demo: scenario winner: %w", err)
	}
	cctx, csvc := scenarioAt(ctx, s, "supervisor", day(time.August, 1))
	if _, err := csvc.Confirm(cctx, sup, call); err != nil {
		return fmt.Errorf("demo: scenario confirm: %w", err)
	}
	return nil
}
