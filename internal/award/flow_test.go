package award

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/office/officetest"
	"gaoxin/internal/org"
)

// techRules is a small 科技创新 formula: R&D intensity, tax per mu (亩均),
// revenue growth and the expert panel.
func techRules() Rules {
	return Rules{DataYear: 2022, RequireApplication: true,
		Eligibility: Eligibility{TiersAny: []string{"hnte"}, NoFlag: true, RequiredFigures: []string{"revenue"}},
		Terms: []Term{
			{Code: "rd", NameZH: "研发投入强度", Source: SourceRatio, Indicator: "rd_spend", Denominator: "revenue", Transform: TransformBenchmark, Benchmark: 50_000, Weight: 30, Cap: 2 * One},
			{Code: "mu", NameZH: "亩均税收", Source: SourceRatio, Indicator: "taxes", Denominator: "land", Transform: TransformMinMax, Weight: 30},
			{Code: "g", NameZH: "营收增长", Source: SourceGrowth, Indicator: "revenue", Transform: TransformPercentile, Weight: 20},
			{Code: "ex", NameZH: "专家评分", Source: SourceExpert, Transform: TransformBenchmark, Benchmark: 100 * One, Weight: 20},
		},
		Criteria: []Criterion{{Code: "inno", NameZH: "创新能力", Max: 60}, {Code: "mgmt", NameZH: "管理水平", Max: 40}},
		Money:    MoneyRule{Kind: "bands", Bands: []Band{{ToRank: 1, AmountFen: 100_000_00}, {ToRank: 2, AmountFen: 50_000_00}}},
	}
}

type flowWorld struct {
	*fixture
	prog             Programme
	e1, e2, e3       int64
	u1, u2           int64
	sup, leader      int64
	rev1, rev2, rev3 int64
	app1, app2       Application
}

// pdf is the smallest file that sniffs as a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func newFlow(t *testing.T) *flowWorld {
	f := newFixture(t)
	w := &flowWorld{fixture: f}
	w.e1 = f.mustCreateEnterprise("91410100MA000001XA", "郑州演示甲科技有限公司", "2015-05-01")
	w.e2 = f.mustCreateEnterprise("91410100MA000002XB", "郑州演示乙电子有限公司", "2018-01-01")
	w.e3 = f.mustCreateEnterprise("91410100MA000003XC", "郑州演示丙材料有限公司", "2019-01-01")
	for i, e := range []int64{w.e1, w.e2, w.e3} {
		f.mustAddTier(e, "hnte", "")
		f.fig(e, "revenue", 2021, 100_000_00)
		f.fig(e, "revenue", 2022, int64(110_000_00+i*10_000_00))
		f.fig(e, "rd_spend", 2022, int64(5_000_00+i*2_000_00))
		f.fig(e, "taxes", 2022, int64(10_000_00*(i+1)))
		f.fig(e, "land", 2022, 1000) // 10.00 亩
	}
	// A self-reported figure ranks below statistics: it must not be used.
	f.mustSetFigure(w.e1, "taxes", 2022, "self", 99_000_000_00, "confirmed")
	w.u1 = f.mustCreateUser("ent1", "enterprise", w.e1)
	w.u2 = f.mustCreateUser("ent2", "enterprise", w.e2)
	w.sup = f.mustCreateUser("sup", "supervisor", 0)
	w.leader = f.mustCreateUser("lead", "leader", 0)
	w.rev1 = f.mustCreateUser("rev1", "reviewer", 0)
	w.rev2 = f.mustCreateUser("rev2", "reviewer", 0)
	w.rev3 = f.mustCreateUser("rev3", "reviewer", 0)
	w.prog = ok(f.S.CreateProgramme(f.as(w.sup), NewProgramme{Year: 2023, NameZH: "2023 科技创新20强", NameEN: "Top 20 innovators 2023",
		Kind: KindRanking, Quota: 2, BudgetFen: 200_000_00, NoticeDays: 5, Rules: techRules()}))(t)
	ok(f.S.Advance(f.as(w.sup), w.prog.ID, StateOpen))(t)
	w.app1 = ok(f.S.Apply(f.as(w.u1), w.prog.ID, w.e1, "我们的研发投入强度高于行业水平，申请本奖项。", "张三 13800000000", []File{{Name: "证明.pdf", Data: pdf}}))(t)
	w.app2 = ok(f.S.Apply(f.as(w.u2), w.prog.ID, w.e2, "本企业亩均税收位居园区前列，特此申报。", "李四 13900000000", nil))(t)
	return w
}

// review takes the world through the formal check and the panel: rev3 is
// linked to e2 and excluded automatically; rev2 recuses from e1.
func (w *flowWorld) review(t *testing.T) {
	s, sup := w.S, w.as(w.sup)
	ok(s.Check(sup, w.app1.ID, true, ""))(t)
	ok(s.Check(sup, w.app2.ID, true, ""))(t)
	ok(s.Advance(sup, w.prog.ID, StateReview))(t)
	if err := s.SetAffiliations(w.as(w.rev3), w.rev3, "郑州演示乙电子有限公司\n"); err != nil {
		t.Fatal(err)
	}
	var asg = map[[2]int64]Assignment{}
	for _, app := range []int64{w.app1.ID, w.app2.ID} {
		for _, rev := range []int64{w.rev1, w.rev2, w.rev3} {
			asg[[2]int64{app, rev}] = ok(s.Assign(sup, app, rev))(t)
		}
	}
	if g := asg[[2]int64{w.app2.ID, w.rev3}]; g.State != "conflict" || !strings.Contains(g.Reason, "郑州演示乙电子有限公司") {
		t.Fatalf("conflict not detected: %+v", g)
	}
	if err := s.Recuse(w.as(w.rev2), asg[[2]int64{w.app1.ID, w.rev2}].ID, w.rev2, "曾为该企业提供咨询"); err != nil {
		t.Fatal(err)
	}
	score := func(app, rev int64, inno, mgmt string) {
		t.Helper()
		ok(s.SubmitScores(w.as(rev), asg[[2]int64{app, rev}].ID, rev, []Score{{Criterion: "inno", Value: inno, Comment: "好"}, {Criterion: "mgmt", Value: mgmt}}))(t)
	}
	score(w.app1.ID, w.rev1, "50", "30")   // 80
	score(w.app1.ID, w.rev3, "55", "35.5") // 90.5 → e1 panel 85.25
	score(w.app2.ID, w.rev1, "40", "30")   // 70
	score(w.app2.ID, w.rev2, "45", "35")   // 80 → e2 panel 75
	if _, err := s.SubmitScores(w.as(w.rev3), asg[[2]int64{w.app2.ID, w.rev3}].ID, w.rev3, []Score{{Criterion: "inno", Value: "60"}, {Criterion: "mgmt", Value: "40"}}); err == nil {
		t.Fatal("a reviewer in conflict scored")
	}
}

func TestFullProgrammeFlow(t *testing.T) {
	w := newFlow(t)
	s, sup := w.S, w.as(w.sup)
	w.review(t)
	r1 := ok(s.RankProgramme(sup, w.prog.ID))(t)
	// e3 did not apply: only e1 and e2 are candidates.
	if len(r1.Result.Entries) != 2 || len(r1.Result.Excluded) != 0 {
		t.Fatalf("round 1 = %+v", r1.Result)
	}
	// e1: rd 5,000/110,000 = 0.045455 → 0.9091 → 27.273; tax/亩 10,000/10 = 1,000 (min) → 0;
	// growth 10% (lowest) → 0; panel 85.25 → 0.8525 → 17.05. Total 44.323.
	// e2: rd 7,000/120,000 = 0.058333 → 1.16666 → 34.9998; 2,000 (max) → 30; 20% → 20; 75 → 15. Total 99.9998.
	e := r1.Result.Entries
	if e[0].EnterpriseID != w.e2 || e[0].Total.String() != "99.999800" || e[1].Total.String() != "44.323000" {
		t.Fatalf("round 1 scores = %s %s, %s %s", e[0].Name, e[0].Total, e[1].Name, e[1].Total)
	}
	again := ok(s.Compute(sup, w.prog))(t)
	if b, d := again.JSON(); d != r1.Digest || !bytes.Equal(b, must(r1.Result.JSON())) {
		t.Fatal("ranking twice gave different bytes")
	}
	ok(s.Advance(sup, w.prog.ID, StateNotice))(t)
	if _, err := s.Advance(sup, w.prog.ID, StateConfirmed); err == nil {
		t.Fatal("confirmed before the notice period ended")
	}
	obj := ok(s.FileObjection(w.ctx, w.prog.ID, NewObjection{EnterpriseID: w.e2, Name: "王五", Contact: "wang@example.com",
		Reason: "乙公司 2022 年税收数据有误，实际仅为一千元。"}, []File{{Name: "举报.pdf", Data: pdf}}))(t)
	if _, err := s.Advance(sup, w.prog.ID, StateConfirmed); err == nil {
		t.Fatal("confirmed with an undecided objection")
	}
	w.now = w.now.Add(6 * 24 * time.Hour)
	ok(s.Decide(sup, obj.ID, true, "经税务部门核实，乙公司 2022 年税收应为 1,000 元。",
		[]Correction{{Kind: "figure", EnterpriseID: w.e2, Indicator: "taxes", Year: 2022, Value: 1_000_00}}))(t)
	r2 := ok(s.LatestRound(sup, w.prog.ID))(t)
	if r2.Round != 2 || !strings.Contains(r2.Cause, "异议") || r2.Digest == r1.Digest {
		t.Fatalf("re-rank after objection = round %d %q", r2.Round, r2.Cause)
	}
	// The result changed: the notice starts again for its 5 days.
	if _, err := s.Advance(sup, w.prog.ID, StateConfirmed); err == nil {
		t.Fatal("confirmed before the restarted notice ended")
	}
	w.now = w.now.Add(5*24*time.Hour + time.Millisecond)
	if _, err := s.FileObjection(w.ctx, w.prog.ID, NewObjection{Name: "迟到者", Contact: "x", Reason: "公示期结束后提出的异议。"}, nil); err == nil {
		t.Fatal("objection accepted after the notice closed")
	}
	ok(s.Advance(sup, w.prog.ID, StateConfirmed))(t)
	if _, err := s.RankProgramme(sup, w.prog.ID); err == nil {
		t.Fatal("a confirmed list was re-ranked")
	}
	grants := ok(s.Grants(sup, w.prog.ID, 0))(t)
	if len(grants) != 2 || grants[0].AmountFen != 100_000_00 || grants[1].AmountFen != 50_000_00 {
		t.Fatalf("grants = %+v", grants)
	}
	g := grants[0]
	p1, replay, err := s.RequestPayment(sup, g.ID, "pay-1", PaymentRequest{AmountFen: g.AmountFen, Note: "一次性兑现"})
	if err != nil || replay {
		t.Fatal(err, replay)
	}
	if p, replay, err := s.RequestPayment(sup, g.ID, "pay-1", PaymentRequest{AmountFen: g.AmountFen, Note: "一次性兑现"}); err != nil || !replay || p.ID != p1.ID {
		t.Fatalf("replay = %+v %v %v", p, replay, err)
	}
	if _, _, err := s.RequestPayment(sup, g.ID, "pay-1", PaymentRequest{AmountFen: 1}); asErr(err).Code != "conflict" {
		t.Fatalf("same key, other body: %v", err)
	}
	if _, err := s.Approve(sup, p1.ID); asErr(err).Code != "forbidden" {
		t.Fatalf("requester approved own payment: %v", err)
	}
	ok(s.Approve(w.as(w.leader), p1.ID))(t)
	w.now = time.Date(2023, 9, 1, 9, 0, 0, 0, time.UTC) // payment dates may not lie ahead of today
	ok(s.MarkPaid(sup, p1.ID, "记-2023-0815", "2023-08-15"))(t)
	if _, _, err := s.RequestPayment(sup, g.ID, "pay-2", PaymentRequest{AmountFen: 1}); asErr(err).Code != "conflict" {
		t.Fatalf("second payment of a paid grant: %v", err)
	}
	ok(s.Reverse(sup, p1.ID, "收款账户有误，退回重付", "2023-08-20"))(t)
	if _, err := s.Reverse(sup, p1.ID, "again", "2023-08-21"); err == nil {
		t.Fatal("reversed twice")
	}
	g = ok(s.Grant(sup, g.ID))(t)
	if g.PaidFen != 0 || g.RemainingFen != g.AmountFen {
		t.Fatalf("after reversal: %+v", g)
	}
	var entries int
	w.DB.R.QueryRow("SELECT COUNT(*) FROM award_ledger WHERE grant_id=$1", g.ID).Scan(&entries)
	if entries != 2 {
		t.Fatalf("ledger entries = %d, want payment + reversal", entries)
	}
	p2, _, _ := s.RequestPayment(sup, g.ID, "pay-3", PaymentRequest{AmountFen: g.AmountFen})
	ok(s.Approve(w.as(w.leader), p2.ID))(t)
	ok(s.MarkPaid(sup, p2.ID, "记-2023-0901", "2023-09-01"))(t)
	if v := ok(s.YearPaid(sup, 2023))(t); v != g.AmountFen {
		t.Fatalf("paid in 2023 = %d", v)
	}
	tot := ok(s.Totals(sup, 2023))(t)
	if len(tot) != 1 || tot[0].GrantedFen != 150_000_00 || tot[0].PaidFen != g.AmountFen {
		t.Fatalf("totals = %+v", tot)
	}
	var buf bytes.Buffer
	if err := s.ExportPayments(sup, Viewer{UserID: w.sup, Role: org.Supervisor}, w.prog.ID, &buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("付款清单")
	if len(rows) != 7 || rows[len(rows)-1][3] != "150,000.00" || rows[len(rows)-1][9] != "100,000.00" {
		t.Fatalf("export rows = %q", rows)
	}
	var audits int
	w.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'award.%'").Scan(&audits)
	if audits < 30 {
		t.Fatalf("only %d award audit rows", audits)
	}
	// The trail asks the audit log for every object of the programme: the
	// same rows as one query over both modules' tables gives.
	trail := ok(s.Trail(sup, w.prog.ID, 1000))(t)
	var want int
	w.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE (object_type='award_programme' AND object_id=$1)
		OR (object_type='award_application' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_applications WHERE programme_id=$2))
		OR (object_type='award_assignment' AND object_id IN (SELECT CAST(g.id AS TEXT) FROM panel_assignments g JOIN award_applications a ON a.id=g.subject_id AND g.subject_kind='award_application' WHERE a.programme_id=$2))
		OR (object_type='award_objection' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_objections WHERE programme_id=$2))
		OR (object_type='award_grant' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_grants WHERE programme_id=$2))
		OR (object_type='award_payment' AND object_id IN (SELECT CAST(p.id AS TEXT) FROM award_payments p JOIN award_grants g ON g.id=p.grant_id WHERE g.programme_id=$2))
		OR (object_type='award_ledger' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_ledger WHERE programme_id=$2))`,
		idStr(w.prog.ID), w.prog.ID).Scan(&want)
	types := map[string]bool{}
	for i, r := range trail {
		types[r.ObjectType] = true
		if i > 0 && r.ID >= trail[i-1].ID {
			t.Fatal("trail not newest first")
		}
	}
	if len(trail) != want || !types["award_programme"] || !types["award_application"] || !types["award_assignment"] || !types["award_grant"] || !types["award_payment"] {
		t.Fatalf("trail has %d rows of %v, want %d", len(trail), types, want)
	}
}

func must(b []byte, _ string) []byte { return b }

// TestBadInputRefused walks the bad-input list: each is refused with
// a reason and writes nothing.
func TestBadInputRefused(t *testing.T) {
	w := newFlow(t)
	s, sup := w.S, w.as(w.sup)
	count := func() int {
		var n int
		w.DB.R.QueryRow(`SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM award_payments) + (SELECT COUNT(*) FROM panel_scores)
			+ (SELECT COUNT(*) FROM award_objections) + (SELECT COUNT(*) FROM award_programmes WHERE state <> 'draft')`).Scan(&n)
		return n
	}
	draft := func(edit func(*Rules)) int64 {
		r := techRules()
		edit(&r)
		return ok(s.CreateProgramme(sup, NewProgramme{Year: 2023, NameZH: "坏规则", Kind: KindRanking, Quota: 2, BudgetFen: 1, NoticeDays: 5, Rules: r}))(t).ID
	}
	// A draft saved before weights were checked on save: opening still checks them.
	badWeights := draft(func(r *Rules) {})
	w.exec("UPDATE award_programmes SET rules_json=$1 WHERE id=$2", func() string {
		r := techRules()
		r.Terms[0].Weight = 20
		b, _ := json.Marshal(r)
		return string(b)
	}(), badWeights)
	badFigure := draft(func(r *Rules) { r.Terms[1].Indicator = "profit" })
	zeroBench := draft(func(r *Rules) { r.Terms[0].Benchmark = 0 })
	cases := []struct {
		name, want string
		do         func() error
	}{
		{"weights do not sum", "weights sum to 90", func() error {
			_, err := s.Advance(sup, badWeights, StateOpen)
			return err
		}},
		{"term on a missing figure", "no figure profit", func() error {
			_, err := s.Advance(sup, badFigure, StateOpen)
			return err
		}},
		{"zero benchmark", "no division by zero", func() error {
			_, err := s.Advance(sup, zeroBench, StateOpen)
			return err
		}},
		{"evidence of the wrong type", "does not match", func() error {
			_, err := s.Apply(w.as(w.u1), w.prog.ID, w.e3, "伪装成 PDF 的文本文件，应当被拒绝。", "x", []File{{Name: "a.pdf", Data: []byte("hello")}})
			return err
		}},
		{"an archive renamed .docx", "renamed archive", func() error {
			_, err := s.Apply(w.as(w.u1), w.prog.ID, w.e3, "改了扩展名的压缩包，不是 Word 文档。", "x", []File{{Name: "说明.docx", Data: officetest.Archive(t, "readme.txt")}})
			return err
		}},
		{"objection before the notice", "notice period is closed", func() error {
			_, err := s.FileObjection(w.ctx, w.prog.ID, NewObjection{Name: "a", Contact: "b", Reason: "还没有公示就提出异议。"}, nil)
			return err
		}},
	}
	for _, c := range cases {
		before := count()
		err := c.do()
		if err == nil || !strings.Contains(asErr(err).Error()+detailText(err), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if after := count(); after != before {
			t.Errorf("%s: refused but wrote (%d → %d)", c.name, before, after)
		}
	}
	// Scoring an application not assigned to you, and a payment above budget.
	w.review(t)
	var other int64
	w.DB.R.QueryRow("SELECT id FROM panel_assignments WHERE reviewer_id=$1 ORDER BY id LIMIT 1", w.rev1).Scan(&other)
	before := count()
	if _, err := s.SubmitScores(w.as(w.rev2), other, w.rev2, []Score{{Criterion: "inno", Value: "1"}, {Criterion: "mgmt", Value: "1"}}); asErr(err).Code != "not_found" {
		t.Errorf("scoring someone else's assignment: %v", err)
	}
	if _, err := s.SubmitScores(w.as(w.rev1), other, w.rev1, []Score{{Criterion: "inno", Value: "61"}, {Criterion: "mgmt", Value: "1"}}); err == nil {
		t.Error("score above the maximum accepted")
	}
	if count() != before {
		t.Error("refused scores wrote")
	}
	// A missing figure excludes with the reason, never scores zero.
	w.exec("DELETE FROM enterprise_figures WHERE enterprise_id=$1 AND indicator='land'", w.e1)
	res := ok(s.Compute(sup, w.prog))(t)
	if len(res.Excluded) != 1 || res.Excluded[0].EnterpriseID != w.e1 || res.Excluded[0].Reason.ZH != "缺少数据：亩均税收" {
		t.Fatalf("missing land area: %+v", res.Excluded)
	}
	w.fig(w.e1, "land", 2022, 0)
	res = ok(s.Compute(sup, w.prog))(t)
	if len(res.Excluded) != 1 || !strings.Contains(res.Excluded[0].Reason.ZH, "分母为 0") {
		t.Fatalf("zero land area: %+v", res.Excluded)
	}
}

func detailText(err error) string {
	var b strings.Builder
	for _, d := range asErr(err).Details {
		b.WriteString(" " + d.Field + ": " + d.ReasonEN)
	}
	return b.String()
}

func TestEligibilityReasons(t *testing.T) {
	f := newFixture(t)
	sup := f.as(f.mustCreateUser("sup", "supervisor", 0))
	ok1 := f.mustCreateEnterprise("C1", "合格企业", "2010-01-01")
	young := f.mustCreateEnterprise("C2", "新设企业", "2022-06-01")
	noTier := f.mustCreateEnterprise("C3", "无资质企业", "2010-01-01")
	flagged := f.mustCreateEnterprise("C4", "失信企业", "2010-01-01")
	expired := f.mustCreateEnterprise("C5", "资质过期企业", "2010-01-01")
	for _, e := range []int64{ok1, young, noTier, flagged, expired} {
		f.fig(e, "taxes", 2022, 100)
		if e != noTier && e != expired {
			f.mustAddTier(e, "hnte", "2025-12-31")
		}
	}
	f.mustAddTier(expired, "hnte", "2021-12-31")
	ok(f.S.Registry.AddFlag(sup, enterprise.System, flagged, "严重失信", "列入严重失信主体名单"))(t)
	p := Programme{ID: 0, Year: 2023, Kind: KindPrize, Rules: Rules{DataYear: 2022,
		Eligibility: Eligibility{TiersAny: []string{"hnte"}, MinYearsInZone: 2, NoFlag: true},
		Terms:       []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}
	res := ok(f.S.Compute(sup, p))(t)
	why := map[int64]string{}
	for _, x := range res.Excluded {
		why[x.EnterpriseID] = x.Reason.ZH
	}
	if len(res.Entries) != 1 || res.Entries[0].EnterpriseID != ok1 {
		t.Fatalf("ranked = %+v", res.Entries)
	}
	for id, want := range map[int64]string{young: "注册不满 2 年", noTier: "不具备所需资质", flagged: "严重失信", expired: "不具备所需资质"} {
		if !strings.Contains(why[id], want) {
			t.Errorf("enterprise %d excluded for %q, want %q", id, why[id], want)
		}
	}
}

func TestObjectionsAreRateLimitedPerAddress(t *testing.T) {
	w := newFlow(t)
	s, sup := w.S, w.as(w.sup)
	w.review(t)
	ok(s.RankProgramme(sup, w.prog.ID))(t)
	ok(s.Advance(sup, w.prog.ID, StateNotice))(t)
	from := func(ip string) context.Context {
		return audit.WithActor(context.Background(), audit.Actor{Name: "anonymous", IP: ip})
	}
	n := NewObjection{Name: "甲", Contact: "x", Reason: "同一来源反复提交的异议内容。"}
	for i := 0; i < ObjectionsPerHour; i++ {
		ok(s.FileObjection(from("192.0.2.9"), w.prog.ID, n, nil))(t)
	}
	if _, err := s.FileObjection(from("192.0.2.9"), w.prog.ID, n, nil); asErr(err).Code != "rate_limited" {
		t.Fatalf("21st objection from one address: %v", err)
	}
	ok(s.FileObjection(from("192.0.2.10"), w.prog.ID, n, nil))(t)
}
