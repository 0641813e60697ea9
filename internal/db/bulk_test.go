package db_test

import (
	"context"
	"fmt"
	"slices"
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

	// Every type the binary encoding writes, NULL included, reads back.
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE copy_types (a BIGINT, b INTEGER, c SMALLINT, d TEXT, e BOOLEAN, f VARCHAR(20))"); err != nil {
		t.Fatal(err)
	}
	tx, err = d.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"a", "b", "c", "d", "e", "f"}
	if err := tx.CopyAsync(ctx, "copy_types", cols, [][]any{
		{int64(-9007199254740993), 2147483647, int32(-32768), "中文 \t 'x'", true, "v"},
		{nil, nil, nil, nil, nil, nil},
		{int64(0), -1, 7, "", false, ""},
	}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]any{
		{int64(1), int64(1) << 40, 1, "", true, ""}, // over INTEGER
		{int64(1), 1, 1 << 20, "", true, ""},        // over SMALLINT
		{"1", 1, 1, "", true, ""},                   // text for BIGINT
		{int64(1), 1, 1, 5, true, ""},               // number for TEXT
		{int64(1), 1, 1, "", 1, ""},                 // number for BOOLEAN
		{int64(1), 1, 1, ""},                        // too few values
	} {
		if err := tx.CopyAsync(ctx, "copy_types", cols, [][]any{bad}); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if err := tx.CopyAsync(ctx, "copy_types", []string{"a", "nope"}, [][]any{{int64(1), 1}}); err == nil {
		t.Error("an unknown column accepted")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := d.R.QueryContext(ctx, "SELECT COALESCE(a, 1), COALESCE(b, 1), COALESCE(c, 1), COALESCE(d, 'null'), COALESCE(e::text, 'null'), COALESCE(f, 'null') FROM copy_types ORDER BY a NULLS LAST")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var a, b, c int64
		var d, e, f string
		rows.Scan(&a, &b, &c, &d, &e, &f)
		got = append(got, fmt.Sprintf("%d %d %d %s %s %s", a, b, c, d, e, f))
	}
	rows.Close()
	want := []string{"-9007199254740993 2147483647 -32768 中文 \t 'x' true v", "0 -1 7  false ", "1 1 1 null null null"}
	if !slices.Equal(got, want) {
		t.Fatalf("read back\n%q\nwant\n%q", got, want)
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
