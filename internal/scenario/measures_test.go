package scenario_test

import (
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/kpi"
	"gaoxin/internal/scenario"
)

// at sets the fixture's clock to a China-time instant.
func (f *fixture) at(y int, m time.Month, d, hh, mm int) {
	f.now = time.Date(y, m, d, hh, mm, 0, 0, db.CST)
}

// publishOn takes a need through its own batch to an open call, published
// on the fixture's date.
func (f *fixture) publishOn(in scenario.NeedInput) (scenario.Need, scenario.Batch) {
	f.t.Helper()
	n, err := f.S.Submit(f.ctx, f.unit, in, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := f.S.CreateBatch(f.ctx, f.staff, "批次 "+in.Title)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.Approve(f.ctx, f.staff, n.ID, b.ID); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		f.t.Fatal(err)
	}
	return n, b
}

// ytd renders a year's twelve values compactly: "0 0 0 0 1 1 …".
func ytd(m [12]int64) string { return fmt.Sprint(m[:]) }

// TestMeasuresCountDatedEvents builds a year of calls and bids on known
// dates and reads every measure by month, whole and filtered.
func TestMeasuresCountDatedEvents(t *testing.T) {
	f := newFixture(t)
	// Last year: one call published on 30 December.
	f.at(2022, time.December, 30, 10, 0)
	c := need()
	c.Title, c.Category, c.Chains, c.Deadline, c.EndsOn = "去年的场景", scenario.CatUrban, []string{"bd"}, "2023-01-31", "2023-12-31"
	f.publishOn(c)

	// A: a service call under iot (its sensors sub-node), published in May.
	f.at(2023, time.May, 12, 9, 0)
	a := need()
	a.Title, a.Chains = "积水监测", []string{"iot_sensor"}
	callA, batchA := f.publishOn(a)
	// B: a digital call on superhard materials, published in July.
	f.at(2023, time.July, 3, 9, 0)
	b := need()
	b.Title, b.Category, b.Chains, b.Deadline = "压机群监测", scenario.CatDigital, []string{"nm_superhard"}, "2023-08-31"
	callB, _ := f.publishOn(b)

	submit := func(v scenario.Viewer, n scenario.Need, in scenario.BidInput) scenario.Bid {
		t.Helper()
		got, err := f.S.SubmitBid(f.ctx, v, n.ID, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// 31 May 23:30 China time is still May; 1 June 00:10 China time is
	// 31 May in UTC but counts in June.
	f.at(2023, time.May, 31, 23, 30)
	submit(f.entA, callA, bid())
	f.at(2023, time.June, 1, 0, 10)
	submit(f.entB, callA, bid())
	// July: a bid withdrawn (it counts nowhere), a solo bid by an
	// enterprise that bid in May (one more bid, no new bidder), and a
	// joint bid whose partner confirms on the 15th.
	f.at(2023, time.July, 10, 9, 0)
	gone := submit(f.entC, callB, bid())
	if _, err := f.S.WithdrawBid(f.ctx, f.entC, gone.ID, "方案调整"); err != nil {
		t.Fatal(err)
	}
	f.at(2023, time.July, 11, 9, 0)
	submit(f.entA, callB, bid())
	joint := bid()
	joint.Partners = []scenario.PartnerInput{{CreditCode: f.codeC, Role: "数据治理"}}
	jb := submit(f.entB, callB, joint)
	f.at(2023, time.July, 15, 9, 0)
	if _, err := f.S.ConfirmPartner(f.ctx, f.entC, jb.ID); err != nil {
		t.Fatal(err)
	}
	// Delivery and acceptance are reached by the evaluation flow; their
	// phase rows are what the measures read.
	for _, p := range []struct{ phase, on string }{{scenario.PhaseImplement, "2023-08-10"}, {scenario.PhaseAccept, "2023-10-31"}} {
		if _, err := f.DB.W.ExecContext(f.ctx, "INSERT INTO scenario_phases (need_id, phase, on_date, at, actor) VALUES ($1,$2,$3,1,'t')",
			callA.ID, p.phase, p.on); err != nil {
			t.Fatal(err)
		}
	}

	src := f.S.KPISource()
	ask := func(upTo string, qs ...kpi.Query) []kpi.Answer {
		t.Helper()
		got, err := src.Values(f.ctx, kpi.Request{Queries: qs, From: 2022, To: 2023, UpTo: upTo})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(qs) {
			t.Fatalf("%d answers to %d queries", len(got), len(qs))
		}
		return got
	}
	q := func(m string, fl kpi.Filter) kpi.Query { return kpi.Query{Measure: m, Filter: fl} }
	none := kpi.Filter{}
	cases := []struct {
		name     string
		q        kpi.Query
		y22, y23 string
		words    string
	}{
		{"published", q(scenario.MeasurePublished, none), "[0 0 0 0 0 0 0 0 0 0 0 1]", "[0 0 0 0 1 1 2 2 2 2 2 2]", ""},
		{"published, chain iot and below", q(scenario.MeasurePublished, kpi.Filter{Chain: "iot"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 1 1 1 1 1 1 1]", "物联网产业链（含下级）"},
		{"published, the sub-node itself", q(scenario.MeasurePublished, kpi.Filter{Chain: "iot_sensor"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 1 1 1 1 1 1 1]", "传感器产业链（含下级）"},
		{"published, new materials", q(scenario.MeasurePublished, kpi.Filter{Chain: "nm"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 1 1 1 1 1 1]", "新材料产业链（含下级）"},
		{"published, another branch", q(scenario.MeasurePublished, kpi.Filter{Chain: "ei"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 0 0 0]", "电子信息产业链（含下级）"},
		{"published, category", q(scenario.MeasurePublished, kpi.Filter{Category: scenario.CatDigital}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 1 1 1 1 1 1]", "产业数字化转型"},
		{"published, batch", q(scenario.MeasurePublished, kpi.Filter{Batch: batchA.Seq}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 1 1 1 1 1 1 1]", fmt.Sprintf("第 %d 批", batchA.Seq)},
		{"published, category and batch that do not meet", q(scenario.MeasurePublished, kpi.Filter{Category: scenario.CatDigital, Batch: batchA.Seq}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 0 0 0]", fmt.Sprintf("产业数字化转型 · 第 %d 批", batchA.Seq)},
		{"published, a chain no longer there", q(scenario.MeasurePublished, kpi.Filter{Chain: "gone"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 0 0 0]", "产业链 gone（已不存在）"},
		{"bids", q(scenario.MeasureBids, none), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 2 4 4 4 4 4 4]", ""},
		{"bids, chain iot", q(scenario.MeasureBids, kpi.Filter{Chain: "iot"}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 2 2 2 2 2 2 2]", "物联网产业链（含下级）"},
		{"bidders", q(scenario.MeasureBidders, none), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 1 2 3 3 3 3 3 3]", ""},
		{"bidders, digital", q(scenario.MeasureBidders, kpi.Filter{Category: scenario.CatDigital}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 3 3 3 3 3 3]", "产业数字化转型"},
		{"landed", q(scenario.MeasureLanded, none), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 1 1 1 1 1]", ""},
		{"accepted", q(scenario.MeasureAccepted, none), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 1 1 1]", ""},
		{"accepted, digital", q(scenario.MeasureAccepted, kpi.Filter{Category: scenario.CatDigital}), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 0 0 0]", "产业数字化转型"},
		{"paid", q(scenario.MeasurePaid, none), "[0 0 0 0 0 0 0 0 0 0 0 0]", "[0 0 0 0 0 0 0 0 0 0 0 0]", ""},
	}
	// Every query in one call: the source answers them in one statement.
	var qs []kpi.Query
	for _, c := range cases {
		qs = append(qs, c.q)
	}
	got := ask("2023-11-20", qs...)
	for i, c := range cases {
		if g22, g23 := ytd(got[i].YTD[0]), ytd(got[i].YTD[1]); g22 != c.y22 || g23 != c.y23 {
			t.Errorf("%s: 2022 %s 2023 %s, want %s and %s", c.name, g22, g23, c.y22, c.y23)
		}
		if got[i].FilterZH != c.words {
			t.Errorf("%s: words %q, want %q", c.name, got[i].FilterZH, c.words)
		}
	}
	// Read as of 10 July: later events are not counted, and the months
	// after it repeat its value.
	early := ask("2023-07-10", q(scenario.MeasureBids, none), q(scenario.MeasureBidders, none), q(scenario.MeasurePublished, none))
	for i, want := range []string{"[0 0 0 0 1 2 2 2 2 2 2 2]", "[0 0 0 0 1 2 2 2 2 2 2 2]", "[0 0 0 0 1 1 2 2 2 2 2 2]"} {
		if g := ytd(early[i].YTD[1]); g != want {
			t.Errorf("as of 10 July, query %d: %s, want %s", i, g, want)
		}
	}
	// Before the year begins there is nothing to count.
	if g := ask("2021-06-30", q(scenario.MeasurePublished, none)); ytd(g[0].YTD[0])+ytd(g[0].YTD[1]) != "[0 0 0 0 0 0 0 0 0 0 0 0][0 0 0 0 0 0 0 0 0 0 0 0]" {
		t.Errorf("before the years: %v", g[0].YTD)
	}
	if _, err := src.Values(f.ctx, kpi.Request{Queries: []kpi.Query{q("scenario.nothing", none)}, From: 2023, To: 2023, UpTo: "2023-11-20"}); err == nil {
		t.Error("an unknown measure was answered")
	}
	// One year alone: an enterprise is counted once in it.
	one, err := src.Values(f.ctx, kpi.Request{Queries: []kpi.Query{q(scenario.MeasureBidders, none)}, From: 2023, To: 2023, UpTo: "2023-12-31"})
	if err != nil || ytd(one[0].YTD[0]) != "[0 0 0 0 1 2 3 3 3 3 3 3]" {
		t.Errorf("bidders of 2023 alone: %v %v", one, err)
	}
}

// TestMeasuresFiltersAndVersion: the choices the targets module offers,
// and a version that moves when a count may change.
func TestMeasuresFiltersAndVersion(t *testing.T) {
	f := newFixture(t)
	src := f.S.KPISource()
	v0, err := src.Version(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, b := f.publishOn(need())
	if v1, _ := src.Version(f.ctx); v1 <= v0 {
		t.Errorf("version %d after publishing, was %d", v1, v0)
	}
	fields, err := src.Filters(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]map[string]bool{}
	for _, fl := range fields {
		has[fl.Key] = map[string]bool{}
		for _, c := range fl.Choices {
			has[fl.Key][c.Value] = true
		}
	}
	if !has[kpi.FilterCategory][scenario.CatService] || !has[kpi.FilterChain]["iot_sensor"] || !has[kpi.FilterBatch][fmt.Sprint(b.Seq)] {
		t.Errorf("filters: %+v", has)
	}
	codes := map[string]bool{}
	for _, m := range src.Measures() {
		codes[m.Code] = true
		if m.NameZH == "" || m.AboutZH == "" || len(m.Filters) != 3 {
			t.Errorf("measure %+v", m)
		}
	}
	for _, c := range []string{scenario.MeasurePublished, scenario.MeasureBids, scenario.MeasureBidders, scenario.MeasureLanded, scenario.MeasureAccepted, scenario.MeasurePaid} {
		if !codes[c] {
			t.Errorf("no measure %s", c)
		}
	}
}
