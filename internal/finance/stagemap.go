package finance

import (
	"context"
	"database/sql"
	"fmt"
)

// The overview's stages × chains map is a rollup (finance_stage_map,
// migration 0620): each approved institution counts once in each cell of
// its stages and industries (industry 0 when it lists no chain). Every
// write that changes an institution's state or profile takes its cells
// out before and puts them back after, in its transaction.

// mapCells adds sign (1 or -1) to each cell of institution id as the
// transaction sees it now; nothing when it is not approved.
func (s *Service) mapCells(ctx context.Context, tx *sql.Tx, id int64, sign int) error {
	var state string
	if err := tx.QueryRowContext(ctx, "SELECT state FROM finance_institutions WHERE id = $1", id).Scan(&state); err != nil {
		return fmt.Errorf("finance: stage map of institution %d: %w", id, err)
	}
	if state != InstApproved {
		return nil
	}
	stages, err := pairs(ctx, tx, "SELECT institution_id, stage FROM finance_institution_stages WHERE institution_id = $1", id)
	if err != nil {
		return err
	}
	chains, err := pairs(ctx, tx, "SELECT node_id, '' FROM finance_institution_chains WHERE institution_id = $1", id)
	if err != nil {
		return err
	}
	var inds []int64
	if len(chains) == 0 {
		inds = []int64{0}
	} else {
		a, err := s.ancestry(ctx)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, c := range chains {
			if k := a.industry(c.id); !seen[k] {
				seen[k] = true
				inds = append(inds, k)
			}
		}
	}
	for _, st := range stages {
		for _, k := range inds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO finance_stage_map (stage, node_id, n) VALUES ($1,$2,$3)
				ON CONFLICT (stage, node_id) DO UPDATE SET n = finance_stage_map.n + excluded.n`, st.v, k, sign); err != nil {
				return fmt.Errorf("finance: stage map of institution %d: %w", id, err)
			}
		}
	}
	return nil
}
