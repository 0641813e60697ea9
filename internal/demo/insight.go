package demo

import (
	"context"
	"fmt"

	"gaoxin/internal/app"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

// loadInsight rebuilds the industry brain's rollups over the loaded demo,
// then records one enterprise's statistics for its latest year at 55 % of
// the year before, as the statistics bureau's figures would arrive: the
// monitor raises its revenue warning in the enterprise's area inbox. The
// chains-and-tiers overview is published.
func loadInsight(ctx context.Context, s *app.App) error {
	if err := s.Insight.Rebuild(ctx, insight.Viewer{Role: org.Admin}); err != nil {
		return fmt.Errorf("demo: rollups: %w", err)
	}
	e, err := s.Enterprise.ByCode(ctx, enterprise.System, demoCode(7))
	if err != nil {
		return fmt.Errorf("demo: warning: %w", err)
	}
	figs, err := s.Enterprise.Figures(ctx, enterprise.System, e.ID)
	if err != nil {
		return fmt.Errorf("demo: warning: %w", err)
	}
	byYear := map[int]int64{}
	latest := 0
	for _, f := range figs {
		if f.Indicator == "revenue" && f.Month == 0 && f.Status == enterprise.Confirmed {
			byYear[f.Year] = f.Value
			latest = max(latest, f.Year)
		}
	}
	if byYear[latest-1] <= 0 {
		return fmt.Errorf("demo: warning: enterprise %s has no revenue for %d", e.CreditCode, latest-1)
	}
	in := []enterprise.FigureInput{{Indicator: "revenue", Year: latest, Value: byYear[latest-1] * 55 / 100, Source: enterprise.FromStats}}
	if err := s.Enterprise.SetFigures(ctx, enterprise.System, e.ID, in); err != nil {
		return fmt.Errorf("demo: warning: %w", err)
	}
	if _, err := s.Insight.Apply(ctx); err != nil {
		return fmt.Errorf("demo: rollups: %w", err)
	}
	// The zone shows the public its chains and tiers.
	if err := s.Insight.Publish(ctx, insight.Viewer{Role: org.Leader}, insight.ViewOverview, true); err != nil {
		return fmt.Errorf("demo: publish overview: %w", err)
	}
	return nil
}
