package enterprise

import (
	"context"
	"slices"
	"strconv"

	"gaoxin/internal/db"
)

// The reads in this file serve the industry brain's tier pipeline (who
// moved up a tier in a year). Like reads.go they take the caller's querier
// (nil: the read pool) and check no viewer: the caller checked its own.

// TiersStarted lists the certificates of the given tiers among those that
// started between from and to (YYYY-MM-DD, both included), each with its
// enterprise's name, newest first: of the newest limit (1–1000)
// certificates that started then, those of the tiers. area, when not 0,
// keeps the enterprises of that office area unit. The tiers are chosen
// here, not in SQL: a tier condition would lead the planner to read every
// certificate of those tiers instead of walking the newest first days.
func (s *Service) TiersStarted(ctx context.Context, q db.Querier, from, to string, tiers []string, area int64, limit int) ([]Tier, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	args := []any{from, to}
	sql := `SELECT t.id, t.enterprise_id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.stock_code, t.note, t.created_at, e.name
		FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id
		WHERE t.valid_from >= $1 AND t.valid_from <= $2`
	if area != 0 {
		args = append(args, area)
		sql += " AND e.area_unit_id = $3"
	}
	sql += " ORDER BY t.valid_from DESC, t.id DESC LIMIT " + strconv.Itoa(limit)
	all, err := s.queryTiersWith(ctx, s.reader(q), sql, args...)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if slices.Contains(tiers, t.Tier) {
			out = append(out, t)
		}
	}
	return out, nil
}

// TierHistory lists every certificate the given enterprises hold or held,
// by enterprise, oldest first.
func (s *Service) TierHistory(ctx context.Context, q db.Querier, ids []int64) (map[int64][]Tier, error) {
	out := map[int64][]Tier{}
	for start := 0; start < len(ids); start += idChunk {
		part := ids[start:min(start+idChunk, len(ids))]
		l, err := s.queryTiersWith(ctx, s.reader(q), `SELECT t.id, t.enterprise_id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.stock_code, t.note, t.created_at, ''
			FROM enterprise_tiers t WHERE t.enterprise_id IN (`+idList(part)+`) ORDER BY t.enterprise_id, t.valid_from, t.id`)
		if err != nil {
			return nil, err
		}
		for _, t := range l {
			out[t.EnterpriseID] = append(out[t.EnterpriseID], t)
		}
	}
	return out, nil
}
