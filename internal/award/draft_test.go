package award

import (
	"strings"
	"testing"

	"gaoxin/internal/org"
)

// TestWeightsCheckedOnSave: a draft whose weights do not sum to 100 is not
// saved, by create or by edit, and the error names the field; a draft
// without terms yet may be saved.
func TestWeightsCheckedOnSave(t *testing.T) {
	f := newFixture(t)
	sup := f.as(f.mustCreateUser("sup", "supervisor", 0))
	n := NewProgramme{Year: 2023, NameZH: "权重检查", Kind: KindRanking, Quota: 2, BudgetFen: 100_00, NoticeDays: 5, Rules: techRules()}
	n.Rules.Terms[0].Weight = 25
	_, err := f.S.CreateProgramme(sup, n)
	if asErr(err).Code != "invalid" || !strings.Contains(detailText(err), "terms.weight: weights sum to 95") {
		t.Fatalf("create with weights summing to 95: %v%s", err, detailText(err))
	}
	for _, d := range asErr(err).Details {
		if d.Field == "terms.weight" && d.Reason != "各项权重之和为 95，应为 100" {
			t.Errorf("Chinese reason %q", d.Reason)
		}
	}
	n.Rules.Terms[0].Weight = 0
	n.Rules.Terms[1].Weight = 60
	if _, err := f.S.CreateProgramme(sup, n); !strings.Contains(detailText(err), "terms[0].weight") {
		t.Errorf("a zero weight: %v%s", err, detailText(err))
	}
	empty := n
	empty.Rules.Terms = nil
	p := ok(f.S.CreateProgramme(sup, empty))(t)
	n.Rules.Terms[0].Weight, n.Rules.Terms[1].Weight = 25, 30
	if _, err := f.S.UpdateProgramme(sup, p.ID, n); !strings.Contains(detailText(err), "terms.weight") {
		t.Errorf("edit with weights summing to 95: %v", err)
	}
	n.Rules.Terms[0].Weight = 30
	ok(f.S.UpdateProgramme(sup, p.ID, n))(t)
}

// TestPreviewRanksTheRegistryAndWritesNothing: before a programme opens,
// its rules rank the registry's figures of the data year with the same
// engine; expert terms are left out, exclusions are counted by reason, and
// nothing is written.
func TestPreviewRanksTheRegistryAndWritesNothing(t *testing.T) {
	w := newFlow(t)
	lone := w.mustCreateEnterprise("91410100MA000004XD", "无资质企业", "2015-01-01")
	w.fig(lone, "revenue", 2022, 100_00)
	n := NewProgramme{Year: 2023, NameZH: "预览", Kind: KindRanking, Quota: 2, NoticeDays: 5, Rules: techRules()}
	writes := func() int {
		var c int
		w.DB.R.QueryRow(`SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM award_rounds) + (SELECT COUNT(*) FROM award_programmes)`).Scan(&c)
		return c
	}
	before := writes()
	sup := Viewer{UserID: w.sup, Role: org.Supervisor}
	pv := ok(w.S.Preview(w.as(w.sup), sup, n))(t)
	if writes() != before {
		t.Error("preview wrote")
	}
	if len(pv.LeftOut) != 1 || pv.LeftOut[0] != "专家评分" || pv.DataYear != 2022 {
		t.Errorf("left out %v, data year %d", pv.LeftOut, pv.DataYear)
	}
	// Every operating enterprise is a candidate, applicant or not; the
	// ranking is the engine's over the three non-expert terms.
	r := techRules()
	r.Terms = r.Terms[:3]
	r.RequireApplication = false
	want := ok(w.S.Compute(w.ctx, Programme{Year: 2023, Kind: KindRanking, Quota: 2, Rules: r}))(t)
	if len(pv.Result.Entries) != 3 || len(want.Entries) != 3 {
		t.Fatalf("previewed %d, engine %d", len(pv.Result.Entries), len(want.Entries))
	}
	for i := range want.Entries {
		if pv.Result.Entries[i].EnterpriseID != want.Entries[i].EnterpriseID || pv.Result.Entries[i].Total != want.Entries[i].Total {
			t.Errorf("entry %d: %+v, want %+v", i, pv.Result.Entries[i], want.Entries[i])
		}
	}
	if len(pv.Reasons) != 1 || pv.Reasons[0].Count != 1 || !strings.Contains(pv.Reasons[0].Reason.ZH, "不具备所需资质") {
		t.Errorf("reasons %+v", pv.Reasons)
	}
	// Rules that cannot be applied are refused with every problem named.
	bad := n
	bad.Rules.Terms = append([]Term(nil), n.Rules.Terms...)
	bad.Rules.Terms[1].Indicator = "profit"
	if _, err := w.S.Preview(w.ctx, sup, bad); asErr(err).Code != "invalid" || !strings.Contains(detailText(err), "terms[1].indicator") {
		t.Errorf("preview of a missing figure: %v", err)
	}
	if _, err := w.S.Preview(w.ctx, Viewer{UserID: w.u1, Role: org.Enterprise}, n); asErr(err).Code != "forbidden" {
		t.Errorf("an enterprise previews: %v", err)
	}
}

// TestDeleteOnlyDrafts: a supervisor deletes a draft, audited with what it
// was; an open programme, and anyone but a supervisor, are refused.
func TestDeleteOnlyDrafts(t *testing.T) {
	w := newFlow(t)
	sup := Viewer{UserID: w.sup, Role: org.Supervisor}
	d := ok(w.S.CreateProgramme(w.as(w.sup), NewProgramme{Year: 2023, NameZH: "待删草稿", Kind: KindRanking, Quota: 2, NoticeDays: 5, Rules: techRules()}))(t)
	if err := w.S.DeleteProgramme(w.as(w.leader), Viewer{UserID: w.leader, Role: org.Leader}, d.ID); asErr(err).Code != "forbidden" {
		t.Errorf("a leader deletes: %v", err)
	}
	if err := w.S.DeleteProgramme(w.as(w.u1), Viewer{UserID: w.u1, Role: org.Enterprise}, d.ID); asErr(err).Code != "not_found" {
		t.Errorf("an enterprise deletes: %v", err)
	}
	if err := w.S.DeleteProgramme(w.as(w.sup), sup, w.prog.ID); asErr(err).Code != "conflict" || !strings.Contains(asErr(err).Msg, "只有草稿可以删除") {
		t.Errorf("delete an open programme: %v", err)
	}
	if err := w.S.DeleteProgramme(w.as(w.sup), sup, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.S.Programme(w.ctx, d.ID); asErr(err).Code != "not_found" {
		t.Errorf("deleted draft still there: %v", err)
	}
	rows := ok(w.S.Trail(w.ctx, d.ID, 10))(t)
	if len(rows) == 0 || rows[0].Action != "award.programme.delete" || !strings.Contains(string(rows[0].Before), "待删草稿") {
		t.Errorf("trail %+v", rows)
	}
	if err := w.S.DeleteProgramme(w.as(w.sup), sup, d.ID); asErr(err).Code != "not_found" {
		t.Errorf("delete twice: %v", err)
	}
}
