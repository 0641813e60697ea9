package demo

import (
	"context"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/kpi"
)

// TestDemoKPIIsLively loads the demo and checks the 2023 dashboard shows the
// mix it promises: some met, some close or behind, one at risk, one overdue.
func TestDemoKPIIsLively(t *testing.T) {
	a, _ := loaded(t, app.Options{})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	d, err := a.KPI.Dashboard(ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	// The two computed from the scenario demo: by October, 2 calls
	// published (May) against 6 × 10/12 = 5, at risk; 4 enterprises
	// bidding (three leads and a confirmed partner, June) against
	// 5 × 10/12, on pace.
	want := map[string]kpi.Status{"gdp": kpi.Met, "industry_va": kpi.Close, "fai": kpi.Behind, "retail": kpi.Met,
		"revenue": kpi.Met, "trade": kpi.Close, "new_entities": kpi.AtRisk, "scenario_calls": kpi.AtRisk, "scenario_bidders": kpi.OnPace,
		"finance_settled": kpi.AtRisk, "finance_capital": kpi.AtRisk}
	targets := map[string]string{"gdp": "10", "industry_va": "15", "fai": "20", "retail": "20", "revenue": "8", "trade": "10", "new_entities": "16000",
		"scenario_calls": "6", "scenario_bidders": "5", "finance_settled": "160", "finance_capital": "2000"}
	// Computed: October's figure, and the figure to the as-of date (the
	// second batch, published 1 November; the demo enterprise's bid of
	// 10 November).
	// The seed's 160 institutions and 2,000 亿元 against the finance
	// demo's five settled institutions and their 465 亿元.
	computed := map[string][2]string{"scenario_calls": {"2", "4"}, "scenario_bidders": {"4", "5"}, "finance_settled": {"5", "5"}, "finance_capital": {"465", "465"}}
	if d.AsOf != AsOf || len(d.Cards) != 11 {
		t.Fatalf("as of %s, %d cards", d.AsOf, len(d.Cards))
	}
	for _, c := range d.Cards {
		code := c.Indicator.Code
		if c.Assessment.Status != want[code] {
			t.Errorf("%s: status %s, want %s (%+v)", code, c.Assessment.Status, want[code], c.Assessment)
		}
		if c.Target.V.String() != targets[code] {
			t.Errorf("%s: target %s, want %s", code, c.Target.V, targets[code])
		}
		if want, ok := computed[code]; ok {
			if c.Computed == nil || c.Latest == nil || c.Latest.Month != 10 || c.Latest.YTD.V.String() != want[0] ||
				c.Computed.ToDate == nil || c.Computed.ToDate.YTD.V.String() != want[1] {
				t.Errorf("%s: computed %+v latest %+v, want %v", code, c.Computed, c.Latest, want)
			}
		}
		overdue := c.NextDue != nil && c.NextDue.Overdue
		if overdue != (code == "trade") {
			t.Errorf("%s: next due %+v", code, c.NextDue)
		}
	}
	jfj, _ := a.Org.UnitByCode(ctx, "jfj")
	od, err := a.KPI.OverdueFigures(ctx, jfj.ID, time.Date(2023, 11, 20, 0, 0, 0, 0, db.CST))
	if err != nil || len(od) != 1 || od[0].Indicator.Code != "trade" || od[0].Month != 10 {
		t.Fatalf("jfj overdue: %+v %v", od, err)
	}
}
