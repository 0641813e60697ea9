package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/scenario"
)

// loadScenarioFollows, before the scenario demo's batches are published:
// the demo enterprise follows two categories, so the second batch's call
// of one of them lands in its scenario inbox.
func loadScenarioFollows(ctx context.Context, s *app.App) error {
	qiye, err := viewerOf(ctx, s, "qiye")
	if err != nil {
		return err
	}
	fctx, fsvc := scenarioAt(ctx, s, "qiye", day(time.April, 3))
	if _, err := fsvc.SetFollows(fctx, qiye, []string{scenario.CatDigital, scenario.CatService}); err != nil {
		return fmt.Errorf("demo: scenario follows: %w", err)
	}
	return nil
}

// loadScenarioMatching follows up the scenario demo: on the demo's date the
// supervisor invites the three best-suggested enterprises (and the demo
// enterprise, when it is suggested) to each call still open, so the
// matches page shows who was invited.
func loadScenarioMatching(ctx context.Context, s *app.App) error {
	qiye, err := viewerOf(ctx, s, "qiye")
	if err != nil {
		return err
	}
	sup, err := viewerOf(ctx, s, "supervisor")
	if err != nil {
		return err
	}
	ictx, isvc := scenarioAt(ctx, s, "supervisor", day(time.November, 16))
	open, err := isvc.List(ictx, sup, scenario.Filter{State: scenario.StatePublished, Limit: 100})
	if err != nil {
		return err
	}
	for _, n := range open.Needs {
		if n.Deadline < isvc.Today() {
			continue
		}
		m, err := isvc.Suggest(ictx, sup, n.ID, 100)
		if err != nil {
			return fmt.Errorf("demo: scenario matches: %w", err)
		}
		var ids []int64
		for i, sg := range m.Suggestions {
			if i < 3 || sg.EnterpriseID == qiye.EnterpriseID {
				ids = append(ids, sg.EnterpriseID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		if _, err := isvc.Invite(ictx, sup, n.ID, ids); err != nil {
			return fmt.Errorf("demo: scenario invite: %w", err)
		}
	}
	return nil
}
