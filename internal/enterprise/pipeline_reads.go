package enterprise

import (
	"context"
	"strconv"
	"strings"

	"gaoxin/internal/db"
)

// The reads in this file serve the industry brain's tier pipeline (who
// moved up a tier in a year). Like reads.go they take the caller's querier
// (nil: the read pool) and check no viewer: the caller checked its own.

// TiersStarted lists the certificates of the given tiers that started
// between from and to (YYYY-MM-DD, both included), each with its
// enterprise's name, newest first, at most limit (1–1000); area, when not
// 0, keeps the enterprises of that office area unit.
func (s *Service) TiersStarted(ctx context.Context, q db.Querier, from, to string, tiers []string, area int64, limit int) ([]Tier, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	args := []any{from, to}
	ph := make([]string, 0, len(tiers))
	for _, t := range tiers {
		if !validTier(t) {
			continue
		}
		args = append(args, t)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	if len(ph) == 0 {
		return []Tier{}, nil
	}
	sql := `SELECT t.id, t.enterprise_id, t.tier, t.level, t.cert_no, t.valid_from, t.valid_to, t.board, t.stock_code, t.note, t.created_at, e.name
		FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id
		WHERE t.tier IN (` + strings.Join(ph, ",") + `) AND t.valid_from >= $1 AND t.valid_from <= $2`
	if area != 0 {
		args = append(args, area)
		sql += " AND e.area_unit_id = $" + strconv.Itoa(len(args))
	}
	sql += " ORDER BY t.valid_from DESC, t.id DESC LIMIT " + strconv.Itoa(limit)
	return s.queryTiersWith(ctx, s.reader(q), sql, args...)
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
