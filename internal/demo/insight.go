package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

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
	// The statistics bureau's file of the year for this enterprise, and
	// the tax office's for twelve, one of which reports revenue a quarter
	// above the bureau's: the sources' catalogue shows both imports, and
	// the disagreement waits in the conflicts for staff to settle.
	stats := [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（元）"}, {e.CreditCode, e.Name, latest, float64(byYear[latest-1]*55/100) / 100}}
	if err := demoImport(ctx, s, "统计局年报.xlsx", enterprise.FromStats, stats); err != nil {
		return err
	}
	tax := [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（元）"}}
	for n := 20; n < 32; n++ {
		f, err := s.Enterprise.ByCode(ctx, enterprise.System, demoCode(n))
		if err != nil {
			return fmt.Errorf("demo: tax file: %w", err)
		}
		v, err := s.Enterprise.EffectiveFigures(ctx, nil, []int{latest}, []string{"revenue"}, []int64{f.ID})
		if err != nil {
			return fmt.Errorf("demo: tax file: %w", err)
		}
		rev := v[enterprise.FigureKey{EnterpriseID: f.ID, Indicator: "revenue", Year: latest}]
		if rev == 0 {
			continue
		}
		if n == 20 {
			rev = rev * 125 / 100
		}
		tax = append(tax, []any{f.CreditCode, f.Name, latest, float64(rev) / 100})
	}
	if err := demoImport(ctx, s, "税务数据.xlsx", enterprise.FromTax, tax); err != nil {
		return err
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

// demoImport imports rows (a header, then data) as a spreadsheet from
// source, the way staff upload one.
func demoImport(ctx context.Context, s *app.App, name string, source enterprise.Source, rows [][]any) error {
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		if err := x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			return fmt.Errorf("demo: %s: %w", name, err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return fmt.Errorf("demo: %s: %w", name, err)
	}
	res, err := s.Enterprise.Import(ctx, enterprise.System, buf.Bytes(), enterprise.ImportOptions{Filename: name, Source: source})
	if err != nil {
		return fmt.Errorf("demo: %s: %w", name, err)
	}
	if !res.Written {
		return fmt.Errorf("demo: %s: %d bad rows (first: %+v)", name, len(res.Errors), res.Errors[0])
	}
	return nil
}
