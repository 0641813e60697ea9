package insight_test

import (
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

func (f *fixture) apply() {
	f.t.Helper()
	if _, err := f.S.Apply(f.ctx); err != nil {
		f.fail(err)
	}
}

func (f *fixture) warnings(v insight.Viewer) []insight.Warning {
	f.t.Helper()
	ws, err := f.S.Warnings(f.ctx, v, "", 100)
	if err != nil {
		f.fail(err)
	}
	return ws
}

func (f *fixture) areaViewer(code string) insight.Viewer {
	f.t.Helper()
	var id int64
	if err := f.DB.R.QueryRowContext(f.ctx, "SELECT id FROM units WHERE code = $1", code).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return insight.Viewer{Role: org.UnitStaff, UnitID: id, AreaOnly: true}
}

// Warnings raised together (one apply over several enterprises' drops)
// each reach the zone's webhook once, named by their enterprise, beside
// their note in the history; applying the same drops again sends nothing.
func TestWarningsReachTheWebhookOnce(t *testing.T) {
	f := newFixture(t)
	a := audit.New(f.DB)
	p := plan.New(f.DB, a, org.New(f.DB, a), plan.Options{})
	st := plan.DefaultSettings
	st.WebhookURL = "https://robot.example.cn/send?access_token=t"
	if err := p.SaveSettings(f.ctx, plan.Viewer{Role: org.Supervisor}, st); err != nil {
		f.fail(err)
	}
	f.S.Plan = p
	for range 3 {
		f.create(nil)
	}
	for _, id := range f.ids[:3] {
		f.setFigures(id, enterprise.FigureInput{Indicator: "revenue", Year: 2022, Value: 100_0000_00})
	}
	f.apply()
	for _, id := range f.ids[:2] {
		f.setFigures(id, enterprise.FigureInput{Indicator: "revenue", Year: 2023, Value: 50_0000_00})
	}
	f.setFigures(f.ids[2], enterprise.FigureInput{Indicator: "revenue", Year: 2023, Value: 90_0000_00})
	f.apply()
	sent := func() []string {
		rows, err := f.DB.R.QueryContext(f.ctx, "SELECT payload FROM plan_outbox WHERE event = 'insight.warning' ORDER BY id")
		if err != nil {
			f.fail(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	got := sent()
	if len(got) != 2 {
		t.Fatalf("webhook messages %q, want one for each of the two drops", got)
	}
	for i, id := range f.ids[:2] {
		e, _ := f.reg.Get(f.ctx, f.staff, id)
		if !strings.Contains(got[i], "运行监测") || !strings.Contains(got[i], e.Name) || !strings.Contains(got[i], "下降 50.0%") {
			t.Errorf("message %d: %s", i, got[i])
		}
	}
	var notes int
	if err := f.DB.R.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM insight_warning_notes WHERE action = 'raised'").Scan(&notes); err != nil || notes != 2 {
		t.Fatalf("raised notes %d (%v), want 2", notes, err)
	}
	for _, id := range f.ids[:2] {
		f.setFigures(id, enterprise.FigureInput{Indicator: "revenue", Year: 2023, Value: 49_0000_00})
	}
	f.apply()
	if got := sent(); len(got) != 2 {
		t.Fatalf("the same drops sent again: %q", got)
	}
}

// An import whose revenue falls 40 % on last year raises the revenue
// rule's warning on that enterprise, in its area's inbox only; the same
// figures applied again raise nothing more.
func TestImportedDropRaisesWarningInItsAreaInbox(t *testing.T) {
	f := newFixture(t)
	f.create(nil)
	id := f.ids[0]
	e, _ := f.reg.Get(f.ctx, f.staff, id)
	if err := f.reg.SetFigures(f.ctx, f.staff, id, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: 1_000_000_00}}); err != nil {
		f.fail(err)
	}
	f.apply()
	if ws := f.warnings(f.admin); len(ws) != 0 {
		t.Fatalf("warnings before any drop: %+v", ws)
	}
	rows := [][]any{{"统一社会信用代码", "企业名称", "年度", "营业收入（元）"}, {f.codes[0], e.Name, 2023.0, 600000.0}}
	if res, err := f.reg.Import(f.ctx, f.staff, workbook(t, rows), enterprise.ImportOptions{Filename: "2023.xlsx"}); err != nil || !res.Written {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	f.apply()
	ws := f.warnings(f.admin)
	if len(ws) != 1 {
		t.Fatalf("want one warning, got %+v", ws)
	}
	w := ws[0]
	if w.EnterpriseID != id || w.Period != "2023" || !strings.Contains(w.DetailZH, "下降 40.0%") || !strings.Contains(w.DetailZH, "60.00 万元") || w.Status != insight.WarnOpen {
		t.Errorf("warning %+v", w)
	}
	own, other := f.areaViewer(e.AreaCode), f.areaViewer(map[string]string{"sf": "gz", "gz": "sf"}[e.AreaCode])
	if got := f.warnings(own); len(got) != 1 {
		t.Errorf("the area's inbox holds %d warnings, want 1", len(got))
	}
	if got := f.warnings(other); len(got) != 0 {
		t.Errorf("another area sees %d warnings", len(got))
	}
	if _, err := f.S.WarningByID(f.ctx, other, w.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another area reads the warning: %v", err)
	}
	if _, err := f.S.Warnings(f.ctx, insight.Viewer{Role: org.Enterprise, EnterpriseID: id}, "", 10); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("an enterprise reads the inbox: %v", err)
	}
	// The same drop saved again by staff warns once only.
	if err := f.reg.SetFigures(f.ctx, f.staff, id, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 590000_00, Source: enterprise.FromStaff}}); err != nil {
		f.fail(err)
	}
	f.apply()
	if got := f.warnings(f.admin); len(got) != 1 {
		t.Errorf("a second drop in the same year warned again: %d", len(got))
	}

	// Follow-up: taken up by the area, closed with a note, kept in order.
	if err := f.S.FollowUp(f.ctx, other, w.ID, insight.WarnFollowing, "走访", "other"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another area followed the warning up: %v", err)
	}
	if err := f.S.FollowUp(f.ctx, own, w.ID, insight.WarnFollowing, "已电话联系企业", "石佛"); err != nil {
		f.fail(err)
	}
	if err := f.S.FollowUp(f.ctx, own, w.ID, insight.WarnFollowing, "再次", "石佛"); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("taken up twice: %v", err)
	}
	if err := f.S.FollowUp(f.ctx, own, w.ID, insight.WarnClosed, "", "石佛"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("closed without a note: %v", err)
	}
	if err := f.S.FollowUp(f.ctx, own, w.ID, insight.WarnClosed, "订单回落，已对接融资", "石佛"); err != nil {
		f.fail(err)
	}
	got, err := f.S.WarningByID(f.ctx, f.admin, w.ID)
	if err != nil {
		f.fail(err)
	}
	var steps []string
	for _, n := range got.Notes {
		steps = append(steps, n.Action)
	}
	if got.Status != insight.WarnClosed || strings.Join(steps, ",") != "raised,following,closed" {
		t.Errorf("after follow-up: %s %v", got.Status, steps)
	}
}

// Rules name a known indicator and a threshold in range; anything else is
// refused naming the field.
func TestRuleValidation(t *testing.T) {
	f := newFixture(t)
	sup := insight.Viewer{Role: org.Supervisor}
	for _, c := range []struct {
		r     insight.Rule
		field string
	}{
		{insight.Rule{Kind: insight.RuleDrop, Name: "x", Indicator: "profit", Percent: 30}, "indicator"},
		{insight.Rule{Kind: insight.RuleDrop, Name: "x", Indicator: "revenue", Percent: 0}, "percent"},
		{insight.Rule{Kind: insight.RuleDrop, Name: "x", Indicator: "revenue", Percent: 101}, "percent"},
		{insight.Rule{Kind: insight.RuleDropQuarters, Name: "x", Indicator: "taxes", Periods: 1}, "periods"},
		{insight.Rule{Kind: "rumour", Name: "x"}, "kind"},
		{insight.Rule{Kind: insight.RuleMovedOut, Name: " "}, "name"},
	} {
		_, err := f.S.SaveRule(f.ctx, sup, c.r)
		e := errs.As(err)
		if e == nil || e.Code != errs.Invalid || len(e.Details) == 0 || e.Details[0].Field != c.field {
			t.Errorf("%+v: %v", c.r, err)
		}
	}
	if _, err := f.S.SaveRule(f.ctx, f.areaViewer("sf"), insight.Rule{Kind: insight.RuleMovedOut, Name: "迁出"}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("a unit set a rule: %v", err)
	}
	r, err := f.S.SaveRule(f.ctx, sup, insight.Rule{Kind: insight.RuleDrop, Name: "研发投入同比下降超过 20%", Indicator: "rd_spend", Percent: 20, Active: true})
	if err != nil || r.ID == 0 {
		t.Fatalf("save: %+v %v", r, err)
	}
}

// Taxes down two quarters running, a certificate that lapses when the day
// turns, and a move out of the zone each warn.
func TestQuarterDropLapseAndMoveOut(t *testing.T) {
	f := newFixture(t)
	f.create(nil)
	f.create(nil)
	a, b := f.ids[0], f.ids[1]
	var monthly []enterprise.FigureInput
	for m, v := range []int64{90, 90, 90, 80, 80, 80, 50, 50, 50} {
		monthly = append(monthly, enterprise.FigureInput{Indicator: "taxes", Year: 2023, Month: m + 1, Value: v * 1000_00})
	}
	if err := f.reg.SetFigures(f.ctx, f.staff, a, monthly); err != nil {
		f.fail(err)
	}
	if _, err := f.reg.AddTier(f.ctx, f.staff, b, enterprise.Tier{Tier: "hnte", ValidFrom: "2020-12-01", ValidTo: "2023-11-30"}); err != nil {
		f.fail(err)
	}
	f.apply()
	ws := f.warnings(f.admin)
	if len(ws) != 1 || ws[0].EnterpriseID != a || ws[0].Period != "2023Q3" || !strings.Contains(ws[0].DetailZH, "2023Q1 27.00 万元 → 2023Q2 24.00 万元 → 2023Q3 15.00 万元") {
		t.Fatalf("quarters: %+v", ws)
	}
	f.now = time.Date(2023, 12, 2, 9, 0, 0, 0, db.CST)
	f.apply()
	ws = f.warnings(f.admin)
	if len(ws) != 2 || ws[0].EnterpriseID != b || ws[0].Period != "hnte@2023-11-30" {
		t.Fatalf("lapse: %+v", ws)
	}
	e, _ := f.reg.Get(f.ctx, f.staff, a)
	in := enterprise.Input{CreditCode: e.CreditCode, Name: e.Name, RegisteredOn: e.RegisteredOn, Area: e.AreaCode, IndustryCode: e.IndustryCode, Status: enterprise.MovedOut}
	if _, err := f.reg.Update(f.ctx, f.staff, a, in); err != nil {
		f.fail(err)
	}
	f.apply()
	ws = f.warnings(f.admin)
	if len(ws) != 3 || ws[0].EnterpriseID != a || !strings.Contains(ws[0].DetailZH, "迁出") {
		t.Fatalf("moved out: %+v", ws)
	}
}

// When the applier turns the day, the no-report rule (two years, as
// shipped) warns on operating enterprises whose latest figures are older
// than the two full years before today's: not on one that reported in
// them, nor on one that never reported.
func TestNoReportSweepOnANewDay(t *testing.T) {
	f := newFixture(t)
	for range 3 {
		f.create(nil)
	}
	stale, fresh := f.ids[0], f.ids[1]
	for id, year := range map[int64]int{stale: 2020, fresh: 2022} {
		if err := f.reg.SetFigures(f.ctx, f.staff, id, []enterprise.FigureInput{{Indicator: "revenue", Year: year, Value: 1_000_000_00}}); err != nil {
			f.fail(err)
		}
	}
	f.apply()
	if ws := f.warnings(f.admin); len(ws) != 0 {
		t.Fatalf("warnings before the day turns: %+v", ws)
	}
	f.now = f.now.AddDate(0, 0, 1)
	f.apply()
	ws := f.warnings(f.admin)
	if len(ws) != 1 || ws[0].EnterpriseID != stale || ws[0].Period != "2022" || !strings.Contains(ws[0].DetailZH, "2021–2022 年未报送") {
		t.Fatalf("warnings after the day turned: %+v", ws)
	}
}
