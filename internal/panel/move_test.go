package panel

import (
	"context"
	"database/sql"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// 0800_panel.sql moves the awards module's review rows into the panel's
// tables with their ids (pages, API answers and the audit trail name
// assignments by id), drops the old tables, and new assignments continue
// after the moved ids on both databases.
func TestMoveFromAwardTables(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.MigrateTo(ctx, 799); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	id := func(q string, args ...any) int64 {
		t.Helper()
		var v int64
		if err := d.W.QueryRowContext(ctx, q, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	rev1 := id("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('rev1','reviewer','x',1,1) RETURNING id")
	rev2 := id("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('rev2','reviewer','x',1,1) RETURNING id")
	ent := id("INSERT INTO enterprises (credit_code, name, created_at, updated_at) VALUES ('91410100MA000001XA','郑州演示甲科技有限公司',1,1) RETURNING id")
	prog := id("INSERT INTO award_programmes (year, name_zh, kind, state, created_at, updated_at) VALUES (2023,'科技创新20强','ranking','review',1,1) RETURNING id")
	app := id("INSERT INTO award_applications (programme_id, enterprise_id, state, created_at, updated_at) VALUES ($1,$2,'accepted',1,1) RETURNING id", prog, ent)
	exec("INSERT INTO award_reviewer_profiles (user_id, affiliations, updated_at) VALUES ($1,'某研究院',5)", rev2)
	exec("INSERT INTO award_assignments (id, application_id, reviewer_id, state, reason, total_milli, created_at, updated_at) VALUES (7,$1,$2,'scored','',87625,2,3)", app, rev1)
	exec("INSERT INTO award_assignments (id, application_id, reviewer_id, state, reason, total_milli, created_at, updated_at) VALUES (9,$1,$2,'recused','曾提供咨询',0,2,4)", app, rev2)
	exec("INSERT INTO award_scores (assignment_id, criterion, score_milli, comment) VALUES (7,'inno',52500,'较好'), (7,'mgmt',35125,'')")

	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p := New(d)
	got, err := p.Get(ctx, d.R, "award_application", 7)
	if err != nil || got.Subject != (Subject{Kind: "award_application", ID: app, Contest: prog}) || got.ReviewerID != rev1 ||
		got.State != Scored || got.Total.String() != "87.625000" || got.CreatedAt != 2 || got.UpdatedAt != 3 ||
		len(got.Scores) != 2 || got.Scores[0] != (Score{Criterion: "inno", Value: "52.5", Comment: "较好"}) || got.Scores[1].Value != "35.125" {
		t.Fatalf("moved assignment 7 = %+v, %v", got, err)
	}
	if got, err := p.Get(ctx, d.R, "award_application", 9); err != nil || got.State != Recused || got.Reason != "曾提供咨询" || got.ReviewerID != rev2 {
		t.Fatalf("moved assignment 9 = %+v, %v", got, err)
	}
	if a, err := p.Affiliations(ctx, d.R, rev2); err != nil || a != "某研究院" {
		t.Fatalf("moved affiliations = %q, %v", a, err)
	}
	if s, err := p.ContestScores(ctx, d.R, "award_application", prog, 5); err != nil || s[app].String() != "87.625000" {
		t.Fatalf("moved scores = %v, %v", s, err)
	}
	for _, old := range []string{"award_scores", "award_assignments", "award_reviewer_profiles"} {
		if _, err := d.R.ExecContext(ctx, "SELECT 1 FROM "+old); err == nil {
			t.Errorf("%s is still there", old)
		}
	}
	// A new assignment takes the next id after the moved ones.
	rev3 := id("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('rev3','reviewer','x',1,1) RETURNING id")
	var g Assignment
	if err := d.Tx(ctx, func(tx *sql.Tx) (err error) {
		g, err = p.Assign(ctx, tx, Subject{Kind: "award_application", ID: app, Contest: prog}, Reviewer{ID: rev3}, nil)
		return err
	}); err != nil || g.ID != 10 {
		t.Fatalf("new assignment = %+v, %v; want id 10", g, err)
	}
}
