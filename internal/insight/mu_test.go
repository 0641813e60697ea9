package insight_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

// muFixture is the whole product on a fresh database in March 2024,
// evaluating the data year 2023.
type muFixture struct {
	t   *testing.T
	ctx context.Context
	A   *app.App
	now time.Time
	ids map[string]int64
}

func newMuFixture(t *testing.T) *muFixture {
	f := &muFixture{t: t, now: time.Date(2024, 3, 1, 10, 0, 0, 0, db.CST), ids: map[string]int64{},
		ctx: audit.WithActor(context.Background(), audit.Actor{Name: "test"})}
	f.A = app.New(dbtest.Open(t), app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1},
		Now: func() time.Time { return f.now }})
	return f
}

var registryStaff = enterprise.Viewer{Role: org.Supervisor}

// muCase is one enterprise of the fixture: its registration, industry and
// 2023 figures in the registry's units (fen, hundredths of a mu or a
// tonne, people); -1 leaves a figure out.
type muCase struct {
	name, registered, industry           string
	land, taxes, va, energy, rd, revenue int64
	employees                            int64
}

// Figures chosen so that each ratio is a round number:
//
//	          tax/mu    va/mu     va/energy  rd/revenue  va/employee
//	甲 (A)    50000     200000    20000      0.03        100000
//	乙         30000     100000    50000      0.05         50000
//	丙         10000      50000     5000      0.01         25000
//	丁          2000      20000     1000      0            10000
var muCases = []muCase{
	{"甲", "2015-01-01", "3911", 100_00, 5_000_000_00, 20_000_000_00, 1000_00, 3_000_000_00, 100_000_000_00, 200},
	{"乙", "2020-12-31", "3011", 200_00, 6_000_000_00, 20_000_000_00, 400_00, 2_500_000_00, 50_000_000_00, 400},
	{"丙", "2010-05-01", "3021", 100_00, 1_000_000_00, 5_000_000_00, 1000_00, 1_000_000_00, 100_000_000_00, 200},
	{"丁", "2012-05-01", "3099", 50_00, 100_000_00, 1_000_000_00, 1000_00, 0, 10_000_000_00, 100},
	{"新办", "2021-01-01", "3911", 30_00, 9_000_000_00, 9_000_000_00, 10_00, 1, 9_000_000_00, 10},
	{"在建", "2015-01-01", "3911", 300_00, 0, -1, -1, -1, -1, -1},
	{"电厂", "2005-01-01", "4411", 500_00, 90_000_000_00, 90_000_000_00, 90_000_00, 1, 90_000_000_00, 100},
	{"无地", "2015-01-01", "3911", 0, 5_000_000_00, 20_000_000_00, 1000_00, 1, 100_000_000_00, 200},
	{"缺能耗", "2015-01-01", "3911", 100_00, 5_000_000_00, 20_000_000_00, -1, 1, 100_000_000_00, 200},
	{"无地数据", "2015-01-01", "3911", -1, 5_000_000_00, 20_000_000_00, 1000_00, 1, 100_000_000_00, 200},
}

func (f *muFixture) seed() {
	t := f.t
	for i, c := range muCases {
		e, err := f.A.Enterprise.Create(f.ctx, registryStaff, enterprise.Input{CreditCode: code(i), Name: c.name + "科技有限公司",
			RegisteredOn: c.registered, IndustryCode: c.industry})
		if err != nil {
			t.Fatalf("create %s: %v %+v", c.name, err, errs.As(err).Details)
		}
		f.ids[c.name] = e.ID
		var in []enterprise.FigureInput
		for _, v := range []struct {
			code string
			v    int64
		}{{"land", c.land}, {"taxes", c.taxes}, {"value_added", c.va}, {"energy", c.energy}, {"rd_spend", c.rd}, {"revenue", c.revenue}, {"employees", c.employees}} {
			if v.v >= 0 {
				in = append(in, enterprise.FigureInput{Indicator: v.code, Year: 2023, Value: v.v, Source: enterprise.FromStats})
			}
		}
		if err := f.A.Enterprise.SetFigures(f.ctx, registryStaff, e.ID, in); err != nil {
			t.Fatalf("figures of %s: %v %+v", c.name, err, errs.As(err).Details)
		}
	}
}

func TestMuSubjectRowsAndExemptions(t *testing.T) {
	f := newMuFixture(t)
	f.seed()
	sub, ok := subjectOf(f.A.Award, insight.MuSubjectCode)
	if !ok {
		t.Fatal("the per-mu subject is not registered")
	}
	rows, err := sub.Rows(f.ctx, nil, 2023)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]award.SubjectRow{}
	for _, r := range rows {
		got[r.ID] = r
	}
	// Candidates are those with land above 0 in 2023.
	for _, name := range []string{"无地", "无地数据"} {
		if _, in := got[f.ids[name]]; in {
			t.Errorf("%s is a candidate without land", name)
		}
	}
	if len(rows) != 8 {
		t.Fatalf("%d candidates, want 8: %+v", len(rows), rows)
	}
	a := got[f.ids["甲"]]
	if a.Excluded != nil || a.Name != "甲科技有限公司" || a.CreditCode != code(0) ||
		a.Figures[insight.MuTaxes] != 5_000_000_00 || a.Figures[insight.MuLand] != 100_00 || a.Figures[insight.MuEmployees] != 200 {
		t.Fatalf("甲 = %+v", a)
	}
	// Registered on 31 Dec 2020: three years by the end of 2023, evaluated.
	if r := got[f.ids["乙"]]; r.Excluded != nil {
		t.Fatalf("乙, registered exactly three years before the year's end, was left out: %+v", r.Excluded)
	}
	for name, want := range map[string]string{
		"新办": "新办企业（2021-01-01 成立，至 2023 年底不满 3 年）免于评价",
		"在建": "在建企业（2023 年无营业收入）免于评价",
		"电厂": "公用事业（国民经济行业分类门类 D：电力、热力、燃气及水生产和供应业）免于评价",
	} {
		if r := got[f.ids[name]]; r.Excluded == nil || r.Excluded.ZH != want {
			t.Errorf("%s excluded = %+v, want %q", name, r.Excluded, want)
		}
	}
	// A missing figure is no exemption: the engine leaves it out with the reason.
	if r := got[f.ids["缺能耗"]]; r.Excluded != nil {
		t.Errorf("缺能耗 was exempted: %+v", r.Excluded)
	}
	if _, has := got[f.ids["缺能耗"]].Figures[insight.MuEnergy]; has {
		t.Error("a missing energy figure was given a value")
	}

	// Ranked by the engine with the proposed formula.
	res := rankMu(t, f, 2023)
	var order []string
	for _, e := range res.Entries {
		order = append(order, e.Name)
	}
	if fmt.Sprint(order) != "[甲科技有限公司 乙科技有限公司 丙科技有限公司 丁科技有限公司]" {
		t.Fatalf("order = %v", order)
	}
	wantRaw := [][]string{
		{"50000.000000", "200000.000000", "20000.000000", "0.030000", "100000.000000"},
		{"30000.000000", "100000.000000", "50000.000000", "0.050000", "50000.000000"},
	}
	for i, w := range wantRaw {
		for j, raw := range w {
			if g := res.Entries[i].Terms[j].Raw.String(); g != raw {
				t.Errorf("%s term %s raw = %s, want %s", order[i], res.Entries[i].Terms[j].Code, g, raw)
			}
		}
	}
	// 甲: tax 3/3·40 + va/mu 3/3·20 + va/energy 2/3·15 + rd 2/3·15 +
	// labour 3/3·10, where 2/3 is 0.666667 in millionths (the engine's one
	// rounding): 40 + 20 + 10.000005 + 10.000005 + 10.
	if g := res.Entries[0].Total.String(); g != "90.000010" {
		t.Errorf("甲's total = %s", g)
	}
	grades := ""
	for _, e := range res.Entries {
		grades += e.Grade
	}
	if grades != "ABBC" {
		t.Errorf("grades of 4 = %s, want ABBC", grades)
	}
	reasons := map[int64]string{}
	for _, x := range res.Excluded {
		reasons[x.EnterpriseID] = x.Reason.ZH
	}
	if reasons[f.ids["缺能耗"]] != "缺少数据：单位能耗工业增加值" || len(res.Excluded) != 4 {
		t.Errorf("excluded = %+v", res.Excluded)
	}
}

func subjectOf(s *award.Service, code string) (award.Subject, bool) {
	for _, sub := range s.Subjects() {
		if sub.Code == code {
			return sub, true
		}
	}
	return award.Subject{}, false
}

func rankMu(t *testing.T, f *muFixture, year int) award.Result {
	n := insight.MuProgramme(2024, year)
	res, err := f.A.Award.Compute(f.ctx, award.Programme{Kind: n.Kind, Quota: n.Quota, Rules: n.Rules})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The classes by place: (p − 1) × 100 < n × cumulative percent (25, 70,
// 95, 100), so A is the first 25 % rounded up, and D is whatever is left
// after 95 % rounded up.
func TestMuClassEdges(t *testing.T) {
	for _, c := range []struct {
		n          int
		a, b, c, d int
	}{
		{1, 1, 0, 0, 0},
		{2, 1, 1, 0, 0},
		{3, 1, 2, 0, 0},
		{4, 1, 2, 1, 0},
		{19, 5, 9, 5, 0},
		{20, 5, 9, 5, 1},
		{21, 6, 9, 5, 1},
		{40, 10, 18, 10, 2},
		{100, 25, 45, 25, 5},
		{101, 26, 45, 25, 5},
	} {
		cands := make([]award.Candidate, c.n)
		for i := range cands {
			cands[i] = award.Candidate{EnterpriseID: int64(i + 1), CreditCode: fmt.Sprintf("%03d", i), Inputs: []award.Input{
				{Num: int64(1000 - i), HasNum: true, Den: 1, HasDen: true}}}
		}
		rules := insight.MuProgramme(2024, 2023).Rules
		rules.Terms = []award.Term{{Code: "x", NameZH: "x", Source: award.SourceRatio, Transform: award.TransformPercentile, Weight: 100}}
		res := award.Rank(rules, award.KindPrize, 0, []award.Scales{{}}, cands)
		count := map[string]int{}
		prev := "A"
		for _, e := range res.Entries {
			count[e.Grade]++
			if e.Grade < prev {
				t.Errorf("n=%d: grade %s after %s", c.n, e.Grade, prev)
			}
			prev = e.Grade
		}
		if count["A"] != c.a || count["B"] != c.b || count["C"] != c.c || count["D"] != c.d {
			t.Errorf("n=%d: classes %v, want A%d B%d C%d D%d", c.n, count, c.a, c.b, c.c, c.d)
		}
	}
}

func TestMuEvaluationEndToEnd(t *testing.T) {
	f := newMuFixture(t)
	f.seed()
	ctx := f.ctx
	sup := insight.Viewer{UserID: 1, Role: org.Supervisor}
	mu := f.A.Insight.Mu(f.A.Award)
	for _, v := range []insight.Viewer{{UserID: 4, Role: org.Admin}, {UserID: 3, Role: org.UnitStaff, UnitID: 1}, {}} {
		if _, err := mu.Start(ctx, v, 2023); errs.As(err).Code != errs.Forbidden {
			t.Fatalf("%q started the evaluation: %v", v.Role, err)
		}
	}
	p, err := mu.Start(ctx, insight.Viewer{UserID: 5, Role: org.Leader}, 2023)
	if err != nil {
		t.Fatalf("start: %v %+v", err, errs.As(err).Details)
	}
	if p.Rules.Subject != insight.MuSubjectCode || p.Rules.DataYear != 2023 || !p.Rules.Grading.Enabled || p.State != award.StateDraft {
		t.Fatalf("programme = %+v", p)
	}
	step := func(to string) {
		t.Helper()
		if _, err := f.A.Award.Advance(ctx, p.ID, to); err != nil {
			t.Fatalf("advance to %s: %v %+v", to, err, errs.As(err).Details)
		}
	}
	step(award.StateOpen)
	step(award.StateReview)
	if _, err := f.A.Award.RankProgramme(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	step(award.StateNotice)
	if _, err := mu.ApplyClasses(ctx, sup, p.ID); errs.As(err).Code != errs.Conflict {
		t.Fatalf("classes applied while on notice: %v", err)
	}
	// An objection: 丁's taxes were twice what the statistics said. The
	// registry is corrected and the upheld objection re-ranks from it.
	// Its candidates are the registry's enterprises: an objection names
	// one entry of the notice, and one not on it is refused.
	if _, err := f.A.Award.FileObjection(ctx, p.ID, award.NewObjection{EnterpriseID: f.ids["乙"] + 1000, Name: "张三", Contact: "138",
		Reason: "这家企业的用地面积统计有误，请核实。"}, nil); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "enterprise_id" {
		t.Fatalf("an objection naming an enterprise not on the notice: %v", err)
	}
	obj, err := f.A.Award.FileObjection(ctx, p.ID, award.NewObjection{EnterpriseID: f.ids["丁"], Name: "张三", Contact: "138", Indicator: insight.MuTaxes,
		Reason: "丁科技有限公司 2023 年实缴税收为 200 万元，统计数据有误。"}, nil)
	if err != nil {
		t.Fatalf("objection: %v %+v", err, errs.As(err).Details)
	}
	if os, err := f.A.Award.Objections(ctx, p.ID); err != nil || len(os) != 1 || os[0].EnterpriseID != f.ids["丁"] || os[0].EnterpriseName != "丁科技有限公司" {
		t.Fatalf("the objections = %+v (%v)", os, err)
	}
	if err := f.A.Enterprise.SetFigures(ctx, registryStaff, f.ids["丁"], []enterprise.FigureInput{
		{Indicator: "taxes", Year: 2023, Value: 2_000_000_00, Source: enterprise.FromStats}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.A.Award.Decide(ctx, obj.ID, true, "经核实，丁科技有限公司税收数据已在企业库更正。", nil); err != nil {
		t.Fatalf("decide: %v %+v", err, errs.As(err).Details)
	}
	r, err := f.A.Award.LatestRound(ctx, p.ID)
	if err != nil || r.Round != 2 {
		t.Fatalf("round after the objection = %d (%v)", r.Round, err)
	}
	if g := r.Result.Entries[2].Terms[0].Raw.String(); r.Result.Entries[2].EnterpriseID != f.ids["丁"] || g != "40000.000000" {
		t.Fatalf("丁's tax per mu after the correction = %s", g)
	}
	f.now = f.now.Add(8 * 24 * time.Hour)
	step(award.StateConfirmed)

	before, err := f.A.Enterprise.LastChange(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Only a supervisor records the classes: a leader, who may start the
	// evaluation, does not write the registry.
	for _, v := range []insight.Viewer{
		{UserID: 2, Role: org.Enterprise, EnterpriseID: f.ids["甲"]},
		{UserID: 3, Role: org.UnitStaff, UnitID: 1},
		{UserID: 4, Role: org.Admin},
		{UserID: 5, Role: org.Leader},
		{},
	} {
		if _, err := mu.ApplyClasses(ctx, v, p.ID); errs.As(err).Code != errs.Forbidden {
			t.Errorf("%s applied classes: %v", v.Role, err)
		}
	}
	if c, _ := f.A.Enterprise.ClassesOf(ctx, nil, enterprise.ClassMu, 2023); len(c) != 0 {
		t.Fatalf("a refused caller wrote classes: %v", c)
	}
	applied, err := mu.ApplyClasses(ctx, sup, p.ID)
	if err != nil {
		t.Fatalf("apply: %v %+v", err, errs.As(err).Details)
	}
	if applied.Year != 2023 || applied.Counts != [4]int{1, 2, 1, 0} {
		t.Fatalf("applied = %+v", applied)
	}
	classes, err := f.A.Enterprise.ClassesOf(ctx, nil, enterprise.ClassMu, 2023)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{}
	for i, e := range r.Result.Entries {
		want[e.EnterpriseID] = "ABBC"[i : i+1]
	}
	if fmt.Sprint(classes) != fmt.Sprint(want) {
		t.Fatalf("registry classes = %v, want %v", classes, want)
	}
	if hist, _ := f.A.Enterprise.ClassOf(ctx, nil, f.ids["甲"], enterprise.ClassMu); len(hist) != 1 || hist[0].Class != "A" || hist[0].Source != p.ID {
		t.Fatalf("甲's classes = %+v", hist)
	}
	// The change feed names the four enterprises in 2023.
	feed, err := f.A.Enterprise.Changes(ctx, nil, before, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var fed []int64
	feed = slices.DeleteFunc(feed, func(c enterprise.FeedEntry) bool { return c.Seq <= before })
	for _, c := range feed {
		if c.Year == 2023 {
			fed = append(fed, c.EnterpriseID)
		}
	}
	slices.Sort(fed)
	if len(fed) != 4 || len(feed) != 4 {
		t.Fatalf("feed after applying = %+v", feed)
	}
	// The registry's list filters on the class.
	for class, names := range map[string][]string{"A": {"甲"}, "B": {"乙", "丁"}, "C": {"丙"}, "D": nil} {
		var ids []int64
		for _, n := range names {
			ids = append(ids, f.ids[n])
		}
		slices.Sort(ids)
		for _, year := range []int{2023, 0} {
			pg, err := f.A.Enterprise.List(ctx, registryStaff, enterprise.Filter{Class: class, ClassYear: year})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range pg.Items {
				got = append(got, e.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(ids) {
				t.Errorf("class %s of %d lists %v, want %v", class, year, got, ids)
			}
		}
	}
	if pg, _ := f.A.Enterprise.List(ctx, registryStaff, enterprise.Filter{Class: "A", ClassYear: 2022}); len(pg.Items) != 0 {
		t.Errorf("class A of 2022 lists %+v", pg.Items)
	}
	if _, err := f.A.Enterprise.List(ctx, registryStaff, enterprise.Filter{Class: "E"}); errs.As(err).Code != errs.Invalid {
		t.Errorf("an unknown class: %v", err)
	}
	// The page's year: this programme, applied, with the counts.
	y, err := mu.Year(ctx, sup, 0)
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2023 || y.Counts != [4]int{1, 2, 1, 0} || len(y.Programmes) != 1 || !y.Programmes[0].Applied || !y.Programmes[0].Final || y.Source != p.ID {
		t.Fatalf("year = %+v", y)
	}
	if _, err := mu.Year(ctx, insight.Viewer{Role: org.Enterprise, EnterpriseID: f.ids["甲"]}, 0); errs.As(err).Code != errs.Forbidden {
		t.Fatalf("an enterprise read the evaluation: %v", err)
	}
	// Applying again changes nothing and feeds nothing.
	last, _ := f.A.Enterprise.LastChange(ctx, nil)
	if _, err := mu.ApplyClasses(ctx, sup, p.ID); err != nil {
		t.Fatal(err)
	}
	if again, _ := f.A.Enterprise.LastChange(ctx, nil); again != last {
		t.Fatalf("a repeat fed the change feed: %d → %d", last, again)
	}
}
