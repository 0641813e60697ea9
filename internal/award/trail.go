package award

import (
	"context"
	"database/sql"
	"fmt"

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
	objects := map[string][]string{"award_programme": {idStr(progID)}}
	err := eachRow(ctx, s.DB.R, `SELECT 'award_application', id FROM award_applications WHERE programme_id=$1
		UNION ALL SELECT 'award_objection', id FROM award_objections WHERE programme_id=$1
		UNION ALL SELECT 'award_grant', id FROM award_grants WHERE programme_id=$1
		UNION ALL SELECT 'award_payment', p.id FROM award_payments p JOIN award_grants g ON g.id=p.grant_id WHERE g.programme_id=$1
		UNION ALL SELECT 'award_ledger', id FROM award_ledger WHERE programme_id=$1`, []any{progID}, func(r *sql.Rows) error {
		var t string
		var id int64
		err := r.Scan(&t, &id)
		objects[t] = append(objects[t], idStr(id))
		return err
	})
	if err != nil {
		return nil, err
	}
	asgs, err := s.Panel.OfContest(ctx, s.DB.R, panelKind, progID)
	if err != nil {
		return nil, fmt.Errorf("award: trail of %d: %w", progID, err)
	}
	for _, id := range asgs {
		objects["award_assignment"] = append(objects["award_assignment"], idStr(id))
	}
	rows, err := s.Audit.ForObjects(ctx, objects, limit)
	for i := range rows {
		rows[i].IP, rows[i].PrevHash = "", "" // the trail shows neither
	}
	return rows, err
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
	return s.Panel.Takes(ctx, s.DB.R, panelKind, appID, reviewer)
}
