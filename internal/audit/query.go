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
	rows, err := l.db.Read(ctx).QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_log WHERE `+strings.Join(conds, " OR ")+` ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: for objects: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Filter selects audit rows for listing.
type Filter struct {
	ObjectType string
	ObjectID   string
	ActorID    int64
	Actor      string // the actor's recorded name (username, "cli:…", "anonymous")
	Action     string // an action ("plan.task.update") or a prefix of whole parts ("plan", "plan.task")
	From, To   int64  // Unix milliseconds: rows at From or later, and before To; 0 for open
	BeforeID   int64  // page: rows with id < BeforeID; 0 for the newest
	Limit      int    // List: default 50, at most 500
}

// where renders the filter's conditions and their arguments.
func (f Filter) where() (string, []any) {
	q := " WHERE 1=1"
	var args []any
	add := func(cond string, vs ...any) {
		ns := make([]any, len(vs))
		for i, v := range vs {
			args = append(args, v)
			ns[i] = len(args)
		}
		q += " AND " + fmt.Sprintf(cond, ns...)
	}
	if f.ObjectType != "" {
		add("object_type = $%d", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = $%d", f.ObjectID)
	}
	if f.ActorID != 0 {
		add("actor_id = $%d", f.ActorID)
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if a := strings.TrimSuffix(f.Action, "."); a != "" {
		add("(action = $%d OR substr(action, 1, $%d) = $%d)", a, int64(len(a)+1), a+".")
	}
	if f.From > 0 {
		add("at >= $%d", f.From)
	}
	if f.To > 0 {
		add("at < $%d", f.To)
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	return q, args
}

// List returns rows newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Row, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []Row
	err := l.each(ctx, f, f.Limit, func(r Row) error { out = append(out, r); return nil })
	return out, err
}

// MaxExport bounds one export of the trail.
const MaxExport = 100_000

// Each calls fn with every row the filter selects, newest first, at most
// MaxExport (f.Limit is ignored). It serves exports, which stream.
func (l *Log) Each(ctx context.Context, f Filter, fn func(Row) error) error {
	return l.each(ctx, f, MaxExport, fn)
}

func (l *Log) each(ctx context.Context, f Filter, limit int, fn func(Row) error) error {
	where, args := f.where()
	args = append(args, limit)
	rows, err := l.db.Read(ctx).QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_log`+where+fmt.Sprintf(" ORDER BY id DESC LIMIT $%d", len(args)), args...)
	if err != nil {
		return fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return fmt.Errorf("audit: list: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// quote renders s as a SQL string literal (both databases double quotes;
// standard_conforming_strings is on in PostgreSQL).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
