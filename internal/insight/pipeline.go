package insight

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/db"
)

// The candidates close to a tier (insight_candidates) are a pure function
// of each enterprise's contributions (insight_contributions): whenever
// recompute changes an enterprise's contributions, its candidate rows are
// worked out again from them in the same transaction, and a rebuild works
// them all out from the facts it writes. A page reads them by index and
// never compares figures on request. They are kept for now only (the
// latest year's figures, today's certificates): outreach is for now, and a
// row per year would multiply the table by the years kept.

// candidate is one row of insight_candidates.
type candidate struct {
	id, figuresYear int64
	tier, area      string
	unmet           int
	closeness       int64
	gaps            string
}

// storedGap is a gap as kept: the criterion, its value and threshold (the
// words are made again on reading, from the rule).
type storedGap struct {
	C string `json:"c"`
	V int64  `json:"v"`
	T int64  `json:"t"`
}

// candidatesOf works out the candidate rows of the enterprises whose
// every contribution is in all (by enterprise and year): an operating
// enterprise (one with a year-0 contribution), with the figures of its
// latest year and the year before, and the certificates it holds today.
func candidatesOf(all map[factKey]facts) []candidate {
	latest := map[int64]int{}
	for k := range all {
		if k.year != 0 {
			latest[k.id] = max(latest[k.id], k.year)
		}
	}
	var out []candidate
	for k, now := range all {
		y := latest[k.id]
		if k.year != 0 || y == 0 {
			continue
		}
		prev := all[factKey{k.id, y - 1}]
		out = appendCandidates(out, k.id, y, now.Area, now.Tiers, figures{all[factKey{k.id, y}].Values, prev.Values})
	}
	return out
}

// appendCandidates adds the tiers an enterprise (holding held) is close
// to: those not held, whose prerequisite it holds, with no tier of the
// same or a later stage held.
func appendCandidates(out []candidate, id int64, figYear int, area string, held []string, x figures) []candidate {
	top := -1
	for _, t := range held {
		top = max(top, StageOf(t))
	}
	for _, r := range TierRules {
		if StageOf(r.Tier) <= top || (r.Requires != "" && !slices.Contains(held, r.Requires)) {
			continue
		}
		gaps, closeness, ok := r.assess(x)
		if !ok {
			continue
		}
		stored := make([]storedGap, len(gaps))
		for i, g := range gaps {
			stored[i] = storedGap{g.Criterion, g.Value, g.Threshold}
		}
		b, _ := json.Marshal(stored) // plain values: cannot fail
		out = append(out, candidate{id: id, figuresYear: int64(figYear), tier: r.Tier, area: area, unmet: len(gaps), closeness: closeness, gaps: string(b)})
	}
	return out
}

// refreshCandidates replaces the candidate rows of ids by those of their
// contributions after a recompute.
func refreshCandidates(ctx context.Context, tx *sql.Tx, lite bool, ids []int64, after map[factKey]facts) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		if _, err := tx.ExecContext(ctx, "DELETE FROM insight_candidates WHERE enterprise_id IN ("+idList(part)+")"); err != nil {
			return fmt.Errorf("insight: candidates: %w", err)
		}
	}
	return insertCandidates(ctx, tx, lite, candidatesOf(after))
}

func insertCandidates(ctx context.Context, tx *sql.Tx, lite bool, rows []candidate) error {
	if err := execRows(ctx, tx, lite, "INSERT INTO insight_candidates (enterprise_id, tier, area, figures_year, unmet, closeness, gaps)", "", 7, candidateRows(rows)); err != nil {
		return fmt.Errorf("insight: candidates: %w", err)
	}
	return nil
}

// candidateRows lists cands as rows of insight_candidates, in key order
// (enterprise, tier).
func candidateRows(cands []candidate) [][]any {
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.id != b.id {
			return cmp.Compare(a.id, b.id)
		}
		return strings.Compare(a.tier, b.tier)
	})
	rows := make([][]any, len(cands))
	for i, r := range cands {
		rows[i] = []any{r.id, r.tier, r.area, r.figuresYear, r.unmet, r.closeness, r.gaps}
	}
	return rows
}

// Candidate is an enterprise close to a tier it does not hold yet.
type Candidate struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Tier         string `json:"tier"` // the tier it is close to
	TierZH       string `json:"tier_zh"`
	TierEN       string `json:"tier_en"`
	FiguresYear  int    `json:"figures_year"` // whose figures were compared
	Unmet        int    `json:"unmet"`        // 0: meets every criterion tested, not certified
	Gaps         []Gap  `json:"gaps"`
	TaskID       int64  `json:"task_id,omitempty"` // the outreach task already made (this plan year)
}

// candidates reads the candidates (tier "" any), closest first; area ""
// the whole zone.
func (s *Service) candidates(ctx context.Context, q db.Querier, tier, area string, limit int) ([]Candidate, error) {
	var conds []string
	var args []any
	if tier != "" {
		args = append(args, tier)
		conds = append(conds, "tier = $"+strconv.Itoa(len(args)))
	}
	if area != "" {
		args = append(args, area)
		conds = append(conds, "area = $"+strconv.Itoa(len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := q.QueryContext(ctx, "SELECT enterprise_id, tier, figures_year, unmet, gaps FROM insight_candidates"+where+
		" ORDER BY unmet, closeness, enterprise_id, tier LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("insight: candidates: %w", err)
	}
	defer rows.Close()
	out := []Candidate{}
	for rows.Next() {
		var c Candidate
		var gaps string
		if err := rows.Scan(&c.EnterpriseID, &c.Tier, &c.FiguresYear, &c.Unmet, &gaps); err != nil {
			return nil, fmt.Errorf("insight: candidates: %w", err)
		}
		if c.Gaps, err = readGaps(c.Tier, gaps); err != nil {
			return nil, err
		}
		c.TierZH, c.TierEN = tierName(c.Tier)
		out = append(out, c)
	}
	return out, rows.Err()
}

func readGaps(tier, body string) ([]Gap, error) {
	var stored []storedGap
	if err := json.Unmarshal([]byte(body), &stored); err != nil {
		return nil, fmt.Errorf("insight: candidate gaps: %w", err)
	}
	r, _ := TierRuleOf(tier)
	out := make([]Gap, 0, len(stored))
	for _, g := range stored {
		c, ok := r.criterion(g.C)
		if !ok {
			continue // a criterion since dropped: a rebuild will drop it too
		}
		out = append(out, c.gap(g.V, g.T))
	}
	return out, nil
}
