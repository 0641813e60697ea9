package enterprise_test

import (
	"slices"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// TestReadsForOtherModules checks what awards ask of the registry: briefs,
// unexpired tiers, chain codes with ancestors, effective figures by source
// precedence, and flags.
func TestReadsForOtherModules(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", RegisteredOn: "2001-03-05", Chains: []string{"iot_sensor"}})
	b := f.mustCreate(t, enterprise.Input{CreditCode: "9144030071526726XG", Name: "乙", Status: enterprise.MovedOut})
	c := f.mustCreate(t, enterprise.Input{CreditCode: "91330100716105852F", Name: "丙"})

	ops, err := f.svc.OperatingBriefs(f.ctx, nil)
	if err != nil || len(ops) != 2 || ops[0].ID != a.ID || ops[1].ID != c.ID || ops[0].RegisteredOn != "2001-03-05" {
		t.Fatalf("operating = %+v, %v", ops, err)
	}
	briefs, err := f.svc.Briefs(f.ctx, nil, []int64{b.ID, 999_999})
	if err != nil || len(briefs) != 1 || briefs[b.ID].Name != "乙" || briefs[b.ID].Status != enterprise.MovedOut {
		t.Fatalf("briefs = %+v, %v", briefs, err)
	}
	if got, err := f.svc.BriefByCode(f.ctx, " 9144030071526726xg "); err != nil || got.ID != b.ID {
		t.Fatalf("by code = %+v, %v", got, err)
	}
	if _, err := f.svc.BriefByCode(f.ctx, "91440300MA5XXXXXXX"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("unknown code: %v", err)
	}

	for _, tr := range []enterprise.Tier{{Tier: "hnte", ValidFrom: "2020-01-01", ValidTo: "2022-12-31"}, {Tier: "gazelle", ValidTo: "2023-01-01"}} {
		if _, err := f.svc.AddTier(f.ctx, staff, a.ID, tr); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.AddTier(f.ctx, staff, c.ID, enterprise.Tier{Tier: "listed", Board: "主板", StockCode: "000001"}); err != nil {
		t.Fatal(err)
	}
	tiers, err := f.svc.TiersValidIn(f.ctx, nil, "2023-01-01", "2023-12-31")
	if err != nil || !slices.Equal(tiers[a.ID], []string{"gazelle"}) || !slices.Equal(tiers[c.ID], []string{"listed"}) {
		t.Fatalf("tiers in 2023 = %v, %v", tiers, err)
	}
	// Not yet granted in 2019: the certificate's start counts as its end does.
	tiers, err = f.svc.TiersValidIn(f.ctx, nil, "2019-01-01", "2019-12-31")
	if err != nil || !slices.Equal(tiers[a.ID], []string{"gazelle"}) {
		t.Fatalf("tiers in 2019 = %v, %v", tiers, err)
	}

	chains, err := f.svc.ChainCodes(f.ctx, nil)
	if err != nil || len(chains[a.ID]) < 2 || chains[a.ID][0] != "iot_sensor" || chains[a.ID][1] != "iot" || len(chains[c.ID]) != 0 {
		t.Fatalf("chains = %v, %v", chains, err)
	}

	// a: self-reported then stats for 2022 (stats wins), a pending self
	// figure for 2021 (not effective); c: tax only.
	self := enterprise.Viewer{Role: org.Enterprise, EnterpriseID: a.ID}
	if err := f.svc.SetFigures(f.ctx, self, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: 10}, {Indicator: "revenue", Year: 2021, Value: 7}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Review(f.ctx, staff, a.ID, "revenue", 2022, 0, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: 20, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, c.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: 30, Source: enterprise.FromTax}}); err != nil {
		t.Fatal(err)
	}
	key := func(id int64, year int) enterprise.FigureKey {
		return enterprise.FigureKey{EnterpriseID: id, Indicator: "revenue", Year: year}
	}
	figs, err := f.svc.EffectiveFigures(f.ctx, nil, []int{2021, 2022}, []string{"revenue", "taxes"}, nil)
	if err != nil || len(figs) != 2 || figs[key(a.ID, 2022)] != 20 || figs[key(c.ID, 2022)] != 30 {
		t.Fatalf("effective = %v, %v", figs, err)
	}
	figs, err = f.svc.EffectiveFigures(f.ctx, nil, []int{2022}, []string{"revenue"}, []int64{c.ID})
	if err != nil || len(figs) != 1 || figs[key(c.ID, 2022)] != 30 {
		t.Fatalf("effective of c = %v, %v", figs, err)
	}
	if figs, err = f.svc.EffectiveFigures(f.ctx, nil, []int{2022}, []string{"revenue"}, []int64{}); err != nil || len(figs) != 0 {
		t.Fatalf("no enterprises: %v, %v", figs, err)
	}
	scales, err := f.svc.IndicatorScales(f.ctx, nil)
	if err != nil || scales["revenue"] != 2 {
		t.Fatalf("scales = %v, %v", scales, err)
	}
}

func TestFlags(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲"})
	leader := enterprise.Viewer{Role: org.Leader}
	unit := enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}
	if _, err := f.svc.AddFlag(f.ctx, leader, a.ID, "严重失信", "文号"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("leader adds: %v", err)
	}
	if _, err := f.svc.AddFlag(f.ctx, staff, a.ID, "迟到", "文号"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("bad kind: %v", err)
	}
	if _, err := f.svc.AddFlag(f.ctx, staff, 999_999, "其他", "文号"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("no enterprise: %v", err)
	}
	first, err := f.svc.AddFlag(f.ctx, staff, a.ID, "安全事故", "2022 年安全生产事故，文号……")
	if err != nil || !first.Active || first.EnterpriseName != "甲" {
		t.Fatalf("add = %+v, %v", first, err)
	}
	if _, err := f.svc.AddFlag(f.ctx, staff, a.ID, "严重失信", "列入名单"); err != nil {
		t.Fatal(err)
	}
	active, err := f.svc.ActiveFlags(f.ctx, nil)
	if err != nil || active[a.ID] != "安全事故" {
		t.Fatalf("active = %v, %v", active, err)
	}
	if _, err := f.svc.Flags(f.ctx, unit); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("unit lists: %v", err)
	}
	if _, err := f.svc.ClearFlag(f.ctx, leader, first.ID); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("leader clears: %v", err)
	}
	cleared, err := f.svc.ClearFlag(f.ctx, staff, first.ID)
	if err != nil || cleared.Active || cleared.ClearedAt == 0 {
		t.Fatalf("clear = %+v, %v", cleared, err)
	}
	if _, err := f.svc.ClearFlag(f.ctx, staff, first.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("clear twice: %v", err)
	}
	list, err := f.svc.Flags(f.ctx, leader)
	if err != nil || len(list) != 2 || !list[0].Active || list[1].ID != first.ID {
		t.Fatalf("flags = %+v, %v", list, err)
	}
	if active, _ = f.svc.ActiveFlags(f.ctx, nil); active[a.ID] != "严重失信" {
		t.Fatalf("active after clear = %v", active)
	}
}
