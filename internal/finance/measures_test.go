package finance_test

import (
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/finance"
	"gaoxin/internal/kpi"
)

// walk takes a match through the given steps on the given dates.
func (f *fixture) walk(v finance.Viewer, m finance.Match, funded int64, dates ...string) {
	f.t.Helper()
	for k, on := range dates {
		in := finance.StepInput{Step: finance.Steps[k+2].Code, On: on}
		if in.Step == finance.StepFunded {
			in.AmountFen = funded
		}
		if _, err := f.S.Advance(f.ctx, v, m.ID, in); err != nil {
			f.t.Fatalf("%s: %v", in.Step, err)
		}
	}
}

func fmtYTD(m [12]int64) string { return fmt.Sprint(m[:]) }

// The measures, computed by hand from events on known dates.
func TestMeasures(t *testing.T) {
	f := newFixture(t)
	f.now = time.Date(2023, 1, 5, 10, 0, 0, 0, db.CST)
	old := vc(1, "老牌创投")
	old.SettledOn = "2022-12-05"
	vc1, i1 := f.approved("vc1", old) // settled last year, 50 亿
	bank := vc(2, "科技银行")
	bank.Kind, bank.AUMFen, bank.SettledOn, bank.Instruments, bank.Chains = finance.KindBank, yi(100), "", []string{"loan"}, nil
	_, ib := f.approved("bank", bank)
	nm := vc(3, "材料创投")
	nm.Chains, nm.SettledOn = []string{"nm"}, ""
	vcNM, inm := f.approved("vc3", nm) // not settled
	general := vc(4, "综合创投")
	general.Chains, general.SettledOn = nil, ""
	vcG, _ := f.approved("vc4", general)
	pend := vc(5, "待审创投")
	pend.SettledOn = "2023-01-02"
	if _, err := f.S.Register(f.ctx, f.investor("vc5"), pend); err != nil { // pending: never counted
		t.Fatal(err)
	}
	parent, err := f.S.Create(f.ctx, f.staff, finance.InstitutionInput{Kind: finance.KindGovFund, Name: "引导基金", CreditCode: code(6),
		AUMFen: yi(30), SettledOn: "2023-01-03", Stages: []string{"seed"}, Instruments: []string{"equity"}, CommittedFen: yi(30), PaidInFen: yi(10)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Create(f.ctx, f.staff, finance.InstitutionInput{Kind: finance.KindVCPE, Name: "子基金", CreditCode: code(7), AUMFen: yi(5),
		SettledOn: "2023-01-04", Stages: []string{"seed"}, Instruments: []string{"equity"}, ParentID: parent.ID, CommittedFen: yi(5)}); err != nil {
		t.Fatal(err)
	}
	// The bank settles on 5 January (a staff edit).
	in := bank
	in.SettledOn = "2023-01-05"
	if _, err := f.S.Update(f.ctx, f.staff, ib.ID, in); err != nil {
		t.Fatal(err)
	}
	n1, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	in2 := needIn()
	in2.Chains = []string{"nm_superhard"}
	n2, _ := f.S.Post(f.ctx, f.entB, in2, nil)
	m1, _ := f.S.ExpressInterest(f.ctx, vc1, n1.ID, "")
	m2, _ := f.S.ExpressInterest(f.ctx, vcNM, n2.ID, "")
	m3, _ := f.S.ExpressInterest(f.ctx, vcG, n1.ID, "")
	f.S.Answer(f.ctx, f.entA, m1.ID, true, "")
	f.S.Answer(f.ctx, f.entB, m2.ID, true, "")
	f.S.Answer(f.ctx, f.entA, m3.ID, false, "")
	f.now = time.Date(2023, 6, 10, 10, 0, 0, 0, db.CST)
	f.walk(vc1, m1, wan(5000), "2023-02-01", "2023-02-20", "2023-03-01", "2023-03-15")
	f.walk(vcNM, m2, wan(1000), "2023-02-01", "2023-03-02", "2023-04-01", "2023-05-02")

	src := f.S.KPISource()
	q := func(code string, flt kpi.Filter) kpi.Query { return kpi.Query{Measure: code, Filter: flt} }
	queries := []kpi.Query{
		q(finance.MeasureSettled, kpi.Filter{}), q(finance.MeasureCapital, kpi.Filter{}), q(finance.MeasureSettled, kpi.Filter{Category: "bank"}),
		q(finance.MeasureFunded, kpi.Filter{}), q(finance.MeasureFunded, kpi.Filter{Chain: "iot"}), q(finance.MeasureFunded, kpi.Filter{Chain: "nm"}),
		q(finance.MeasureDeals, kpi.Filter{}), q("finance.conversion_matched", kpi.Filter{}), q("finance.conversion_meeting", kpi.Filter{}),
		q("finance.conversion_funded", kpi.Filter{}), q(finance.MeasureFunded, kpi.Filter{Chain: "gone"}),
	}
	got, err := src.Values(f.ctx, kpi.Request{Queries: queries, From: 2023, To: 2024, UpTo: "2023-06-10"})
	if err != nil {
		t.Fatal(err)
	}
	y := func(n int64) int64 { return yi(n) }
	w := func(n int64) int64 { return wan(n) }
	want := [][12]int64{
		{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, // the old VC, the fund (3 Jan) and the bank (5 Jan); sub-fund and pending left out
		{y(180), y(180), y(180), y(180), y(180), y(180), y(180), y(180), y(180), y(180), y(180), y(180)},
		{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		{0, 0, w(5000), w(5000), w(6000), w(6000), w(6000), w(6000), w(6000), w(6000), w(6000), w(6000)},
		{0, 0, w(5000), w(5000), w(5000), w(5000), w(5000), w(5000), w(5000), w(5000), w(5000), w(5000)},
		{0, 0, 0, 0, w(1000), w(1000), w(1000), w(1000), w(1000), w(1000), w(1000), w(1000)},
		{0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2},
		{67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67}, // 2 of 3 interests accepted
		{0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
		{0, 0, 100, 50, 100, 100, 100, 100, 100, 100, 100, 100}, // March 1/1, April 1/2, May 2/2
		{},
	}
	for k, wnt := range want {
		if g := got[k].YTD[0]; g != wnt {
			t.Errorf("%s %+v: %s, want %s", queries[k].Measure, queries[k].Filter, fmtYTD(g), fmtYTD(wnt))
		}
		if got[k].YTD[1] != [12]int64{} {
			t.Errorf("%s: a year after UpTo has figures %s", queries[k].Measure, fmtYTD(got[k].YTD[1]))
		}
	}
	if got[4].FilterZH != "物联网产业链（含下级）" || got[10].FilterZH != "产业链 gone（已不存在）" || got[2].FilterZH != "银行" {
		t.Errorf("filter words: %q %q %q", got[4].FilterZH, got[10].FilterZH, got[2].FilterZH)
	}
	// The awards read each institution's deals of the year.
	figs, err := f.S.Figures(f.ctx, nil, 2023)
	if err != nil || len(figs) != 2 {
		t.Fatalf("figures: %+v %v", figs, err)
	}
	placed := map[int64]int64{i1.ID: wan(5000), inm.ID: wan(1000)}
	for _, g := range figs {
		if g.Deals != 1 || g.EarlyDeals != 0 || g.PlacedFen != placed[g.InstitutionID] {
			t.Errorf("%+v", g)
		}
	}
	if none, _ := f.S.Figures(f.ctx, nil, 2022); len(none) != 0 {
		t.Errorf("2022 figures: %+v", none)
	}
	// A stock carries from earlier years: in 2022 one institution.
	old22, err := src.Values(f.ctx, kpi.Request{Queries: queries[:1], From: 2022, To: 2022, UpTo: "2022-12-31"})
	if err != nil || old22[0].YTD[0] != [12]int64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1} {
		t.Fatalf("2022: %v %v", old22, err)
	}
}

// The app assembly registers the module's measures with the targets.
func TestMeasuresRegistered(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	for _, code := range []string{finance.MeasureSettled, finance.MeasureCapital, finance.MeasureFunded, finance.MeasureDeals,
		"finance.conversion_matched", "finance.conversion_meeting", "finance.conversion_diligence", "finance.conversion_term", "finance.conversion_funded"} {
		if _, ok := a.KPI.MeasureOf(code); !ok {
			t.Errorf("%s is not registered", code)
		}
	}
}
