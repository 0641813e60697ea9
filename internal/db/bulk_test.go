package db_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/db/dbtest"
)

// Queued copies all arrive, in order, before Commit returns; a failed one
// fails the flush and the commit, and nothing of the transaction stays.
func TestCopyAsync(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	tx, err := d.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !tx.CanCopy() {
		if err := tx.CopyAsync(ctx, "t", []string{"a"}, nil); err == nil {
			t.Fatal("CopyAsync on SQLite accepted")
		}
		tx.Rollback()
		t.Skip("COPY is PostgreSQL's")
	}
	tx.Rollback()
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE copy_probe (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM copy_probe").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	batch := func(from, n int) [][]any {
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = []any{int64(from + i), "v"}
		}
		return rows
	}

	tx, err = d.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < 20; b++ { // more batches than the queue holds
		if err := tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(b*100, 100)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Flush(); err != nil {
		t.Fatal(err)
	}
	// After a flush the transaction's connection is free for statements.
	var inTx int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM copy_probe").Scan(&inTx); err != nil || inTx != 2000 {
		t.Fatalf("inside the transaction after flush: %d (%v)", inTx, err)
	}
	if err := tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(2000, 50)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2050 {
		t.Fatalf("%d rows after commit, want 2050", n)
	}

	// A duplicate key in the second batch: the flush reports it, later
	// batches are not sent, the commit fails, nothing is kept.
	tx, err = d.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(5000, 10))
	tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(0, 10))
	tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(6000, 10))
	if err := tx.Flush(); err == nil || !strings.Contains(err.Error(), "copy_probe") {
		t.Fatalf("flush after a failed COPY: %v", err)
	}
	if err := tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(7000, 10)); err == nil {
		t.Fatal("CopyAsync after a failed COPY accepted")
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("commit after a failed COPY succeeded")
	}
	if n := count(); n != 2050 {
		t.Fatalf("%d rows after the failed transaction, want 2050", n)
	}

	// Rolled back with copies still queued: none is kept.
	tx, err = d.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < 6; b++ {
		tx.CopyAsync(ctx, "copy_probe", []string{"id", "v"}, batch(10000+b*100, 100))
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2050 {
		t.Fatalf("%d rows after rollback, want 2050", n)
	}
}
