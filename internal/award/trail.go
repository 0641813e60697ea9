package award

import (
	"context"
	"database/sql"

	"gaoxin/internal/audit"
	"gaoxin/internal/org"
)

// Trail is the audit trail of everything about one programme: the
// programme, its applications, assignments, objections, grants, payments and
// ledger entries, newest first.
func (s *Service) Trail(ctx context.Context, progID int64, limit int) ([]audit.Row, error) {
	if limit <= 0 || limit > 1000 {
		limit = 300
	}
	q := `SELECT id, at, COALESCE(actor_id, 0), actor, action, object_type, object_id, before_json, after_json, outcome, hash
		FROM audit_log WHERE (object_type='award_programme' AND object_id=$1)
		OR (object_type='award_application' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_applications WHERE programme_id=$2))
		OR (object_type='award_assignment' AND object_id IN (SELECT CAST(g.id AS TEXT) FROM award_assignments g JOIN award_applications a ON a.id=g.application_id WHERE a.programme_id=$2))
		OR (object_type='award_objection' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_objections WHERE programme_id=$2))
		OR (object_type='award_grant' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_grants WHERE programme_id=$2))
		OR (object_type='award_payment' AND object_id IN (SELECT CAST(p.id AS TEXT) FROM award_payments p JOIN award_grants g ON g.id=p.grant_id WHERE g.programme_id=$2))
		OR (object_type='award_ledger' AND object_id IN (SELECT CAST(id AS TEXT) FROM award_ledger WHERE programme_id=$2))
		ORDER BY id DESC LIMIT $3`
	var out []audit.Row
	err := eachRow(ctx, s.DB.R, q, []any{idStr(progID), progID, limit}, func(r *sql.Rows) error {
		var a audit.Row
		err := r.Scan(&a.ID, &a.At, &a.ActorID, &a.Actor, &a.Action, &a.ObjectType, &a.ObjectID, &a.Before, &a.After, &a.Outcome, &a.Hash)
		out = append(out, a)
		return err
	})
	return out, err
}

// Reviewer is an expert account as pickers show it.
type Reviewer struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Reviewers lists active reviewer accounts for assignment pickers, by
// username (at most 500).
func (s *Service) Reviewers(ctx context.Context) ([]Reviewer, error) {
	users, err := s.Org.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []Reviewer
	for _, u := range users {
		if u.Role == org.Reviewer && !u.Disabled && len(out) < 500 {
			out = append(out, Reviewer{ID: u.ID, Username: u.Username, Name: u.DisplayName})
		}
	}
	return out, nil
}

// AssignedTo reports whether reviewer has a live (assigned or scored)
// assignment on the application.
func (s *Service) AssignedTo(ctx context.Context, appID, reviewer int64) (bool, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM award_assignments WHERE application_id=$1 AND reviewer_id=$2 AND state IN ('assigned','scored')",
		appID, reviewer).Scan(&n)
	return n > 0, err
}
