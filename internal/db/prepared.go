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

// prepared holds the read pool's prepared statements by query text: the
// DB's own set (Prepared) and the sets it gave out (Statements), closed
// with it.
type prepared struct {
	mu   sync.Mutex
	own  Statements
	sets []*Statements
}

// Statements is a bounded set of statements prepared on the read pool,
// kept by query text. Past its bound a text is not kept (Prepared returns
// an error and a Reader runs it unprepared), so a set never grows with
// varying texts. Safe for concurrent use.
type Statements struct {
	d   *DB
	max int
	mu  sync.Mutex
	m   map[string]*sql.Stmt
}

// Statements returns a set of its own of at most max statements, for a
// service whose statement texts vary with its filters (one text per
// combination of filters): kept apart from the DB's constant hot reads
// (Prepared), they neither crowd those out nor grow without bound.
// Closed with the DB.
func (d *DB) Statements(max int) *Statements {
	st := &Statements{d: d, max: max}
	d.prep.mu.Lock()
	d.prep.sets = append(d.prep.sets, st)
	d.prep.mu.Unlock()
	return st
}

// Prepared returns q prepared on the read pool, kept for reuse: the hot
// read paths (the session or token of every request, an enterprise's
// detail) then skip parsing their SQL each time, which SQLite's driver
// otherwise does per call (pgx keeps its own statement cache). q must be
// a constant query text, not one built with varying content. Statements
// live as long as the DB.
func (d *DB) Prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	d.prep.mu.Lock()
	if d.prep.own.d == nil {
		d.prep.own.d, d.prep.own.max = d, maxPrepared
	}
	d.prep.mu.Unlock()
	return d.prep.own.Prepared(ctx, q)
}

// Prepared returns q prepared on the read pool and kept in the set, or an
// error when it cannot be prepared or the set is full.
func (p *Statements) Prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	p.mu.Lock()
	st, ok := p.m[q]
	full := len(p.m) >= p.max
	p.mu.Unlock()
	if ok {
		return st, nil
	}
	if full {
		return nil, fmt.Errorf("db: more than %d prepared statements: %.80s", p.max, q)
	}
	st, err := p.d.R.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: prepare: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]*sql.Stmt{}
	}
	if old, ok := p.m[q]; ok { // prepared meanwhile by another request
		st.Close()
		return old, nil
	}
	if len(p.m) >= p.max {
		st.Close()
		return nil, fmt.Errorf("db: more than %d prepared statements: %.80s", p.max, q)
	}
	p.m[q] = st
	return st, nil
}

// close closes every statement of the set.
func (p *Statements) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.m {
		st.Close()
	}
	p.m = nil
}

// closePrepared closes every kept statement, the DB's and its sets'.
func (d *DB) closePrepared() {
	d.prep.mu.Lock()
	defer d.prep.mu.Unlock()
	d.prep.own.close()
	for _, st := range d.prep.sets {
		st.close()
	}
	d.prep.sets = nil
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
	// Stmts, when set, keeps the statements instead of the DB's own set.
	Stmts *Statements
}

// prepared is q from the Reader's set of statements.
func (r Reader) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if r.Stmts != nil {
		return r.Stmts.Prepared(ctx, q)
	}
	return r.D.Prepared(ctx, q)
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
	if p := r.D.onReplica(ctx); p != nil {
		pa, _ := r.planned(args)
		return p.QueryRowContext(ctx, q, pa...)
	}
	if pa, ok := r.planned(args); ok {
		return r.D.R.QueryRowContext(ctx, q, pa...)
	}
	if st, err := r.prepared(ctx, q); err == nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.D.R.QueryRowContext(ctx, q, args...)
}

// QueryContext is sql.DB's, prepared.
func (r Reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if p := r.D.onReplica(ctx); p != nil {
		pa, _ := r.planned(args)
		return p.QueryContext(ctx, q, pa...)
	}
	if pa, ok := r.planned(args); ok {
		return r.D.R.QueryContext(ctx, q, pa...)
	}
	if st, err := r.prepared(ctx, q); err == nil {
		return st.QueryContext(ctx, args...)
	}
	return r.D.R.QueryContext(ctx, q, args...)
}

// ExecContext runs a write on the writer: a Reader passed where a Querier
// is wanted still writes through the one writer connection of SQLite.
func (r Reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.D.W.ExecContext(ctx, q, args...)
}
