package scenario

import (
	"context"
	"fmt"

	"gaoxin/internal/db"
)

// BatchChoices lists the published batches by number, newest first, for a
// list's filter: their ids, numbers and titles only (Batches counts each
// batch's calls, which a filter does not show).
func (s *Service) BatchChoices(ctx context.Context) ([]Batch, error) {
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, `SELECT id, seq, title, state, published_on, synthetic, created_at FROM scenario_batches
		WHERE state = 'published' ORDER BY seq DESC LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("scenario: batch choices: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		if err := rows.Scan(&b.ID, &b.Seq, &b.Title, &b.State, &b.PublishedOn, &b.Synthetic, &b.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
