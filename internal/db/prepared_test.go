package db_test

import (
	"context"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// A kept statement answers like the plain pool, on both databases, and
// is prepared once.
func TestReaderKeepsPreparedStatements(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	r := db.Reader{D: d}
	for i := 0; i < 3; i++ {
		var n int
		if err := r.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version > $1", 0).Scan(&n); err != nil || n == 0 {
			t.Fatalf("count %d %v", n, err)
		}
	}
	a, err := d.Prepared(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version > $1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.Prepared(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version > $1")
	if a != b {
		t.Fatal("the same text prepared twice")
	}
	rows, err := r.QueryContext(ctx, "SELECT version FROM schema_migrations WHERE version < $1 ORDER BY version", 200)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for rows.Next() {
		var v int
		rows.Scan(&v)
		got = append(got, v)
	}
	rows.Close()
	if len(got) < 2 || got[0] != 1 {
		t.Fatalf("versions %v", got)
	}
	// Past the bound, queries still answer through the plain pool.
	for i := 0; i < 300; i++ {
		var v int
		if err := r.QueryRowContext(ctx, "SELECT $1 + "+string(rune('0'+i%10))+" + "+itoa(i), 1).Scan(&v); err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			return s
		}
	}
}

// A Reader passed as a db.Querier writes through the writer, and its next
// read sees the write.
func TestReaderWritesThroughTheWriter(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	var q db.Querier = db.Reader{D: d}
	res, err := q.ExecContext(ctx, "UPDATE module_versions SET version = version + 5 WHERE module = $1", "kpi")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("rows affected %d, want 1", n)
	}
	var v int64
	if err := q.QueryRowContext(ctx, "SELECT version FROM module_versions WHERE module = $1", "kpi").Scan(&v); err != nil || v != 5 {
		t.Fatalf("version %d %v, want 5", v, err)
	}
}

// A set of its own keeps its texts apart from the DB's and up to its
// bound; past the bound a Reader over it still answers, unprepared.
func TestStatementsAreBoundedAndApart(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	set := d.Statements(2)
	r := db.Reader{D: d, Stmts: set}
	for i := range 5 {
		var v int
		if err := r.QueryRowContext(ctx, "SELECT $1 + "+itoa(i), 10).Scan(&v); err != nil || v != 10+i {
			t.Fatalf("query %d: %d %v", i, v, err)
		}
	}
	a, err := set.Prepared(ctx, "SELECT $1 + 0")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := set.Prepared(ctx, "SELECT $1 + 0"); a != b {
		t.Fatal("the same text prepared twice")
	}
	if _, err := set.Prepared(ctx, "SELECT $1 + 2"); err == nil {
		t.Fatal("a third text kept in a set of two")
	}
	if own, err := d.Prepared(ctx, "SELECT $1 + 0"); err != nil || own == a {
		t.Fatalf("the DB's own set shares the texts of another: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := set.Prepared(ctx, "SELECT $1 + 0"); err == nil {
		t.Fatal("a statement kept past the DB's close")
	}
}
