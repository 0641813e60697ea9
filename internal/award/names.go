package award

import (
	"context"
	"fmt"

	"gaoxin/internal/enterprise"
)

// withEnterprises completes rows read from the award tables with the
// enterprises they name, asking the registry once for the whole list.
func withEnterprises[T any](ctx context.Context, s *Service, rows []T, id func(*T) int64, set func(*T, enterprise.Brief)) error {
	if len(rows) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for i := range rows {
		if e := id(&rows[i]); e != 0 && !seen[e] {
			seen[e] = true
			ids = append(ids, e)
		}
	}
	briefs, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return fmt.Errorf("award: enterprise names: %w", err)
	}
	for i := range rows {
		if b, ok := briefs[id(&rows[i])]; ok {
			set(&rows[i], b)
		}
	}
	return nil
}

// withReviewers completes assignments with their reviewers' usernames,
// asking the organisation once for the whole list.
func (s *Service) withReviewers(ctx context.Context, gs []Assignment) error {
	if len(gs) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, g := range gs {
		if !seen[g.ReviewerID] {
			seen[g.ReviewerID] = true
			ids = append(ids, g.ReviewerID)
		}
	}
	users, err := s.Org.UsersByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("award: reviewer names: %w", err)
	}
	for i := range gs {
		gs[i].Reviewer = users[gs[i].ReviewerID].Username
	}
	return nil
}
