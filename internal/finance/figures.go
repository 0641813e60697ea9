package finance

import (
	"context"
	"fmt"

	"gaoxin/internal/db"
	"gaoxin/internal/money"
)

// InstitutionFigures are an institution's deals of one year, as the awards
// module scores 十大优秀金融机构 on them: the money it placed in zone
// enterprises (到位), the number of deals, and how many of them were at the
// seed or angel stage (the share is EarlyDeals/Deals, left to the caller's
// exact arithmetic).
type InstitutionFigures struct {
	InstitutionID int64  `json:"institution_id"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	PlacedFen     int64  `json:"placed_fen"`
	Deals         int    `json:"deals"`
	EarlyDeals    int    `json:"early_deals"`
}

// Figures returns every institution's deals funded in year (by the date
// funded), by institution id; institutions without one are absent. Like
// the registry's reads for other modules it checks no viewer: the caller
// is a service that checked its own. q is the caller's transaction, or nil
// for the read pool.
func (s *Service) Figures(ctx context.Context, q db.Querier, year int) ([]InstitutionFigures, error) {
	if q == nil {
		q = s.DB.R
	}
	rows, err := q.QueryContext(ctx, `SELECT m.institution_id, i.name, i.kind, COUNT(*), SUM(m.funded_fen),
		SUM(CASE WHEN n.stage IN ('seed', 'angel') THEN 1 ELSE 0 END)
		FROM finance_matches m JOIN finance_needs n ON n.id = m.need_id JOIN finance_institutions i ON i.id = m.institution_id
		WHERE m.step = 'funded' AND m.funded_on >= $1 AND m.funded_on <= $2
		GROUP BY m.institution_id, i.name, i.kind ORDER BY m.institution_id`, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return nil, fmt.Errorf("finance: figures of %d: %w", year, err)
	}
	defer rows.Close()
	out := []InstitutionFigures{}
	for rows.Next() {
		var f InstitutionFigures
		var placed, early money.SQLSum
		if err := rows.Scan(&f.InstitutionID, &f.Name, &f.Kind, &f.Deals, &placed, &early); err != nil {
			return nil, fmt.Errorf("finance: figures of %d: %w", year, err)
		}
		f.PlacedFen, f.EarlyDeals = int64(placed), int(early)
		out = append(out, f)
	}
	return out, rows.Err()
}
