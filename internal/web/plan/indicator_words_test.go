package plan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/kpi"
	"gaoxin/internal/plan"
)

// A task tied to a target names the target and links its page, not its
// code; a code that names no target is shown as typed. The edit form
// offers the targets by name.
func TestTaskNamesItsTarget(t *testing.T) {
	f := newPlanFixture(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	gdp, err := f.h.App.KPI.CreateIndicator(ctx, kpi.IndicatorInput{Code: "gdp", NameZH: "地区生产总值", NameEN: "GDP", Measure: "亿元",
		Kind: kpi.Growth, Frequency: kpi.Quarterly, Owner: "jfj"})
	if err != nil {
		t.Fatal(err)
	}
	su, err := f.h.App.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code, want string
	}{
		{"gdp", fmt.Sprintf(`<dd id="indicator"><a href="/kpi/indicators/%d?year=2023">地区生产总值</a></dd>`, gdp.ID)},
		{"rd_labs", `<dd id="indicator">rd_labs</dd>`},
	} {
		in := plan.NodeInput{Title: f.a.Title, LeadUnit: "jfj", CoUnits: []string{"kcj"}, StartOn: "2023-01-01", DueOn: "2023-12-31",
			Deliverable: "3 家实验室", IndicatorCode: c.code, Version: f.a.Version}
		n, err := f.h.App.Plan.UpdateNode(ctx, plan.ViewerOf(&su), f.a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		f.a.Version = n.Version
		page := string(f.h.As("supervisor").Get("/plan/nodes/" + id(f.a)).Body)
		if !strings.Contains(page, c.want) {
			t.Errorf("indicator code %s: the task page lacks %s", c.code, c.want)
		}
		if !strings.Contains(page, `<option value="gdp">地区生产总值</option>`) {
			t.Error("the edit form does not offer the targets by name")
		}
	}
}
