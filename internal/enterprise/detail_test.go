package enterprise_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Detail reads in one query what Get and TiersOf read in three, and the
// figures as Figures does: the same enterprise (chains in order, former
// names), the same certificates (newest first, ties by id, current and
// ending soon marked), the same values with who entered them (more users
// than one name lookup takes), for every viewer that may read it; and it
// answers NotFound or Forbidden exactly as Get does. DetailWithHistory
// adds the changes History returns (a unit without the unpublished ones).
func TestDetailReadsWhatGetTiersAndFiguresRead(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf", FormerNames: []string{"甲旧名", "甲更旧"},
		Chains: []string{"iot_sensor", "电子信息", "iot"}, IndustryCode: "C3911", CapitalFen: 12_345_00, Address: "<街>"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "乙", Area: "gz"})
	today := enterprise.Today()
	for _, tr := range []enterprise.Tier{
		{Tier: "hnte", Level: "national", CertNo: "GR1", ValidFrom: "2020-01-01", ValidTo: "2022-12-31"},
		{Tier: "tsme", CertNo: "T1", ValidFrom: "2023-01-01"},
		{Tier: "gazelle", Level: "municipal", CertNo: "G1", ValidFrom: "2023-01-01", ValidTo: today},
		{Tier: "listed", Board: "科创板", StockCode: "688001", ValidFrom: "2021-06-01", Note: "备注"},
		{Tier: "srdi"},
	} {
		if _, err := f.svc.AddTier(f.ctx, staff, a.ID, tr); err != nil {
			t.Fatal(err)
		}
	}
	// Ten staff accounts each enter a value: more than one lookup names.
	inds := []string{"revenue", "employees"}
	for i := range 10 {
		u, err := f.org.CreateUser(f.ctx, org.NewUser{Username: "staff" + strconv.Itoa(i), Role: org.Supervisor, Password: "correct-horse-battery"})
		if err != nil {
			t.Fatal(err)
		}
		ctx := audit.WithActor(context.Background(), audit.Actor{ID: u.ID, Name: u.Username})
		src := []enterprise.Source{enterprise.FromStats, enterprise.FromTax, enterprise.FromStaff}[i%3]
		if err := f.svc.SetFigures(ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: inds[i%2], Year: 2020 + i/2, Value: int64(100 + i), Source: src}}); err != nil {
			t.Fatal(err)
		}
	}
	self := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: a.ID}
	if err := f.svc.SetFigures(f.ctx, self, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2020, Value: 99}, {Indicator: "revenue", Year: 2024, Value: 7}}); err != nil {
		t.Fatal(err)
	}
	viewers := map[string]enterprise.Viewer{
		"staff": staff, "self": self, "unit": {Role: org.UnitStaff, UnitID: f.areas["sf"]},
		"leader": {Role: org.Leader},
	}
	for name, v := range viewers {
		e, tiers, figs, err := f.svc.Detail(f.ctx, v, a.ID)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantE, err := f.svc.Get(f.ctx, v, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantT, _ := f.svc.TiersOf(f.ctx, v, a.ID)
		wantF, _ := f.svc.Figures(f.ctx, v, a.ID)
		for _, limit := range []int{0, 3, 50, 501} {
			d, err := f.svc.DetailWithHistory(f.ctx, v, a.ID, limit)
			wantH, herr := f.svc.History(f.ctx, v, a.ID, 0, limit)
			wantI, ierr := f.svc.Indicators(f.ctx)
			if err != nil || herr != nil || ierr != nil || !reflect.DeepEqual(d.History, wantH) || !reflect.DeepEqual(d.Enterprise, e) ||
				!reflect.DeepEqual(d.Tiers, tiers) || !reflect.DeepEqual(d.Figures, figs) || !reflect.DeepEqual(d.Indicators, wantI) || len(wantI) == 0 {
				t.Errorf("%s: with history (limit %d): %v %v %v\n got %+v\nwant %+v", name, limit, err, herr, ierr, d.History, wantH)
			}
			if limit == 3 && name == "staff" && len(d.History) != 3 {
				t.Errorf("%s: %d changes at limit 3", name, len(d.History))
			}
		}
		if !reflect.DeepEqual(e, wantE) {
			t.Errorf("%s: enterprise\n got %+v\nwant %+v", name, e, wantE)
		}
		if !reflect.DeepEqual(tiers, wantT) || len(tiers) != 5 {
			t.Errorf("%s: tiers\n got %+v\nwant %+v", name, tiers, wantT)
		}
		if !reflect.DeepEqual(figs, wantF) {
			t.Errorf("%s: figures\n got %+v\nwant %+v", name, figs, wantF)
		}
		if len(e.Chains) != 3 || len(e.FormerNames) != 2 {
			t.Errorf("%s: chains %+v former %v", name, e.Chains, e.FormerNames)
		}
		named := 0
		for _, g := range figs {
			if g.EnteredBy != 0 && g.EnteredByName == "staff"+strconv.FormatInt(g.Value-100, 10) {
				named++
			}
		}
		if named != 10 {
			t.Errorf("%s: %d of 10 values name who entered them: %+v", name, named, figs)
		}
	}
	// Effective: per period the confirmed value of the best source; a unit
	// sees no pending value.
	_, _, figs, _ := f.svc.Detail(f.ctx, staff, a.ID)
	eff := map[string]int64{}
	for _, g := range figs {
		if g.Effective {
			k := g.Indicator + strconv.Itoa(g.Year)
			if _, dup := eff[k]; dup {
				t.Errorf("two effective values for %s", k)
			}
			eff[k] = g.Value
		}
	}
	if eff["revenue2020"] != 100 || len(eff) != 10 {
		t.Errorf("effective values %v", eff)
	}
	_, _, figs, _ = f.svc.Detail(f.ctx, viewers["unit"], a.ID)
	for _, g := range figs {
		if g.Status != enterprise.Confirmed {
			t.Errorf("unit sees %+v", g)
		}
	}
	// Who may not read it gets what Get answers.
	for name, c := range map[string]struct {
		v    enterprise.Viewer
		id   int64
		code errs.Code
	}{
		"other area":       {enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["gz"]}, a.ID, errs.NotFound},
		"other enterprise": {enterprise.Viewer{Role: org.Enterprise, EnterpriseID: b.ID}, a.ID, errs.NotFound},
		"missing":          {staff, b.ID + 1000, errs.NotFound},
		"no access":        {enterprise.Viewer{Role: org.Reviewer}, a.ID, errs.Forbidden},
	} {
		e, tiers, figs, err := f.svc.Detail(f.ctx, c.v, c.id)
		if errs.CodeOf(err) != c.code || e.ID != 0 || tiers != nil || figs != nil {
			t.Errorf("%s: %v %+v %v %v", name, err, e, tiers, figs)
		}
		d, err := f.svc.DetailWithHistory(f.ctx, c.v, c.id, 50)
		if errs.CodeOf(err) != c.code || !reflect.DeepEqual(d, enterprise.DetailView{}) {
			t.Errorf("%s: with history: %v %+v", name, err, d)
		}
		if _, gerr := f.svc.Get(f.ctx, c.v, c.id); errs.CodeOf(gerr) != c.code {
			t.Errorf("%s: Get answers %v", name, gerr)
		}
	}
}

// The indicators the detail page gets are memoised under the data version
// read with the enterprise: a change to them shows on the next page.
func TestDetailIndicatorsFollowTheDataVersion(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
	d, err := f.svc.DetailWithHistory(f.ctx, staff, a.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	ind := d.Indicators[0]
	ind.NameEN = "Renamed " + ind.NameEN
	if _, err := f.svc.SaveIndicator(f.ctx, staff, ind); err != nil {
		t.Fatal(err)
	}
	d, err = f.svc.DetailWithHistory(f.ctx, staff, a.ID, 50)
	if err != nil || d.Indicators[0].NameEN != ind.NameEN {
		t.Fatalf("after renaming, the detail's indicator is %+v (%v)", d.Indicators[0], err)
	}
}
