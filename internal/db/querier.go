package db

import (
	"context"
	"database/sql"
)

// Querier reads: *sql.DB, *sql.Tx and Reader satisfy it. A module that
// offers reads to other modules takes one, so that a caller inside a
// transaction reads the same snapshot as the rest of its work.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}
