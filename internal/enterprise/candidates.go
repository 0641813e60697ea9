package enterprise

import (
	"context"
	"fmt"
	"strings"

	"gaoxin/internal/db"
)

// Candidate is an operating enterprise as another module's matching reads
// it (the scenario module suggests enterprises for a call): its name, its
// industry code, the chain nodes it sits on among those asked for, and the
// tiers of its certificates valid on the day asked.
type Candidate struct {
	ID           int64    `json:"id"`
	CreditCode   string   `json:"credit_code"`
	Name         string   `json:"name"`
	IndustryCode string   `json:"industry_code"`
	Nodes        []int64  `json:"nodes,omitempty"`
	Tiers        []string `json:"tiers,omitempty"`
}

// CandidateQuery says which enterprises Candidates reads: those on any of
// Nodes (chain node ids, each meant as given: the caller adds the nodes
// under a chain it wants whole), or, when Nodes is empty, those whose
// industry code begins with any of Industries (GB/T 4754 codes or their
// prefixes). Day (YYYY-MM-DD) is the day the tiers must be valid on.
type CandidateQuery struct {
	Nodes      []int64
	Industries []string
	Day        string
}

// Candidates returns the operating enterprises q names, in id order, with
// their current tiers. It runs two queries however many enterprises match:
// the enterprises (through enterprise_chains_node or enterprises_industry)
// and their certificates (through enterprise_tiers_ent), each one pass.
func (s *Service) Candidates(ctx context.Context, q db.Querier, cq CandidateQuery) ([]Candidate, error) {
	r := s.reader(q)
	var set, rowsSQL string
	var args []any
	switch {
	case len(cq.Nodes) > 0:
		set = "SELECT c.enterprise_id FROM enterprise_chains c WHERE c.node_id IN (" + idList(cq.Nodes) + ")"
		rowsSQL = `SELECT e.id, e.credit_code, e.name, e.industry_code, c.node_id FROM enterprise_chains c
			JOIN enterprises e ON e.id = c.enterprise_id WHERE c.node_id IN (` + idList(cq.Nodes) + `) AND e.status = 'operating'`
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
		set = "SELECT i.id FROM enterprises i WHERE " + strings.Join(ors, " OR ")
		rowsSQL = `SELECT i.id, i.credit_code, i.name, i.industry_code, 0 FROM enterprises i WHERE (` + strings.Join(ors, " OR ") + `) AND i.status = 'operating'`
	default:
		return nil, nil
	}
	rows, err := r.QueryContext(ctx, rowsSQL+" ORDER BY 1", args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: candidates: %w", err)
	}
	var out []Candidate
	at := map[int64]int{}
	for rows.Next() {
		var c Candidate
		var node int64
		if err := rows.Scan(&c.ID, &c.CreditCode, &c.Name, &c.IndustryCode, &node); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enterprise: candidates: %w", err)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	tiers := append(args, cq.Day)
	day := fmt.Sprintf("$%d", len(tiers))
	rows, err = r.QueryContext(ctx, `SELECT t.enterprise_id, t.tier FROM enterprise_tiers t WHERE t.enterprise_id IN (`+set+`)
		AND (t.valid_to = '' OR t.valid_to >= `+day+`) AND (t.valid_from = '' OR t.valid_from <= `+day+`) ORDER BY t.enterprise_id, t.id`, tiers...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: candidates' tiers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok && !containsString(out[i].Tiers, t) {
			out[i].Tiers = append(out[i].Tiers, t)
		}
	}
	return out, rows.Err()
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
	rows, err := s.DB.R.QueryContext(ctx, "SELECT code, name_zh FROM industry_codes WHERE code IN ("+strings.Join(ph, ",")+")", args...)
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
