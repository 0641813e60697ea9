// Package db opens gaoxin's database (embedded SQLite or PostgreSQL), applies
// migrations, and holds the few places where the two SQL dialects differ.
//
// All SQL in gaoxin uses PostgreSQL-style placeholders ($1, $2…); the pure-Go
// SQLite driver accepts them too, so one query string serves both.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gaoxin/internal/crypt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialect names the database kind.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open gaoxin database. Reads go through R; writes and transactions
// through W. On SQLite W is a single connection (one writer, as SQLite wants);
// on PostgreSQL R and W are the same pool.
type DB struct {
	R, W    *sql.DB
	Dialect Dialect
	DSN     string // as given, for backups and diagnostics
	path    string // SQLite file path
	prep    prepared
	replica *replica // nil: no read replica (AttachReplica)
	// Crypto is the database's cryptographic mode and key, set by
	// UseCrypto once checked against the mode the database records; nil is
	// the default mode. Services hash, key and seal with it.
	Crypto *crypt.Suite
}

// Open opens a database from a DSN: "sqlite:PATH" (or a path ending in .db)
// or a "postgres://" URL. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), dsn)
	default:
		return nil, fmt.Errorf("db: unsupported DSN %q (want sqlite:PATH or postgres://…)", dsn)
	}
}

func openSQLite(ctx context.Context, path, dsn string) (*DB, error) {
	if path == "" {
		return nil, errors.New("db: empty SQLite path")
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// The writer keeps a larger page cache (64 MB) and its statement
	// journals in memory: a bulk import touches more pages than the
	// default 2 MB cache holds, and spilling them to the WAL and the
	// statement journal to a temporary file cost most of its time.
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Add("_pragma", "cache_size(-65536)")
	wq.Add("_pragma", "temp_store(MEMORY)")
	w, err := sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	// The readers map the file (up to 1 GiB): pages come from the OS
	// cache that every connection shares, with no system call and no copy
	// into each connection's 2 MB page cache, which a large registry's
	// reads missed all the time (a tenth of a matching run's CPU was
	// pread). Writes still go through the writer's own cache.
	rq := url.Values{}
	for k, v := range q {
		rq[k] = v
	}
	rq.Add("_pragma", "mmap_size(1073741824)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{R: r, W: w, Dialect: SQLite, DSN: dsn, path: path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	// The product's statements are short: an index probe, a page of rows,
	// a grouped count over rollups. PostgreSQL's JIT compiles a statement
	// whose estimated cost passes jit_above_cost before running it, which
	// for these costs tens to hundreds of milliseconds more than it saves,
	// and it struck at random under load (the list pages' p95 fell from 45
	// to 32 ms without it). A DSN that names jit keeps its own choice.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	p := stdlib.OpenDB(*cfg)
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(20)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("db: connect postgres: %w", err)
	}
	return &DB{R: p, W: p, Dialect: Postgres, DSN: dsn}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	d.closePrepared()
	if d.replica != nil {
		d.replica.close()
	}
	err := d.W.Close()
	if d.R != d.W {
		if e := d.R.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Path is the SQLite file path ("" on PostgreSQL).
func (d *DB) Path() string { return d.path }

// Tx runs fn in a write transaction, committing if fn returns nil and rolling
// back otherwise. On PostgreSQL a serialization failure is retried a few times.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := d.tx(ctx, fn)
		if err != nil && attempt < 5 && d.retryable(err) {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return err
	}
}

func (d *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

func (d *DB) retryable(err error) bool {
	if d.Dialect != Postgres {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLSTATE 40001") || strings.Contains(s, "SQLSTATE 40P01")
}

// Now is the current time as stored in *_at columns: Unix milliseconds, UTC.
func Now() int64 { return time.Now().UnixMilli() }

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsForeignKeyViolation reports whether err is a foreign-key failure.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}
