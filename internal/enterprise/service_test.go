package enterprise_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
)

type fixture struct {
	svc   *enterprise.Service
	org   *org.Service
	ctx   context.Context
	areas map[string]int64
	dsn   string // for a second app server on the same database
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d, dsn := dbtest.OpenDSN(t)
	a := audit.New(d)
	o := org.New(d, a)
	o.Argon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	f := &fixture{svc: enterprise.New(d, a, o, enterprise.Options{}), org: o, areas: map[string]int64{}, dsn: dsn,
		ctx: audit.WithActor(context.Background(), audit.Actor{Name: "test"})}
	for _, u := range []org.Unit{{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}, {Code: "gz", NameZH: "沟赵办事处", Kind: "办事处"}} {
		got, err := o.CreateUnit(f.ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		f.areas[u.Code] = got.ID
	}
	return f
}

// with returns a second service on the fixture's connections, built with o.
func (f *fixture) with(o enterprise.Options) *enterprise.Service {
	return enterprise.New(f.svc.DB, f.svc.Audit, f.org, o)
}

// coldList is a service whose list pages are not memoised and whose
// filters choose their query shape at dense rows.
func (f *fixture) coldList(dense int) *enterprise.Service {
	return f.with(enterprise.Options{Lists: memo.Limits{Off: true}, DenseRows: dense})
}

var staff = enterprise.Viewer{UserID: 0, Role: org.Supervisor}

func (f *fixture) mustCreate(t *testing.T, in enterprise.Input) enterprise.Enterprise {
	t.Helper()
	e, err := f.svc.Create(f.ctx, staff, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return e
}

func TestCreateValidatesEveryField(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Create(f.ctx, staff, enterprise.Input{CreditCode: "91440300192203821O", Name: " ", RegisteredOn: "2999-01-01",
		IndustryCode: "9999", Chains: []string{"nope"}, Area: "xx", Status: "gone", CapitalFen: -1})
	e := errs.As(err)
	if e.Code != errs.Invalid {
		t.Fatalf("got %v", err)
	}
	fields := map[string]bool{}
	for _, d := range e.Details {
		fields[d.Field] = true
	}
	for _, want := range []string{"credit_code", "name", "registered_on", "industry_code", "chains", "area", "status", "registered_capital_fen"} {
		if !fields[want] {
			t.Errorf("no detail for %s in %+v", want, e.Details)
		}
	}
}

func TestCreateGetUpdateAndConflicts(t *testing.T) {
	f := newFixture(t)
	e := f.mustCreate(t, enterprise.Input{CreditCode: "９１４４０３００１９２２０３８２１６", Name: "演示企业甲", RegisteredOn: "2001/3/5",
		IndustryCode: "C3911", Chains: []string{"iot_sensor", "电子信息"}, Area: "sf", CapitalFen: 1_000_000_00})
	if e.CreditCode != "914403001922038216" || e.IndustryCode != "3911" || e.RegisteredOn != "2001-03-05" || len(e.Chains) != 2 || e.AreaCode != "sf" {
		t.Fatalf("created %+v", e)
	}
	if e.IndustryName != "计算机整机制造" { // the most specific name: 小类 3911
		t.Errorf("industry name %q", e.IndustryName)
	}
	if _, err := f.svc.Create(f.ctx, staff, enterprise.Input{CreditCode: "914403001922038216", Name: "重复"}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("duplicate code: %v", err)
	}
	in := enterprise.Input{CreditCode: e.CreditCode, Name: "演示企业甲（更名）", Area: "gz", Status: enterprise.MovedOut, Version: e.Version}
	u, err := f.svc.Update(f.ctx, staff, e.ID, in)
	if err != nil || u.Name != "演示企业甲（更名）" || u.AreaCode != "gz" || u.Version != 2 || len(u.Chains) != 2 {
		t.Fatalf("update: %+v %v", u, err)
	}
	if _, err := f.svc.Update(f.ctx, staff, e.ID, in); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("stale version: %v", err)
	}
	h, err := f.svc.History(f.ctx, staff, e.ID, 0, 10)
	if err != nil || len(h) != 2 || h[0].Action != "enterprise.update" || h[0].Before == "" || h[0].After == "" {
		t.Fatalf("history %+v %v", h, err)
	}
}

func TestFailedCheckNeedsAReason(t *testing.T) {
	f := newFixture(t)
	in := enterprise.Input{CreditCode: "91350100M000100Y4Z", Name: "登记代码校验不过的企业"}
	_, err := f.svc.Create(f.ctx, staff, in)
	if e := errs.As(err); e.Code != errs.Invalid || e.Details[0].Field != "credit_code" {
		t.Fatalf("without reason: %v", err)
	}
	in.CodeException = "登记机关核发的营业执照即为此代码（已核对原件）"
	e, err := f.svc.Create(f.ctx, staff, in)
	if err != nil || e.CodeException == "" {
		t.Fatalf("with reason: %+v %v", e, err)
	}
	// A bad character is never accepted, reason or not.
	in.CreditCode, in.Name = "9135010OM000100Y43", "另一家"
	if _, err := f.svc.Create(f.ctx, staff, in); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("bad char with reason: %v", err)
	}
}

func TestFiguresSourcesAndReview(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "乙", Area: "gz"})
	self := enterprise.Viewer{UserID: 0, Role: org.Enterprise, EnterpriseID: a.ID}
	other := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: b.ID}
	unitSF := enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}
	// The enterprise reports 120 万元; it is pending, and only it and staff see it.
	if err := f.svc.SetFigures(f.ctx, self, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 120_0000_00, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	figs, _ := f.svc.Figures(f.ctx, self, a.ID)
	if len(figs) != 1 || figs[0].Source != enterprise.FromSelf || figs[0].Status != enterprise.Pending || figs[0].Effective {
		t.Fatalf("self view %+v", figs)
	}
	if _, err := f.svc.Figures(f.ctx, other, a.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("other enterprise reads figures: %v", err)
	}
	if got, _ := f.svc.Figures(f.ctx, unitSF, a.ID); len(got) != 0 {
		t.Fatalf("unit sees pending figures: %+v", got)
	}
	if err := f.svc.SetFigures(f.ctx, other, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 1}}); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("other enterprise writes: %v", err)
	}
	if err := f.svc.Review(f.ctx, self, a.ID, "revenue", 2023, 0, true, ""); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("self-confirm: %v", err)
	}
	if err := f.svc.Review(f.ctx, staff, a.ID, "revenue", 2023, 0, true, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Figures(f.ctx, unitSF, a.ID); len(got) != 1 || !got[0].Effective {
		t.Fatalf("after confirm, unit view %+v", got)
	}
	// The statistics bureau's figure outranks the confirmed self-report.
	if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 118_0000_00, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	figs, _ = f.svc.Figures(f.ctx, staff, a.ID)
	for _, g := range figs {
		if g.Effective != (g.Source == enterprise.FromStats) {
			t.Errorf("effective %+v", g)
		}
	}
	min := int64(118_0000_00)
	p, err := f.svc.List(f.ctx, staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &min})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != a.ID {
		t.Fatalf("range filter %+v %v", p, err)
	}
	max := int64(119_0000_00)
	min = 118_5000_00
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &min, Max: &max}); len(p.Items) != 0 {
		t.Fatalf("range 118.5–119 万 matched the 118 万 stats value: %+v", p.Items)
	}
	// Negative employees are refused, naming the indicator.
	err = f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "employees", Year: 2023, Value: -3}})
	if e := errs.As(err); e.Code != errs.Invalid || e.Details[0].Field != "employees" {
		t.Fatalf("negative employees: %v", err)
	}
	// Each change is in the history with before and after.
	h, _ := f.svc.History(f.ctx, staff, a.ID, 0, 50)
	actions := map[string]int{}
	for _, r := range h {
		actions[r.Action]++
	}
	if actions["enterprise.figure.set"] != 2 || actions["enterprise.figure.confirm"] != 1 {
		t.Fatalf("history actions %v", actions)
	}
}

func TestListAccessAndFilters(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示传感有限公司", Area: "sf", Chains: []string{"iot"}, IndustryCode: "3911"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "郑州演示氢能有限公司", Area: "gz", Chains: []string{"hydrogen"}, Status: enterprise.Deregistered})
	if _, err := f.svc.AddTier(f.ctx, staff, b.ID, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR202341000001", ValidFrom: "2023-01-01", ValidTo: "2099-12-31"}); err != nil {
		t.Fatal(err)
	}
	for id, v := range map[int64]int64{a.ID: 500_0000_00, b.ID: 5000_0000_00} { // 500 and 5,000 万元
		if err := f.svc.SetFigures(f.ctx, staff, id, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: v, Source: enterprise.FromStats}}); err != nil {
			t.Fatal(err)
		}
	}
	lo, hi := int64(1000_0000_00), int64(9000_0000_00)
	cases := []struct {
		name string
		v    enterprise.Viewer
		f    enterprise.Filter
		want []int64
	}{
		{"all", staff, enterprise.Filter{}, []int64{a.ID, b.ID}},
		{"name", staff, enterprise.Filter{Name: "氢能"}, []int64{b.ID}},
		{"like wildcard is literal", staff, enterprise.Filter{Name: "%"}, nil},
		{"code prefix", staff, enterprise.Filter{CreditCode: "9144"}, []int64{a.ID}},
		{"area", staff, enterprise.Filter{Area: "gz"}, []int64{b.ID}},
		{"chain subtree", staff, enterprise.Filter{Chain: "dominant"}, []int64{a.ID}},
		{"tier", staff, enterprise.Filter{Tier: "hnte"}, []int64{b.ID}},
		{"status", staff, enterprise.Filter{Status: enterprise.Deregistered}, []int64{b.ID}},
		{"industry", staff, enterprise.Filter{Industry: "39"}, []int64{a.ID}},
		{"unit sees its area", enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}, enterprise.Filter{}, []int64{a.ID}},
		{"enterprise sees itself", enterprise.Viewer{Role: org.Enterprise, EnterpriseID: b.ID}, enterprise.Filter{}, []int64{b.ID}},
		{"page", staff, enterprise.Filter{Limit: 1, After: a.ID}, []int64{b.ID}},
		{"code prefix and chain", staff, enterprise.Filter{CreditCode: "91", Chain: "hydrogen"}, []int64{b.ID}},
		{"industry prefix", staff, enterprise.Filter{Industry: "C3"}, []int64{a.ID}},
		{"revenue range", staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &lo, Max: &hi}, []int64{b.ID}},
		{"revenue at least", staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &lo}, []int64{b.ID}},
		{"revenue another year", staff, enterprise.Filter{Indicator: "revenue", Year: 2022, Min: &lo}, nil},
		{"revenue and area", staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Max: &lo, Area: "sf"}, []int64{a.ID}},
	}
	for _, dense := range []int{1, 1 << 30} { // both query shapes on SQLite
		svc := f.coldList(dense) // each case runs its query
		for _, c := range cases {
			p, err := svc.List(f.ctx, c.v, c.f)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			var got []int64
			for _, e := range p.Items {
				got = append(got, e.ID)
			}
			if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) || (len(got) > 1 && got[1] != c.want[1]) {
				t.Errorf("%s (dense %d): got %v, want %v", c.name, dense, got, c.want)
			}
		}
	}
	// Probing per enterprise, SQLite reads each filter's table by a key
	// that starts with what the probe knows, never a whole table.
	if f.svc.DB.Dialect == db.SQLite {
		svc := f.coldList(1)
		for _, c := range cases {
			plan, err := svc.ExplainList(f.ctx, c.v, c.f)
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range plan[1:] {
				if strings.HasPrefix(step, "SCAN t") {
					t.Errorf("%s: %s\n%s", c.name, step, strings.Join(plan, "\n"))
				}
			}
		}
	}
	if _, err := f.svc.List(f.ctx, enterprise.Viewer{Role: org.Reviewer}, enterprise.Filter{}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("reviewer list: %v", err)
	}
	if _, err := f.svc.Get(f.ctx, enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}, b.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unit reads another area: %v", err)
	}
}

func TestTiersExpiry(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲"})
	today := enterprise.Today()
	soon, err := f.svc.AddTier(f.ctx, staff, a.ID, enterprise.Tier{Tier: "tsme", ValidFrom: "2020-01-01", ValidTo: today})
	if err != nil || !soon.Expiring || !soon.Current {
		t.Fatalf("ending today: %+v %v", soon, err)
	}
	old, _ := f.svc.AddTier(f.ctx, staff, a.ID, enterprise.Tier{Tier: "hnte", ValidFrom: "2015-01-01", ValidTo: "2017-12-31"})
	if old.Current || old.Expiring {
		t.Fatalf("expired: %+v", old)
	}
	if _, err := f.svc.AddTier(f.ctx, staff, a.ID, enterprise.Tier{Tier: "listed"}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("listed without code: %v", err)
	}
	exp, _ := f.svc.Expiring(f.ctx, staff, 10)
	if len(exp) != 1 || exp[0].ID != soon.ID {
		t.Fatalf("expiring %+v", exp)
	}
	all, _ := f.svc.TiersOf(f.ctx, staff, a.ID)
	if len(all) != 2 {
		t.Fatalf("history of tiers %+v", all)
	}
}

// Every value stays tied to a registered enterprise, a known indicator and
// a real user: the service refuses writes naming anything else with a
// clear error (before the foreign keys, checked at commit, would), and
// after imports, submissions and reviews no value is orphaned.
func TestFiguresNeverOrphaned(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf", Chains: []string{"iot_sensor"}})
	// A monthly value set twice: the second recomputation replaces the
	// month's effective value (its key names every month it may hold).
	for _, v := range []int64{7, 9} {
		if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Month: 3, Value: v}}); err != nil {
			t.Fatal(err)
		}
	}
	var march int64
	if err := f.svc.DB.R.QueryRowContext(f.ctx, "SELECT value FROM enterprise_figure_current WHERE enterprise_id = $1 AND year = 2022 AND month = 3", a.ID).Scan(&march); err != nil || march != 9 {
		t.Fatalf("March 2022 effective value %d (%v)", march, err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, a.ID+1000, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 1}}); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("figures for an unregistered enterprise: %v", err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "no_such_indicator", Year: 2023, Value: 1}}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("figures of an unknown indicator: %v", err)
	}
	self := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: a.ID}
	if err := f.svc.SetFigures(f.ctx, self, a.ID, []enterprise.FigureInput{{Indicator: "employees", Year: 2023, Value: 12}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Review(f.ctx, staff, a.ID, "employees", 2023, 0, true, ""); err != nil {
		t.Fatal(err)
	}
	data := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称", "所属办事处", "产业链", "年度", "营业收入（万元）", "从业人员（人）"},
		{a.CreditCode, "甲", "sf", "", "2023", "15", "14"}, {"91330100716105852F", "乙", "gz", "hydrogen", "2023", "20", "3"}})
	if res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "o.xlsx"}); err != nil || !res.Written {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM enterprise_figures f WHERE NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = f.enterprise_id)`,
		`SELECT COUNT(*) FROM enterprise_figures f WHERE NOT EXISTS (SELECT 1 FROM figure_indicators i WHERE i.code = f.indicator)`,
		`SELECT COUNT(*) FROM enterprise_figures f WHERE f.entered_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = f.entered_by)`,
		`SELECT COUNT(*) FROM enterprise_figure_current c WHERE NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = c.enterprise_id)`,
		`SELECT COUNT(*) FROM enterprise_figure_current c WHERE NOT EXISTS (SELECT 1 FROM figure_indicators i WHERE i.code = c.indicator)`,
		`SELECT COUNT(*) FROM enterprise_chains c WHERE NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = c.enterprise_id)`,
		`SELECT COUNT(*) FROM enterprise_history h WHERE NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = h.enterprise_id)`,
		`SELECT COUNT(*) FROM enterprise_chains c WHERE NOT EXISTS (SELECT 1 FROM chain_nodes n WHERE n.id = c.node_id)`,
		`SELECT COUNT(*) FROM enterprises e WHERE e.area_unit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = e.area_unit_id)`,
	} {
		var n int
		if err := f.svc.DB.R.QueryRowContext(f.ctx, q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d (%v)", q, n, err)
		}
	}
	// The values the detail marks effective are the stored effective values.
	figs, err := f.svc.Figures(f.ctx, staff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var marked []string
	for _, g := range figs {
		if g.Effective {
			marked = append(marked, fmt.Sprintf("%s/%d/%s/%d", g.Indicator, g.Year, g.Source, g.Value))
		}
	}
	var stored []string
	rows, err := f.svc.DB.R.QueryContext(f.ctx, "SELECT indicator, year, source, value FROM enterprise_figure_current WHERE enterprise_id = $1", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ind, src string
		var y int
		var v int64
		rows.Scan(&ind, &y, &src, &v)
		stored = append(stored, fmt.Sprintf("%s/%d/%s/%d", ind, y, src, v))
	}
	rows.Close()
	slices.Sort(marked)
	slices.Sort(stored)
	if !slices.Equal(marked, stored) || len(stored) != 3 {
		t.Fatalf("effective in the detail %v, stored %v", marked, stored)
	}
	var values int
	f.svc.DB.R.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM enterprise_figures").Scan(&values)
	if values != 6 { // March revenue (staff), employees (self) + revenue, employees (stats) for 甲 + two for 乙
		t.Fatalf("%d values stored", values)
	}
	// The enterprise the import created has its two values as effective
	// ones, nothing more.
	var got []string
	rows, err = f.svc.DB.R.QueryContext(f.ctx, `SELECT c.indicator, c.year, c.month, c.source, c.value FROM enterprise_figure_current c
		JOIN enterprises e ON e.id = c.enterprise_id WHERE e.credit_code = '91330100716105852F' ORDER BY c.indicator`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ind, src string
		var y, m int
		var v int64
		rows.Scan(&ind, &y, &m, &src, &v)
		got = append(got, fmt.Sprintf("%s/%d/%d/%s/%d", ind, y, m, src, v))
	}
	rows.Close()
	if want := []string{"employees/2023/0/stats/3", "revenue/2023/0/stats/20000000"}; !slices.Equal(got, want) {
		t.Fatalf("the new enterprise's effective values %v, want %v", got, want)
	}
}

// An import's values become effective as their source ranks: statistics
// over any other source, tax under statistics already stored; the
// effective values are what the detail marks effective, each time.
func TestImportEffectiveValuesFollowSourceRank(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "乙", Area: "gz"})
	if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 10_0000_00, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, b.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 20_0000_00, Source: enterprise.FromStaff}}); err != nil {
		t.Fatal(err)
	}
	effective := func(id int64) string {
		t.Helper()
		var src string
		var v int64
		if err := f.svc.DB.R.QueryRowContext(f.ctx, "SELECT source, value FROM enterprise_figure_current WHERE enterprise_id = $1 AND indicator = 'revenue' AND year = 2023 AND month = 0", id).Scan(&src, &v); err != nil {
			t.Fatal(err)
		}
		figs, err := f.svc.Figures(f.ctx, staff, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range figs {
			if g.Effective && g.Indicator == "revenue" && g.Year == 2023 && (string(g.Source) != src || g.Value != v) {
				t.Fatalf("enterprise %d: the detail marks %s/%d effective, stored %s/%d", id, g.Source, g.Value, src, v)
			}
		}
		return fmt.Sprintf("%s/%d", src, v/1000000)
	}
	file := func(ra, rb string) []byte {
		return xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（万元）"},
			{a.CreditCode, "甲", "2023", ra}, {b.CreditCode, "乙", "2023", rb}})
	}
	for _, step := range []struct {
		src    enterprise.Source
		ra, rb string
		want   string
	}{
		{enterprise.FromTax, "11", "21", "stats/10 tax/21"},     // tax under stats, over staff
		{enterprise.FromStats, "12", "22", "stats/12 stats/22"}, // statistics over everything
		{enterprise.FromTax, "13", "23", "stats/12 stats/22"},   // tax changes nothing that counts
	} {
		res, err := f.svc.Import(f.ctx, staff, file(step.ra, step.rb), enterprise.ImportOptions{Filename: "r.xlsx", Source: step.src})
		if err != nil || !res.Written {
			t.Fatalf("%s import: %v %+v", step.src, err, res.Errors)
		}
		if got := effective(a.ID) + " " + effective(b.ID); got != step.want {
			t.Fatalf("after the %s import: effective %s, want %s", step.src, got, step.want)
		}
	}
}
