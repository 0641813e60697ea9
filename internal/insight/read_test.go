package insight_test

import (
	"math"
	"strconv"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

// mapFixture is four enterprises whose figures the chain map and the
// breakdowns must add up exactly.
type mapFixture struct {
	*fixture
	sf, gz             int64 // area unit ids
	e1, e2, e3, e4     int64
	areaSF, enterprise insight.Viewer
}

func newMapFixture(t *testing.T) *mapFixture {
	f := &mapFixture{fixture: newFixture(t)}
	for _, u := range []struct {
		code string
		id   *int64
	}{{"sf", &f.sf}, {"gz", &f.gz}} {
		unit, err := f.S.Org.UnitByCode(f.ctx, u.code)
		if err != nil {
			t.Fatal(err)
		}
		*u.id = unit.ID
	}
	add := func(i int, area string, chains []string, figs []enterprise.FigureInput, tiers ...string) int64 {
		e, err := f.reg.Create(f.ctx, f.staff, enterprise.Input{CreditCode: code(i), Name: "图谱企业" + string(rune('甲'+i)) + "有限公司",
			RegisteredOn: "2015-05-01", Area: area, IndustryCode: "3021", Chains: chains})
		if err != nil {
			f.fail(err)
		}
		if err := f.reg.SetFigures(f.ctx, f.staff, e.ID, figs); err != nil {
			f.fail(err)
		}
		for _, tier := range tiers {
			if _, err := f.reg.AddTier(f.ctx, f.staff, e.ID, enterprise.Tier{Tier: tier, ValidFrom: "2021-01-01", ValidTo: "2025-12-31"}); err != nil {
				f.fail(err)
			}
		}
		return e.ID
	}
	fig := func(ind string, y int, v int64) enterprise.FigureInput {
		return enterprise.FigureInput{Indicator: ind, Year: y, Value: v}
	}
	f.e1 = add(1, "sf", []string{"nm_superhard"}, []enterprise.FigureInput{fig("revenue", 2022, 100_000_000), fig("revenue", 2023, 150_000_000),
		fig("taxes", 2023, 10_000_000), fig("rd_spend", 2023, 12_000_000)}, "hnte")
	f.e2 = add(2, "gz", []string{"nm_superhard"}, []enterprise.FigureInput{fig("revenue", 2022, 50_000_000), fig("revenue", 2023, 50_000_000),
		fig("rd_spend", 2023, 3_000_000)}, "gazelle", "hnte")
	f.e3 = add(3, "sf", []string{"iot_sensor"}, []enterprise.FigureInput{fig("revenue", 2023, 200_000_000)}, "srdi")
	f.e4 = add(4, "gz", nil, []enterprise.FigureInput{fig("revenue", 2023, 10_000_000)})
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.areaSF = insight.Viewer{Role: org.UnitStaff, UnitID: f.sf, AreaOnly: true}
	f.enterprise = insight.Viewer{Role: org.Enterprise, EnterpriseID: f.e1}
	return f
}

func node(t *testing.T, m insight.ChainMap, code string) insight.NodeFigures {
	t.Helper()
	n, ok := m.Node(code)
	if !ok {
		t.Fatalf("no node %s", code)
	}
	return n
}

func leaderIDs(l []insight.Leader) []int64 {
	out := []int64{}
	for _, x := range l {
		out = append(out, x.EnterpriseID)
	}
	return out
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestChainMapFigures(t *testing.T) {
	f := newMapFixture(t)
	if y, err := f.S.DefaultYear(f.ctx); err != nil || y != 2023 {
		t.Fatalf("default year %d %v, want 2023", y, err)
	}
	if ys, err := f.S.Years(f.ctx); err != nil || !sameIDs([]int64{int64(ys[0]), int64(ys[1])}, []int64{2023, 2022}) || len(ys) != 2 {
		t.Fatalf("years %v %v", ys, err)
	}
	m, err := f.S.ChainMap(f.ctx, f.admin, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if m.SourceZH != insight.SourceZH || m.Year != 2023 || m.PrevYear != 2022 {
		t.Fatalf("map heading %+v", m)
	}
	sh := node(t, m, "nm_superhard")
	if sh.Now != 2 || sh.Reporting != 2 || sh.Revenue != 200_000_000 || sh.Taxes != 10_000_000 || sh.RDSpend != 15_000_000 || sh.PrevRevenue != 150_000_000 {
		t.Fatalf("超硬材料 %+v", sh)
	}
	if sh.RDIntensity == nil || math.Abs(*sh.RDIntensity-0.075) > 1e-12 || sh.Growth == nil || math.Abs(*sh.Growth-1.0/3) > 1e-12 {
		t.Fatalf("超硬材料 intensity/growth %v %v", sh.RDIntensity, sh.Growth)
	}
	if sh.Tiers["hnte"] != 2 || sh.Tiers["gazelle"] != 1 || sh.Tiers["srdi"] != 0 {
		t.Fatalf("超硬材料 tiers %v", sh.Tiers)
	}
	if !sameIDs(leaderIDs(sh.Top), []int64{f.e1, f.e2}) || sh.Top[0].Name == "" || sh.Top[0].Revenue != 150_000_000 {
		t.Fatalf("超硬材料 top %+v", sh.Top)
	}
	// The root merges its subtree: sensors and superhard materials.
	dom := node(t, m, "dominant")
	if dom.Now != 3 || dom.Revenue != 400_000_000 || dom.Tiers["srdi"] != 1 || dom.Growth == nil || math.Abs(*dom.Growth-(400.0-150)/150) > 1e-12 {
		t.Fatalf("主导产业 %+v", dom)
	}
	if !sameIDs(leaderIDs(dom.Top), []int64{f.e3, f.e1, f.e2}) {
		t.Fatalf("主导产业 top %v", leaderIDs(dom.Top))
	}
	if q := node(t, m, "quantum"); q.Now != 0 || q.Revenue != 0 || q.Growth != nil || q.RDIntensity != nil || len(q.Top) != 0 {
		t.Fatalf("empty node %+v", q)
	}

	// An office area sees its own enterprises only.
	am, err := f.S.ChainMap(f.ctx, f.areaSF, 2023)
	if err != nil {
		t.Fatal(err)
	}
	sh = node(t, am, "nm_superhard")
	if sh.Now != 1 || sh.Revenue != 150_000_000 || sh.PrevRevenue != 100_000_000 || sh.Tiers["gazelle"] != 0 || !sameIDs(leaderIDs(sh.Top), []int64{f.e1}) {
		t.Fatalf("area's 超硬材料 %+v", sh)
	}
	if dom := node(t, am, "dominant"); dom.Now != 2 || !sameIDs(leaderIDs(dom.Top), []int64{f.e3, f.e1}) || am.AreaID != f.sf {
		t.Fatalf("area's 主导产业 %+v", dom)
	}

	for _, v := range []insight.Viewer{f.enterprise, {}, {Role: org.Reviewer}} {
		if _, err := f.S.ChainMap(f.ctx, v, 2023); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("%v read the map: %v", v.Role, err)
		}
	}
	if _, err := f.S.ChainMap(f.ctx, f.admin, 1999); fieldOf(err) != "year" {
		t.Fatalf("year 1999: %v", err)
	}
}

func fieldOf(err error) string {
	if e := errs.As(err); e != nil && e.Code == errs.Invalid {
		return e.Field
	}
	return ""
}

func TestBreakdown(t *testing.T) {
	f := newMapFixture(t)
	cell := func(b insight.Breakdown, row, col string) int64 {
		t.Helper()
		for i, r := range b.Rows {
			if r.Key != row && r.ZH != row {
				continue
			}
			for j, c := range b.Cols {
				if c.Key == col || c.ZH == col {
					return b.Values[i][j]
				}
			}
		}
		t.Fatalf("no cell %s × %s in %+v", row, col, b)
		return 0
	}
	sf, gz := itoa(f.sf), itoa(f.gz)

	b, err := f.S.Breakdown(f.ctx, f.admin, 2023, "chain", "area", "revenue")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Money || cell(b, "超硬材料", sf) != 150_000_000 || cell(b, "超硬材料", gz) != 50_000_000 || cell(b, "传感器", sf) != 200_000_000 || cell(b, "未归属", gz) != 10_000_000 {
		t.Fatalf("chain × area %+v", b)
	}
	// The same crossing asked the other way round.
	b, err = f.S.Breakdown(f.ctx, f.admin, 2023, "area", "chain", "n")
	if err != nil {
		t.Fatal(err)
	}
	if cell(b, sf, "超硬材料") != 1 || cell(b, gz, "未归属") != 1 || cell(b, "石佛办事处", "四大主导产业") != 2 {
		t.Fatalf("area × chain %+v", b)
	}
	b, err = f.S.Breakdown(f.ctx, f.admin, 0, "tier", "", "n")
	if err != nil {
		t.Fatal(err)
	}
	if cell(b, "高新技术企业", "") != 2 || cell(b, "瞪羚企业", "") != 1 || cell(b, "无", "") != 1 {
		t.Fatalf("tiers now %+v", b)
	}
	b, err = f.S.Breakdown(f.ctx, f.admin, 2023, "size", "section", "tier:hnte")
	if err != nil {
		t.Fatal(err)
	}
	if cell(b, "未知", "C") != 2 || b.Cols[0].ZH != "C 制造业" {
		t.Fatalf("size × section of 高新 %+v", b)
	}

	// An office area: its own area only, and never two other dimensions.
	b, err = f.S.Breakdown(f.ctx, f.areaSF, 2023, "chain", "area", "revenue")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Cols) != 1 || b.Cols[0].Key != sf || cell(b, "超硬材料", sf) != 150_000_000 {
		t.Fatalf("area's chain × area %+v", b)
	}
	b, err = f.S.Breakdown(f.ctx, f.areaSF, 2023, "chain", "", "n")
	if err != nil {
		t.Fatal(err)
	}
	if cell(b, "超硬材料", "") != 1 || cell(b, "四大主导产业", "") != 2 {
		t.Fatalf("area's chain %+v", b)
	}
	b, err = f.S.Breakdown(f.ctx, f.areaSF, 0, "area", "", "n")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 1 || cell(b, sf, "") != 2 {
		t.Fatalf("area's own count %+v", b)
	}
	if _, err := f.S.Breakdown(f.ctx, f.areaSF, 2023, "chain", "size", "n"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("area crossed two dimensions: %v", err)
	}
	if _, err := f.S.Breakdown(f.ctx, f.enterprise, 2023, "chain", "", "n"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("enterprise read a breakdown: %v", err)
	}
	for _, c := range []struct{ a, b, m, field string }{
		{"bogus", "", "n", "a"}, {"chain", "bogus", "n", "b"}, {"chain", "chain", "n", "b"},
		{"chain", "", "no_such", "measure"}, {"chain", "", "tier:nobel", "measure"},
	} {
		if _, err := f.S.Breakdown(f.ctx, f.admin, 2023, c.a, c.b, c.m); fieldOf(err) != c.field {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	if _, err := f.S.Breakdown(f.ctx, f.admin, 1850, "chain", "", "n"); fieldOf(err) != "year" {
		t.Fatalf("year 1850: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// An office area's leaders are found past the first page of a node's
// probes, and an enterprise on two nodes of a subtree is listed once.
func TestAreaLeadersPageOnAndMergeOnce(t *testing.T) {
	f := newMapFixture(t)
	for i := range 52 {
		e, err := f.reg.Create(f.ctx, f.staff, enterprise.Input{CreditCode: code(100 + i), Name: "沟赵大企业" + strconv.Itoa(i) + "有限公司",
			Area: "gz", Chains: []string{"nm_superhard", "iot_sensor"}})
		if err != nil {
			f.fail(err)
		}
		if err := f.reg.SetFigures(f.ctx, f.staff, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: int64(900_000_000 + i)}}); err != nil {
			f.fail(err)
		}
	}
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	m, err := f.S.ChainMap(f.ctx, f.areaSF, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if sh := node(t, m, "nm_superhard"); !sameIDs(leaderIDs(sh.Top), []int64{f.e1}) {
		t.Fatalf("area's 超硬材料 top %v", leaderIDs(sh.Top))
	}
	z, err := f.S.ChainMap(f.ctx, f.admin, 2023)
	if err != nil {
		t.Fatal(err)
	}
	top := node(t, z, "dominant").Top
	if len(top) != 3 || top[0].Revenue != 900_000_051 || top[1].Revenue != 900_000_050 || top[2].Revenue != 900_000_049 {
		t.Fatalf("zone's 主导产业 top %+v", top)
	}
	if n := node(t, z, "dominant").Now; n != 4+52-1 {
		t.Fatalf("主导产业 counts an enterprise on two of its nodes twice: %d", n)
	}
}
