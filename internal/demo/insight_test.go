package demo

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

// The demo's rollups are whole (nothing left in the feed), and the
// statistics that arrived at 55 % of the year before raised the revenue
// warning in the enterprise's inbox.
func TestDemoRollupsAndWarning(t *testing.T) {
	a, _ := loaded(t, app.Options{Now: Clock})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	st, err := a.Insight.State(ctx)
	if err != nil || st.Behind() || st.Latest == 0 {
		t.Fatalf("rollups %+v, %v", st, err)
	}
	ws, err := a.Insight.Warnings(ctx, insight.Viewer{Role: org.Leader}, insight.WarnOpen, 10)
	if err != nil {
		t.Fatal(err)
	}
	e, err := a.Enterprise.ByCode(ctx, enterprise.System, demoCode(7))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].EnterpriseID != e.ID || !strings.Contains(ws[0].DetailZH, "下降 45.0%") || ws[0].AreaUnitID != e.AreaUnitID {
		t.Fatalf("warnings %+v", ws)
	}
	// The tax office's file disagrees with the bureau on one enterprise.
	cs, err := a.Insight.Conflicts(ctx, insight.Viewer{Role: org.Leader}, "open", 10)
	if err != nil {
		t.Fatal(err)
	}
	e20, _ := a.Enterprise.ByCode(ctx, enterprise.System, demoCode(20))
	if len(cs) != 1 || cs[0].EnterpriseID != e20.ID || cs[0].Indicator != "revenue" || cs[0].Spread < 2490 || cs[0].Spread > 2510 {
		t.Fatalf("conflicts %+v", cs)
	}
	cat, err := a.Insight.Sources(ctx, insight.Viewer{Role: org.Leader}, 0)
	if err != nil {
		t.Fatal(err)
	}
	imported := map[string]bool{}
	for _, src := range cat.Sources {
		imported[src.Code] = src.LastImport != nil
	}
	if !imported["stats"] || !imported["tax"] {
		t.Errorf("the catalogue's last imports: %v", imported)
	}
}
