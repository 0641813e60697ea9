package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// The reads in this file are what other modules (awards first) ask of the
// registry; they never read its tables themselves. Each read takes the
// caller's querier, so that a caller inside a transaction (a ranking
// round) sees one snapshot of the registry and of its own tables; nil
// reads through the registry's read pool. They check no viewer: the caller
// is a service that has checked its own. Each is a fixed, small number of
// queries however many enterprises it covers.

// Brief is an enterprise as another module names it.
type Brief struct {
	ID           int64    `json:"id"`
	CreditCode   string   `json:"credit_code"`
	Name         string   `json:"name"`
	RegisteredOn string   `json:"registered_on"` // YYYY-MM-DD or ""
	Status       Status   `json:"status"`
	Synthetic    bool     `json:"synthetic"`
	FormerNames  []string `json:"former_names,omitempty"`
}

const briefCols = "SELECT id, credit_code, name, registered_on, status, synthetic, former_names FROM enterprises"

func (s *Service) reader(q db.Querier) db.Querier {
	if q == nil {
		return s.DB.R
	}
	return q
}

func scanBriefs(rows *sql.Rows, fn func(Brief)) error {
	defer rows.Close()
	for rows.Next() {
		var b Brief
		var former string
		if err := rows.Scan(&b.ID, &b.CreditCode, &b.Name, &b.RegisteredOn, &b.Status, &b.Synthetic, &former); err != nil {
			return fmt.Errorf("enterprise: briefs: %w", err)
		}
		if former != "" {
			b.FormerNames = strings.Split(former, "\n")
		}
		fn(b)
	}
	return rows.Err()
}

// OperatingBriefs lists every operating (存续) enterprise by id.
func (s *Service) OperatingBriefs(ctx context.Context, q db.Querier) ([]Brief, error) {
	rows, err := s.reader(q).QueryContext(ctx, briefCols+" WHERE status = 'operating' ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("enterprise: operating: %w", err)
	}
	var out []Brief
	err = scanBriefs(rows, func(b Brief) { out = append(out, b) })
	return out, err
}

// idChunk bounds the literal id lists of one query.
const idChunk = 2000

// Briefs returns the enterprises of ids by id; unknown ids are absent.
func (s *Service) Briefs(ctx context.Context, q db.Querier, ids []int64) (map[int64]Brief, error) {
	out := make(map[int64]Brief, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		rows, err := s.reader(q).QueryContext(ctx, briefCols+" WHERE id IN ("+idList(ids[:n])+")")
		if err != nil {
			return nil, fmt.Errorf("enterprise: briefs: %w", err)
		}
		if err := scanBriefs(rows, func(b Brief) { out[b.ID] = b }); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// BriefByCode finds an enterprise by its credit code (normalised first).
// Errors: Invalid naming credit_code when no enterprise has it.
func (s *Service) BriefByCode(ctx context.Context, code string) (Brief, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, briefCols+" WHERE credit_code = $1", strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return Brief{}, fmt.Errorf("enterprise: by code: %w", err)
	}
	var b Brief
	found := false
	if err := scanBriefs(rows, func(x Brief) { b, found = x, true }); err != nil {
		return b, err
	}
	if !found {
		return b, errs.Field("credit_code", "没有该统一社会信用代码的企业", "no enterprise with this credit code")
	}
	return b, nil
}

// ChainCodes returns, per enterprise, the codes of the chain nodes it sits
// on and of every ancestor of those nodes, so that "in node X" holds for
// an enterprise on any node under X.
func (s *Service) ChainCodes(ctx context.Context, q db.Querier) (map[int64][]string, error) {
	r := s.reader(q)
	type node struct {
		code   string
		parent int64
	}
	nodes := map[int64]node{}
	rows, err := r.QueryContext(ctx, "SELECT id, code, COALESCE(parent_id, 0) FROM chain_nodes ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("enterprise: chain nodes: %w", err)
	}
	for rows.Next() {
		var id int64
		var n node
		if err := rows.Scan(&id, &n.code, &n.parent); err != nil {
			rows.Close()
			return nil, err
		}
		nodes[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = r.QueryContext(ctx, "SELECT enterprise_id, node_id FROM enterprise_chains ORDER BY enterprise_id, node_id")
	if err != nil {
		return nil, fmt.Errorf("enterprise: chains: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var ent, id int64
		if err := rows.Scan(&ent, &id); err != nil {
			return nil, err
		}
		// The tree is acyclic (a node's parent exists before it); the
		// bound only guards against a damaged table.
		for depth := 0; id != 0 && depth < len(nodes); depth++ {
			n, ok := nodes[id]
			if !ok {
				break
			}
			out[ent] = append(out[ent], n.code)
			id = n.parent
		}
	}
	return out, rows.Err()
}

// FigureKey names one yearly figure of one enterprise.
type FigureKey struct {
	EnterpriseID int64
	Indicator    string
	Year         int
}

// EffectiveFigures returns the effective yearly values (month 0) of the
// given indicators in the given years: for each enterprise, indicator and
// year, the confirmed value of the best-ranked source (Source.Rank:
// statistics, then tax, then staff, then self-reported). ids limits the
// enterprises; nil means every enterprise. Values are in the indicator's
// scaled units (IndicatorScales).
func (s *Service) EffectiveFigures(ctx context.Context, q db.Querier, years []int, indicators []string, ids []int64) (map[FigureKey]int64, error) {
	out := map[FigureKey]int64{}
	if len(years) == 0 || len(indicators) == 0 || (ids != nil && len(ids) == 0) {
		return out, nil
	}
	var args []any
	ph := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var ys, cs []string
	for _, y := range years {
		ys = append(ys, ph(y))
	}
	for _, c := range indicators {
		cs = append(cs, ph(c))
	}
	base := `SELECT enterprise_id, indicator, year, source, value FROM enterprise_figures
		WHERE month = 0 AND status = 'confirmed' AND year IN (` + strings.Join(ys, ",") + `) AND indicator IN (` + strings.Join(cs, ",") + `)`
	rank := map[FigureKey]int{}
	run := func(query string) error {
		rows, err := s.reader(q).QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("enterprise: effective figures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k FigureKey
			var src Source
			var v int64
			if err := rows.Scan(&k.EnterpriseID, &k.Indicator, &k.Year, &src, &v); err != nil {
				return err
			}
			r := src.Rank()
			if r > len(Sources) {
				continue // not a known source: never effective
			}
			if old, seen := rank[k]; !seen || r < old {
				rank[k] = r
				out[k] = v
			}
		}
		return rows.Err()
	}
	if ids == nil {
		return out, run(base)
	}
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		if err := run(base + " AND enterprise_id IN (" + idList(ids[:n]) + ")"); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// IndicatorScales returns every indicator's decimal scale by code (money
// in 元 has scale 2: values are fen).
func (s *Service) IndicatorScales(ctx context.Context, q db.Querier) (map[string]int, error) {
	rows, err := s.reader(q).QueryContext(ctx, "SELECT code, scale FROM figure_indicators ORDER BY code LIMIT 1000")
	if err != nil {
		return nil, fmt.Errorf("enterprise: indicator scales: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var sc int
		if err := rows.Scan(&c, &sc); err != nil {
			return nil, err
		}
		out[c] = sc
	}
	return out, rows.Err()
}
