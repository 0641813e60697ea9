package scenario_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
)

// reviewer adds an expert account, with the affiliations they declare.
func (f *fixture) reviewer(name, affiliations string) scenario.Viewer {
	f.t.Helper()
	var id int64
	f.scan(&id, `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1,'reviewer','x',1,1) RETURNING id`, name)
	if affiliations != "" {
		if _, err := f.DB.W.Exec("INSERT INTO panel_reviewers (user_id, affiliations, updated_at) VALUES ($1,$2,1)", id, affiliations); err != nil {
			f.t.Fatal(err)
		}
	}
	return scenario.Viewer{UserID: id, Role: org.Reviewer, Name: name}
}

// scores gives the default criteria values adding up to a total.
func scores(solution, team, price, plan string) []scenario.Score {
	return []scenario.Score{{Criterion: "solution", Value: solution, Comment: "方案完整"}, {Criterion: "team", Value: team},
		{Criterion: "price", Value: price}, {Criterion: "plan", Value: plan}}
}

// inEvaluation is a call with a joint bid (甲 leading, 乙 partner,
// confirmed) and 丙's solo bid, bidding closed.
func (f *fixture) inEvaluation() (scenario.Need, scenario.Bid, scenario.Bid) {
	f.t.Helper()
	n := f.published(need())
	joint := bid()
	joint.Partners = []scenario.PartnerInput{{CreditCode: f.codeB, Role: "数据平台"}}
	joint.PriceFen = 440_000_00
	a, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, joint, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.ConfirmPartner(f.ctx, f.entB, a.ID); err != nil {
		f.t.Fatal(err)
	}
	c, err := f.S.SubmitBid(f.ctx, f.entC, n.ID, bid(), nil)
	if err != nil {
		f.t.Fatal(err)
	}
	f.now = time.Date(2023, 7, 1, 9, 0, 0, 0, db.CST)
	if n, err = f.S.CloseBids(f.ctx, f.staff, n.ID); err != nil {
		f.t.Fatal(err)
	}
	return n, a, c
}

func (f *fixture) assign(bidID int64, r scenario.Viewer) scenario.Assignment {
	f.t.Helper()
	g, err := f.S.Assign(f.ctx, f.staff, bidID, r.UserID)
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

func (f *fixture) score(g scenario.Assignment, r scenario.Viewer, ss []scenario.Score) {
	f.t.Helper()
	if _, err := f.S.SubmitScores(f.ctx, r, g.ID, ss); err != nil {
		f.t.Fatal(err)
	}
}

func TestPanelConflictsRecusalAndWhoReadsWhat(t *testing.T) {
	f := newFixture(t)
	n, a, c := f.inEvaluation()
	r1, r2 := f.reviewer("zj1", ""), f.reviewer("zj2", "")
	partnerLinked := f.reviewer("zj3", "乙智能有限")               // a part of the partner's name
	codeLinked := f.reviewer("zj4", strings.ToLower(f.codeB)) // the partner's credit code, in lower case

	// Experts linked to the joint bid's partner are recorded in conflict
	// and never score; the solo bid is theirs to score.
	for _, r := range []scenario.Viewer{partnerLinked, codeLinked} {
		g := f.assign(a.ID, r)
		if g.State != "conflict" || !strings.Contains(g.Reason, "申报关联") {
			t.Fatalf("%s on the joint bid: %+v", r.Name, g)
		}
		if _, err := f.S.SubmitScores(f.ctx, r, g.ID, scores("30", "15", "15", "15")); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("an expert in conflict scores: %v", err)
		}
		if rv, err := f.S.Review(f.ctx, r, g.ID); err != nil || rv.Bid != nil {
			t.Fatalf("an expert in conflict reads the bid: %+v %v", rv.Bid, err)
		}
	}
	if g := f.assign(c.ID, partnerLinked); g.State != "assigned" {
		t.Fatalf("the solo bid is not linked to 乙: %+v", g)
	}
	// Not an expert, twice, by a non-supervisor: refused, nothing written.
	before := f.count("panel_assignments")
	if _, err := f.S.Assign(f.ctx, f.staff, a.ID, f.unit.UserID); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("a unit's account as an expert: %v", err)
	}
	if _, err := f.S.Assign(f.ctx, f.staff, a.ID, partnerLinked.UserID); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("the same expert twice: %v", err)
	}
	if _, err := f.S.Assign(f.ctx, f.unit, a.ID, r1.UserID); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit assigns: %v", err)
	}
	if f.count("panel_assignments") != before {
		t.Fatal("a refused assignment was written")
	}

	g1, g2 := f.assign(a.ID, r1), f.assign(c.ID, r2)
	// An expert reads their own assignment with the bid's content, never
	// another's, and never a bid through the bid pages.
	if rv, err := f.S.Review(f.ctx, r1, g1.ID); err != nil || rv.Bid == nil || rv.Bid.Solution == "" || len(rv.Criteria) != 4 {
		t.Fatalf("the expert's own assignment: %+v %v", rv, err)
	}
	if _, err := f.S.Review(f.ctx, r1, g2.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("an expert reads another's assignment: %v", err)
	}
	if _, err := f.S.SubmitScores(f.ctx, r1, g2.ID, scores("30", "15", "15", "15")); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("an expert scores another's assignment: %v", err)
	}
	for _, id := range []int64{a.ID, c.ID} {
		if _, err := f.S.Bid(f.ctx, r1, id); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("an expert reads bid %d through Bid: %v", id, err)
		}
	}
	if bs, err := f.S.Bids(f.ctx, r1, n.ID); err != nil || len(bs) != 0 {
		t.Fatalf("an expert lists bids: %d %v", len(bs), err)
	}
	if mine, err := f.S.MyAssignments(f.ctx, r1); err != nil || len(mine) != 1 || mine[0].ID != g1.ID {
		t.Fatalf("the expert's list: %+v %v", mine, err)
	}
	if _, err := f.S.Review(f.ctx, f.entA, g1.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("the bidder reads its assignment: %v", err)
	}
	if _, err := f.S.Evaluation(f.ctx, r1, n.ID); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("an expert reads the evaluation: %v", err)
	}

	// Scores are checked against the call's criteria; recusal needs a
	// reason and deletes the expert's scores.
	_, err := f.S.SubmitScores(f.ctx, r1, g1.ID, scores("30", "25", "15", ""))
	wantField(t, err, errs.Invalid, "scores.team")
	wantField(t, err, errs.Invalid, "scores.plan")
	f.score(g1, r1, scores("30", "15", "15", "15"))
	_, err = f.S.Recuse(f.ctx, r1, g1.ID, " ")
	wantField(t, err, errs.Invalid, "reason")
	if g, err := f.S.Recuse(f.ctx, r1, g1.ID, "与牵头企业有合作项目"); err != nil || g.State != "recused" || g.Total != "" || g.Bid != nil {
		t.Fatalf("recuse: %+v %v", g, err)
	}
	var left int
	f.scan(&left, "SELECT COUNT(*) FROM panel_scores WHERE assignment_id = $1", g1.ID)
	if left != 0 {
		t.Fatalf("%d scores left after the recusal", left)
	}
	if _, err := f.S.SubmitScores(f.ctx, r1, g1.ID, scores("30", "15", "15", "15")); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a recused expert scores: %v", err)
	}
	// The criteria stay once an expert has scored.
	f.score(g2, r2, scores("30", "15", "15", "15"))
	_, err = f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: []scenario.Criterion{{Code: "all", NameZH: "综合", Max: 100}}})
	wantField(t, err, errs.Invalid, "criteria")
	if _, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: scenario.DefaultCriteria, TrimAt: 3}); err != nil {
		t.Fatalf("the same criteria with another trimAt: %v", err)
	}
}

func TestRulesAreCheckedNamingFields(t *testing.T) {
	f := newFixture(t)
	n := f.published(need())
	_, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{TrimAt: 2, NoticeDays: 40, Criteria: []scenario.Criterion{
		{Code: "Tech", NameZH: "技术", Max: 50}, {Code: "team", NameZH: "", Max: 0}, {Code: "team", NameZH: "团队", Max: 10}}})
	for _, fld := range []string{"trim_at", "notice_days", "criteria.code", "criteria.name_zh", "criteria.max"} {
		wantField(t, err, errs.Invalid, fld)
	}
	if f.count("scenario_criteria") != 0 || f.count("scenario_results") != 0 {
		t.Fatal("refused rules were written")
	}
	if _, err := f.S.SetRules(f.ctx, f.unit, n.ID, scenario.Rules{Criteria: scenario.DefaultCriteria}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit sets the rules: %v", err)
	}
	r, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: []scenario.Criterion{{Code: "tech", NameZH: "技术方案", Max: 60}, {Code: "price", NameZH: "报价", Max: 40}}})
	if err != nil || r.TrimAt != scenario.DefaultTrimAt || r.NoticeDays != scenario.DefaultNoticeDays || len(r.Criteria) != 2 {
		t.Fatalf("rules: %+v %v", r, err)
	}
	// Before bidding closes, no expert may be given a bid.
	a, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, bid(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Assign(f.ctx, f.staff, a.ID, f.reviewer("zj", "").UserID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("assign while the call is open: %v", err)
	}
}

func TestTrimmedMeanDecidesTheWinnerThroughNoticeAndObjections(t *testing.T) {
	f := newFixture(t)
	n, a, c := f.inEvaluation()
	if _, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: scenario.DefaultCriteria, TrimAt: 3, NoticeDays: 7}); err != nil {
		t.Fatal(err)
	}
	rs := []scenario.Viewer{f.reviewer("zj1", ""), f.reviewer("zj2", ""), f.reviewer("zj3", ""), f.reviewer("zj4", "")}
	// The joint bid: totals 90, 60 and 61 (mean 70.33, trimmed 61); the
	// solo bid: 70, 68 and 69 (mean 69, trimmed 69). The fourth expert
	// recuses from both.
	jointScores := [][]scenario.Score{scores("36", "18", "18", "18"), scores("24", "12", "12", "12"), scores("25", "12", "12", "12")}
	soloScores := [][]scenario.Score{scores("28", "14", "14", "14"), scores("28", "14", "13", "13"), scores("28", "14", "14", "13")}
	var last scenario.Assignment
	for i, r := range rs[:3] {
		f.score(f.assign(a.ID, r), r, jointScores[i])
		last = f.assign(c.ID, r)
		if i < 2 {
			f.score(last, r, soloScores[i])
		}
	}
	for _, b := range []int64{a.ID, c.ID} {
		g := f.assign(b, rs[3])
		if _, err := f.S.Recuse(f.ctx, rs[3], g.ID, "曾为该企业提供咨询"); err != nil {
			t.Fatal(err)
		}
	}
	// One assignment is still to score: no winner yet.
	if _, err := f.S.ChooseWinner(f.ctx, f.staff, n.ID, c.ID, ""); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a winner while an expert has yet to score: %v", err)
	}
	f.score(last, rs[2], soloScores[2])

	e, err := f.S.Evaluation(f.ctx, f.staff, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Bids) != 2 || e.Bids[0].BidID != c.ID || e.Bids[0].Score != "69" || e.Bids[0].Rank != 1 || e.Bids[0].Experts != 3 ||
		e.Bids[1].BidID != a.ID || e.Bids[1].Score != "61" || e.Bids[1].Rank != 2 || e.Pending != 0 || len(e.Bids[1].Assignments) != 4 {
		t.Fatalf("ranking: %+v", e.Bids)
	}
	// Choosing the second bid needs a reason; the top one does not.
	_, err = f.S.ChooseWinner(f.ctx, f.staff, n.ID, a.ID, "")
	wantField(t, err, errs.Invalid, "reason")
	if _, err := f.S.ChooseWinner(f.ctx, f.unit, n.ID, c.ID, ""); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit chooses: %v", err)
	}
	if _, err := f.S.Result(f.ctx, f.anon, n.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a result before any is chosen: %v", err)
	}
	res, err := f.S.ChooseWinner(f.ctx, f.staff, n.ID, c.ID, "")
	if err != nil || res.WinnerBidID != c.ID || res.Winner != "丙数据有限公司" || res.State != scenario.StateNotice || !res.NoticeOpen {
		t.Fatalf("choose the top bid: %+v %v", res, err)
	}
	// The public reads the winner and each lead's panel score, never a
	// bid's content or its experts.
	pub, err := f.S.Result(f.ctx, f.anon, n.ID)
	if err != nil || len(pub.Ranking) != 2 || pub.Ranking[1].Lead != "甲科技有限公司" || pub.Ranking[1].Partners[0] != "乙智能有限公司" {
		t.Fatalf("the public result: %+v %v", pub, err)
	}
	raw, _ := json.Marshal(pub)
	for _, secret := range []string{"布设 200 个", "项目经理", "zj1", "assignments", "44000000"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("the public result shows %q: %s", secret, raw)
		}
	}
	if _, err := f.S.Confirm(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("confirm during the notice: %v", err)
	}
	if _, err := f.S.CloseBids(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("close the bidding of a call on notice: %v", err)
	}
	if _, err := f.S.Winner(f.ctx, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a winner before confirmation: %v", err)
	}

	// Two objections; the first upheld withdraws the result, and the other
	// lapses with it.
	_, err = f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "", Contact: "", Reason: "太短"})
	for _, fld := range []string{"name", "contact", "reason"} {
		wantField(t, err, errs.Invalid, fld)
	}
	o1, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{BidID: c.ID, Name: "王五", Contact: "13800000000", Reason: "中标企业的团队人员与材料不符，请核查。"})
	if err != nil || o1.Receipt == "" || o1.Lead != "丙数据有限公司" {
		t.Fatalf("objection: %+v %v", o1, err)
	}
	o2, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "赵六", Contact: "zhao@example.com", Reason: "评审专家的打分差距过大，请复核。"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.S.LookupReceipt(f.ctx, strings.ToLower(o1.Receipt)); err != nil || st.State != scenario.ObjectionFiled || st.Lead != "丙数据有限公司" {
		t.Fatalf("receipt look-up: %+v %v", st, err)
	}
	// Another last character than the receipt's own (it may be an A).
	wrong := o1.Receipt[:len(o1.Receipt)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(strings.ToUpper(o1.Receipt), "A")]
	if _, err := f.S.LookupReceipt(f.ctx, wrong); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a wrong receipt: %v", err)
	}
	if _, err := f.S.DecideObjection(f.ctx, f.unit, o1.ID, true, "x"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit decides: %v", err)
	}
	if _, err := f.S.DecideObjection(f.ctx, f.staff, o1.ID, true, "经核查，团队人员与投标材料不符。"); err != nil {
		t.Fatal(err)
	}
	back, _ := f.S.Need(f.ctx, f.anon, n.ID)
	if back.State != scenario.StateEvaluating {
		t.Fatalf("after an upheld objection the call is %s", back.State)
	}
	if _, err := f.S.Result(f.ctx, f.anon, n.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("the withdrawn result is still shown: %v", err)
	}
	if st, _ := f.S.LookupReceipt(f.ctx, o2.Receipt); st.State != scenario.ObjectionLapsed {
		t.Fatalf("the other objection: %+v", st)
	}
	if _, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "王五", Contact: "1", Reason: "结果撤回之后再提异议。"}); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("an objection with no result on notice: %v", err)
	}

	// Staff choose the second bid, with a reason; after the notice, an
	// open objection still holds the confirmation back.
	res, err = f.S.ChooseWinner(f.ctx, f.staff, n.ID, a.ID, "排名第一的揭榜方经异议核查资格不符，依次递补")
	if err != nil || res.WinnerBidID != a.ID || res.Reason == "" {
		t.Fatalf("choose the second: %+v %v", res, err)
	}
	o3, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "钱七", Contact: "qian@example.com", Reason: "联合体伙伴的资质证明不全。"})
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.AddDate(0, 0, 8)
	if _, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "孙八", Contact: "1", Reason: "公示期结束后的异议。"}); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("an objection after the notice: %v", err)
	}
	if _, err := f.S.Confirm(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("confirm with an objection open: %v", err)
	}
	if _, err := f.S.DecideObjection(f.ctx, f.staff, o3.ID, false, "伙伴资质证明已在揭榜材料中提供。"); err != nil {
		t.Fatal(err)
	}
	done, err := f.S.Confirm(f.ctx, f.staff, n.ID)
	if err != nil || done.State != scenario.StateImplementing {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	phases := map[string]string{}
	for _, p := range done.Phases {
		phases[p.Phase] = p.On
	}
	if phases[scenario.PhaseEvaluate] != "2023-07-01" || phases[scenario.PhaseImplement] != "2023-07-09" {
		t.Fatalf("phases: %v", phases)
	}
	w, err := f.S.Winner(f.ctx, n.ID)
	if err != nil || w.ID != a.ID || len(w.Milestones) != 2 || len(w.Partners) != 1 {
		t.Fatalf("winner: %+v %v", w, err)
	}
	if pub, err := f.S.Result(f.ctx, f.anon, n.ID); err != nil || !pub.Confirmed || pub.NoticeOpen || pub.Objections != 3 {
		t.Fatalf("the confirmed result: %+v %v", pub, err)
	}
	var audited int
	f.scan(&audited, "SELECT COUNT(*) FROM audit_log WHERE action IN ('scenario.winner','scenario.result.withdraw','scenario.need.implementing','scenario.objection.upheld','scenario.objection.dismissed')")
	if audited != 6 {
		t.Fatalf("%d audit rows of the result", audited)
	}
}
