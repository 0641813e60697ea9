package enterprise

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gaoxin/internal/db"
)

// Candidate is an operating enterprise as another module's matching reads
// it (the scenario module suggests enterprises for a call): its industry
// code, the chain nodes it sits on among those asked for, and the tiers of
// its certificates valid on the day asked, in the pipeline's order (Tiers).
// Names come from Briefs, for the few a caller shows.
type Candidate struct {
	ID           int64    `json:"id"`
	IndustryCode string   `json:"industry_code"`
	Nodes        []int64  `json:"nodes,omitempty"`
	Tiers        []string `json:"tiers,omitempty"`
}

// CandidateQuery says which enterprises Candidates reads: those on any of
// Nodes (chain node ids, each meant as given: the caller adds the nodes
// under a chain it wants whole), or, when Nodes is empty, those whose
// industry code begins with any of Industries (GB/T 4754 codes or their
// prefixes), leaving out the ids in Except. Day (YYYY-MM-DD) is the day the
// tiers must be valid on.
type CandidateQuery struct {
	Nodes      []int64
	Industries []string
	Except     map[int64]bool
	Day        string
}

// Candidates returns the operating enterprises cq names, in id order, with
// their current tiers, in one pass over each index it reads: the
// enterprises through enterprise_chains_node (or enterprises_industry), and
// their certificates through enterprise_tiers_ent, whatever their number.
func (s *Service) Candidates(ctx context.Context, q db.Querier, cq CandidateQuery) ([]Candidate, error) {
	r := s.reader(q)
	var set, rowsSQL string
	var args []any
	switch {
	case len(cq.Nodes) > 0:
		set = "SELECT c.enterprise_id FROM enterprise_chains c WHERE c.node_id IN (" + idList(cq.Nodes) + ")"
		rowsSQL = `SELECT c.enterprise_id, e.industry_code, c.node_id FROM enterprise_chains c
			JOIN enterprises e ON e.id = c.enterprise_id WHERE c.node_id IN (` + idList(cq.Nodes) + `) AND e.status = 'operating' ORDER BY 1`
	case len(cq.Industries) > 0:
		var ors []string
		for _, p := range cq.Industries {
			p = NormalizeIndustry(p)
			if p == "" {
				continue
			}
			args = append(args, p, prefixEnd(p))
			ors = append(ors, fmt.Sprintf("(i.industry_code >= $%d AND i.industry_code < $%d)", len(args)-1, len(args)))
		}
		if len(ors) == 0 {
			return nil, nil
		}
		rowsSQL = `SELECT i.id, i.industry_code, 0 FROM enterprises i WHERE (` + strings.Join(ors, " OR ") + `) AND i.status = 'operating' ORDER BY 1`
	default:
		return nil, nil
	}
	rows, err := r.QueryContext(ctx, rowsSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: candidates: %w", err)
	}
	var out []Candidate
	at := map[int64]int{}
	for rows.Next() {
		var c Candidate
		var node int64
		if err := rows.Scan(&c.ID, &c.IndustryCode, &node); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enterprise: candidates: %w", err)
		}
		if cq.Except[c.ID] {
			continue
		}
		i, ok := at[c.ID]
		if !ok {
			i = len(out)
			at[c.ID] = i
			out = append(out, c)
		}
		if node != 0 {
			out[i].Nodes = append(out[i].Nodes, node)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	// The tiers: of the chain's set as a subquery; of an industry set (what
	// the chains did not already bring, usually few) as literal ids.
	var sets []string
	if set != "" {
		sets = append(sets, set)
	} else {
		ids := make([]int64, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		for len(ids) > 0 {
			n := min(len(ids), idChunk)
			sets = append(sets, idList(ids[:n]))
			ids = ids[n:]
		}
	}
	for _, set := range sets {
		rows, err = r.QueryContext(ctx, `SELECT t.enterprise_id, t.tier FROM enterprise_tiers t WHERE t.enterprise_id IN (`+set+`)
			AND (t.valid_to = '' OR t.valid_to >= $1) AND (t.valid_from = '' OR t.valid_from <= $1)`, cq.Day)
		if err != nil {
			return nil, fmt.Errorf("enterprise: candidates' tiers: %w", err)
		}
		for rows.Next() {
			var id int64
			var t string
			if err := rows.Scan(&id, &t); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := at[id]; ok && !containsString(out[i].Tiers, t) {
				out[i].Tiers = append(out[i].Tiers, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Tiers, func(a, b string) int { return tierRank(a) - tierRank(b) })
	}
	return out, nil
}

// tierRank is a tier's place in the pipeline's order (Tiers); unknown
// codes last.
func tierRank(code string) int {
	for i, t := range Tiers {
		if t.Code == code {
			return i
		}
	}
	return len(Tiers)
}

// prefixEnd is the least string above every string that begins with p
// (p non-empty, ASCII): industry codes are digits and capital letters.
func prefixEnd(p string) string {
	b := []byte(p)
	b[len(b)-1]++
	return string(b)
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// IndustryNames returns the Chinese names of the GB/T 4754 codes given
// that the classification knows, by code.
func (s *Service) IndustryNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	args := make([]any, len(codes))
	ph := make([]string, len(codes))
	for i, c := range codes {
		args[i] = c
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT code, name_zh FROM industry_codes WHERE code IN ("+strings.Join(ph, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: industry names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}
