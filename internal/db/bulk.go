package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/stdlib"
)

// BulkTx is a write transaction on one dedicated connection, so that bulk
// loads can use PostgreSQL's COPY inside it. Commit or Rollback it; either
// returns the connection to the pool.
//
// CopyAsync and ExecAsync hand rows to a goroutine that writes them in
// order, so the caller prepares the next rows while the database stores
// these. Every other use of the transaction must call Flush first: the
// connection serves one statement at a time. Commit flushes.
type BulkTx struct {
	*sql.Tx
	conn *sql.Conn
	d    *DB

	copies chan copyJob                 // to the sender, once started
	sent   chan struct{}                // closed when the sender has stopped
	idle   chan error                   // the sender's answer to a flush
	err    error                        // the first failed queued write, once a flush has reported it
	failed atomic.Pointer[error]        // the first failed queued write, as soon as the sender sees it
	types  map[string]map[string]uint32 // column type OIDs by table, for binary COPY
}

type copyJob struct {
	ctx   context.Context
	table string
	sql   string // the COPY statement
	data  []byte // the rows, encoded
	n     int    // how many
	flush bool   // no rows: report the first error so far on idle
	// exec: run stmt (or sql on the transaction) with args; it must
	// affect n rows unless n < 0.
	exec bool
	stmt *sql.Stmt
	args []any
}

// BeginBulk opens a write transaction for a bulk load.
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
	return &BulkTx{Tx: tx, conn: conn, d: d}, nil
}

// Commit writes what is still queued, then commits and releases the
// connection; if a queued write failed it rolls back and returns that
// error.
func (b *BulkTx) Commit() error {
	if err := b.Flush(); err != nil {
		b.Rollback()
		return err
	}
	b.stop()
	err := b.Tx.Commit()
	b.conn.Close()
	return err
}

// Rollback rolls back (if still open) and releases the connection.
func (b *BulkTx) Rollback() error {
	b.stop()
	err := b.Tx.Rollback()
	b.conn.Close()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// CanCopy reports whether CopyAsync is available (PostgreSQL).
func (b *BulkTx) CanCopy() bool { return b.d.Dialect == Postgres }

// encode prepares rows for sending.
func (b *BulkTx) encode(ctx context.Context, table string, cols []string, rows [][]any) (copyJob, error) {
	if !b.CanCopy() {
		return copyJob{}, errors.New("db: COPY is PostgreSQL's")
	}
	types, err := b.columnTypes(ctx, table, cols)
	if err != nil {
		return copyJob{}, err
	}
	data, err := encodeCopy(table, types, rows)
	if err != nil {
		return copyJob{}, err
	}
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return copyJob{ctx: ctx, table: table, n: len(rows), data: data,
		sql: "COPY " + quoteIdent(table) + " (" + strings.Join(q, ", ") + ") FROM STDIN (FORMAT binary)"}, nil
}

// send1 runs one encoded COPY on the transaction's connection.
func (b *BulkTx) send1(j copyJob) error {
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

// copyQueue is how many batches CopyAsync holds before the caller waits:
// enough to keep the database busy, few enough to bound memory.
const copyQueue = 4

// CopyAsync appends rows to table with COPY … FROM STDIN (binary) inside
// the transaction: no statement to parse or plan per batch. Values are
// int64, int, int32, string, bool or nil, by column type. The rows are
// encoded here and queued for the transaction's sender goroutine; it
// returns at once (or with the error of an earlier queued write).
// PostgreSQL only.
func (b *BulkTx) CopyAsync(ctx context.Context, table string, cols []string, rows [][]any) error {
	if !b.CanCopy() {
		return errors.New("db: COPY is PostgreSQL's")
	}
	if b.err != nil {
		return b.err
	}
	if p := b.failed.Load(); p != nil {
		return *p
	}
	j, err := b.encode(ctx, table, cols, rows) // here, while the sender sends
	if err != nil {
		return err
	}
	return b.queue(ctx, j)
}

// ExecAsync queues a statement for the sender goroutine: stmt (prepared
// on this transaction) or else query, with args, which must affect want
// rows unless want < 0. It returns at once, or with the error of an
// earlier queued write.
func (b *BulkTx) ExecAsync(ctx context.Context, stmt *sql.Stmt, query string, args []any, want int) error {
	if b.err != nil {
		return b.err
	}
	if p := b.failed.Load(); p != nil {
		return *p
	}
	return b.queue(ctx, copyJob{ctx: ctx, exec: true, stmt: stmt, sql: query, args: args, n: want})
}

// queue hands j to the sender, starting it on first use.
func (b *BulkTx) queue(ctx context.Context, j copyJob) error {
	if b.copies == nil {
		b.copies, b.sent, b.idle = make(chan copyJob, copyQueue), make(chan struct{}), make(chan error)
		go b.send()
	}
	select {
	case b.copies <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run writes one queued job.
func (b *BulkTx) run(j copyJob) error {
	if !j.exec {
		return b.send1(j)
	}
	var res sql.Result
	var err error
	if j.stmt != nil {
		res, err = j.stmt.ExecContext(j.ctx, j.args...)
	} else {
		res, err = b.Tx.ExecContext(j.ctx, j.sql, j.args...)
	}
	if err != nil {
		return fmt.Errorf("db: queued statement: %w", err)
	}
	if j.n >= 0 {
		if got, err := res.RowsAffected(); err != nil || got != int64(j.n) {
			return fmt.Errorf("db: queued statement: %d of %d rows written (%v)", got, j.n, err)
		}
	}
	return nil
}

// Flush waits until every queued write has run and returns the first error.
func (b *BulkTx) Flush() error {
	if b.copies == nil || b.err != nil {
		return b.err
	}
	b.copies <- copyJob{flush: true}
	b.err = <-b.idle
	return b.err
}

// stop ends the sender goroutine, if any, and waits for it.
func (b *BulkTx) stop() {
	if b.copies != nil {
		close(b.copies)
		<-b.sent
		b.copies = nil
	}
}

// send runs the queued writes in order. After the first failure it skips
// the rest (the transaction is lost anyway) and reports it on each flush.
func (b *BulkTx) send() {
	defer close(b.sent)
	var first error
	for j := range b.copies {
		switch {
		case j.flush:
			b.idle <- first
		case first == nil:
			if first = b.run(j); first != nil {
				b.failed.Store(&first)
			}
		}
	}
}
