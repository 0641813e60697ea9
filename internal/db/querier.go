package db

import (
	"context"
	"database/sql"
	"time"
)

// Querier runs statements: *sql.DB, *sql.Tx and Reader satisfy it. It is
// the one interface every package takes where a function runs both inside
// and outside a transaction, and the one a module offers its reads to other
// modules through, so that a caller inside a transaction reads the same
// snapshot as the rest of its work.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// CST is China Standard Time (UTC+8, no daylight saving): the one time zone
// in which gaoxin reads dates ("YYYY-MM-DD"), months and years, and shows
// times. Instants are stored as Unix milliseconds.
var CST = time.FixedZone("CST", 8*3600)
