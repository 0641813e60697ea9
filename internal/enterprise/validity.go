package enterprise

import (
	"context"
	"fmt"

	"gaoxin/internal/db"
)

// TiersValidIn returns, per enterprise, the tier codes of its certificates
// whose validity period meets the span from..to (YYYY-MM-DD, inclusive):
// valid from no later than to (or with no start recorded) and valid to no
// earlier than from (or open-ended), in the order they were recorded. A
// single day is the span from = to.
func (s *Service) TiersValidIn(ctx context.Context, q db.Querier, from, to string) (map[int64][]string, error) {
	rows, err := s.reader(q).QueryContext(ctx, `SELECT enterprise_id, tier FROM enterprise_tiers
		WHERE (valid_to = '' OR valid_to >= $1) AND (valid_from = '' OR valid_from <= $2) ORDER BY enterprise_id, id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("enterprise: tiers valid %s to %s: %w", from, to, err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}
