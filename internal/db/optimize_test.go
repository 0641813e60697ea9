package db_test

import (
	"context"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// Optimize leaves the SQLite planner statistics of the tables it finds
// worth analysing (here, an indexed table that has rows); on PostgreSQL it
// is autovacuum's work and a no-op.
func TestOptimizeGathersPlannerStatistics(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE opt_probe (id INTEGER PRIMARY KEY, k TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, "CREATE INDEX opt_probe_k ON opt_probe(k)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := d.W.ExecContext(ctx, "INSERT INTO opt_probe (id, k) VALUES ($1, $2)", i+1, string(rune('a'+i%7))); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if d.Dialect != db.SQLite {
		return
	}
	var n int
	if err := d.W.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'opt_probe'").Scan(&n); err != nil || n == 0 {
		t.Fatalf("no statistics for the probe table: %d %v", n, err)
	}
}
