package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BulkTx is a write transaction on one dedicated connection, so that bulk
// loads can use PostgreSQL's COPY inside it. Commit or Rollback it; either
// returns the connection to the pool.
type BulkTx struct {
	*sql.Tx
	conn *sql.Conn
	d    *DB
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

// Commit commits and releases the connection.
func (b *BulkTx) Commit() error {
	err := b.Tx.Commit()
	b.conn.Close()
	return err
}

// Rollback rolls back (if still open) and releases the connection.
func (b *BulkTx) Rollback() error {
	err := b.Tx.Rollback()
	b.conn.Close()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// CanCopy reports whether Copy is available (PostgreSQL).
func (b *BulkTx) CanCopy() bool { return b.d.Dialect == Postgres }

// Copy appends rows to table with COPY … FROM STDIN (binary) inside the
// transaction: no statement to parse or plan per batch, rows streamed.
// PostgreSQL only.
func (b *BulkTx) Copy(ctx context.Context, table string, cols []string, rows [][]any) error {
	if !b.CanCopy() {
		return errors.New("db: COPY is PostgreSQL's")
	}
	return b.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("db: COPY: unexpected driver connection %T", dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("db: COPY %s: %w", table, err)
		}
		if int(n) != len(rows) {
			return fmt.Errorf("db: COPY %s: %d of %d rows", table, n, len(rows))
		}
		return nil
	})
}
