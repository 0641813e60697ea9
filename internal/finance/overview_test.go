package finance_test

import (
	"strconv"
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// The overview: the funnel of the year, money by industry and month, and
// institutions on the stages × chains map, each counted once per cell.
func TestOverview(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n1, _ := f.S.Post(f.ctx, f.entA, needIn(), nil) // iot_sensor
	m1, _ := f.S.ExpressInterest(f.ctx, x.vc1, n1.ID, "")
	m2, _ := f.S.ExpressInterest(f.ctx, x.generalA, n1.ID, "")
	f.S.Answer(f.ctx, f.entA, m1.ID, true, "")
	f.S.Answer(f.ctx, f.entA, m2.ID, false, "")
	f.walk(x.vc1, m1, wan(4000), "2023-06-10", "2023-06-10", "2023-06-10", "2023-06-10")
	o, err := f.S.Overview(f.ctx, f.leader, 2023)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 1, 1, 1, 1, 1}
	for k, c := range o.Funnel {
		if c.Count != want[k] {
			t.Errorf("%s: %d, want %d", c.Step, c.Count, want[k])
		}
	}
	if o.Closed != 1 || o.FundedFen != wan(4000) || o.Settled != 4 || o.CapitalFen != yi(200) {
		t.Fatalf("%+v", o)
	}
	if len(o.ByChain) != 1 || o.ByChain[0].Chain.Code != "iot" || o.ByChain[0].Months[5] != wan(4000) || o.ByChain[0].Total != wan(4000) {
		t.Fatalf("by chain: %+v", o.ByChain)
	}
	// Approved: vc1 (iot: a, b), vc2 (nm: a, b), bank (every chain: six
	// stages), vc5 (every chain: a, b); the pending one is left out.
	cells := map[[2]string]int{}
	for _, c := range o.Map {
		cells[[2]string{c.Stage, c.Chain}] = c.Count
	}
	if cells[[2]string{"a", "iot"}] != 1 || cells[[2]string{"a", "nm"}] != 1 || cells[[2]string{"a", ""}] != 2 || cells[[2]string{"seed", ""}] != 1 || len(o.Map) != 10 {
		t.Fatalf("map: %+v", o.Map)
	}
	_, err = f.S.Overview(f.ctx, f.entA, 2023)
	wantErr(t, err, errs.Forbidden, "")
	// An institution's own funnel.
	steps, closed, err := f.S.InstitutionFunnel(f.ctx, x.vc1, 0)
	if err != nil || closed != 0 || steps[len(steps)-1].Count != 1 {
		t.Fatalf("%+v %d %v", steps, closed, err)
	}
	_, _, err = f.S.InstitutionFunnel(f.ctx, x.vc2, x.i1.ID)
	wantErr(t, err, errs.NotFound, "")
	if _, closed, err := f.S.InstitutionFunnel(f.ctx, f.staff, x.ig.ID); err != nil || closed != 1 {
		t.Fatalf("staff: %d %v", closed, err)
	}
}

// The stages × chains map, a rollup kept on write, equals a recount from
// the institutions' own rows after synthetic ones and writes through the
// service: each approved institution once per stage and industry, though
// it lists two nodes of one industry (the synthetic ones often do).
func TestOverviewMapIsARecount(t *testing.T) {
	f := newFixture(t)
	if _, err := f.S.Synthesize(f.ctx, finance.Scale{Institutions: 120, Needs: 10, Enterprises: []int64{f.entA.EnterpriseID}, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	// Writes through the service: one on two nodes of one industry, one
	// whose profile then changes, one left pending, one rejected.
	two := vc(901, "双节点创投")
	two.Chains = []string{"iot", "iot_sensor"}
	f.approved("m1", two)
	_, changed := f.approved("m2", vc(902, "改档创投"))
	in := vc(902, "改档创投")
	in.Stages, in.Chains = []string{"seed", "a", "pre_ipo"}, []string{"nm", "iot_sensor"}
	if _, err := f.S.Update(f.ctx, f.staff, changed.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Register(f.ctx, f.investor("m3"), vc(903, "待审创投")); err != nil {
		t.Fatal(err)
	}
	rej, err := f.S.Register(f.ctx, f.investor("m4"), vc(904, "不通过创投"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Reject(f.ctx, f.staff, rej.ID, "材料不全"); err != nil {
		t.Fatal(err)
	}
	parent, code := map[int64]int64{}, map[int64]string{}
	rows, err := f.DB.R.QueryContext(f.ctx, "SELECT id, COALESCE(parent_id, 0), code FROM chain_nodes")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, p int64
		var c string
		if err := rows.Scan(&id, &p, &c); err != nil {
			t.Fatal(err)
		}
		parent[id], code[id] = p, c
	}
	rows.Close()
	industry := func(n int64) int64 {
		for parent[n] != 0 && parent[parent[n]] != 0 {
			n = parent[n]
		}
		return n
	}
	type key struct{ inst, stage, chain string }
	seen := map[key]bool{}
	want := map[[2]string]int{}
	rows, err = f.DB.R.QueryContext(f.ctx, `SELECT i.id, st.stage, COALESCE(c.node_id, 0) FROM finance_institutions i
		JOIN finance_institution_stages st ON st.institution_id = i.id
		LEFT JOIN finance_institution_chains c ON c.institution_id = i.id WHERE i.state = 'approved'`)
	if err != nil {
		t.Fatal(err)
	}
	twice := 0
	for rows.Next() {
		var id, node int64
		var stage string
		if err := rows.Scan(&id, &stage, &node); err != nil {
			t.Fatal(err)
		}
		ch := ""
		if node != 0 {
			ch = code[industry(node)]
		}
		k := key{strconv.FormatInt(id, 10), stage, ch}
		if seen[k] {
			twice++
			continue
		}
		seen[k] = true
		want[[2]string{stage, ch}]++
	}
	rows.Close()
	if twice == 0 {
		t.Fatal("no institution lists two nodes of one industry: the test shows nothing")
	}
	o, err := f.S.Overview(f.ctx, f.staff, 2023)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]int{}
	for _, c := range o.Map {
		got[[2]string{c.Stage, c.Chain}] = c.Count
	}
	if len(got) != len(want) {
		t.Fatalf("%d cells, the recount %d: %v / %v", len(got), len(want), got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%v: %d, the recount %d", k, got[k], n)
		}
	}
}
