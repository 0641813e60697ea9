package enterprise_test

import (
	"database/sql"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// The power company and the IP office rank after tax and before staff:
// the value that counts (the registry's effective value, Facts and the
// figures' view alike) follows that order, and staff may enter and import
// from them; an unknown source is refused.
func TestPowerAndIPRSourcesRankBetweenTaxAndStaff(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
	set := func(src enterprise.Source, v int64) {
		t.Helper()
		if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "energy", Year: 2022, Value: v, Source: src}}); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() (enterprise.Source, int64) {
		t.Helper()
		facts, err := f.svc.Facts(f.ctx, nil, []int64{a.ID})
		if err != nil || len(facts) != 1 {
			t.Fatal(facts, err)
		}
		figs, err := f.svc.Figures(f.ctx, staff, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range figs {
			if g.Effective {
				if facts[0].Years[2022]["energy"] != g.Value {
					t.Fatalf("Facts %d, effective %+v", facts[0].Years[2022]["energy"], g)
				}
				return g.Source, g.Value
			}
		}
		return "", 0
	}
	set(enterprise.FromStaff, 500)
	set(enterprise.FromIPR, 400)
	if src, v := counts(); src != enterprise.FromIPR || v != 400 {
		t.Fatalf("ipr over staff: %s %d", src, v)
	}
	set(enterprise.FromPower, 300)
	if src, v := counts(); src != enterprise.FromPower || v != 300 {
		t.Fatalf("power over ipr: %s %d", src, v)
	}
	set(enterprise.FromTax, 200)
	if src, v := counts(); src != enterprise.FromTax || v != 200 {
		t.Fatalf("tax over power: %s %d", src, v)
	}
	if got := []int{enterprise.FromStats.Rank(), enterprise.FromTax.Rank(), enterprise.FromPower.Rank(), enterprise.FromIPR.Rank(),
		enterprise.FromStaff.Rank(), enterprise.FromSelf.Rank()}; got[0] != 1 || got[2] != 3 || got[3] != 4 || got[4] != 5 || got[5] != 6 {
		t.Fatalf("ranks %v", got)
	}
	if zh, _ := enterprise.FromPower.Label(); zh != "供电公司" {
		t.Fatalf("power label %s", zh)
	}
	err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "energy", Year: 2022, Value: 1, Source: "bank"}})
	if e := errs.As(err); e.Code != errs.Invalid || e.Details[0].Field != "source" {
		t.Fatalf("unknown source: %v", err)
	}
	if _, err := f.svc.StartImport(f.ctx, staff, []byte("x"), enterprise.ImportOptions{Filename: "x.csv", Source: enterprise.FromSelf}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("an import as self-reported: %v", err)
	}
	csv := []byte("统一社会信用代码,企业名称,年度,综合能耗（吨标准煤）\n914403001922038216,甲,2021,12.5\n")
	res, err := f.svc.Import(f.ctx, staff, csv, enterprise.ImportOptions{Filename: "power.csv", Source: enterprise.FromPower})
	if err != nil || !res.Written {
		t.Fatalf("power import: %v %+v", err, res.Errors)
	}
	last, err := f.svc.LastImports(f.ctx)
	if err != nil || last[enterprise.FromPower].File != "power.csv" || last[enterprise.FromPower].Rows != 1 {
		t.Fatalf("last imports %+v %v", last, err)
	}
	vals, err := f.svc.SourceValues(f.ctx, nil, []int64{a.ID})
	if err != nil {
		t.Fatal(err)
	}
	// 2021 from the import, then 2022 by rank: tax, power, ipr, staff.
	if len(vals) != 5 || vals[0].Year != 2021 || vals[0].Source != enterprise.FromPower || vals[1].Source != enterprise.FromTax || vals[4].Source != enterprise.FromStaff {
		t.Fatalf("source values %+v", vals)
	}

	// Keeping the power company's value rejects the others, audited.
	err = f.svc.DB.Tx(f.ctx, func(tx *sql.Tx) error {
		if _, err := f.svc.KeepSource(f.ctx, tx, enterprise.Viewer{Role: org.Leader}, a.ID, "energy", 2022, enterprise.FromPower, "电表读数为准"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a leader kept a source: %v", err)
		}
		got, err := f.svc.KeepSource(f.ctx, tx, staff, a.ID, "energy", 2022, enterprise.FromPower, "电表读数为准")
		if err == nil && len(got) != 3 {
			t.Errorf("rejected %+v", got)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if src, v := counts(); src != enterprise.FromPower || v != 300 {
		t.Fatalf("after keeping power: %s %d", src, v)
	}
	figs, err := f.svc.Figures(f.ctx, staff, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range figs {
		if g.Year == 2022 && g.Source != enterprise.FromPower && (g.Status != enterprise.Rejected || g.Reason != "电表读数为准") {
			t.Errorf("set aside without its reason: %+v", g)
		}
	}
	h, _ := f.svc.History(f.ctx, staff, a.ID, 0, 50)
	rejects := 0
	for _, r := range h {
		if r.Action == "enterprise.figure.reject" {
			rejects++
		}
	}
	if rejects != 3 {
		t.Fatalf("%d rejections in the history", rejects)
	}
}
