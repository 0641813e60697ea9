package finance_test

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

func (f *fixture) steps(match int64) int {
	return f.count("SELECT COUNT(*) FROM finance_match_steps WHERE match_id = $1", match)
}

// Interest, the enterprise's answer, then each step in turn: no skipping,
// no future or backward dates, amounts bounded, a funded match final.
func TestFunnelSteps(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	// Only an approved institution that sees the need can be interested.
	_, err := f.S.ExpressInterest(f.ctx, x.vc2, n.ID, "")
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.ExpressInterest(f.ctx, x.pending, n.ID, "")
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.ExpressInterest(f.ctx, f.entB, n.ID, "")
	wantErr(t, err, errs.Forbidden, "")
	m, err := f.S.ExpressInterest(f.ctx, x.vc1, n.ID, "关注传感器赛道")
	if err != nil || m.Step != finance.StepInterest || m.State != finance.MatchOpen {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = f.S.ExpressInterest(f.ctx, x.vc1, n.ID, "")
	wantErr(t, err, errs.Conflict, "")
	// Only the need's enterprise answers.
	_, err = f.S.Answer(f.ctx, x.vc1, m.ID, true, "")
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Answer(f.ctx, f.entB, m.ID, true, "")
	wantErr(t, err, errs.NotFound, "")
	// The institution cannot move before the enterprise accepts.
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepMeeting})
	wantErr(t, err, errs.Conflict, "step")
	f.now = f.now.AddDate(0, 0, 2) // 2023-06-12
	if m, err = f.S.Answer(f.ctx, f.entA, m.ID, true, ""); err != nil || m.Step != finance.StepMatched || m.StepOn != "2023-06-12" {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = f.S.Answer(f.ctx, f.entA, m.ID, false, "")
	wantErr(t, err, errs.Conflict, "")
	// 到位 without 投资意向, or 投资意向 before 对接: refused, nothing written.
	before := f.steps(m.ID)
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepFunded, AmountFen: wan(5000)})
	wantErr(t, err, errs.Conflict, "step")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepTerm})
	wantErr(t, err, errs.Conflict, "step")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepMatched})
	wantErr(t, err, errs.Invalid, "step")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepMeeting, On: "2023-06-13"})
	wantErr(t, err, errs.Invalid, "on")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepMeeting, On: "2023-06-11"})
	wantErr(t, err, errs.Invalid, "on")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepMeeting, AmountFen: 1})
	wantErr(t, err, errs.Invalid, "amount_fen")
	// Neither the enterprise nor another institution records steps.
	_, err = f.S.Advance(f.ctx, f.entA, m.ID, finance.StepInput{Step: finance.StepMeeting})
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Advance(f.ctx, x.generalA, m.ID, finance.StepInput{Step: finance.StepMeeting})
	wantErr(t, err, errs.NotFound, "")
	if f.steps(m.ID) != before {
		t.Fatal("a refused step was written")
	}
	for _, st := range []finance.StepInput{
		{Step: finance.StepMeeting, On: "2023-06-12"},
		{Step: finance.StepDiligence}, // staff record it for the institution
		{Step: finance.StepTerm, AmountFen: wan(6000), Note: "投资意向书"},
	} {
		who := x.vc1
		if st.Step == finance.StepDiligence {
			who = f.staff
		}
		if m, err = f.S.Advance(f.ctx, who, m.ID, st); err != nil || m.Step != st.Step {
			t.Fatalf("%s: %+v %v", st.Step, m, err)
		}
	}
	for _, c := range []struct {
		fen   int64
		field string
	}{{0, "amount_fen"}, {-1, "amount_fen"}, {finance.MaxNeedFen + 1, "amount_fen"}} {
		_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepFunded, AmountFen: c.fen})
		wantErr(t, err, errs.Invalid, c.field)
	}
	if m, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepFunded, On: "2023-06-12", AmountFen: wan(5000)}); err != nil {
		t.Fatal(err)
	}
	if m.FundedFen != wan(5000) || m.FundedOn != "2023-06-12" || m.TermFen != wan(6000) || len(m.Steps) != 6 {
		t.Fatalf("%+v", m)
	}
	_, err = f.S.CloseMatch(f.ctx, f.entA, m.ID, "改变主意")
	wantErr(t, err, errs.Conflict, "step")
	_, err = f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepFunded, AmountFen: 1})
	wantErr(t, err, errs.Conflict, "step")
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'finance.match.step' AND object_id = $1", itoa(m.ID)); n != 5 {
		t.Fatalf("audited steps %d", n)
	}
	// The deal counts for the institution in the IoT industry, and in its
	// next ranking.
	var deals int
	var fen int64
	if err := f.DB.W.QueryRowContext(f.ctx, `SELECT d.deals, d.funded_fen FROM finance_institution_deals d JOIN chain_nodes c ON c.id = d.node_id
		WHERE d.institution_id = $1 AND c.code = 'iot'`, x.i1.ID).Scan(&deals, &fen); err != nil || deals != 1 || fen != wan(5000) {
		t.Fatalf("rollup %d %d %v", deals, fen, err)
	}
	n2, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	r, _ := f.S.MatchInstitutions(f.ctx, f.entA, n2.ID, 0)
	if r[0].Institution.ID != x.i1.ID || r[0].Deals != 1 || r[0].Reasons[4].Points != 5 {
		t.Fatalf("past deal not ranked: %+v", r[0])
	}
	// A match keeps its need readable after the need is hidden.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceHidden, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Need(f.ctx, x.vc1, n.ID); err != nil {
		t.Fatalf("matched institution lost the need: %v", err)
	}
}

// Declining closes the match with a reason; a close needs a reason and a
// party.
func TestFunnelDeclineAndClose(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	m1, _ := f.S.ExpressInterest(f.ctx, x.vc1, n.ID, "")
	m2, _ := f.S.ExpressInterest(f.ctx, x.generalA, n.ID, "")
	m, err := f.S.Answer(f.ctx, f.entA, m1.ID, false, "")
	if err != nil || m.State != finance.MatchClosed || m.Reason == "" {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = f.S.CloseMatch(f.ctx, x.generalA, m2.ID, " ")
	wantErr(t, err, errs.Invalid, "reason")
	_, err = f.S.CloseMatch(f.ctx, f.leader, m2.ID, "领导关闭")
	wantErr(t, err, errs.Forbidden, "")
	if m, err = f.S.CloseMatch(f.ctx, x.generalA, m2.ID, "估值分歧"); err != nil || m.State != finance.MatchClosed || m.Reason != "估值分歧" {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = f.S.Advance(f.ctx, x.generalA, m2.ID, finance.StepInput{Step: finance.StepMeeting})
	wantErr(t, err, errs.Conflict, "step")
	// Lists: each party its own.
	if l, _ := f.S.Matches(f.ctx, x.vc1, finance.MatchFilter{}); len(l) != 1 || l[0].ID != m1.ID {
		t.Fatalf("vc1 lists %+v", l)
	}
	if l, _ := f.S.Matches(f.ctx, f.entA, finance.MatchFilter{}); len(l) != 2 {
		t.Fatalf("enterprise lists %d", len(l))
	}
	if l, _ := f.S.Matches(f.ctx, f.entB, finance.MatchFilter{}); len(l) != 0 {
		t.Fatalf("another enterprise lists %d", len(l))
	}
	_, err = f.S.Matches(f.ctx, f.anon, finance.MatchFilter{})
	wantErr(t, err, errs.Forbidden, "")
}

// Notes are the institution's and staff's: the enterprise is refused,
// another investor does not learn the match exists.
func TestMatchNotesPrivate(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	m, _ := f.S.ExpressInterest(f.ctx, x.vc1, n.ID, "")
	if _, err := f.S.AddNote(f.ctx, x.vc1, m.ID, "估值偏高，需再谈"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.AddNote(f.ctx, f.staff, m.ID, "金融局已电话跟进"); err != nil {
		t.Fatal(err)
	}
	if l, err := f.S.Notes(f.ctx, x.vc1, m.ID); err != nil || len(l) != 2 {
		t.Fatalf("%+v %v", l, err)
	}
	if l, err := f.S.Notes(f.ctx, f.leader, m.ID); err != nil || len(l) != 2 {
		t.Fatalf("leader: %+v %v", l, err)
	}
	_, err := f.S.Notes(f.ctx, f.entA, m.ID)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Notes(f.ctx, x.generalA, m.ID)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.Notes(f.ctx, f.anon, m.ID)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.AddNote(f.ctx, f.entA, m.ID, "企业想看备注")
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.AddNote(f.ctx, x.generalA, m.ID, "别家机构")
	wantErr(t, err, errs.NotFound, "")
	if c := f.count("SELECT COUNT(*) FROM finance_match_notes"); c != 2 {
		t.Fatalf("%d notes", c)
	}
	// The audit trail does not carry the words.
	if c := f.count("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%估值%'"); c != 0 {
		t.Fatal("note text in the audit trail")
	}
}

// A supervisor corrects a deal received: the match, its 到位 step, the
// funnel's months and the institution's deals all move, and the awards
// read the corrected figures. Nobody else may, and nothing unfunded.
func TestCorrectFundingMovesEveryRollup(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	m, err := f.S.ExpressInterest(f.ctx, x.vc1, n.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Answer(f.ctx, f.entA, m.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	fix := finance.FundingCorrection{AmountFen: wan(3000), On: "2023-06-10", Reason: "经核对银行回单，实际到位 3000 万元"}
	for _, st := range []finance.StepInput{{Step: finance.StepMeeting}, {Step: finance.StepDiligence}, {Step: finance.StepTerm, AmountFen: wan(6000)}} {
		if _, err := f.S.Advance(f.ctx, x.vc1, m.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.S.CorrectFunding(f.ctx, f.staff, m.ID, fix)
	wantErr(t, err, errs.Conflict, "step")
	if _, err := f.S.Advance(f.ctx, x.vc1, m.ID, finance.StepInput{Step: finance.StepFunded, AmountFen: wan(5000)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.S.CorrectFunding(f.ctx, x.vc1, m.ID, fix)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.CorrectFunding(f.ctx, f.entA, m.ID, fix)
	wantErr(t, err, errs.Forbidden, "")
	for _, c := range []struct {
		c     finance.FundingCorrection
		field string
	}{
		{finance.FundingCorrection{AmountFen: 0, On: "2023-06-10", Reason: "x"}, "amount_fen"},
		{finance.FundingCorrection{AmountFen: 1, On: "2023-06-11", Reason: "x"}, "on"},
		{finance.FundingCorrection{AmountFen: 1, On: "2023-06-10"}, "reason"},
		{finance.FundingCorrection{AmountFen: wan(5000), On: "2023-06-10", Reason: "同上"}, "amount_fen"},
	} {
		_, err = f.S.CorrectFunding(f.ctx, f.staff, m.ID, c.c)
		wantErr(t, err, errs.Invalid, c.field)
	}
	months := func() (n int, fen int64) {
		if err := f.DB.W.QueryRowContext(f.ctx, "SELECT n, fen FROM finance_step_months WHERE node_id = 0 AND step = 'funded' AND ym = '2023-06'").Scan(&n, &fen); err != nil {
			t.Fatal(err)
		}
		return
	}
	if n, fen := months(); n != 1 || fen != wan(5000) {
		t.Fatalf("before: %d %d", n, fen)
	}
	if m, err = f.S.CorrectFunding(f.ctx, f.staff, m.ID, fix); err != nil || m.FundedFen != wan(3000) || m.Step != finance.StepFunded {
		t.Fatalf("%+v %v", m, err)
	}
	if n, fen := months(); n != 1 || fen != wan(3000) {
		t.Fatalf("funnel months after the correction: %d %d", n, fen)
	}
	var deals int
	var fen int64
	if err := f.DB.W.QueryRowContext(f.ctx, `SELECT d.deals, d.funded_fen FROM finance_institution_deals d JOIN chain_nodes c ON c.id = d.node_id
		WHERE d.institution_id = $1 AND c.code = 'iot'`, x.i1.ID).Scan(&deals, &fen); err != nil || deals != 1 || fen != wan(3000) {
		t.Fatalf("deals rollup after the correction: %d %d", deals, fen)
	}
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'finance.match.correct' AND object_id = $1", itoa(m.ID)); n != 1 {
		t.Fatalf("audited corrections %d", n)
	}
	sub := f.S.AwardSubject()
	rows, err := sub.Rows(f.ctx, f.DB.R, 2023)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r.ID == x.i1.ID {
			found = true
			if r.Excluded != nil || r.Figures[finance.FigurePlaced] != wan(3000) || r.Figures[finance.FigureDeals] != 1 {
				t.Fatalf("the awards read %+v", r)
			}
		} else if r.Excluded == nil {
			t.Fatalf("an institution without a deal in 2023 is a candidate: %+v", r)
		}
	}
	if !found {
		t.Fatal("the funded institution is not a candidate")
	}
	if rows, _ := sub.Rows(f.ctx, f.DB.R, 2022); len(rows) == 0 || rows[0].Excluded == nil {
		t.Fatalf("2022 candidates: %+v", rows)
	}
}
