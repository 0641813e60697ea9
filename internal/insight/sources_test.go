package insight_test

import (
	"encoding/json"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

func (f *fixture) setFigures(id int64, in ...enterprise.FigureInput) {
	f.t.Helper()
	if err := f.reg.SetFigures(f.ctx, f.staff, id, in); err != nil {
		f.fail(err)
	}
}

// zoneRevenue reads the rollups' zone total of revenue in year: the sum
// and how many enterprises have one.
func (f *fixture) zoneRevenue(year int) (sum, n int64) {
	f.t.Helper()
	c, err := f.S.Sources(f.ctx, f.admin, year)
	if err != nil {
		f.fail(err)
	}
	for _, s := range c.Sources {
		for _, i := range s.Indicators {
			if i.Code == "revenue" {
				n = i.Effective
			}
		}
	}
	rows, err := f.DB.R.QueryContext(f.ctx, "SELECT body FROM insight_cells WHERE year = $1 AND dims = 'area'", year)
	if err != nil {
		f.fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			f.fail(err)
		}
		var s struct {
			Sum map[string]int64 `json:"s"`
		}
		if err := jsonUnmarshal(body, &s); err != nil {
			f.fail(err)
		}
		sum += s.Sum["revenue"]
	}
	return sum, n
}

func stats(ind string, year int, v int64) enterprise.FigureInput {
	return enterprise.FigureInput{Indicator: ind, Year: year, Value: v, Source: enterprise.FromStats}
}

func tax(ind string, year int, v int64) enterprise.FigureInput {
	return enterprise.FigureInput{Indicator: ind, Year: year, Value: v, Source: enterprise.FromTax}
}

// Statistics and tax disagreeing on an enterprise's revenue by 25 % raise
// a conflict when the rollups apply; by 4 % they do not. Settling keeps
// one source's value, rejects the other's in the registry, and the value
// that counts and the rollups follow.
func TestSourcesDisagreeingRaiseAConflictStaffSettle(t *testing.T) {
	f := newFixture(t)
	for range 4 {
		f.create(nil)
	}
	a, b, d := f.ids[0], f.ids[1], f.ids[3]
	f.setFigures(a, stats("revenue", 2022, 100*wan), tax("revenue", 2022, 125*wan))
	f.setFigures(b, stats("revenue", 2022, 100*wan), tax("revenue", 2022, 104*wan))
	f.setFigures(d, stats("revenue", 2022, 200*wan), tax("revenue", 2022, 150*wan))
	f.apply()

	open, err := f.S.Conflicts(f.ctx, f.admin, "", 100)
	if err != nil {
		f.fail(err)
	}
	if len(open) != 2 {
		t.Fatalf("want the conflicts of enterprises %d and %d, got %+v", a, d, open)
	}
	// The widest first: 150 against 200 is 25 %, 125 against 100 is 25 %;
	// ties go by enterprise.
	c := open[0]
	if c.EnterpriseID != a || c.Indicator != "revenue" || c.Year != 2022 || c.Spread != 2500 || c.State != insight.ConflictOpen ||
		len(c.Values) != 2 || c.Values[0].Source != "stats" || c.Values[0].Value != 100*wan || c.Values[1].Source != "tax" || c.Values[1].Value != 125*wan {
		t.Fatalf("conflict of %d: %+v", a, c)
	}
	if c.Values[1].Text != "125.00 万元" || c.SpreadText() != "25.0%" {
		t.Fatalf("conflict texts: %q %q", c.Values[1].Text, c.SpreadText())
	}
	if open[1].EnterpriseID != d || open[1].Spread != 2500 {
		t.Fatalf("conflict of %d: %+v", d, open[1])
	}
	sum, n := f.zoneRevenue(2022)
	if sum != 400*wan || n != 3 {
		t.Fatalf("rollups before settling: revenue %d over %d enterprises, want %d over 3", sum, n, 400*wan)
	}

	// Who may read and settle.
	for _, v := range []insight.Viewer{f.areaViewer(f.areas[0]), {Role: org.Enterprise, EnterpriseID: a}, {}} {
		if _, err := f.S.Conflicts(f.ctx, v, "", 100); errs.As(err).Code != errs.Forbidden {
			t.Fatalf("%+v read the conflicts: %v", v, err)
		}
		if _, err := f.S.Sources(f.ctx, v, 0); errs.As(err).Code != errs.Forbidden {
			t.Fatalf("%+v read the catalogue: %v", v, err)
		}
	}
	if got, err := f.S.Conflicts(f.ctx, insight.Viewer{Role: org.UnitStaff, UnitID: 99}, "", 100); err != nil || len(got) != 2 {
		t.Fatalf("a zone-wide unit reads the conflicts: %d, %v", len(got), err)
	}
	settle := insight.SettleRequest{EnterpriseID: a, Indicator: "revenue", Year: 2022, Keep: "stats", Note: "以统计局年报为准，税务口径含代开发票"}
	for _, v := range []insight.Viewer{{Role: org.Leader}, {Role: org.UnitStaff, UnitID: 99}} {
		if _, err := f.S.Settle(f.ctx, v, settle); errs.As(err).Code != errs.Forbidden {
			t.Fatalf("%+v settled: %v", v, err)
		}
	}
	if _, err := f.S.Settle(f.ctx, f.admin, insight.SettleRequest{EnterpriseID: a, Indicator: "revenue", Year: 2022, Keep: "power", Note: "x"}); errs.As(err).Code != errs.Invalid {
		t.Fatalf("kept a source not in the conflict: %v", err)
	}

	sup := insight.Viewer{UserID: 0, Role: org.Supervisor}
	got, err := f.S.Settle(f.ctx, sup, settle)
	if err != nil {
		f.fail(err)
	}
	if got.State != insight.ConflictSettled || got.Kept != "stats" || got.Note != settle.Note {
		t.Fatalf("settled: %+v", got)
	}
	figs, err := f.reg.Figures(f.ctx, f.staff, a)
	if err != nil {
		f.fail(err)
	}
	for _, fg := range figs {
		switch fg.Source {
		case enterprise.FromTax:
			if fg.Status != enterprise.Rejected || fg.Effective {
				t.Fatalf("tax figure after settling for stats: %+v", fg)
			}
		case enterprise.FromStats:
			if fg.Status != enterprise.Confirmed || !fg.Effective || fg.Value != 100*wan {
				t.Fatalf("stats figure after settling for stats: %+v", fg)
			}
		}
	}
	if _, err := f.S.Settle(f.ctx, sup, settle); errs.As(err).Code != errs.Conflict {
		t.Fatalf("settled twice: %v", err)
	}

	// Settling d for tax moves the value that counts from 200 to 150.
	if _, err := f.S.Settle(f.ctx, sup, insight.SettleRequest{EnterpriseID: d, Indicator: "revenue", Year: 2022, Keep: "tax", Note: "统计局数据录入有误，以税务申报为准"}); err != nil {
		f.fail(err)
	}
	sum, n = f.zoneRevenue(2022)
	if sum != 350*wan || n != 3 {
		t.Fatalf("rollups after settling: revenue %d over %d enterprises, want %d over 3", sum, n, 350*wan)
	}
	if open, err = f.S.Conflicts(f.ctx, f.admin, "", 100); err != nil || len(open) != 0 {
		t.Fatalf("open conflicts after settling: %+v %v", open, err)
	}
	settled, err := f.S.Conflicts(f.ctx, f.admin, insight.ConflictSettled, 100)
	if err != nil || len(settled) != 2 {
		t.Fatalf("settled conflicts: %+v %v", settled, err)
	}

	// The settled conflicts are history a rebuild keeps; a new figure that
	// disagrees again opens it again with the new values.
	if err := f.S.Rebuild(f.ctx, f.admin); err != nil {
		f.fail(err)
	}
	if settled, err = f.S.Conflicts(f.ctx, f.admin, insight.ConflictSettled, 100); err != nil || len(settled) != 2 {
		t.Fatalf("settled conflicts after a rebuild: %+v %v", settled, err)
	}
	f.setFigures(a, tax("revenue", 2022, 85*wan))
	f.apply()
	if open, err = f.S.Conflicts(f.ctx, f.admin, "", 100); err != nil || len(open) != 1 || open[0].EnterpriseID != a || open[0].Spread != 1500 ||
		open[0].Values[1].Value != 85*wan || open[0].Kept != "stats" {
		t.Fatalf("conflict opened again: %+v %v", open, err)
	}
}

// A share staff raise above the spread settles nothing but lists no
// conflict; lowered again, the conflict is back.
func TestConflictShareIsStaffs(t *testing.T) {
	f := newFixture(t)
	f.create(nil)
	id := f.ids[0]
	f.setFigures(id, stats("revenue", 2022, 100*wan), tax("revenue", 2022, 112*wan))
	f.apply()
	count := func() int {
		l, err := f.S.Conflicts(f.ctx, f.admin, "", 100)
		if err != nil {
			f.fail(err)
		}
		return len(l)
	}
	if count() != 1 {
		t.Fatal("12 % over a 10 % share is no conflict")
	}
	if err := f.S.SetConflictPercent(f.ctx, insight.Viewer{Role: org.Leader}, 20); errs.As(err).Code != errs.Forbidden {
		t.Fatalf("a leader set the share: %v", err)
	}
	if err := f.S.SetConflictPercent(f.ctx, f.admin, 0); errs.As(err).Code != errs.Invalid {
		t.Fatalf("share 0: %v", err)
	}
	if err := f.S.SetConflictPercent(f.ctx, f.admin, 15); err != nil {
		f.fail(err)
	}
	if count() != 0 {
		t.Fatal("12 % under a 15 % share is a conflict")
	}
	if err := f.S.SetConflictPercent(f.ctx, f.admin, 5); err != nil {
		f.fail(err)
	}
	if count() != 1 {
		t.Fatal("12 % over a 5 % share is no conflict")
	}
}

// The catalogue names each source's last import and the indicators it
// reports, with coverage from the rollups: the share of operating
// enterprises with a value that counts in the year.
func TestCatalogueLastImportAndCoverage(t *testing.T) {
	f := newFixture(t)
	for range 4 {
		f.create(nil)
	}
	f.setFigures(f.ids[0], stats("revenue", 2022, 100*wan))
	f.setFigures(f.ids[1], stats("revenue", 2022, 80*wan), stats("employees", 2022, 40))
	e, err := f.reg.Get(f.ctx, f.staff, f.ids[2])
	if err != nil {
		f.fail(err)
	}
	rows := [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（元）", "税收（元）"}, {f.codes[2], e.Name, 2022.0, 500000.0, 30000.0}}
	if res, err := f.reg.Import(f.ctx, f.staff, workbook(t, rows), enterprise.ImportOptions{Filename: "税务2022.xlsx", Source: enterprise.FromTax}); err != nil || !res.Written {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if _, err := f.reg.AddTier(f.ctx, f.staff, f.ids[0], enterprise.Tier{Tier: "hnte", ValidFrom: "2022-01-01", ValidTo: "2024-12-31"}); err != nil {
		f.fail(err)
	}
	f.apply()
	c, err := f.S.Sources(f.ctx, insight.Viewer{Role: org.UnitStaff, UnitID: 99}, 0)
	if err != nil {
		f.fail(err)
	}
	if c.Year != 2022 || c.Operating != 4 || c.ConflictPercent != 10 || len(c.Sources) != 7 {
		t.Fatalf("catalogue: year %d, %d operating, share %d, %d sources", c.Year, c.Operating, c.ConflictPercent, len(c.Sources))
	}
	by := map[string]insight.SourceInfo{}
	for _, s := range c.Sources {
		by[s.Code] = s
	}
	tx := by["tax"]
	if tx.LastImport == nil || tx.LastImport.File != "税务2022.xlsx" || tx.LastImport.Rows != 1 || tx.Stale || tx.AgeDays != 0 || tx.StaleDays != 400 {
		t.Fatalf("tax source: %+v %+v", tx, tx.LastImport)
	}
	if len(tx.Reports) != 2 || tx.Reports[0] != "revenue" || tx.Reports[1] != "taxes" {
		t.Fatalf("tax reports %v", tx.Reports)
	}
	cov := map[string]insight.Coverage{}
	for _, i := range tx.Indicators {
		cov[i.Code] = i
	}
	// Revenue: one enterprise from tax (1/4), three that count (3/4).
	if r := cov["revenue"]; r.FromSource != 1 || r.SourceShare != 2500 || r.Effective != 3 || r.Coverage != 7500 {
		t.Fatalf("tax revenue coverage %+v", r)
	}
	if r := cov["taxes"]; r.FromSource != 1 || r.Coverage != 2500 {
		t.Fatalf("tax taxes coverage %+v", r)
	}
	st := by["stats"]
	if st.LastImport != nil || !st.Stale || st.AgeDays != -1 || len(st.Reports) != 2 {
		t.Fatalf("stats source with no import: %+v", st)
	}
	if emp := st.Indicators[1]; emp.Code != "employees" || emp.Coverage != 2500 {
		t.Fatalf("stats employees %+v", st.Indicators)
	}
	if p := by["power"]; p.NameZH != "供电公司" || p.Rank != 3 || len(p.Reports) != 0 || !p.Stale {
		t.Fatalf("power source %+v", p)
	}
	if s := by["self"]; s.Stale || s.StaleDays != 0 {
		t.Fatalf("self-reported %+v", s)
	}
	cert := by["cert"]
	if cert.LastAt == 0 || len(cert.Indicators) != 1 || cert.Indicators[0].Code != "hnte" || cert.Indicators[0].Coverage != 2500 {
		t.Fatalf("certificates %+v", cert)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
