package panel

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/fixed"
)

// world is a fresh database with three experts and a panel on a fixed
// clock. Subjects need no rows: the panel takes them from the caller.
type world struct {
	t          *testing.T
	ctx        context.Context
	DB         *db.DB
	P          *Panel
	r1, r2, r3 int64
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, ctx: context.Background(), DB: dbtest.Open(t)}
	w.P = New(w.DB)
	w.P.Now = func() time.Time { return time.Date(2023, 5, 8, 9, 0, 0, 0, db.CST) }
	w.r1, w.r2, w.r3 = w.mustCreateReviewer("rev1"), w.mustCreateReviewer("rev2"), w.mustCreateReviewer("rev3")
	return w
}

func (w *world) mustCreateReviewer(name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.DB.W.QueryRowContext(w.ctx, `INSERT INTO users (username, role, password_hash, created_at, updated_at)
		VALUES ($1,'reviewer','x',1,1) RETURNING id`, name).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// tx runs fn in a transaction and returns its error.
func (w *world) tx(fn func(tx *sql.Tx) error) error { return w.DB.Tx(w.ctx, fn) }

func (w *world) mustAssign(s Subject, rev int64, parties ...Party) Assignment {
	w.t.Helper()
	var g Assignment
	if err := w.tx(func(tx *sql.Tx) (err error) {
		g, err = w.P.Assign(w.ctx, tx, s, Reviewer{ID: rev}, parties)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return g
}

func (w *world) submit(id, rev int64, crit []Criterion, scores ...Score) error {
	return w.tx(func(tx *sql.Tx) error {
		g, err := w.P.Lock(w.ctx, tx, "award_application", id, rev)
		if err != nil {
			return err
		}
		_, err = w.P.Submit(w.ctx, tx, g, crit, scores)
		return err
	})
}

func (w *world) recuse(id, rev int64, reason string) error {
	return w.tx(func(tx *sql.Tx) error {
		g, err := w.P.Lock(w.ctx, tx, "award_application", id, rev)
		if err != nil {
			return err
		}
		return w.P.Recuse(w.ctx, tx, g, reason)
	})
}

func (w *world) count(table string) int {
	var n int
	if err := w.DB.R.QueryRowContext(w.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func codeOf(err error) errs.Code { return errs.CodeOf(err) }

var crit = []Criterion{{Code: "inno", NameZH: "创新性", NameEN: "Innovation", Max: 60}, {Code: "mgmt", NameZH: "管理", Max: 40}}

func TestAssignRecordsConflicts(t *testing.T) {
	w := newWorld(t)
	applicant := Party{EnterpriseID: 5, Names: []string{"郑州演示甲科技有限公司"}, CreditCode: "91410100MA000001XA"}
	if err := w.tx(func(tx *sql.Tx) error {
		return w.P.SetAffiliations(w.ctx, tx, w.r2, SplitLines("某研究院\n91410100ma000001xa\n"))
	}); err != nil {
		t.Fatal(err)
	}
	if a, err := w.P.Affiliations(w.ctx, w.DB.R, w.r2); err != nil || a != "某研究院\n91410100ma000001xa" {
		t.Fatalf("affiliations = %q, %v", a, err)
	}
	if a, err := w.P.Affiliations(w.ctx, w.DB.R, w.r1); err != nil || a != "" {
		t.Fatalf("no affiliations = %q, %v", a, err)
	}
	app := Subject{Kind: "award_application", ID: 11, Contest: 1}
	g1 := w.mustAssign(app, w.r1, applicant)
	g2 := w.mustAssign(app, w.r2, applicant)
	if g1.State != Assigned || g1.Reason != "" {
		t.Errorf("unlinked expert: %+v", g1)
	}
	if g2.State != Conflict || g2.Reason != "专家申报关联：91410100ma000001xa / declared affiliation: 91410100ma000001xa" {
		t.Errorf("linked expert: %+v", g2)
	}
	// The expert's account of a party's enterprise.
	var g3 Assignment
	if err := w.tx(func(tx *sql.Tx) (err error) {
		g3, err = w.P.Assign(w.ctx, tx, app, Reviewer{ID: w.r3, EnterpriseID: 5}, []Party{applicant})
		return err
	}); err != nil || g3.State != Conflict {
		t.Fatalf("account of the enterprise: %+v, %v", g3, err)
	}
	// Twice the same subject: refused, nothing written.
	before := w.count("panel_assignments")
	err := w.tx(func(tx *sql.Tx) error {
		_, err := w.P.Assign(w.ctx, tx, app, Reviewer{ID: w.r1}, []Party{applicant})
		return err
	})
	if !errors.Is(err, ErrAssigned) || w.count("panel_assignments") != before {
		t.Fatalf("second assignment: %v", err)
	}
	// The same id of another kind is another subject.
	bid := w.mustAssign(Subject{Kind: "scenario_bid", ID: 11, Contest: 1}, w.r1)
	if mine, _ := w.P.OfReviewer(w.ctx, w.DB.R, "award_application", w.r1); len(mine) != 1 || mine[0].ID != g1.ID {
		t.Errorf("r1's award assignments = %+v", mine)
	}
	if _, err := w.P.Get(w.ctx, w.DB.R, "award_application", bid.ID); codeOf(err) != errs.NotFound {
		t.Errorf("a bid's assignment read as an application's: %v", err)
	}
	if of, _ := w.P.OfSubject(w.ctx, w.DB.R, "award_application", 11); len(of) != 3 || of[0].ID != g1.ID || of[2].ID != g3.ID {
		t.Errorf("the application's assignments = %+v", of)
	}
	for rev, want := range map[int64]bool{w.r1: true, w.r2: false, w.r3: false} {
		if ok, err := w.P.Takes(w.ctx, w.DB.R, "award_application", 11, rev); err != nil || ok != want {
			t.Errorf("Takes(%d) = %v, %v; want %v", rev, ok, err, want)
		}
	}
	// An expert in conflict can neither score nor recuse.
	if err := w.submit(g2.ID, w.r2, crit, Score{Criterion: "inno", Value: "1"}, Score{Criterion: "mgmt", Value: "1"}); codeOf(err) != errs.Conflict {
		t.Errorf("scoring in conflict: %v", err)
	}
	if err := w.recuse(g2.ID, w.r2, "回避"); codeOf(err) != errs.Conflict {
		t.Errorf("recusing in conflict: %v", err)
	}
}

func TestRecusal(t *testing.T) {
	w := newWorld(t)
	app := Subject{Kind: "award_application", ID: 21, Contest: 2}
	g := w.mustAssign(app, w.r1)
	if err := w.submit(g.ID, w.r1, crit, Score{Criterion: "inno", Value: "50"}, Score{Criterion: "mgmt", Value: "30.5"}); err != nil {
		t.Fatal(err)
	}
	// Someone else's assignment is not found; a blank reason is refused
	// naming the field.
	if err := w.recuse(g.ID, w.r2, "不是我的"); codeOf(err) != errs.NotFound {
		t.Errorf("another expert's recusal: %v", err)
	}
	err := w.recuse(g.ID, w.r1, "  \n ")
	if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "reason" {
		t.Errorf("blank reason: %v", err)
	}
	if err := w.recuse(g.ID, w.r1, "  曾为该企业提供咨询 "); err != nil {
		t.Fatal(err)
	}
	got, err := w.P.Get(w.ctx, w.DB.R, "award_application", g.ID)
	if err != nil || got.State != Recused || got.Reason != "曾为该企业提供咨询" || got.Total != 0 || got.Scores != nil {
		t.Fatalf("recused: %+v, %v", got, err)
	}
	if w.count("panel_scores") != 0 {
		t.Error("the recused expert's scores stayed")
	}
	if err := w.recuse(g.ID, w.r1, "再次"); codeOf(err) != errs.Conflict {
		t.Errorf("recusing twice: %v", err)
	}
	if err := w.submit(g.ID, w.r1, crit, Score{Criterion: "inno", Value: "1"}, Score{Criterion: "mgmt", Value: "1"}); codeOf(err) != errs.Conflict {
		t.Errorf("scoring after recusal: %v", err)
	}
	if ok, _ := w.P.Takes(w.ctx, w.DB.R, "award_application", 21, w.r1); ok {
		t.Error("a recused expert still takes part")
	}
	// Every expert recused: the subject has no panel score.
	scores, err := w.P.ContestScores(w.ctx, w.DB.R, "award_application", 2, 5)
	if err != nil || len(scores) != 0 {
		t.Errorf("contest scores with all recused = %v, %v", scores, err)
	}
}

func TestScoresValidated(t *testing.T) {
	w := newWorld(t)
	g := w.mustAssign(Subject{Kind: "award_application", ID: 31, Contest: 3}, w.r1)
	cases := []struct {
		name   string
		scores []Score
		fields []string
	}{
		{"nothing", nil, []string{"scores.inno", "scores.mgmt"}},
		{"one missing", []Score{{Criterion: "inno", Value: "10"}}, []string{"scores.mgmt"}},
		{"above the maximum", []Score{{Criterion: "inno", Value: "60.001"}, {Criterion: "mgmt", Value: "40"}}, []string{"scores.inno"}},
		{"negative", []Score{{Criterion: "inno", Value: "-1"}, {Criterion: "mgmt", Value: "4"}}, []string{"scores.inno"}},
		{"four decimals", []Score{{Criterion: "inno", Value: "1.0001"}, {Criterion: "mgmt", Value: "4"}}, []string{"scores.inno"}},
		{"not a number", []Score{{Criterion: "inno", Value: "十"}, {Criterion: "mgmt", Value: "4"}}, []string{"scores.inno"}},
		{"an unknown criterion", []Score{{Criterion: "inno", Value: "1"}, {Criterion: "mgmt", Value: "4"}, {Criterion: "luck", Value: "9"}}, []string{"scores.luck"}},
	}
	for _, c := range cases {
		err := w.submit(g.ID, w.r1, crit, c.scores...)
		e := errs.As(err)
		if e == nil || e.Code != errs.Invalid || len(e.Details) != len(c.fields) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for i, f := range c.fields {
			if e.Details[i].Field != f || e.Details[i].Reason == "" || e.Details[i].ReasonEN == "" {
				t.Errorf("%s: detail %d = %+v, want field %s", c.name, i, e.Details[i], f)
			}
		}
		if w.count("panel_scores") != 0 {
			t.Fatalf("%s: scores written", c.name)
		}
	}
	// The bounds themselves are fine; a second submission replaces the first.
	if err := w.submit(g.ID, w.r1, crit, Score{Criterion: "inno", Value: "60", Comment: " 好 "}, Score{Criterion: "mgmt", Value: "0"}); err != nil {
		t.Fatal(err)
	}
	if err := w.submit(g.ID, w.r1, crit, Score{Criterion: "mgmt", Value: "35.125"}, Score{Criterion: "inno", Value: "52.5", Comment: "较好"}); err != nil {
		t.Fatal(err)
	}
	got, err := w.P.Get(w.ctx, w.DB.R, "award_application", g.ID)
	if err != nil || got.State != Scored || got.Total.String() != "87.625000" || len(got.Scores) != 2 ||
		got.Scores[0] != (Score{Criterion: "inno", Value: "52.5", Comment: "较好"}) || got.Scores[1] != (Score{Criterion: "mgmt", Value: "35.125"}) {
		t.Fatalf("scored: %+v, %v", got, err)
	}
}

func TestContestScores(t *testing.T) {
	w := newWorld(t)
	r4, r5 := w.mustCreateReviewer("rev4"), w.mustCreateReviewer("rev5")
	one := []Criterion{{Code: "all", NameZH: "综合", Max: 100}}
	score := func(s Subject, rev int64, v string) Assignment {
		t.Helper()
		g := w.mustAssign(s, rev)
		if err := w.submit(g.ID, rev, one, Score{Criterion: "all", Value: v}); err != nil {
			t.Fatal(err)
		}
		return g
	}
	a := Subject{Kind: "award_application", ID: 41, Contest: 4}
	b := Subject{Kind: "award_application", ID: 42, Contest: 4}
	other := Subject{Kind: "award_application", ID: 43, Contest: 5}
	// a: five scored, trimmed at 5 → (70+80+90)/3.
	for i, rev := range []int64{w.r1, w.r2, w.r3, r4, r5} {
		score(a, rev, []string{"60", "70", "80", "90", "100"}[i])
	}
	// b: three scored, one of them then recused; one only assigned;
	// one in conflict → the mean of the two that count.
	score(b, w.r1, "81")
	score(b, w.r2, "82.5")
	g := score(b, w.r3, "10")
	if err := w.recuse(g.ID, w.r3, "回避"); err != nil {
		t.Fatal(err)
	}
	w.mustAssign(b, r4)
	if err := w.tx(func(tx *sql.Tx) error {
		_, err := w.P.Assign(w.ctx, tx, b, Reviewer{ID: r5, EnterpriseID: 9}, []Party{{EnterpriseID: 9}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	score(other, w.r1, "1")
	got, err := w.P.ContestScores(w.ctx, w.DB.R, "award_application", 4, 5)
	if err != nil || len(got) != 2 || got[41].String() != "80.000000" || got[42].String() != "81.750000" {
		t.Fatalf("contest 4 = %v, %v", got, err)
	}
	// Trimming from 6: a's five count plainly.
	if got, _ := w.P.ContestScores(w.ctx, w.DB.R, "award_application", 4, 6); got[41] != 80*fixed.One {
		t.Errorf("untrimmed = %v", got)
	}
	if got, _ := w.P.ContestScores(w.ctx, w.DB.R, "scenario_bid", 4, 5); len(got) != 0 {
		t.Errorf("another kind's contest = %v", got)
	}
	ids, err := w.P.OfContest(w.ctx, w.DB.R, "award_application", 4)
	if err != nil || len(ids) != 10 {
		t.Errorf("contest 4's assignments = %v, %v", ids, err)
	}
}
