package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/stdlib"
)

// BulkTx is a write transaction for bulk loads. Writes handed to Queue or
// Copy are run in order by a writer goroutine on the transaction's own
// connection, so the caller prepares the next rows while the database
// stores these; everything else (Exec, Query, Do) waits until the writes
// queued before it have run, and then runs on the same connection. So
// every statement sees the writes issued before it, whichever method
// issued it, and there is nothing to flush by hand.
//
// The transaction is all or nothing: the first error of any write, queued
// or not, fails it. Every later call returns that error, and Commit rolls
// back and returns it. Rollback may always be deferred; after Commit it
// does nothing.
//
// A BulkTx is used by one goroutine (its writer goroutine is its own).
type BulkTx struct {
	tx   *sql.Tx
	conn *sql.Conn
	d    *DB

	jobs   chan bulkJob          // to the writer, once started
	done   chan struct{}         // closed when the writer has stopped
	idle   chan struct{}         // the writer's answer to a sync: every job before it has run
	failed atomic.Pointer[error] // the first failure, from either goroutine
	lent   bool                  // inside Do: the connection is the caller's
	ended  bool                  // committed or rolled back

	types map[string]map[string]uint32 // column type OIDs by table, for binary COPY (the caller's)
	// Statements seen, prepared once repeated: used by whichever goroutine
	// holds the connection (the writer between syncs, the caller after
	// one), never by both at once.
	stmts map[string]*bulkStmt
}

// bulkStmt is a statement text the transaction has run, prepared once it
// is seen a second time: a bulk load repeats the same few statements
// thousands of times.
type bulkStmt struct {
	uses int
	stmt *sql.Stmt
}

// maxStmts bounds the statements a BulkTx keeps prepared.
const maxStmts = 64

// bulkJob is one queued write: a COPY (copy set) or a statement.
type bulkJob struct {
	ctx  context.Context
	sync bool // no write: answer on idle once every job before has run

	copy  bool
	table string
	sql   string // the COPY statement, or the statement to run
	data  []byte // COPY: the rows, encoded
	args  []any  // statement: its arguments
	n     int    // rows it must write; a statement's n < 0: any number
}

// ErrBulkDone is returned by a BulkTx that was committed or rolled back.
var ErrBulkDone = errors.New("db: bulk transaction already committed or rolled back")

// errLent is returned by a BulkTx method called from inside Do.
var errLent = errors.New("db: bulk transaction used inside its own Do; use the *sql.Tx Do lends")

// BeginBulk opens a write transaction for a bulk load. Commit it, or
// Rollback it (a deferred Rollback after Commit does nothing).
func (d *DB) BeginBulk(ctx context.Context) (*BulkTx, error) {
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: bulk connection: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("db: begin: %w", err)
	}
	return &BulkTx{tx: tx, conn: conn, d: d}, nil
}

// CanCopy reports whether Copy is available (PostgreSQL).
func (b *BulkTx) CanCopy() bool { return b.d.Dialect == Postgres }

// fail records err as the transaction's failure, unless one is recorded.
func (b *BulkTx) fail(err error) error {
	if !b.failed.CompareAndSwap(nil, &err) {
		return *b.failed.Load()
	}
	return err
}

// usable returns why the transaction takes no more work, if it does not.
func (b *BulkTx) usable() error {
	switch {
	case b.ended:
		return ErrBulkDone
	case b.lent:
		return b.fail(errLent)
	}
	if p := b.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// Queue hands a statement to the writer goroutine, to run after the
// writes queued before it; query must then affect want rows, unless
// want < 0. It returns at once, or with the error of an earlier write. A
// failure of the statement itself is reported by the next call, at the
// latest by Commit. The writer owns args from now on.
func (b *BulkTx) Queue(ctx context.Context, query string, args []any, want int) error {
	if err := b.usable(); err != nil {
		return err
	}
	return b.queue(bulkJob{ctx: ctx, sql: query, args: args, n: want})
}

// copyQueue is how many writes the queue holds before the caller waits:
// enough to keep the database busy, few enough to bound memory.
const copyQueue = 4

// Copy appends rows to table with COPY … FROM STDIN (binary): no statement
// to parse or plan per batch. Values are int64, int, int32, string, bool or
// nil, by column type. The rows are encoded here, while the writer sends
// earlier ones, and queued like Queue's statements. PostgreSQL only; a row
// that cannot be encoded fails the transaction.
func (b *BulkTx) Copy(ctx context.Context, table string, cols []string, rows [][]any) error {
	if err := b.usable(); err != nil {
		return err
	}
	if !b.CanCopy() {
		return b.fail(errors.New("db: COPY is PostgreSQL's"))
	}
	types, err := b.columnTypes(ctx, table, cols)
	if err != nil {
		return b.fail(err)
	}
	data, err := encodeCopy(table, types, rows)
	if err != nil {
		return b.fail(err)
	}
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return b.queue(bulkJob{ctx: ctx, copy: true, table: table, n: len(rows), data: data,
		sql: "COPY " + quoteIdent(table) + " (" + strings.Join(q, ", ") + ") FROM STDIN (FORMAT binary)"})
}

// Insert appends rows (each a value per column of cols) to table, queued
// like Queue's statements: by COPY on PostgreSQL (Copy), by multi-row
// INSERT statements on SQLite, each of which must write all its rows.
func (b *BulkTx) Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return b.usable()
	}
	if b.CanCopy() {
		return b.Copy(ctx, table, cols, rows)
	}
	// SQLite binds at most 32,766 values a statement.
	per := max(1, min(500, 30000/len(cols)))
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		q := ValuesSQL("INSERT INTO "+table+" ("+strings.Join(cols, ", ")+")", "", len(cols), len(part), true)
		if err := b.Queue(ctx, q, args, len(part)); err != nil {
			return err
		}
	}
	return nil
}

// ValuesSQL is a multi-row INSERT: head ("INSERT INTO t (a, b)"), n
// rows of ncols placeholders, then tail (an ON CONFLICT clause, or "").
// positional writes "?" (SQLite, which looks a numbered name up per
// value, so that a statement of thousands is slow to bind); otherwise
// $1, $2….
func ValuesSQL(head, tail string, ncols, n int, positional bool) string {
	var b strings.Builder
	b.Grow(len(head) + len(tail) + n*ncols*6 + 8)
	b.WriteString(head)
	b.WriteString(" VALUES ")
	p := 1
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < ncols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			if positional {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	if tail != "" {
		b.WriteByte(' ')
		b.WriteString(strings.TrimSpace(tail))
	}
	return b.String()
}

// queue hands j to the writer, starting it on first use. A write that
// cannot be queued fails the transaction: it would be missing.
func (b *BulkTx) queue(j bulkJob) error {
	if b.jobs == nil {
		b.jobs, b.done, b.idle = make(chan bulkJob, copyQueue), make(chan struct{}), make(chan struct{})
		go b.write()
	}
	select {
	case b.jobs <- j:
		return nil
	case <-j.ctx.Done():
		return b.fail(fmt.Errorf("db: bulk write not queued: %w", j.ctx.Err()))
	}
}

// wait returns once every queued write has run, with the transaction's
// failure if any.
func (b *BulkTx) wait() error {
	if b.jobs != nil {
		b.jobs <- bulkJob{sync: true}
		<-b.idle
	}
	if p := b.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// write runs the queued writes in order. After the first failure it
// skips the rest: the transaction is lost anyway.
func (b *BulkTx) write() {
	defer close(b.done)
	for j := range b.jobs {
		switch {
		case j.sync:
			b.idle <- struct{}{}
		case b.failed.Load() != nil:
		case j.copy:
			if err := b.sendCopy(j); err != nil {
				b.fail(err)
			}
		default:
			if err := b.run(j); err != nil {
				b.fail(err)
			}
		}
	}
}

// sendCopy runs one encoded COPY on the transaction's connection.
func (b *BulkTx) sendCopy(j bulkJob) error {
	return b.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("db: COPY: unexpected driver connection %T", dc)
		}
		tag, err := c.Conn().PgConn().CopyFrom(j.ctx, bytes.NewReader(j.data), j.sql)
		if err != nil {
			return fmt.Errorf("db: COPY %s: %w", j.table, err)
		}
		if n := tag.RowsAffected(); int(n) != j.n {
			return fmt.Errorf("db: COPY %s: %d of %d rows", j.table, n, j.n)
		}
		return nil
	})
}

// run runs one queued statement.
func (b *BulkTx) run(j bulkJob) error {
	var res sql.Result
	var err error
	if st := b.prepared(j.ctx, j.sql); st != nil {
		res, err = st.ExecContext(j.ctx, j.args...)
	} else {
		res, err = b.tx.ExecContext(j.ctx, j.sql, j.args...)
	}
	if err != nil {
		return fmt.Errorf("db: queued statement: %w", err)
	}
	if j.n >= 0 {
		got, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("db: queued statement: rows affected: %w", err)
		}
		if got != int64(j.n) {
			return fmt.Errorf("db: queued statement: %d of %d rows written", got, j.n)
		}
	}
	return nil
}

// prepared is query's prepared statement once query is seen the second
// time, or nil (run it unprepared).
func (b *BulkTx) prepared(ctx context.Context, query string) *sql.Stmt {
	if b.stmts == nil {
		b.stmts = map[string]*bulkStmt{}
	}
	s, ok := b.stmts[query]
	if !ok {
		if len(b.stmts) < maxStmts {
			b.stmts[query] = &bulkStmt{uses: 1}
		}
		return nil
	}
	if s.stmt == nil {
		st, err := b.tx.PrepareContext(ctx, query)
		if err != nil {
			return nil // running it unprepared reports the error
		}
		s.stmt = st
	}
	s.uses++
	return s.stmt
}

// Do waits until every queued write has run, then lends fn the
// transaction for statements of its own, such as a service's helpers that
// take a *sql.Tx. The *sql.Tx is valid only during fn; inside fn, the
// BulkTx's own methods refuse work. An error from fn fails the
// transaction.
func (b *BulkTx) Do(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := b.usable(); err != nil {
		return err
	}
	if err := b.wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return b.fail(err)
	}
	b.lent = true
	err := fn(b.tx)
	b.lent = false
	if err != nil {
		return b.fail(err)
	}
	return nil
}

// Exec runs query after the queued writes and returns its result.
func (b *BulkTx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := b.Do(ctx, func(tx *sql.Tx) error {
		var err error
		if st := b.prepared(ctx, query); st != nil {
			res, err = st.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, query, args...)
		}
		return err
	})
	return res, err
}

// Query runs query after the queued writes and calls scan for each row it
// returns; the rows are closed when it returns.
func (b *BulkTx) Query(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	return b.Do(ctx, func(tx *sql.Tx) error {
		var rows *sql.Rows
		var err error
		if st := b.prepared(ctx, query); st != nil {
			rows, err = st.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, query, args...)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Commit waits for the queued writes, then commits and releases the
// connection. If any write failed, queued or not, it rolls back instead
// and returns that failure: nothing of the transaction is kept.
func (b *BulkTx) Commit() error {
	if err := b.usable(); err != nil {
		if !b.ended && !b.lent {
			b.end()
		}
		return err
	}
	if err := b.wait(); err != nil {
		b.end()
		return err
	}
	b.stop() // idle: every job has run
	err := b.tx.Commit()
	b.release()
	if err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// Rollback drops the queued writes, rolls back and releases the
// connection. After Commit or another Rollback it does nothing.
func (b *BulkTx) Rollback() error {
	if b.ended {
		return nil
	}
	if b.lent {
		return b.fail(errLent)
	}
	return b.end()
}

// end drops the queued writes, rolls back and releases the connection.
func (b *BulkTx) end() error {
	b.fail(ErrBulkDone) // the writer skips what it still holds
	b.stop()
	err := b.tx.Rollback()
	b.release()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// stop ends the writer goroutine, if any, and waits for it.
func (b *BulkTx) stop() {
	if b.jobs != nil {
		close(b.jobs)
		<-b.done
		b.jobs = nil
	}
}

func (b *BulkTx) release() {
	b.ended = true
	b.conn.Close()
}
