package panel

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// ErrAssigned is returned by Assign when the expert already has the
// subject (in any state); the caller names its own subject in the message
// it shows.
var ErrAssigned = errors.New("panel: the reviewer is already assigned to this subject")

// Assign gives subject s to expert rev inside tx. An expert linked to one
// of the parties (ConflictOf, over their declared affiliations) is recorded
// in state Conflict with the reason, and never scores. The caller checks
// that rev is an active expert and that its subject may be assigned.
// Errors: ErrAssigned.
func (p *Panel) Assign(ctx context.Context, tx *sql.Tx, s Subject, rev Reviewer, parties []Party) (Assignment, error) {
	affil, err := p.Affiliations(ctx, tx, rev.ID)
	if err != nil {
		return Assignment{}, fmt.Errorf("panel: assign: %w", err)
	}
	g := Assignment{Subject: s, ReviewerID: rev.ID, State: Assigned, Reason: ConflictOf(SplitLines(affil), rev, parties)}
	if g.Reason != "" {
		g.State = Conflict
	}
	g.CreatedAt, g.UpdatedAt = p.nowMS(), p.nowMS()
	err = tx.QueryRowContext(ctx, `INSERT INTO panel_assignments (subject_kind, subject_id, contest_id, reviewer_id, state, reason, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, s.Kind, s.ID, s.Contest, rev.ID, g.State, g.Reason, g.CreatedAt).Scan(&g.ID)
	if db.IsUniqueViolation(err) {
		return Assignment{}, ErrAssigned
	}
	if err != nil {
		return Assignment{}, fmt.Errorf("panel: assign: %w", err)
	}
	return g, nil
}

const asgCols = `id, subject_kind, subject_id, contest_id, reviewer_id, state, reason, total_milli, created_at, updated_at FROM panel_assignments`

func scanAsg(sc interface{ Scan(...any) error }) (Assignment, error) {
	var g Assignment
	var total int64
	err := sc.Scan(&g.ID, &g.Subject.Kind, &g.Subject.ID, &g.Subject.Contest, &g.ReviewerID, &g.State, &g.Reason, &total, &g.CreatedAt, &g.UpdatedAt)
	g.Total = milli(total)
	return g, err
}

func notFound() error {
	return errs.New(errs.NotFound, "评审任务不存在", "assignment not found")
}

// Get returns assignment id of the given kind with its scores. Errors:
// NotFound (no such assignment, or one of another kind).
func (p *Panel) Get(ctx context.Context, q db.Querier, kind string, id int64) (Assignment, error) {
	g, err := scanAsg(q.QueryRowContext(ctx, "SELECT "+asgCols+" WHERE id=$1 AND subject_kind=$2", id, kind))
	if err == sql.ErrNoRows {
		return g, notFound()
	}
	if err != nil {
		return g, fmt.Errorf("panel: assignment %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, "SELECT criterion, score_milli, comment FROM panel_scores WHERE assignment_id=$1 ORDER BY criterion LIMIT 100", id)
	if err != nil {
		return g, fmt.Errorf("panel: scores of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sc Score
		var v int64
		if err := rows.Scan(&sc.Criterion, &v, &sc.Comment); err != nil {
			return g, err
		}
		sc.Value = milli(v).Trimmed()
		g.Scores = append(g.Scores, sc)
	}
	return g, rows.Err()
}

// Lock returns assignment id of the given kind for its expert inside tx,
// holding its row until tx ends. Errors: NotFound (no such assignment, one
// of another kind, or another expert's).
func (p *Panel) Lock(ctx context.Context, tx *sql.Tx, kind string, id, reviewerID int64) (Assignment, error) {
	g, err := scanAsg(tx.QueryRowContext(ctx, "SELECT "+asgCols+" WHERE id=$1 AND subject_kind=$2"+p.DB.ForUpdate(), id, kind))
	if err == sql.ErrNoRows || (err == nil && g.ReviewerID != reviewerID) {
		return Assignment{}, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	if err != nil {
		return Assignment{}, fmt.Errorf("panel: lock assignment %d: %w", id, err)
	}
	return g, nil
}

// MaxList is the most assignments one list returns.
const MaxList = 500

// OfReviewer lists an expert's assignments of the given kind, newest first
// (at most MaxList), without their scores.
func (p *Panel) OfReviewer(ctx context.Context, q db.Querier, kind string, reviewerID int64) ([]Assignment, error) {
	return list(ctx, q, "SELECT "+asgCols+" WHERE reviewer_id=$1 AND subject_kind=$2 ORDER BY id DESC LIMIT "+strconv.Itoa(MaxList), reviewerID, kind)
}

// OfSubject lists a subject's assignments in the order they were made (at
// most MaxList), without their scores.
func (p *Panel) OfSubject(ctx context.Context, q db.Querier, kind string, subjectID int64) ([]Assignment, error) {
	return list(ctx, q, "SELECT "+asgCols+" WHERE subject_kind=$1 AND subject_id=$2 ORDER BY id LIMIT "+strconv.Itoa(MaxList), kind, subjectID)
}

// OfContest lists the ids of every assignment of a contest's subjects, in
// the order they were made.
func (p *Panel) OfContest(ctx context.Context, q db.Querier, kind string, contest int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM panel_assignments WHERE subject_kind=$1 AND contest_id=$2 ORDER BY id", kind, contest)
	if err != nil {
		return nil, fmt.Errorf("panel: assignments of contest %d: %w", contest, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func list(ctx context.Context, q db.Querier, query string, args ...any) ([]Assignment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("panel: list assignments: %w", err)
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		g, err := scanAsg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Takes reports whether the expert takes part in assessing the subject: an
// assignment that is assigned or scored (not one in conflict or recused).
func (p *Panel) Takes(ctx context.Context, q db.Querier, kind string, subjectID, reviewerID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM panel_assignments WHERE subject_kind=$1 AND subject_id=$2 AND reviewer_id=$3 AND state IN ('assigned','scored')",
		kind, subjectID, reviewerID).Scan(&n)
	return n > 0, err
}
