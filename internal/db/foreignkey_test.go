package db_test

import (
	"context"
	"database/sql"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// Foreign keys hold on both databases: a row that names a missing parent is
// refused, whether its key is checked at once or (for the tables an import
// loads in bulk) at commit, and nothing of the transaction stays.
func TestForeignKeysRefuseOrphans(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	exec := func(tx *sql.Tx, q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	var ent, node int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO enterprises (credit_code, name, created_at, updated_at)
			VALUES ('914403001922038216', '华为技术有限公司', 0, 0) RETURNING id`).Scan(&ent); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT id FROM chain_nodes WHERE code = 'iot'").Scan(&node)
	})
	if err != nil {
		t.Fatal(err)
	}
	const missing = 987654321
	cases := []struct {
		name string
		q    string
		args []any
	}{
		{"figure of a missing enterprise", `INSERT INTO enterprise_figures (enterprise_id, indicator, year, source, value, entered_at) VALUES ($1, 'revenue', 2023, 'stats', 1, 0)`, []any{missing}},
		{"figure of a missing indicator", `INSERT INTO enterprise_figures (enterprise_id, indicator, year, source, value, entered_at) VALUES ($1, 'nope', 2023, 'stats', 1, 0)`, []any{ent}},
		{"figure entered by a missing user", `INSERT INTO enterprise_figures (enterprise_id, indicator, year, source, value, entered_by, entered_at) VALUES ($1, 'revenue', 2023, 'stats', 1, $2, 0)`, []any{ent, missing}},
		{"effective value of a missing enterprise", `INSERT INTO enterprise_figure_current (indicator, year, month, enterprise_id, value, source) VALUES ('revenue', 2023, 0, $1, 1, 'stats')`, []any{missing}},
		{"effective value of a missing indicator", `INSERT INTO enterprise_figure_current (indicator, year, month, enterprise_id, value, source) VALUES ('nope', 2023, 0, $1, 1, 'stats')`, []any{ent}},
		{"chain of a missing node", `INSERT INTO enterprise_chains (enterprise_id, node_id) VALUES ($1, $2)`, []any{ent, missing}},
		{"chain of a missing enterprise", `INSERT INTO enterprise_chains (enterprise_id, node_id) VALUES ($1, $2)`, []any{missing, node}},
		{"history of a missing enterprise", `INSERT INTO enterprise_history (enterprise_id, at, action) VALUES ($1, 0, 'x')`, []any{missing}},
		{"enterprise in a missing office area", `INSERT INTO enterprises (credit_code, name, area_unit_id, created_at, updated_at) VALUES ('9144030071526726XG', 'x', $1, 0, 0)`, []any{missing}},
		{"flag of a missing enterprise", `INSERT INTO enterprise_flags (enterprise_id, kind, created_at) VALUES ($1, 'x', 0)`, []any{missing}},
		{"account of a missing enterprise", `INSERT INTO users (username, role, password_hash, enterprise_id, created_at, updated_at) VALUES ('orphan', 'enterprise', 'x', $1, 0, 0)`, []any{missing}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				// A valid row beside the orphan: the whole transaction goes.
				if err := exec(tx, "INSERT INTO enterprise_history (enterprise_id, at, action) VALUES ($1, 0, 'probe')", ent); err != nil {
					return err
				}
				return exec(tx, c.q, c.args...)
			})
			if !db.IsForeignKeyViolation(err) {
				t.Fatalf("want a foreign-key violation, got %v", err)
			}
			var n int
			if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM enterprise_history WHERE action = 'probe'").Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d rows of the refused transaction kept (%v)", n, err)
			}
		})
	}

	// Where the key is deferred, load order within the transaction is free:
	// a figure may arrive before its enterprise, as in a bulk import.
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		const later = 555555
		if err := exec(tx, `INSERT INTO enterprise_figures (enterprise_id, indicator, year, source, value, entered_at) VALUES ($1, 'revenue', 2023, 'stats', 1, 0)`, later); err != nil {
			return err
		}
		if err := exec(tx, `INSERT INTO enterprise_chains (enterprise_id, node_id) VALUES ($1, $2)`, later, node); err != nil {
			return err
		}
		return exec(tx, `INSERT INTO enterprises (id, credit_code, name, created_at, updated_at) VALUES ($1, '91330100716105852F', 'y', 0, 0)`, later)
	})
	if err != nil {
		t.Fatalf("child rows before their parent in one transaction: %v", err)
	}
}
