package scenario_test

import (
	"fmt"
	"testing"

	"gaoxin/internal/scenario"
)

// The chain filter reads a chain's calls as a set, or probes each call's
// chains when a whole group is asked for within one state or batch; both
// ways give the same calls, once each, newest first.
func TestChainFilterGivesTheSameCallsEitherWay(t *testing.T) {
	f := newFixture(t)
	on := func(title string, chains ...string) scenario.NeedInput {
		in := need()
		in.Title, in.Chains = title, chains
		return in
	}
	sensor := f.published(on("传感器", "iot_sensor"))
	both := f.published(on("物联网与新材料", "iot", "nm")) // two nodes of one group: listed once
	compute := f.published(on("算力", "compute"))     // another group
	quantum := f.published(on("量子", "quantum"))
	collecting, err := f.S.Submit(f.ctx, f.unit, on("征集中的传感器", "iot_sensor"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(v scenario.Viewer, fl scenario.Filter) string {
		t.Helper()
		p, err := f.S.List(f.ctx, v, fl)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, n := range p.Needs {
			out = append(out, n.ID)
		}
		return fmt.Sprint(out, " total ", p.Total)
	}
	list := func(ns ...int64) string { return fmt.Sprint(ns, " total ", len(ns)) }
	for _, c := range []struct {
		name string
		v    scenario.Viewer
		f    scenario.Filter
		want string
	}{
		{"a group, as a set", f.anon, scenario.Filter{Chain: "dominant"}, list(both.ID, sensor.ID)},
		{"a group within a state, probed", f.anon, scenario.Filter{Chain: "dominant", State: scenario.StatePublished}, list(both.ID, sensor.ID)},
		{"a group within a batch, probed", f.anon, scenario.Filter{Chain: "dominant", BatchID: both.BatchID}, list(both.ID)},
		{"a group within a state, by its Chinese name", f.anon, scenario.Filter{Chain: "四大主导产业", State: scenario.StatePublished}, list(both.ID, sensor.ID)},
		{"another group within a state", f.anon, scenario.Filter{Chain: "emerging", State: scenario.StatePublished}, list(compute.ID)},
		{"a group in a state the public does not see", f.anon, scenario.Filter{Chain: "dominant", State: scenario.StateCollecting}, list()},
		{"staff see it", f.staff, scenario.Filter{Chain: "dominant", State: scenario.StateCollecting}, list(collecting.ID)},
		{"staff, a group as a set", f.staff, scenario.Filter{Chain: "dominant"}, list(collecting.ID, both.ID, sensor.ID)},
		{"a chain within a state, as a set", f.anon, scenario.Filter{Chain: "iot", State: scenario.StatePublished}, list(both.ID, sensor.ID)},
		{"a node", f.anon, scenario.Filter{Chain: "iot_sensor"}, list(sensor.ID)},
		{"a future-industries group within a state, one a page", f.anon, scenario.Filter{Chain: "future", State: scenario.StatePublished, Limit: 1}, list(quantum.ID)},
	} {
		if got := ids(c.v, c.f); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	// Paging through a probed group: one a page, the count from the page on.
	p, err := f.S.List(f.ctx, f.anon, scenario.Filter{Chain: "dominant", State: scenario.StatePublished, Limit: 1, Offset: 1})
	if err != nil || len(p.Needs) != 1 || p.Needs[0].ID != sensor.ID || p.Total != 2 || p.TotalMore {
		t.Fatalf("second page of a probed group: %+v %v", p, err)
	}
}
