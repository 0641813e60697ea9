package kpi_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
)

type fixture struct {
	svc      *kpi.Service
	ctx      context.Context
	dsn      string // for a second app server on the same database
	jfj, kcj int64
}

// newFixture is a fresh database with two units and a clock at 2023-11-20.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	d, dsn := dbtest.OpenDSN(t)
	a := audit.New(d)
	o := org.New(d, a)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "test"})
	f := &fixture{svc: kpi.New(d, a, kpi.Options{}), ctx: ctx, dsn: dsn}
	f.svc.Now = func() time.Time { return time.Date(2023, 11, 20, 10, 0, 0, 0, db.CST) }
	for _, u := range []org.Unit{{Code: "jfj", NameZH: "经济发展局", Kind: "内设机构"}, {Code: "kcj", NameZH: "科技创新局", Kind: "内设机构"}} {
		created, err := o.CreateUnit(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if u.Code == "jfj" {
			f.jfj = created.ID
		} else {
			f.kcj = created.ID
		}
	}
	return f
}

func (f *fixture) mustIndicator(t *testing.T, in kpi.IndicatorInput) kpi.Indicator {
	t.Helper()
	ind, err := f.svc.CreateIndicator(f.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return ind
}

func (f *fixture) mustActual(t *testing.T, in kpi.ActualInput) {
	t.Helper()
	if _, err := f.svc.SaveActual(f.ctx, kpi.Scope{All: true}, in); err != nil {
		t.Fatalf("save %+v: %v", in, err)
	}
}

var gdp = kpi.IndicatorInput{Code: "gdp", NameZH: "地区生产总值", Measure: "亿元", Kind: kpi.Growth, Owner: "jfj", Frequency: kpi.Quarterly}
var firms = kpi.IndicatorInput{Code: "firms", NameZH: "新增市场主体", Measure: "家", Kind: kpi.Absolute, Owner: "kcj"}

func TestIndicatorValidation(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.CreateIndicator(f.ctx, kpi.IndicatorInput{Code: "Bad Code", Kind: "x", Owner: "nope", DueDay: 31})
	e := errs.As(err)
	if e.Code != errs.Invalid {
		t.Fatalf("got %v", err)
	}
	fields := map[string]bool{}
	for _, d := range e.Details {
		fields[d.Field] = true
	}
	for _, want := range []string{"code", "name_zh", "measure", "kind", "owner_unit", "due_day"} {
		if !fields[want] {
			t.Errorf("no error for %s: %+v", want, e.Details)
		}
	}
	f.mustIndicator(t, gdp)
	if _, err := f.svc.CreateIndicator(f.ctx, gdp); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("duplicate code: %v", err)
	}
}

func TestActualBadInputWritesNothing(t *testing.T) {
	f := newFixture(t)
	ind := f.mustIndicator(t, gdp)
	cases := []struct {
		name  string
		in    kpi.ActualInput
		field string
	}{
		{"not a number", kpi.ActualInput{Year: "2023", Month: "3", YTD: "一百"}, "ytd"},
		{"rate not a number", kpi.ActualInput{Year: "2023", Month: "3", YTD: "100", CityRate: "high"}, "city_rate"},
		{"month outside the year", kpi.ActualInput{Year: "2023", Month: "13", YTD: "100"}, "month"},
		{"month zero", kpi.ActualInput{Year: "2023", Month: "0", YTD: "100"}, "month"},
		{"quarterly needs quarter-end", kpi.ActualInput{Year: "2023", Month: "5", YTD: "100"}, "month"},
		{"future month", kpi.ActualInput{Year: "2023", Month: "12", YTD: "100"}, "month"},
		{"current month not ended", kpi.ActualInput{Year: "2023", Month: "11", YTD: "100"}, "month"},
		{"year nonsense", kpi.ActualInput{Year: "20x3", Month: "3", YTD: "100"}, "year"},
		{"negative amount", kpi.ActualInput{Year: "2023", Month: "3", YTD: "-1"}, "ytd"},
		{"no figure at all", kpi.ActualInput{Year: "2023", Month: "3"}, "ytd"},
		{"too many decimals", kpi.ActualInput{Year: "2023", Month: "3", YTD: "1.23456"}, "ytd"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Indicator = "gdp"
			_, err := f.svc.SaveActual(f.ctx, kpi.Scope{All: true}, tc.in)
			e := errs.As(err)
			if e.Code != errs.Invalid || e.Field != tc.field {
				t.Fatalf("got %v (field %q), want invalid %s", err, e.Field, tc.field)
			}
			if e.Details[0].Reason == "" || e.Details[0].ReasonEN == "" {
				t.Fatalf("reason not bilingual: %+v", e.Details[0])
			}
		})
	}
	acts, err := f.svc.Actuals(f.ctx, ind.ID, 2000, 2100)
	if err != nil || len(acts) != 0 {
		t.Fatalf("bad input wrote %d actuals (%v)", len(acts), err)
	}
	if _, err := f.svc.SaveActual(f.ctx, kpi.Scope{All: true}, kpi.ActualInput{Indicator: "nope", Year: "2023", Month: "3", YTD: "1"}); errs.As(err).Field != "indicator" {
		t.Fatalf("unknown indicator: %v", err)
	}
}

func TestUnitWritesOnlyItsOwnIndicators(t *testing.T) {
	f := newFixture(t)
	f.mustIndicator(t, gdp)
	in := kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "3", YTD: "100", YTDLast: "90"}
	if _, err := f.svc.SaveActual(f.ctx, kpi.Scope{UnitID: f.kcj}, in); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("kcj writing jfj's indicator: %v", err)
	}
	if _, err := f.svc.SaveActual(f.ctx, kpi.Scope{UnitID: f.jfj}, in); err != nil {
		t.Fatalf("jfj writing its own: %v", err)
	}
}

// TestDashboard stores figures and checks the assembled cards against hand
// computation, including the last-year fallback and overdue figures.
func TestDashboard(t *testing.T) {
	f := newFixture(t)
	g := f.mustIndicator(t, gdp)
	n := f.mustIndicator(t, firms)
	for _, tc := range [][3]string{{"gdp", "10", ""}, {"firms", "16000", ""}} {
		if _, err := f.svc.SetTarget(f.ctx, tc[0], "2023", tc[1], tc[2]); err != nil {
			t.Fatal(err)
		}
	}
	// GDP: 2022 full year 1200; 2023 Q1–Q3 YTD with last year's pair.
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2022", Month: "12", YTD: "1200"})
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "3", YTD: "280", YTDLast: "250", CityRate: "9", ProvinceRate: "8"})
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "6", YTD: "600", YTDLast: "550", CityRate: "8.5", ProvinceRate: "9.5"})
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "9", YTD: "945", YTDLast: "900", CityRate: "6", ProvinceRate: "7"})
	// Firms: January to September only (October's figure is overdue at 2023-11-20).
	for m := 1; m <= 9; m++ {
		f.mustActual(t, kpi.ActualInput{Indicator: "firms", Year: "2023", Month: itoa(m), YTD: itoa(1000 * m)})
	}
	d, err := f.svc.Dashboard(f.ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cards) != 2 || d.AsOf != "2023-11-20" {
		t.Fatalf("cards %d as of %s", len(d.Cards), d.AsOf)
	}
	gc, fc := d.Cards[0], d.Cards[1]
	// GDP: r = 945/900 − 1 = 5%; gap −5 → behind; need (1200×1.1 − 945)/(1200 − 900) − 1 = 25%.
	a := gc.Assessment
	if gc.Indicator.ID != g.ID || a.Month != 9 || a.Status != kpi.Behind || *a.GrowthPct != 5 || *a.GapPP != -5 || *a.NeedGrowth != 25 {
		t.Fatalf("gdp card: %+v", a)
	}
	if a.VsCity != "below" || a.VsProv != "below" || len(gc.Trend) != 3 || *gc.Trend[0].Zone != 12 {
		t.Fatalf("gdp comparison: %+v trend %+v", a, gc.Trend)
	}
	if gc.NextDue == nil || gc.NextDue.Month != 12 || gc.NextDue.Overdue {
		t.Fatalf("gdp next due %+v", gc.NextDue)
	}
	// Firms: 9000 against 16000 × 9/12 = 12000 → pace 0.75 at risk; (16000−9000)/3 per month.
	a = fc.Assessment
	if fc.Indicator.ID != n.ID || a.Status != kpi.AtRisk || *a.Pace != 0.75 || *a.Expected != 12000 || *a.NeedPerMonth != 2333.3333 {
		t.Fatalf("firms card: %+v", a)
	}
	if fc.NextDue == nil || fc.NextDue.Month != 10 || !fc.NextDue.Overdue || fc.NextDue.Date != "2023-11-15" {
		t.Fatalf("firms next due %+v", fc.NextDue)
	}
	od, err := f.svc.OverdueFigures(f.ctx, f.kcj, time.Date(2023, 11, 20, 9, 0, 0, 0, db.CST))
	if err != nil || len(od) != 1 || od[0].Month != 10 || od[0].DaysLate != 5 {
		t.Fatalf("kcj overdue: %+v %v", od, err)
	}
	if od, _ := f.svc.OverdueFigures(f.ctx, f.jfj, time.Date(2023, 11, 20, 0, 0, 0, 0, db.CST)); len(od) != 0 {
		t.Fatalf("jfj has nothing overdue, got %+v", od)
	}
	// A unit's staff asking for another unit's figures get their own.
	at := time.Date(2023, 11, 20, 9, 0, 0, 0, db.CST)
	if od, _ := f.svc.OverdueFor(f.ctx, kpi.ScopeOf(&org.User{Role: org.UnitStaff, UnitID: f.jfj}), f.kcj, at); len(od) != 0 {
		t.Fatalf("jfj staff saw kcj's overdue figures: %+v", od)
	}
	if od, _ := f.svc.OverdueFor(f.ctx, kpi.ScopeOf(&org.User{Role: org.Supervisor}), f.kcj, at); len(od) != 1 {
		t.Fatalf("supervisor asking for kcj: %+v", od)
	}
	// Only those who enter figures are chased for them.
	for _, role := range []org.Role{org.Leader, org.Admin, org.Enterprise, org.Reviewer} {
		if od, err := f.svc.OverdueOwed(f.ctx, kpi.ScopeOf(&org.User{Role: role})); err != nil || od != nil {
			t.Fatalf("%s owes %+v %v", role, od, err)
		}
	}
	if sc := kpi.ScopeOf(nil); sc.All || sc.UnitID != 0 {
		t.Fatalf("anonymous scope %+v", sc)
	}
	// The as-of setting reads the year at an earlier date: on 2023-11-10 October is not due yet.
	if _, err := f.svc.SaveSettings(f.ctx, 2023, kpi.SettingsInput{AsOf: "2023-11-10", Ahead: "1", OnPace: "0.95", Behind: "0.7", ClosePP: "2"}); err != nil {
		t.Fatal(err)
	}
	d, _ = f.svc.Dashboard(f.ctx, 2023)
	if d.Cards[1].NextDue.Overdue || d.Cards[1].Assessment.Status != kpi.Behind {
		t.Fatalf("after settings: %+v %+v", d.Cards[1].NextDue, d.Cards[1].Assessment)
	}
	if _, err := f.svc.SaveSettings(f.ctx, 2023, kpi.SettingsInput{Ahead: "0.9", OnPace: "0.95", Behind: "x", ClosePP: "2"}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("bad settings accepted: %v", err)
	}
	if err := f.svc.DeleteIndicator(f.ctx, g.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("deleting an indicator with actuals: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func workbook(t *testing.T, rows [][]any) *bytes.Buffer {
	t.Helper()
	x := excelize.NewFile()
	head := []any{}
	for _, c := range kpi.Columns {
		head = append(head, c.ZH+" "+c.Key)
	}
	x.SetSheetRow("Sheet1", "A1", &head)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestImportAllOrNothing(t *testing.T) {
	f := newFixture(t)
	g := f.mustIndicator(t, gdp)
	f.mustIndicator(t, firms)
	bad := workbook(t, [][]any{
		{"gdp", 2023, 3, 280.5, 250, "", "", "", ""},
		{"gdp", 2023, 4, "abc", 250, "", "", "", ""},
		{"firms", 2023, 12, 100, "", "", "", "", ""},
		{"nope", 2023, 3, 1, "", "", "", "", ""},
		{"gdp", 2023, 3, 1, "", "", "", "", ""},
	})
	_, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, bad)
	e := errs.As(err)
	if e.Code != errs.Invalid {
		t.Fatalf("bad import: %v", err)
	}
	want := map[[2]any]bool{{3, "C month"}: true, {3, "D ytd"}: true, {4, "C month"}: true, {5, "A indicator"}: true, {6, "C month"}: true}
	for _, d := range e.Details {
		delete(want, [2]any{d.Row, d.Field})
		if d.Reason == "" || d.ReasonEN == "" {
			t.Errorf("detail without both languages: %+v", d)
		}
	}
	if len(want) != 0 {
		t.Fatalf("missing errors %v in %+v", want, e.Details)
	}
	if acts, _ := f.svc.Actuals(f.ctx, g.ID, 2023, 2023); len(acts) != 0 {
		t.Fatalf("failed import wrote %d rows", len(acts))
	}
	good := workbook(t, [][]any{{"gdp", 2023, 3, 280.5, 250, "", 9, 8, "一季度"}, {"firms", 2023, 1, "1,200", "", "", "", "", ""}})
	n, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, good)
	if err != nil || n != 2 {
		t.Fatalf("good import: %d %v", n, err)
	}
	acts, _ := f.svc.Actuals(f.ctx, g.ID, 2023, 2023)
	if len(acts) != 1 || acts[0].YTD.V != 2805000 || acts[0].CityRate.String() != "9" {
		t.Fatalf("stored %+v", acts)
	}
	// A unit importing another unit's indicator is refused by row.
	_, err = f.svc.ImportActuals(f.ctx, kpi.Scope{UnitID: f.jfj}, workbook(t, [][]any{{"firms", 2023, 2, 10, "", "", "", "", ""}}))
	if e := errs.As(err); e.Code != errs.Invalid || len(e.Details) != 1 || e.Details[0].Row != 2 {
		t.Fatalf("unit importing another's indicator: %v", err)
	}
	// The template round-trips: download as jfj, upload unchanged.
	var tpl bytes.Buffer
	if err := f.svc.WriteTemplate(f.ctx, &tpl, kpi.Scope{UnitID: f.jfj}, 2023); err != nil {
		t.Fatal(err)
	}
	// Q1 comes back filled; Q2 and Q3 are blank template rows and are skipped.
	if n, err := f.svc.ImportActuals(f.ctx, kpi.Scope{UnitID: f.jfj}, &tpl); err != nil || n != 1 {
		t.Fatalf("template round trip: %d %v", n, err)
	}
}

// TestImportRefusesOversizedWorkbook: an .xlsx is a zip, and a small upload
// can unpack to gigabytes (the spreadsheet library allows 16 GB by
// default). A workbook unpacking beyond the service's bound is refused with
// a field error before its rows are read, and nothing is written.
func TestImportRefusesOversizedWorkbook(t *testing.T) {
	f := newFixture(t)
	g := f.mustIndicator(t, gdp)
	row := []any{"gdp", 2023, 3, 280.5, 250, "", "", "", ""}
	for i := 0; i < 20; i++ { // padding in columns beyond the template's, ~600 KB unpacked
		row = append(row, string(bytes.Repeat([]byte{'a' + byte(i)}, 30000)))
	}
	big := workbook(t, [][]any{row})
	if big.Len() > 64<<10 {
		t.Fatalf("test workbook is %d bytes packed; it should be small", big.Len())
	}
	f.svc.MaxImportUnzip = 256 << 10
	_, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, bytes.NewReader(big.Bytes()))
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "file" {
		t.Fatalf("oversized workbook: %v", err)
	}
	if acts, _ := f.svc.Actuals(f.ctx, g.ID, 2023, 2023); len(acts) != 0 {
		t.Fatalf("oversized workbook wrote %d rows", len(acts))
	}
	// Under a bound it fits, the same workbook imports.
	f.svc.MaxImportUnzip = 4 << 20
	if n, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, bytes.NewReader(big.Bytes())); err != nil || n != 1 {
		t.Fatalf("within the bound: %d %v", n, err)
	}
}

// TestTemplateNeutralisesFormulas: a note typed by one unit travels in the
// template other people download. A note beginning with = + - @ is written
// with a leading apostrophe so no spreadsheet takes it for a formula, and
// importing the template back strips it, so the note survives unchanged.
func TestTemplateNeutralisesFormulas(t *testing.T) {
	f := newFixture(t)
	g := f.mustIndicator(t, gdp)
	note := `=HYPERLINK("http://example.com","查看")`
	f.mustActual(t, kpi.ActualInput{Indicator: "gdp", Year: "2023", Month: "3", YTD: "280.5", YTDLast: "250", Note: note})
	var tpl bytes.Buffer
	if err := f.svc.WriteTemplate(f.ctx, &tpl, kpi.Scope{All: true}, 2023); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(tpl.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("actuals")
	if len(rows) < 2 || rows[1][8] != "'"+note {
		t.Fatalf("template rows = %q", rows)
	}
	if n, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, &tpl); err != nil || n != 1 {
		t.Fatalf("round trip: %d %v", n, err)
	}
	acts, _ := f.svc.Actuals(f.ctx, g.ID, 2023, 2023)
	if len(acts) != 1 || acts[0].Note != note {
		t.Fatalf("note after round trip = %+v", acts)
	}
}
