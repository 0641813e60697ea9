package finance

import (
	"context"
	"fmt"
	"strconv"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
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

// Figure codes of the institutions as an awards subject.
const (
	FigurePlaced = "finance.placed"      // money placed in zone enterprises (到位), fen
	FigureDeals  = "finance.deals"       // deals funded
	FigureEarly  = "finance.early_deals" // of them, at the seed or angel stage
)

// AwardSubject is the zone's financial institutions as the awards module
// ranks them (十大优秀金融机构): every approved institution, with its
// deals funded in the data year (Figures). One with no deal that year is
// left out with the reason, never scored as zero. Staff correct a deal
// here (its funded amount and date); an upheld objection to the list then
// re-ranks from the corrected deals.
func (s *Service) AwardSubject() award.Subject {
	return award.Subject{Code: "finance.institutions", NameZH: "金融机构", NameEN: "financial institutions",
		Figures: []enterprise.Indicator{
			{Code: FigurePlaced, NameZH: "投放区内企业资金（到位）", NameEN: "money placed in zone enterprises", Unit: "元", Scale: 2, Nonnegative: true},
			{Code: FigureDeals, NameZH: "到位项目数", NameEN: "deals funded", Unit: "个", Nonnegative: true},
			{Code: FigureEarly, NameZH: "种子及天使阶段到位项目数", NameEN: "deals at the seed or angel stage", Unit: "个", Nonnegative: true},
		},
		Formula: []award.Term{
			{Code: "placed", NameZH: "投放区内企业资金", NameEN: "Money placed in zone enterprises", Source: award.SourceFigure, Indicator: FigurePlaced, Transform: award.TransformMinMax, Weight: 50},
			{Code: "deals", NameZH: "到位项目数", NameEN: "Deals funded", Source: award.SourceFigure, Indicator: FigureDeals, Transform: award.TransformMinMax, Weight: 30},
			{Code: "early_share", NameZH: "种子及天使阶段项目占比", NameEN: "Share of deals at the seed or angel stage", Source: award.SourceRatio, Indicator: FigureEarly, Denominator: FigureDeals, Transform: award.TransformMinMax, Weight: 20},
		},
		Rows: s.awardRows,
		Path: func(id int64) string { return "/finance/institutions/" + strconv.FormatInt(id, 10) },
	}
}

func (s *Service) awardRows(ctx context.Context, q db.Querier, year int) ([]award.SubjectRow, error) {
	figs, err := s.Figures(ctx, q, year)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]InstitutionFigures, len(figs))
	for _, f := range figs {
		byID[f.InstitutionID] = f
	}
	rows, err := q.QueryContext(ctx, "SELECT id, credit_code, name FROM finance_institutions WHERE state = $1 ORDER BY id", InstApproved)
	if err != nil {
		return nil, fmt.Errorf("finance: institutions for the awards: %w", err)
	}
	out, err := scanAll(rows, func(sc interface{ Scan(...any) error }) (award.SubjectRow, error) {
		var r award.SubjectRow
		if err := sc.Scan(&r.ID, &r.CreditCode, &r.Name); err != nil {
			return r, err
		}
		if f, ok := byID[r.ID]; ok {
			r.Figures = map[string]int64{FigurePlaced: f.PlacedFen, FigureDeals: int64(f.Deals), FigureEarly: int64(f.EarlyDeals)}
		} else {
			r.Excluded = &award.Reason{ZH: fmt.Sprintf("%d 年没有到位的投融资项目", year), EN: fmt.Sprintf("no deal funded in %d", year)}
		}
		return r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("finance: institutions for the awards: %w", err)
	}
	return out, nil
}
