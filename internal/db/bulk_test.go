package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// bulkFixture is a database with a probe table (id, v).
type bulkFixture struct {
	t   *testing.T
	d   *db.DB
	ctx context.Context
}

func newBulkFixture(t *testing.T) *bulkFixture {
	f := &bulkFixture{t: t, d: dbtest.Open(t), ctx: context.Background()}
	if _, err := f.d.W.ExecContext(f.ctx, "CREATE TABLE copy_probe (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *bulkFixture) begin() *db.BulkTx {
	f.t.Helper()
	tx, err := f.d.BeginBulk(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { tx.Rollback() })
	return tx
}

// count is the number of probe rows committed.
func (f *bulkFixture) count() int {
	f.t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM copy_probe").Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func batch(from, n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{int64(from + i), "v"}
	}
	return rows
}

// queueRows queues one multi-row INSERT of rows.
func queueRows(ctx context.Context, tx *db.BulkTx, rows [][]any) error {
	var ph []string
	var args []any
	for _, r := range rows {
		ph = append(ph, fmt.Sprintf("($%d, $%d)", len(args)+1, len(args)+2))
		args = append(args, r...)
	}
	return tx.Queue(ctx, "INSERT INTO copy_probe (id, v) VALUES "+strings.Join(ph, ", "), args, len(rows))
}

// inTx counts the probe rows as the transaction sees them.
func inTx(ctx context.Context, tx *db.BulkTx) (int, error) {
	var n int
	err := tx.Query(ctx, "SELECT COUNT(*) FROM copy_probe", nil, func(r *sql.Rows) error { return r.Scan(&n) })
	return n, err
}

// Statements issued after queued writes see them, whichever method issues
// them: there is nothing to flush by hand. Commit keeps every write.
func TestBulkOrdersStatementsAfterQueuedWrites(t *testing.T) {
	f := newBulkFixture(t)
	tx := f.begin()
	for b := 0; b < 20; b++ { // more writes than the queue holds
		if err := queueRows(f.ctx, tx, batch(b*10, 10)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := inTx(f.ctx, tx); err != nil || n != 200 {
		t.Fatalf("a query after 200 queued rows sees %d (%v)", n, err)
	}
	if err := queueRows(f.ctx, tx, batch(1000, 5)); err != nil {
		t.Fatal(err)
	}
	res, err := tx.Exec(f.ctx, "UPDATE copy_probe SET v = 'w' WHERE id >= 1000")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 5 {
		t.Fatalf("an update after queued rows changed %d of 5", n)
	}
	if err := queueRows(f.ctx, tx, batch(2000, 5)); err != nil {
		t.Fatal(err)
	}
	err = tx.Do(f.ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM copy_probe WHERE id >= 2000").Scan(&n); err != nil || n != 5 {
			return fmt.Errorf("Do sees %d of 5 queued rows (%v)", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := queueRows(f.ctx, tx, batch(3000, 5)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 215 {
		t.Fatalf("%d rows after commit, want 215", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("rollback after commit: %v", err)
	}
	if err := queueRows(f.ctx, tx, batch(4000, 1)); !errors.Is(err, db.ErrBulkDone) {
		t.Fatalf("a write after commit: %v", err)
	}
	if err := tx.Commit(); !errors.Is(err, db.ErrBulkDone) {
		t.Fatalf("a second commit: %v", err)
	}
}

// A queued write that fails fails the whole transaction: the failure comes
// back from the next call and from Commit, the writes queued after it are
// not sent, and nothing of the transaction is kept.
func TestBulkQueuedFailureFailsTransaction(t *testing.T) {
	f := newBulkFixture(t)
	tx := f.begin()
	if err := queueRows(f.ctx, tx, batch(0, 10)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	for name, fail := range map[string]func(tx *db.BulkTx) error{
		"duplicate key": func(tx *db.BulkTx) error { return queueRows(f.ctx, tx, batch(5, 1)) },
		"row count": func(tx *db.BulkTx) error {
			return tx.Queue(f.ctx, "UPDATE copy_probe SET v = 'x' WHERE id = 99999", nil, 1)
		},
		"bad statement": func(tx *db.BulkTx) error { return tx.Queue(f.ctx, "INSERT INTO no_such_table VALUES (1)", nil, -1) },
	} {
		t.Run(name, func(t *testing.T) {
			tx := f.begin()
			if err := queueRows(f.ctx, tx, batch(100, 10)); err != nil {
				t.Fatal(err)
			}
			if err := fail(tx); err != nil {
				t.Fatalf("queueing returned at once with %v", err)
			}
			queueRows(f.ctx, tx, batch(200, 10))
			_, execErr := tx.Exec(f.ctx, "UPDATE copy_probe SET v = 'late'")
			if execErr == nil || !strings.Contains(execErr.Error(), "queued statement") {
				t.Fatalf("a statement after the failed write: %v", execErr)
			}
			if err := queueRows(f.ctx, tx, batch(300, 10)); err == nil || err.Error() != execErr.Error() {
				t.Fatalf("a write after the failure: %v", err)
			}
			if err := tx.Commit(); err == nil || err.Error() != execErr.Error() {
				t.Fatalf("commit after a failed write: %v", err)
			}
			if n := f.count(); n != 10 {
				t.Fatalf("%d rows after the failed transaction, want 10", n)
			}
			var late int
			f.d.R.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM copy_probe WHERE v <> 'v'").Scan(&late)
			if late != 0 {
				t.Fatalf("%d rows changed by the failed transaction", late)
			}
		})
	}

	// Commit alone reports a failure nobody asked about.
	tx = f.begin()
	queueRows(f.ctx, tx, batch(500, 3))
	queueRows(f.ctx, tx, batch(0, 1))
	if err := tx.Commit(); err == nil {
		t.Fatal("commit after a failed queued write succeeded")
	}
	if n := f.count(); n != 10 {
		t.Fatalf("%d rows after the failed commit, want 10", n)
	}
}

// The transaction cannot be used against its own order: inside Do its
// methods refuse work (and fail it); an error in Do or a synchronous
// statement fails it too, so it can never commit half a load.
func TestBulkMisuseIsRefused(t *testing.T) {
	f := newBulkFixture(t)
	for name, misuse := range map[string]func(tx *db.BulkTx, sqlTx *sql.Tx) error{
		"queue inside Do":  func(tx *db.BulkTx, _ *sql.Tx) error { return queueRows(f.ctx, tx, batch(50, 1)) },
		"exec inside Do":   func(tx *db.BulkTx, _ *sql.Tx) error { _, err := tx.Exec(f.ctx, "SELECT 1"); return err },
		"commit inside Do": func(tx *db.BulkTx, _ *sql.Tx) error { return tx.Commit() },
		"error from Do": func(_ *db.BulkTx, sqlTx *sql.Tx) error {
			_, err := sqlTx.ExecContext(f.ctx, "INSERT INTO copy_probe (id, v) VALUES (1, NULL)")
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			tx := f.begin()
			if err := queueRows(f.ctx, tx, batch(0, 5)); err != nil {
				t.Fatal(err)
			}
			var inner error
			err := tx.Do(f.ctx, func(sqlTx *sql.Tx) error {
				inner = misuse(tx, sqlTx)
				return inner
			})
			if inner == nil || err == nil {
				t.Fatalf("misuse accepted: %v / %v", inner, err)
			}
			if err := tx.Commit(); err == nil {
				t.Fatal("commit after misuse succeeded")
			}
			if n := f.count(); n != 0 {
				t.Fatalf("%d rows kept", n)
			}
		})
	}
	tx := f.begin()
	if _, err := tx.Exec(f.ctx, "INSERT INTO copy_probe (id, v) VALUES (1, NULL)"); err == nil {
		t.Fatal("NULL accepted")
	}
	if err := queueRows(f.ctx, tx, batch(0, 1)); err == nil {
		t.Fatal("a write after a failed statement accepted")
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("commit after a failed statement succeeded")
	}
	if n := f.count(); n != 0 {
		t.Fatalf("%d rows kept", n)
	}
}

// Copy: queued COPY batches arrive in order and are seen by the next
// statement; a failed or unencodable batch fails the transaction; a
// rollback drops what is queued.
func TestBulkCopy(t *testing.T) {
	f := newBulkFixture(t)
	ctx := f.ctx
	cols := []string{"id", "v"}
	tx := f.begin()
	if !tx.CanCopy() {
		if err := tx.Copy(ctx, "copy_probe", cols, batch(0, 1)); err == nil {
			t.Fatal("Copy on SQLite accepted")
		}
		if err := tx.Commit(); err == nil {
			t.Fatal("commit after a refused Copy succeeded")
		}
		t.Skip("COPY is PostgreSQL's")
	}
	for b := 0; b < 20; b++ { // more batches than the queue holds
		if err := tx.Copy(ctx, "copy_probe", cols, batch(b*100, 100)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := inTx(ctx, tx); err != nil || n != 2000 {
		t.Fatalf("inside the transaction after 20 copies: %d (%v)", n, err)
	}
	if err := tx.Copy(ctx, "copy_probe", cols, batch(2000, 50)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 2050 {
		t.Fatalf("%d rows after commit, want 2050", n)
	}

	// Every type the binary encoding writes, NULL included, reads back.
	if _, err := f.d.W.ExecContext(ctx, "CREATE TABLE copy_types (a BIGINT, b INTEGER, c SMALLINT, d TEXT, e BOOLEAN, f VARCHAR(20))"); err != nil {
		t.Fatal(err)
	}
	tcols := []string{"a", "b", "c", "d", "e", "f"}
	tx = f.begin()
	if err := tx.Copy(ctx, "copy_types", tcols, [][]any{
		{int64(-9007199254740993), 2147483647, int32(-32768), "中文 \t 'x'", true, "v"},
		{nil, nil, nil, nil, nil, nil},
		{int64(0), -1, 7, "", false, ""},
	}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := f.d.R.QueryContext(ctx, "SELECT COALESCE(a, 1), COALESCE(b, 1), COALESCE(c, 1), COALESCE(d, 'null'), COALESCE(e::text, 'null'), COALESCE(f, 'null') FROM copy_types ORDER BY a NULLS LAST")
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

	// A row that cannot be encoded is refused, and with it the transaction.
	for _, bad := range [][]any{
		{int64(1), int64(1) << 40, 1, "", true, ""}, // over INTEGER
		{int64(1), 1, 1 << 20, "", true, ""},        // over SMALLINT
		{"1", 1, 1, "", true, ""},                   // text for BIGINT
		{int64(1), 1, 1, 5, true, ""},               // number for TEXT
		{int64(1), 1, 1, "", 1, ""},                 // number for BOOLEAN
		{int64(1), 1, 1, ""},                        // too few values
	} {
		tx := f.begin()
		tx.Copy(ctx, "copy_types", tcols, [][]any{{int64(5), 5, 5, "ok", true, "ok"}})
		if err := tx.Copy(ctx, "copy_types", tcols, [][]any{bad}); err == nil {
			t.Errorf("%v accepted", bad)
		}
		if err := tx.Commit(); err == nil {
			t.Errorf("commit after %v succeeded", bad)
		}
	}
	tx = f.begin()
	if err := tx.Copy(ctx, "copy_types", []string{"a", "nope"}, [][]any{{int64(1), 1}}); err == nil {
		t.Error("an unknown column accepted")
	}
	tx.Rollback()
	var kept int
	f.d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM copy_types").Scan(&kept)
	if kept != 3 {
		t.Fatalf("%d rows in copy_types, want 3", kept)
	}

	// A duplicate key in the second batch: the next statement reports it,
	// later batches are not sent, the commit fails, nothing is kept.
	tx = f.begin()
	tx.Copy(ctx, "copy_probe", cols, batch(5000, 10))
	tx.Copy(ctx, "copy_probe", cols, batch(0, 10))
	tx.Copy(ctx, "copy_probe", cols, batch(6000, 10))
	if _, err := inTx(ctx, tx); err == nil || !strings.Contains(err.Error(), "copy_probe") {
		t.Fatalf("a query after a failed COPY: %v", err)
	}
	if err := tx.Copy(ctx, "copy_probe", cols, batch(7000, 10)); err == nil {
		t.Fatal("Copy after a failed COPY accepted")
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("commit after a failed COPY succeeded")
	}
	if n := f.count(); n != 2050 {
		t.Fatalf("%d rows after the failed transaction, want 2050", n)
	}

	// Rolled back with copies still queued: none is kept.
	tx = f.begin()
	for b := 0; b < 6; b++ {
		tx.Copy(ctx, "copy_probe", cols, batch(10000+b*100, 100))
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 2050 {
		t.Fatalf("%d rows after rollback, want 2050", n)
	}
}

// Insert writes by COPY or by multi-row INSERT, whichever the database
// has, into a table the transaction made itself as well as a shared one;
// a duplicate key fails the whole transaction.
func TestBulkInsert(t *testing.T) {
	f := newBulkFixture(t)
	ctx := f.ctx
	cols := []string{"id", "v"}
	tx := f.begin()
	temp := "CREATE TEMP TABLE insert_scratch (id BIGINT NOT NULL, v TEXT NOT NULL)"
	if _, err := tx.Exec(ctx, temp); err != nil {
		t.Fatal(err)
	}
	// More rows than one SQLite statement takes, and an empty call.
	if err := tx.Insert(ctx, "copy_probe", cols, batch(0, 1234)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(ctx, "copy_probe", cols, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(ctx, "insert_scratch", cols, batch(5000, 700)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.Query(ctx, "SELECT COUNT(*) FROM insert_scratch WHERE v = 'v'", nil, func(r *sql.Rows) error { return r.Scan(&n) }); err != nil || n != 700 {
		t.Fatalf("scratch rows in the transaction: %d (%v)", n, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO copy_probe (id, v) SELECT id, v FROM insert_scratch"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := f.count(); n != 1934 {
		t.Fatalf("%d rows after commit, want 1934", n)
	}

	tx = f.begin()
	if err := tx.Insert(ctx, "copy_probe", cols, batch(9000, 10)); err != nil {
		t.Fatal(err)
	}
	tx.Insert(ctx, "copy_probe", cols, batch(9005, 10)) // 9005–9009 again
	if err := tx.Commit(); err == nil {
		t.Fatal("a duplicate key was committed")
	}
	if n := f.count(); n != 1934 {
		t.Fatalf("%d rows after the failed insert, want 1934", n)
	}
}

// ValuesSQL numbers placeholders across rows, or writes "?" for SQLite,
// and puts the tail after one space.
func TestValuesSQL(t *testing.T) {
	if got, want := db.ValuesSQL("INSERT INTO t (a, b)", "", 2, 2, false), "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := db.ValuesSQL("INSERT INTO t (a)", " ON CONFLICT DO NOTHING", 1, 3, true), "INSERT INTO t (a) VALUES (?),(?),(?) ON CONFLICT DO NOTHING"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
