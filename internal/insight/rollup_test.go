package insight_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

type fixture struct {
	t     testing.TB
	ctx   context.Context
	DB    *db.DB
	reg   *enterprise.Service
	S     *insight.Service
	now   time.Time
	staff enterprise.Viewer
	admin insight.Viewer
	areas []string
	ids   []int64
	codes []string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	a := audit.New(d)
	o := org.New(d, a)
	f := &fixture{t: t, DB: d, now: time.Date(2023, 11, 20, 10, 0, 0, 0, db.CST),
		ctx: audit.WithActor(context.Background(), audit.Actor{Name: "test"})}
	f.reg = enterprise.New(d, a, o, enterprise.Options{})
	f.reg.Now = func() time.Time { return f.now }
	f.S = insight.New(d, a, f.reg, o)
	f.S.Now = f.reg.Now
	f.staff = enterprise.Viewer{Role: org.Supervisor}
	f.admin = insight.Viewer{Role: org.Admin}
	for _, u := range []org.Unit{{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}, {Code: "gz", NameZH: "沟赵办事处", Kind: "办事处"}} {
		if _, err := o.CreateUnit(f.ctx, u); err != nil {
			t.Fatal(err)
		}
		f.areas = append(f.areas, u.Code)
	}
	return f
}

var (
	chains     = []string{"iot", "ei", "nm_superhard", "hydrogen", "iot_sensor"}
	industries = []string{"3911", "3011", "4411", "3021", "3099", ""}
)

// code makes the i-th valid credit code.
func code(i int) string { return uscc.Complete(fmt.Sprintf("91410100%08d", 10000000+i)) }

func (f *fixture) create(r *rand.Rand) {
	f.t.Helper()
	i := len(f.ids)
	if r == nil {
		r = rand.New(rand.NewPCG(uint64(i), 7))
	}
	in := enterprise.Input{CreditCode: code(i), Name: fmt.Sprintf("测试企业%03d有限公司", i),
		RegisteredOn: fmt.Sprintf("%d-03-01", 2012+r.IntN(12)), Area: f.areas[r.IntN(2)], IndustryCode: industries[r.IntN(len(industries))]}
	if r.IntN(4) > 0 {
		in.Chains = []string{chains[r.IntN(len(chains))]}
	}
	e, err := f.reg.Create(f.ctx, f.staff, in)
	if err != nil {
		f.fail(err)
	}
	f.ids = append(f.ids, e.ID)
	f.codes = append(f.codes, in.CreditCode)
}

func (f *fixture) randomWrite(r *rand.Rand) string {
	f.t.Helper()
	if len(f.ids) < 3 || r.IntN(8) == 0 {
		f.create(r)
		return "create"
	}
	i := r.IntN(len(f.ids))
	id := f.ids[i]
	switch r.IntN(6) {
	case 0: // move area, industry, chains or status
		e, err := f.reg.Get(f.ctx, f.staff, id)
		if err != nil {
			f.fail(err)
		}
		in := enterprise.Input{CreditCode: e.CreditCode, Name: e.Name, RegisteredOn: e.RegisteredOn, Area: f.areas[r.IntN(2)],
			IndustryCode: industries[r.IntN(len(industries))], Chains: []string{chains[r.IntN(len(chains))]}, Status: enterprise.Operating}
		if r.IntN(5) == 0 {
			in.Status = enterprise.MovedOut
		}
		if _, err := f.reg.Update(f.ctx, f.staff, id, in); err != nil {
			f.fail(err)
		}
		return "update"
	case 1: // a certificate, current or lapsed
		from, to := "2021-01-01", "2023-12-31"
		if r.IntN(2) == 0 {
			to = "2022-06-30"
		}
		tiers := []string{"hnte", "tsme", "gazelle", "srdi"}
		if _, err := f.reg.AddTier(f.ctx, f.staff, id, enterprise.Tier{Tier: tiers[r.IntN(len(tiers))], ValidFrom: from, ValidTo: to}); err != nil {
			f.fail(err)
		}
		return "tier"
	case 2, 3: // figures of a year
		y := 2020 + r.IntN(4)
		in := []enterprise.FigureInput{{Indicator: "revenue", Year: y, Value: int64(r.IntN(5_000_000_000))},
			{Indicator: "employees", Year: y, Value: int64(r.IntN(1500))}}
		if r.IntN(2) == 0 {
			in = append(in, enterprise.FigureInput{Indicator: "rd_spend", Year: y, Value: int64(r.IntN(90_000_000)), Source: enterprise.FromTax})
		}
		if err := f.reg.SetFigures(f.ctx, f.staff, id, in); err != nil {
			f.fail(err)
		}
		return "figures"
	default: // an import that updates some and creates one
		rows := [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（元）", "税收（元）", "所属办事处"}}
		y := 2020 + r.IntN(4)
		for _, j := range r.Perm(len(f.ids))[:3] {
			e, err := f.reg.Get(f.ctx, f.staff, f.ids[j])
			if err != nil {
				f.fail(err)
			}
			rows = append(rows, []any{f.codes[j], e.Name, float64(y), float64(r.IntN(90_000_000)), float64(r.IntN(900_000)), f.areas[r.IntN(2)]})
		}
		n := len(f.ids)
		rows = append(rows, []any{code(n), fmt.Sprintf("导入企业%03d有限公司", n), float64(y), float64(r.IntN(90_000_000)), float64(r.IntN(900_000)), f.areas[0]})
		res, err := f.reg.Import(f.ctx, f.staff, workbook(f.t, rows), enterprise.ImportOptions{Filename: "t.xlsx"})
		if err != nil || !res.Written {
			f.t.Fatalf("import: %v (%+v)", err, res.Errors)
		}
		e, err := f.reg.ByCode(f.ctx, f.staff, code(n))
		if err != nil {
			f.fail(err)
		}
		f.ids = append(f.ids, e.ID)
		f.codes = append(f.codes, code(n))
		return "import"
	}
}

func (f *fixture) fail(err error) {
	f.t.Helper()
	if e := errs.As(err); e != nil {
		f.t.Fatalf("%v %+v", err, e.Details)
	}
	f.t.Fatal(err)
}

func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dump lists every row of the rollup tables, sorted.
func (f *fixture) dump() string {
	f.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT year, dims, key, n, body FROM insight_cells ORDER BY year, dims, key",
		"SELECT enterprise_id, now, latest, body, '' FROM insight_contributions ORDER BY enterprise_id",
		"SELECT year, node_id, revenue, enterprise_id, '' FROM insight_leaders ORDER BY year, node_id, revenue, enterprise_id",
		"SELECT enterprise_id, tier, area || ' ' || figures_year, unmet || ' ' || closeness, gaps FROM insight_candidates ORDER BY enterprise_id, tier",
		"SELECT enterprise_id, vals, '', '', '' FROM insight_source_presence ORDER BY enterprise_id",
		"SELECT source, indicator, year, n, '' FROM insight_source_counts ORDER BY source, indicator, year",
		"SELECT enterprise_id, indicator, year, vals, spread || state FROM insight_conflicts ORDER BY enterprise_id, indicator, year",
	} {
		rows, err := f.DB.R.QueryContext(f.ctx, q)
		if err != nil {
			f.fail(err)
		}
		for rows.Next() {
			var a, b2, c, d, e string
			if err := rows.Scan(&a, &b2, &c, &d, &e); err != nil {
				f.fail(err)
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", a, b2, c, d, e)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// After any sequence of registry writes (creations, moves between areas,
// chains and industries, certificates, figures from several sources,
// imports), applied in batches at random points, the rollups equal a
// rebuild from scratch.
func TestIncrementalRollupsEqualRebuild(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFixture(t)
			f.S.Batch = 7 // several batches per apply, cutting feed numbers
			r := rand.New(rand.NewPCG(seed, 99))
			kinds := map[string]int{}
			for step := 0; step < 60; step++ {
				kinds[f.randomWrite(r)]++
				if r.IntN(5) == 0 {
					if _, err := f.S.Apply(f.ctx); err != nil {
						t.Fatal(err)
					}
				}
				if step == 30 {
					f.now = f.now.AddDate(0, 0, 20) // a new day, nothing lapses
				}
			}
			if _, err := f.S.Apply(f.ctx); err != nil {
				t.Fatal(err)
			}
			// The year turns with no write: the certificates that ended
			// on 2023-12-31 leave year 0's counts.
			f.now = time.Date(2024, 1, 20, 9, 0, 0, 0, db.CST)
			if _, err := f.S.Apply(f.ctx); err != nil {
				t.Fatal(err)
			}
			incremental := f.dump()
			if strings.Count(incremental, "\n") < 100 {
				t.Fatalf("too few rollup rows to compare (%v):\n%s", kinds, incremental)
			}
			if err := f.S.Rebuild(f.ctx, f.admin); err != nil {
				t.Fatal(err)
			}
			var conflicts int
			if err := f.DB.R.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM insight_conflicts").Scan(&conflicts); err != nil {
				t.Fatal(err)
			}
			if conflicts == 0 {
				t.Fatal("no conflicts between sources to compare")
			}
			rebuilt := f.dump()
			if incremental != rebuilt {
				t.Fatalf("incremental rollups differ from a rebuild after %v:\n%s", kinds, firstDiff(incremental, rebuilt))
			}
			st, err := f.S.State(f.ctx)
			if err != nil || st.Behind() {
				t.Fatalf("state %+v, %v", st, err)
			}
		})
	}
}

// Several servers apply the feed at once while the registry is written,
// each reading its next batch ahead while the one before is applied: a
// batch read ahead from a place another server has since moved past is
// read again (its facts may be older than those that server applied, and
// the feed entries of the newer ones already pruned), so the rollups still
// equal a rebuild.
func TestConcurrentAppliersEqualRebuild(t *testing.T) {
	for _, seed := range []uint64{7, 8} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFixture(t)
			f.S.Batch = 7
			r := rand.New(rand.NewPCG(seed, 99))
			for step := 0; step < 20; step++ {
				f.randomWrite(r)
			}
			for round := 0; round < 4; round++ {
				errc := make(chan error, 3)
				for range 3 {
					go func() {
						var err error
						for i := 0; i < 4 && err == nil; i++ {
							_, err = f.S.Apply(f.ctx)
						}
						errc <- err
					}()
				}
				for step := 0; step < 15; step++ {
					f.randomWrite(r)
				}
				for range 3 {
					if err := <-errc; err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := f.S.Apply(f.ctx); err != nil {
				t.Fatal(err)
			}
			incremental := f.dump()
			if err := f.S.Rebuild(f.ctx, f.admin); err != nil {
				t.Fatal(err)
			}
			if rebuilt := f.dump(); incremental != rebuilt {
				t.Fatalf("concurrent appliers differ from a rebuild:\n%s", firstDiff(incremental, rebuilt))
			}
		})
	}
}

// A batch read ahead whose place another server has since applied past
// is not applied: its facts are older than those that server applied,
// and the feed entry of the newer ones is already pruned.
func TestStaleReadAheadIsNotApplied(t *testing.T) {
	f := newFixture(t)
	f.create(nil)
	id := f.ids[0]
	f.setFigures(id, stats("revenue", 2022, 100*wan))
	f.apply()
	st, err := f.S.State(f.ctx)
	if err != nil || st.Behind() {
		t.Fatalf("state %+v, %v", st, err)
	}
	f.setFigures(id, stats("revenue", 2022, 200*wan))
	pre := f.S.ReadAhead(f.ctx, st.Applied, 0)
	if pre == nil {
		t.Fatal("nothing read ahead")
	}
	f.setFigures(id, stats("revenue", 2022, 300*wan))
	f.apply() // another server
	if used, err := f.S.ApplyAhead(f.ctx, pre); err != nil || used {
		t.Fatalf("stale batch used %v (%v)", used, err)
	}
	f.apply()
	if sum, n := f.zoneRevenue(2022); sum != 300*wan || n != 1 {
		t.Fatalf("zone revenue %d from %d enterprises, want the newest 300 万元", sum, n)
	}
	// Read ahead from where the applier stands, a batch is used.
	f.setFigures(id, stats("revenue", 2022, 400*wan))
	if st, err = f.S.State(f.ctx); err != nil {
		t.Fatal(err)
	}
	if used, err := f.S.ApplyAhead(f.ctx, f.S.ReadAhead(f.ctx, st.Applied, 0)); err != nil || !used {
		t.Fatalf("current batch used %v (%v)", used, err)
	}
	if sum, _ := f.zoneRevenue(2022); sum != 400*wan {
		t.Fatalf("zone revenue %d, want 400 万元", sum)
	}
}

// Servers' clocks differ: one behind the server that last moved the
// applier's day must not move it back, or year 0 would count one day's
// certificates under another's date (the enterprises whose certificates
// turned between the two would keep the later day's).
func TestApplierDayNeverGoesBack(t *testing.T) {
	f := newFixture(t)
	f.create(nil)
	f.create(nil)
	if _, err := f.reg.AddTier(f.ctx, f.staff, f.ids[0], enterprise.Tier{Tier: "hnte", ValidFrom: "2023-11-21", ValidTo: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) { f.now = time.Date(2023, 11, d, 23, 59, 59, 0, db.CST) }
	day(20)
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	day(21)
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	// A write, then an apply by a server whose clock still says the 20th.
	if err := f.reg.SetFigures(f.ctx, f.staff, f.ids[1], []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: 5000, Source: enterprise.FromStaff}}); err != nil {
		t.Fatal(err)
	}
	day(20)
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	st, err := f.S.State(f.ctx)
	if err != nil || st.Day != "2023-11-21" || st.Behind() {
		t.Fatalf("state after an apply behind the day: %+v, %v", st, err)
	}
	incremental := f.dump()
	if !strings.Contains(incremental, `"hnte":1`) {
		t.Fatalf("the certificate current on the 21st is not counted:\n%s", incremental)
	}
	day(21)
	if err := f.S.Rebuild(f.ctx, f.admin); err != nil {
		t.Fatal(err)
	}
	if rebuilt := f.dump(); incremental != rebuilt {
		t.Fatalf("rollups differ from a rebuild on the 21st:\n%s", firstDiff(incremental, rebuilt))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n incremental %s\n rebuilt     %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(al), len(bl))
}
