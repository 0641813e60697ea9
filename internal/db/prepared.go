package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// maxPrepared bounds the statements kept by Prepared.
const maxPrepared = 256

// prepared holds the read pool's prepared statements by query text.
type prepared struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// Prepared returns q prepared on the read pool, kept for reuse: the hot
// read paths (the session or token of every request, an enterprise's
// detail) then skip parsing their SQL each time, which SQLite's driver
// otherwise does per call (pgx keeps its own statement cache). q must be
// a constant query text, not one built with varying content. Statements
// live as long as the DB.
func (d *DB) Prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	d.prep.mu.Lock()
	st, ok := d.prep.m[q]
	d.prep.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := d.R.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: prepare: %w", err)
	}
	d.prep.mu.Lock()
	defer d.prep.mu.Unlock()
	if d.prep.m == nil {
		d.prep.m = map[string]*sql.Stmt{}
	}
	if old, ok := d.prep.m[q]; ok { // prepared meanwhile by another request
		st.Close()
		return old, nil
	}
	if len(d.prep.m) >= maxPrepared {
		st.Close()
		return nil, fmt.Errorf("db: more than %d prepared statements: %.80s", maxPrepared, q)
	}
	d.prep.m[q] = st
	return st, nil
}

// closePrepared closes every kept statement.
func (d *DB) closePrepared() {
	d.prep.mu.Lock()
	defer d.prep.mu.Unlock()
	for _, st := range d.prep.m {
		st.Close()
	}
	d.prep.m = nil
}

// Reader reads through the kept prepared statements, falling back to the
// plain read pool when a statement cannot be kept. It serves callers that
// take a querier; pass it constant query texts only.
//
// PerValue is for queries whose best plan depends on their arguments (a
// filter that matches a handful of rows or most of them). PostgreSQL
// gives a kept statement one plan for all values after five runs; with
// PerValue it runs as an unnamed statement, planned for its values each
// time (its description still cached). SQLite plans a statement once
// either way and keeps it as before.
type Reader struct {
	D        *DB
	PerValue bool
}

// planned is the query's argument list when it must be planned for its
// values on PostgreSQL.
func (r Reader) planned(args []any) ([]any, bool) {
	if !r.PerValue || r.D.Dialect != Postgres {
		return args, false
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...), true
}

// QueryRowContext is sql.DB's, prepared.
func (r Reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if pa, ok := r.planned(args); ok {
		return r.D.R.QueryRowContext(ctx, q, pa...)
	}
	if st, err := r.D.Prepared(ctx, q); err == nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.D.R.QueryRowContext(ctx, q, args...)
}

// QueryContext is sql.DB's, prepared.
func (r Reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if pa, ok := r.planned(args); ok {
		return r.D.R.QueryContext(ctx, q, pa...)
	}
	if st, err := r.D.Prepared(ctx, q); err == nil {
		return st.QueryContext(ctx, args...)
	}
	return r.D.R.QueryContext(ctx, q, args...)
}

// ExecContext runs a write on the writer: a Reader passed where a Querier
// is wanted still writes through the one writer connection of SQLite.
func (r Reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.D.W.ExecContext(ctx, q, args...)
}
