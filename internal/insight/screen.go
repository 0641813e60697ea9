package insight

import (
	"context"
	"fmt"
	"strconv"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/memo"
)

// The big screen (大屏) reads what it shows of the industry brain here: the
// chains one level below the three groups with their enterprises now and
// their revenue in the year, the tiers held now, and the open warnings.
// Everything comes from the rollups and the warnings table.

// ScreenChain is one chain on the big screen.
type ScreenChain struct {
	Code        string `json:"code"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	Group       string `json:"group"` // the group's name (四大主导产业…)
	Enterprises int64  `json:"enterprises"`
	RevenueFen  int64  `json:"revenue_fen"` // in Year
	LastFen     int64  `json:"last_fen"`    // in Year − 1
}

// ScreenTier is a tier with how many operating enterprises hold it now.
type ScreenTier struct {
	Code    string `json:"code"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Holders int64  `json:"holders"`
}

// Screen is the industry brain's part of the big screen.
type Screen struct {
	Year         int           `json:"year"`
	Enterprises  int64         `json:"enterprises"` // operating now
	Chains       []ScreenChain `json:"chains"`
	Tiers        []ScreenTier  `json:"tiers"`
	OpenWarnings int           `json:"open_warnings"`
	Warnings     []Warning     `json:"warnings"` // the newest open ones
	Status       Status        `json:"status"`
}

// ScreenOf reads the screen's figures for year. Zone-wide readers only.
func (s *Service) ScreenOf(ctx context.Context, v Viewer, year int) (Screen, error) {
	if !v.Zone() {
		return Screen{}, errNoAccess
	}
	out := Screen{Year: year}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return out, err
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT year, dims, key, n, body FROM insight_cells
		WHERE year IN (0, $1, $2) AND dims IN ('chain', 'tier', 'area') ORDER BY year, dims, key`, year, year-1)
	if err != nil {
		return out, fmt.Errorf("insight: screen: %w", err)
	}
	type cell struct {
		year int
		dims string
	}
	sums := map[cell]map[string]Sums{}
	for rows.Next() {
		var c cell
		var key, body string
		var n int64
		if err := rows.Scan(&c.year, &c.dims, &key, &n, &body); err != nil {
			rows.Close()
			return out, fmt.Errorf("insight: screen: %w", err)
		}
		sm, err := parseSums(n, body)
		if err != nil {
			rows.Close()
			return out, err
		}
		if sums[c] == nil {
			sums[c] = map[string]Sums{}
		}
		sums[c][key] = sm
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("insight: screen: %w", err)
	}
	// Every operating enterprise has one area key ("-" when none).
	for _, sm := range sums[cell{0, DimArea}] {
		out.Enterprises += sm.N
	}
	groups := map[int64]enterprise.ChainNode{}
	for _, n := range tree {
		if n.ParentID == 0 {
			groups[n.ID] = n
		}
	}
	for _, n := range tree {
		g, ok := groups[n.ParentID]
		if !ok {
			continue
		}
		key := strconv.FormatInt(n.ID, 10)
		out.Chains = append(out.Chains, ScreenChain{Code: n.Code, NameZH: n.NameZH, NameEN: n.NameEN, Group: g.NameZH,
			Enterprises: sums[cell{0, DimChain}][key].N,
			RevenueFen:  sums[cell{year, DimChain}][key].Sum["revenue"],
			LastFen:     sums[cell{year - 1, DimChain}][key].Sum["revenue"]})
	}
	for _, t := range enterprise.Tiers {
		out.Tiers = append(out.Tiers, ScreenTier{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN, Holders: sums[cell{0, DimTier}][t.Code].N})
	}
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM insight_warnings WHERE status = 'open'").Scan(&out.OpenWarnings); err != nil {
		return out, fmt.Errorf("insight: screen: %w", err)
	}
	if out.Warnings, err = s.Warnings(ctx, v, WarnOpen, 6); err != nil {
		return out, err
	}
	out.Status, err = s.State(ctx)
	return out, err
}

// Version is the industry brain's data version: it moves whenever the
// rollups, the rules or the warnings change.
func (s *Service) Version(ctx context.Context) (int64, error) {
	return memo.Module{DB: s.DB, Name: Module}.Version(ctx)
}
