package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gaoxin/internal/db"
)

// CountRecent counts the entries of action recorded from address ip after
// at (Unix milliseconds), read through q (a caller's transaction, or nil
// for the read pool). Modules use it to limit how often one address may act.
func (l *Log) CountRecent(ctx context.Context, q db.Querier, action, ip string, at int64) (int, error) {
	if q == nil {
		q = l.db.R
	}
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND ip = $2 AND at > $3", action, ip, at).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("audit: count recent: %w", err)
	}
	return n, nil
}

// ForObjects returns the entries about the given objects (object type →
// object ids), newest first, at most limit (1–1000, default 300). A module
// collects the ids of everything that belongs to one of its records and
// asks once.
func (l *Log) ForObjects(ctx context.Context, objects map[string][]string, limit int) ([]Row, error) {
	if limit <= 0 || limit > 1000 {
		limit = 300
	}
	types := make([]string, 0, len(objects))
	for t, ids := range objects {
		if len(ids) > 0 {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		return nil, nil
	}
	sort.Strings(types)
	// Types and ids go in as quoted literals: the id lists can be longer
	// than a statement's parameter limit.
	var conds []string
	for _, t := range types {
		lits := make([]string, len(objects[t]))
		for i, id := range objects[t] {
			lits[i] = quote(id)
		}
		conds = append(conds, "(object_type = "+quote(t)+" AND object_id IN ("+strings.Join(lits, ",")+"))")
	}
	rows, err := l.db.R.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, ip, action, object_type, object_id,
		before_json, after_json, outcome, prev_hash, hash FROM audit_log WHERE `+strings.Join(conds, " OR ")+` ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: for objects: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Before, &r.After, &r.Outcome, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// quote renders s as a SQL string literal (both databases double quotes;
// standard_conforming_strings is on in PostgreSQL).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
