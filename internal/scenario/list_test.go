package scenario_test

import (
	"fmt"
	"strings"
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

// The list keeps its statements prepared, one per combination of filters,
// with the values, the page and the page's ids as arguments (the ids
// padded to a power of two). Run in turns, each filter answers with its
// own values' calls, whole and once each, page by page, as a plain
// filter over every call would.
func TestKeptListStatementsAnswerForTheirOwnValues(t *testing.T) {
	f := newFixture(t)
	type call struct {
		id              int64
		cat, title, grp string
	}
	var calls []call // newest last
	for i := range 11 {
		in := need()
		in.Category, in.Title, in.Chains = scenario.CatService, fmt.Sprintf("甲 积水监测 %d", i), []string{"iot_sensor"}
		if i%3 == 1 {
			in.Category, in.Title, in.Chains = scenario.CatDigital, fmt.Sprintf("乙 工厂数字化 %d", i), []string{"compute"}
		}
		n := f.published(in)
		grp := map[string]string{scenario.CatService: "iot_sensor", scenario.CatDigital: "compute"}[in.Category]
		calls = append(calls, call{n.ID, in.Category, in.Title, grp})
	}
	if _, err := f.S.Submit(f.ctx, f.unit, need(), nil); err != nil { // not public
		t.Fatal(err)
	}
	want := func(fl scenario.Filter) ([]call, int) {
		var all []call
		for i := len(calls) - 1; i >= 0; i-- {
			c := calls[i]
			if (fl.Category == "" || c.cat == fl.Category) && fl.State != scenario.StateEvaluating && (fl.Chain == "" || c.grp == fl.Chain) &&
				(fl.Q == "" || strings.Contains(c.title, fl.Q)) {
				all = append(all, c)
			}
		}
		page := all[min(fl.Offset, len(all)):]
		return page[:min(len(page), fl.Limit)], len(all)
	}
	var filters []scenario.Filter
	for _, base := range []scenario.Filter{{}, {Category: scenario.CatService}, {Category: scenario.CatDigital}, {Q: "甲"}, {Q: "乙"},
		{Category: scenario.CatService, Q: "积水"}, {Category: scenario.CatDigital, Q: "积水"}, {Chain: "iot_sensor"}, {Chain: "compute"},
		{State: scenario.StatePublished}, {State: scenario.StateEvaluating}, {Category: scenario.CatDigital, State: scenario.StatePublished}} {
		for _, lim := range []int{1, 3, 20} {
			for _, off := range []int{0, 2, 5} {
				fl := base
				fl.Limit, fl.Offset = lim, off
				filters = append(filters, fl)
			}
		}
	}
	for round := range 2 {
		for i := range filters {
			fl := filters[i]
			if round == 1 { // the other way round: every text now meets other values
				fl = filters[len(filters)-1-i]
			}
			p, err := f.S.List(f.ctx, f.anon, fl)
			if err != nil {
				t.Fatal(err)
			}
			page, total := want(fl)
			var got, exp []string
			for _, n := range p.Needs {
				got = append(got, fmt.Sprint(n.ID, n.Title, len(n.Chains)))
			}
			for _, c := range page {
				exp = append(exp, fmt.Sprint(c.id, c.title, 1))
			}
			if fmt.Sprint(got) != fmt.Sprint(exp) || p.Total != total || p.TotalMore {
				t.Errorf("round %d, %+v: got %v total %d (%v), want %v total %d", round, fl, got, p.Total, p.TotalMore, exp, total)
			}
		}
	}
}
