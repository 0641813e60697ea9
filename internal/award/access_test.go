package award

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Each case of these tests asks for something the caller may not have and
// checks the service refuses it with the code the pages and API answer.

func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if asErr(err).Code != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

func TestDraftProgrammeIsNotFoundForNonStaff(t *testing.T) {
	w := newFlow(t)
	draft := ok(w.S.CreateProgramme(w.as(w.sup), NewProgramme{Year: 2023, NameZH: "草稿项目", Kind: KindRanking, Quota: 1,
		BudgetFen: 100, NoticeDays: 5, Rules: techRules()}))(t)
	for _, v := range []Viewer{{}, {UserID: w.u1, Role: org.Enterprise}, {UserID: w.rev1, Role: org.Reviewer}, {UserID: 999, Role: org.UnitStaff}} {
		_, err := w.S.ProgrammeFor(w.ctx, v, draft.ID)
		wantCode(t, "draft for "+string(v.Role), err, errs.NotFound)
		ps := ok(w.S.ProgrammesFor(w.ctx, v, ProgrammeFilter{}))(t)
		for _, p := range ps {
			if p.ID == draft.ID {
				t.Fatalf("draft listed for %q", v.Role)
			}
		}
	}
	for _, role := range []org.Role{org.Admin, org.Leader, org.Supervisor} {
		ok(w.S.ProgrammeFor(w.ctx, Viewer{UserID: w.sup, Role: role}, draft.ID))(t)
	}
	// The open programme is known to signed-in readers, not to the anonymous.
	ok(w.S.ProgrammeFor(w.ctx, Viewer{UserID: w.u1, Role: org.Enterprise}, w.prog.ID))(t)
	if ps := ok(w.S.ProgrammesFor(w.ctx, Viewer{}, ProgrammeFilter{}))(t); len(ps) != 0 {
		t.Fatalf("anonymous lists %d programmes not on notice", len(ps))
	}
}

func TestNoticeOfProgrammeNotOnNoticeIsNotFound(t *testing.T) {
	w := newFlow(t)
	_, _, err := w.S.NoticeOf(w.ctx, w.prog.ID)
	wantCode(t, "notice of an open programme", err, errs.NotFound)
}

func TestEnterpriseSeesOnlyItsOwnApplicationAndEvidence(t *testing.T) {
	w := newFlow(t)
	other := Viewer{UserID: w.u2, Role: org.Enterprise}
	_, err := w.S.ApplicationFor(w.ctx, other, w.app1.ID)
	wantCode(t, "another enterprise's application", err, errs.NotFound)
	_, _, err = w.S.EvidenceFor(w.ctx, other, w.app1.Evidence[0].ID)
	wantCode(t, "another enterprise's evidence", err, errs.NotFound)
	own := Viewer{UserID: w.u1, Role: org.Enterprise}
	ok(w.S.ApplicationFor(w.ctx, own, w.app1.ID))(t)
	if _, _, err := w.S.EvidenceFor(w.ctx, own, w.app1.Evidence[0].ID); err != nil {
		t.Fatal(err)
	}
	// Neither the anonymous nor a unit's staff know of applications.
	for _, v := range []Viewer{{}, {UserID: 999, Role: org.UnitStaff}} {
		_, err := w.S.ApplicationFor(w.ctx, v, w.app1.ID)
		wantCode(t, "application for "+string(v.Role), err, errs.NotFound)
	}
	// An enterprise account linked to no enterprise cannot act as one.
	lone := w.mustCreateUser("lone", "enterprise", 0)
	_, err = w.S.MyEnterprise(w.ctx, Viewer{UserID: lone, Role: org.Enterprise})
	wantCode(t, "account without enterprise", err, errs.Forbidden)
	_, err = w.S.MyEnterprise(w.ctx, Viewer{UserID: w.sup, Role: org.Supervisor})
	wantCode(t, "supervisor as an enterprise", err, errs.Forbidden)
}

func TestReviewerSeesOnlyAssignmentsThatAreTheirs(t *testing.T) {
	w := newFlow(t)
	w.review(t)
	gs := ok(w.S.Assignments(w.ctx, w.rev1, 0))(t)
	if len(gs) == 0 {
		t.Fatal("rev1 has no assignments")
	}
	_, err := w.S.AssignmentFor(w.ctx, Viewer{UserID: w.rev2, Role: org.Reviewer}, gs[0].ID)
	wantCode(t, "another reviewer's assignment", err, errs.NotFound)
	_, err = w.S.AssignmentFor(w.ctx, Viewer{}, gs[0].ID)
	wantCode(t, "anonymous assignment", err, errs.NotFound)
	ok(w.S.AssignmentFor(w.ctx, Viewer{UserID: w.rev1, Role: org.Reviewer}, gs[0].ID))(t)
	ok(w.S.AssignmentFor(w.ctx, Viewer{UserID: w.leader, Role: org.Leader}, gs[0].ID))(t)
	_, err = w.S.SubmitScores(w.as(w.rev2), gs[0].ID, w.rev2, []Score{{Criterion: "inno", Value: "1"}, {Criterion: "mgmt", Value: "1"}})
	wantCode(t, "scoring another's assignment", err, errs.NotFound)
	err = w.S.Recuse(w.as(w.rev2), gs[0].ID, w.rev2, "不是我的")
	wantCode(t, "recusing from another's assignment", err, errs.NotFound)

	// rev3 is in conflict with e2 and rev2 recused from e1: neither sees
	// that application or its files.
	_, err = w.S.ApplicationFor(w.ctx, Viewer{UserID: w.rev3, Role: org.Reviewer}, w.app2.ID)
	wantCode(t, "application of a reviewer in conflict", err, errs.NotFound)
	_, err = w.S.ApplicationFor(w.ctx, Viewer{UserID: w.rev2, Role: org.Reviewer}, w.app1.ID)
	wantCode(t, "application of a recused reviewer", err, errs.NotFound)
	_, _, err = w.S.EvidenceFor(w.ctx, Viewer{UserID: w.rev2, Role: org.Reviewer}, w.app1.Evidence[0].ID)
	wantCode(t, "evidence of a recused reviewer", err, errs.NotFound)
	ok(w.S.ApplicationFor(w.ctx, Viewer{UserID: w.rev1, Role: org.Reviewer}, w.app1.ID))(t)
}

func TestReviewerDeclaresOnlyTheirOwnAffiliations(t *testing.T) {
	w := newFlow(t)
	err := w.S.SetAffiliationsFor(w.as(w.rev1), Viewer{UserID: w.rev1, Role: org.Reviewer}, w.rev2, "某公司")
	wantCode(t, "another reviewer's affiliations", err, errs.Forbidden)
	err = w.S.SetAffiliationsFor(w.as(w.u1), Viewer{UserID: w.u1, Role: org.Enterprise}, w.rev2, "某公司")
	wantCode(t, "an enterprise declaring affiliations", err, errs.Forbidden)
	if err := w.S.SetAffiliationsFor(w.as(w.rev1), Viewer{UserID: w.rev1, Role: org.Reviewer}, w.rev1, "某公司"); err != nil {
		t.Fatal(err)
	}
	if err := w.S.SetAffiliationsFor(w.as(w.sup), Viewer{UserID: w.sup, Role: org.Supervisor}, w.rev2, "某公司"); err != nil {
		t.Fatal(err)
	}
}

func TestRankingAndAssignmentsAreForStaff(t *testing.T) {
	w := newFlow(t)
	w.review(t)
	ok(w.S.RankProgramme(w.as(w.sup), w.prog.ID))(t)
	p := ok(w.S.Programme(w.ctx, w.prog.ID))(t)
	ent := Viewer{UserID: w.u1, Role: org.Enterprise}
	for _, v := range []Viewer{ent, {UserID: w.rev1, Role: org.Reviewer}, {}} {
		if w.S.RoundFor(w.ctx, v, p) != nil {
			t.Fatalf("%q sees the whole ranking", v.Role)
		}
		if gs := ok(w.S.AssignmentsOf(w.ctx, v, w.app1.ID))(t); gs != nil {
			t.Fatalf("%q sees the application's assignments", v.Role)
		}
	}
	// Before the notice an enterprise does not see its own line either.
	if e, x, err := w.S.StandingOf(w.ctx, ent, p); e != nil || x != nil || err != nil {
		t.Fatalf("standing before the notice: %v %v %v", e, x, err)
	}
	if w.S.RoundFor(w.ctx, Viewer{UserID: w.sup, Role: org.Supervisor}, p) == nil {
		t.Fatal("staff cannot see the ranking")
	}
	if gs := ok(w.S.AssignmentsOf(w.ctx, Viewer{UserID: w.leader, Role: org.Leader}, w.app1.ID))(t); len(gs) == 0 {
		t.Fatal("staff cannot see the assignments")
	}
	ok(w.S.Advance(w.as(w.sup), w.prog.ID, StateNotice))(t)
	p = ok(w.S.Programme(w.ctx, w.prog.ID))(t)
	e, _, err := w.S.StandingOf(w.ctx, ent, p)
	if err != nil || e == nil || e.EnterpriseID != w.e1 {
		t.Fatalf("own standing on notice: %+v %v", e, err)
	}
	if e, x, _ := w.S.StandingOf(w.ctx, Viewer{UserID: w.rev1, Role: org.Reviewer}, p); e != nil || x != nil {
		t.Fatal("a reviewer has a standing")
	}
}
