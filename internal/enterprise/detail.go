package enterprise

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"gaoxin/internal/db"
)

// detailMaxTiers bounds the certificates a detail shows, as TiersOf does.
const detailMaxTiers = 500

// detailQuery reads an enterprise, its chains and its certificates in one
// statement (one round trip on PostgreSQL instead of three): a UNION ALL
// whose first column says what a row is (0 the enterprise, 1 a chain, 2 a
// certificate, 3 a change, in detailHistoryQuery). A row of another kind
// fills the enterprise's columns of the same type:
//
//	slot: 2 credit_code 3 code_exception 4 name 5 former_names 6 legal_form
//	7 registered_on 8 capital 9 area_unit_id 10 area code 11 area name
//	chain:  id, code, name_zh in 1–3, its sort in 20
//	tier:   id 1, tier 2, level 3, cert_no 4, valid_from 5, valid_to 6,
//	        board 7, created_at 8, enterprise_id 9, stock_code 10, note 11
//	change: id 1, actor 2, action 3, before 4, after 5, at 8, import job 9
//
// The enterprise's row leaves column 20 (a chain's sort) empty. The rows
// are put in order in Go: an ORDER BY over the union cost SQLite a
// temporary b-tree per branch, most of the query.
const detailQuery = detailRows + detailLimit

// detailHistoryQuery is detailQuery with the enterprise's newest $2
// changes.
const detailHistoryQuery = detailRows + `
	UNION ALL
	SELECT 3, h.id, h.actor, h.action, h.before_json, h.after_json, '', '', h.at, COALESCE(h.import_job_id, 0), '', '',
		'', '', '', FALSE, 0, 0, 0, '', 0
	FROM (SELECT id, at, actor, action, import_job_id, before_json, after_json FROM enterprise_history
		WHERE enterprise_id = $1 ORDER BY id DESC LIMIT $2) h` + detailLimit

const detailRows = `SELECT 0, ` + entCols + `, 0` + entFrom + ` WHERE e.id = $1
	UNION ALL
	SELECT 1, n.id, n.code, n.name_zh, '', '', '', '', 0, 0, '', '', '', '', '', FALSE, 0, 0, 0, '', n.sort
	FROM enterprise_chains c JOIN chain_nodes n ON n.id = c.node_id WHERE c.enterprise_id = $1
	UNION ALL
	SELECT 2, t.id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.created_at, t.enterprise_id, t.stock_code, t.note,
		'', '', '', FALSE, 0, 0, 0, '', 0
	FROM enterprise_tiers t WHERE t.enterprise_id = $1`

// detailLimit bounds the rows: an enterprise has a handful of chains and
// certificates, and at most 500 changes are asked for.
const detailLimit = `
	LIMIT 10000`

// detailRead is what getDetail reads.
type detailRead struct {
	e       Enterprise
	tiers   []Tier
	history []HistoryRow
}

// getDetail reads what getTx and tiersOf read, and with a history limit
// above 0 what history reads, in one query, each list in its order.
// Errors: NotFound.
func (s *Service) getDetail(ctx context.Context, id int64, historyLimit int) (detailRead, error) {
	q, args := detailQuery, []any{id}
	if historyLimit > 0 {
		q, args = detailHistoryQuery, []any{id, historyLimit}
	}
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, q, args...)
	if err != nil {
		return detailRead{}, fmt.Errorf("enterprise: get %d: %w", id, err)
	}
	defer rows.Close()
	type chainRow struct {
		ref  ChainRef
		sort int64
	}
	var (
		r      = detailRead{tiers: []Tier{}, history: []HistoryRow{}}
		found  bool
		chains []chainRow
		today  = s.Today()
		hor    = horizonOf(today)
	)
	for rows.Next() {
		var (
			kind, version                                 int
			rid, capital, areaID, created, upd, sortOrVer int64
			c2, c3, c4, c5, c6, c7, c10, c11              string
			address, industry, status, indName            string
			synthetic                                     bool
		)
		if err := rows.Scan(&kind, &rid, &c2, &c3, &c4, &c5, &c6, &c7, &capital, &areaID, &c10, &c11, &address, &industry, &status,
			&synthetic, &version, &created, &upd, &indName, &sortOrVer); err != nil {
			return detailRead{}, fmt.Errorf("enterprise: get %d: %w", id, err)
		}
		switch kind {
		case 0:
			found = true
			r.e = Enterprise{ID: rid, CreditCode: c2, CodeException: c3, Name: c4, FormerNames: []string{}, LegalForm: c6, RegisteredOn: c7,
				CapitalFen: capital, AreaUnitID: areaID, AreaCode: c10, AreaName: c11, Address: address, IndustryCode: industry,
				Status: Status(status), Synthetic: synthetic, Version: version, CreatedAt: created, UpdatedAt: upd, IndustryName: indName}
			if c5 != "" {
				r.e.FormerNames = strings.Split(c5, "\n")
			}
		case 1:
			chains = append(chains, chainRow{ChainRef{ID: rid, Code: c2, NameZH: c3}, sortOrVer})
		case 2:
			t := Tier{ID: rid, EnterpriseID: areaID, Tier: c2, Level: c3, CertNo: c4, ValidFrom: c5, ValidTo: c6, Board: c7,
				CreatedAt: capital, StockCode: c10, Note: c11}
			t.classify(today, hor)
			r.tiers = append(r.tiers, t)
		case 3:
			r.history = append(r.history, HistoryRow{ID: rid, At: capital, Actor: c2, Action: c3, ImportJob: areaID, Before: c4, After: c5})
		}
	}
	if err := rows.Err(); err != nil {
		return detailRead{}, fmt.Errorf("enterprise: get %d: %w", id, err)
	}
	if !found {
		return detailRead{}, errNotFound
	}
	// Chains as fillChains orders them, certificates as tiersOf (newest
	// first, at most detailMaxTiers), changes as history (newest first).
	slices.SortFunc(chains, func(a, b chainRow) int { return cmp.Or(cmp.Compare(a.sort, b.sort), cmp.Compare(a.ref.ID, b.ref.ID)) })
	r.e.Chains = make([]ChainRef, len(chains))
	for i, c := range chains {
		r.e.Chains[i] = c.ref
	}
	slices.SortFunc(r.tiers, func(a, b Tier) int { return cmp.Or(strings.Compare(b.ValidFrom, a.ValidFrom), cmp.Compare(b.ID, a.ID)) })
	if len(r.tiers) > detailMaxTiers {
		r.tiers = r.tiers[:detailMaxTiers]
	}
	slices.SortFunc(r.history, func(a, b HistoryRow) int { return cmp.Compare(b.ID, a.ID) })
	return r, nil
}
