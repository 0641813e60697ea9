// Package dbtest gives each test a fresh, migrated gaoxin database: a SQLite
// file in the test's temporary folder by default, or a fresh PostgreSQL schema
// when GAOXIN_TEST_POSTGRES holds a DSN.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gaoxin/internal/db"
)

// Open returns a fresh migrated database, closed and removed when t ends.
func Open(t testing.TB) *db.DB {
	t.Helper()
	d, _ := OpenDSN(t)
	return d
}

// OpenDSN is Open that also returns the DSN, for tests that start a second
// app server against the same database.
func OpenDSN(t testing.TB) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t)
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return d, dsn
}

// DSN returns the DSN of a fresh, empty database for t.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("GAOXIN_TEST_POSTGRES")
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: GAOXIN_TEST_POSTGRES: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.W.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := db.Open(context.Background(), base)
		if err != nil {
			return
		}
		defer a.Close()
		a.W.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: parse GAOXIN_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv("GAOXIN_TEST_POSTGRES") != "" }
