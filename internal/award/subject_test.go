package award

import (
	"context"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// fundSubject is a subject as another module would register it: rows it
// owns, which the test changes as that module's data would change.
func fundSubject(rows *[]SubjectRow, years *[]int) Subject {
	return Subject{Code: "test.funds", NameZH: "基金", NameEN: "funds",
		Figures: []enterprise.Indicator{
			{Code: "test.placed", NameZH: "投资金额", NameEN: "placed", Unit: "元", Scale: 2},
			{Code: "test.deals", NameZH: "项目数", NameEN: "deals", Unit: "个"},
			{Code: "test.early", NameZH: "早期项目数", NameEN: "early deals", Unit: "个"},
		},
		Rows: func(_ context.Context, _ db.Querier, year int) ([]SubjectRow, error) {
			*years = append(*years, year)
			return append([]SubjectRow(nil), *rows...), nil
		},
		Path: func(id int64) string { return "/funds/" + idStr(id) },
	}
}

func fundProgramme() NewProgramme {
	return NewProgramme{Year: 2023, NameZH: "十大优秀金融机构（测试）", Kind: KindRanking, Quota: 2, NoticeDays: 5,
		Rules: Rules{Subject: "test.funds", DataYear: 2023, Money: MoneyRule{Kind: MoneyNone}, Terms: []Term{
			{Code: "placed", NameZH: "投资金额", Source: SourceFigure, Indicator: "test.placed", Transform: TransformMinMax, Weight: 60},
			{Code: "early", NameZH: "早期项目占比", Source: SourceRatio, Indicator: "test.early", Denominator: "test.deals", Transform: TransformMinMax, Weight: 40},
		}}}
}

func TestSubjectProgrammeRanksAnotherModulesRecords(t *testing.T) {
	f := newFixture(t)
	s, ctx := f.S, f.ctx
	rows := []SubjectRow{
		{ID: 7, CreditCode: "91410100MA0000007X", Name: "甲创投", Figures: map[string]int64{"test.placed": 5_000_000_00, "test.deals": 4, "test.early": 1}},
		{ID: 8, CreditCode: "91410100MA0000008X", Name: "乙银行", Figures: map[string]int64{"test.placed": 2_000_000_00, "test.deals": 2, "test.early": 2}},
		{ID: 9, CreditCode: "91410100MA0000009X", Name: "丙天使", Figures: map[string]int64{"test.placed": 1_000_000_00, "test.deals": 1, "test.early": 0}},
		{ID: 10, CreditCode: "91410100MA0000010X", Name: "丁担保", Excluded: &Reason{"当年没有到位项目", "no deal funded in the year"}},
	}
	var years []int
	if _, err := s.CreateProgramme(ctx, fundProgramme()); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "subject" {
		t.Fatalf("a programme on an unregistered subject: %v", err)
	}
	s.RegisterSubject(fundSubject(&rows, &years))
	withBudget := fundProgramme()
	withBudget.BudgetFen = 100
	if _, err := s.CreateProgramme(ctx, withBudget); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "budget_fen" {
		t.Fatalf("an honour with a budget: %v", err)
	}
	p := ok(s.CreateProgramme(ctx, fundProgramme()))(t)
	ok(s.Advance(ctx, p.ID, StateOpen))(t)

	ent := f.mustCreateEnterprise("91410100MA0000001X", "申报企业", "2015-01-01")
	user := f.mustCreateUser("qy", "enterprise", ent)
	if _, err := s.Apply(f.as(user), p.ID, ent, "我们申报本年度十大优秀金融机构。", "张三 138", nil); errs.As(err).Code != errs.Conflict {
		t.Fatalf("an enterprise applied to a list of institutions: %v", err)
	}
	ok(s.Advance(ctx, p.ID, StateReview))(t)
	r1 := ok(s.RankProgramme(ctx, p.ID))(t)
	if years[len(years)-1] != 2023 {
		t.Fatalf("the subject was read for %v, want the data year 2023", years)
	}
	// 甲: placed (max) 60 + early 1/4 = 0.25 of 0..1 → 10 = 70. 乙: 1/4 of the
	// range of placed → 15 + early 1 → 40 = 55. 丙: 0 + 0 = 0.
	e := r1.Result.Entries
	if r1.Result.Subject != "test.funds" || len(e) != 3 || e[0].EnterpriseID != 7 || e[0].Total.String() != "70.000000" ||
		e[1].EnterpriseID != 8 || e[1].Total.String() != "55.000000" || !e[1].Winner || e[2].Winner {
		t.Fatalf("ranking = %+v", r1.Result)
	}
	if x := r1.Result.Excluded; len(x) != 1 || x[0].EnterpriseID != 10 || x[0].Reason.ZH != "当年没有到位项目" {
		t.Fatalf("excluded = %+v", x)
	}
	ok(s.Advance(ctx, p.ID, StateNotice))(t)
	// An enterprise whose id happens to be a ranked institution's has no
	// standing in the list.
	f.exec("UPDATE users SET enterprise_id = NULL WHERE id = $1", user)
	other := f.mustCreateUser("qy7", "enterprise", f.mustCreateEnterprise("91410100MA0000002X", "甲乙企业", "2015-01-01"))
	for ent := int64(0); ent < 7; {
		ent = f.mustCreateEnterprise("91410100MA000"+idStr(100+ent)+"X", "填充企业", "2015-01-01")
		f.exec("UPDATE users SET enterprise_id = $1 WHERE id = $2", ent, other)
	}
	if e, x, err := s.StandingOf(ctx, Viewer{UserID: other, Role: "enterprise"}, ok(s.Programme(ctx, p.ID))(t)); e != nil || x != nil || err != nil {
		t.Fatalf("an enterprise read an institution's standing: %+v %+v %v", e, x, err)
	}
	if _, err := s.FileObjection(ctx, p.ID, NewObjection{EnterpriseID: 8, Name: "张三", Contact: "138", Reason: "乙银行的贷款并未发放到位。"}, nil); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "enterprise_id" {
		t.Fatalf("an objection naming one entry by an id the registry does not own: %v", err)
	}
	obj := ok(s.FileObjection(ctx, p.ID, NewObjection{Name: "张三", Contact: "138", Indicator: "test.placed", Reason: "乙银行的一笔贷款并未发放到位。"}, nil))(t)
	if _, err := s.Decide(ctx, obj.ID, true, "核实", []Correction{{Kind: "exclude", EnterpriseID: 8}}); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "corrections" {
		t.Fatalf("a correction of another module's figures in the awards module: %v", err)
	}
	// The finance module corrects its record; the upheld objection re-ranks from it.
	rows[1].Figures = map[string]int64{"test.placed": 500_000_00, "test.deals": 1, "test.early": 0}
	ok(s.Decide(ctx, obj.ID, true, "经核实，乙银行一笔贷款未到位，已在科技金融模块更正。", nil))(t)
	r2 := ok(s.LatestRound(ctx, p.ID))(t)
	if r2.Round != 2 || r2.Result.Entries[1].EnterpriseID != 9 || r2.Result.Entries[2].EnterpriseID != 8 {
		t.Fatalf("after the upheld objection = %+v", r2.Result.Entries)
	}
	f.now = f.now.Add(6 * 24 * time.Hour)
	ok(s.Advance(ctx, p.ID, StateConfirmed))(t)
	var grants int
	if err := f.DB.R.QueryRow("SELECT COUNT(*) FROM award_grants WHERE programme_id=$1", p.ID).Scan(&grants); err != nil || grants != 0 {
		t.Fatalf("an honour made %d grants (%v)", grants, err)
	}
	w := ok(s.Words(ctx))(t)
	if zh, _ := w.Indicator("test.placed"); zh != "投资金额" {
		t.Fatalf("the subject's figure is named %q", zh)
	}
	if el := w.Eligibility(p.Rules); len(el) == 0 || !strings.Contains(el[0].ZH, "基金") {
		t.Fatalf("eligibility in words = %+v", el)
	}
}

func TestSubjectRulesRefuseWhatOnlyEnterprisesHave(t *testing.T) {
	f := newFixture(t)
	var rows []SubjectRow
	var years []int
	f.S.RegisterSubject(fundSubject(&rows, &years))
	n := fundProgramme()
	n.Rules.RequireApplication = true
	n.Rules.Eligibility.TiersAny = []string{"hnte"}
	n.Rules.Grading.ExemptTiers = []string{"hnte"}
	n.Rules.Money = MoneyRule{Kind: "fixed", AmountFen: 100}
	n.Rules.Terms[1] = Term{Code: "g", NameZH: "增长", Source: SourceGrowth, Indicator: "test.placed", Transform: TransformMinMax, Weight: 40}
	p := ok(f.S.CreateProgramme(f.ctx, n))(t)
	_, err := f.S.Advance(f.ctx, p.ID, StateOpen)
	got := map[string]bool{}
	for _, d := range errs.As(err).Details {
		got[d.Field] = true
	}
	for _, want := range []string{"require_application", "terms[1].source", "eligibility", "grading.exempt_tiers", "money.kind"} {
		if !got[want] {
			t.Errorf("opening did not name %s: %v", want, err)
		}
	}
	// A registry figure is no figure of this subject.
	n = fundProgramme()
	n.Rules.Terms[0].Indicator = "revenue"
	p = ok(f.S.CreateProgramme(f.ctx, n))(t)
	if _, err := f.S.Advance(f.ctx, p.ID, StateOpen); errs.As(err).Details == nil || errs.As(err).Details[0].Field != "terms[0].indicator" {
		t.Fatalf("a registry figure in a subject's formula: %v", err)
	}
}
