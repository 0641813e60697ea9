// Package dbtest gives each test a fresh, migrated gaoxin database: a SQLite
// file in the test's temporary folder by default, or a fresh PostgreSQL schema
// when GAOXIN_TEST_POSTGRES holds a DSN. The database is in the default
// cryptographic mode, or in the national one (国密, under CryptoKey) when
// GAOXIN_TEST_CRYPTO=gm, so one run of the suite covers each mode.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
)

// Open returns a fresh migrated database, closed and removed when t ends.
func Open(t testing.TB) *db.DB {
	t.Helper()
	d, _ := OpenDSN(t)
	return d
}

// OpenDSN is Open that also returns the DSN, for tests that start a second
// app server against the same database (Reopen).
func OpenDSN(t testing.TB) (*db.DB, string) {
	t.Helper()
	return OpenCrypto(t, Crypto())
}

// OpenCrypto is OpenDSN in the cryptographic mode of s, whatever
// GAOXIN_TEST_CRYPTO says: for the tests of the modes themselves.
func OpenCrypto(t testing.TB, s *crypt.Suite) (*db.DB, string) {
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
	if err := d.UseCrypto(ctx, s); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return d, dsn
}

// Reopen opens another handle on the database at dsn (a second app
// server's), in the tests' cryptographic mode, closed when t ends.
func Reopen(t testing.TB, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.UseCrypto(ctx, Crypto()); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return d
}

// CryptoKey is the SM4 key of the tests' national mode (hex). It is in the
// source: it protects nothing.
const CryptoKey = "7465737420736d34206b657920303031"

// Crypto is the cryptographic mode the tests run in: the national mode
// under CryptoKey when GAOXIN_TEST_CRYPTO is gm, the default mode when it
// is empty or default.
func Crypto() *crypt.Suite {
	mode, err := crypt.ParseMode(os.Getenv("GAOXIN_TEST_CRYPTO"))
	if err != nil {
		panic("dbtest: GAOXIN_TEST_CRYPTO: " + err.Error())
	}
	if mode == crypt.Default {
		return nil
	}
	key, err := crypt.ParseKey(CryptoKey)
	if err != nil {
		panic(err)
	}
	s, err := crypt.New(crypt.GM, key)
	if err != nil {
		panic(err)
	}
	return s
}

// GM reports whether the tests run in the national mode.
func GM() bool { return Crypto().GM() }

// CheckSealed fails t unless raw, the value of the sensitive field
// ("table.column") read straight from its table, is stored as the
// database's mode stores it: in the national mode sealed (the "gm1:" form,
// not showing plain) and opening under d's key to plain; in the default
// mode, plain as typed.
func CheckSealed(t testing.TB, d *db.DB, field, raw, plain string) {
	t.Helper()
	if !d.Crypto.GM() {
		if raw != plain {
			t.Errorf("%s stored as %q in the default mode, want %q as typed", field, raw, plain)
		}
		return
	}
	if !crypt.Sealed(raw) || strings.Contains(raw, plain) {
		t.Errorf("%s is readable in the database in the gm mode: %q", field, raw)
		return
	}
	if got, err := d.Crypto.Open(field, raw); err != nil || got != plain {
		t.Errorf("%s opens to %q (%v), want %q", field, got, err, plain)
	}
}

// UseCrypto gives d, which a test opened itself (a template's builder, a
// second server), the tests' cryptographic mode.
func UseCrypto(ctx context.Context, d *db.DB) error { return d.UseCrypto(ctx, Crypto()) }

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
	schema := "t_" + randomHex()
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

// EmptyPostgres returns the DSN of a new, empty PostgreSQL database on the
// GAOXIN_TEST_POSTGRES server (a restore drill's target, say), dropped
// when t ends. It fails the test when the tests do not run on PostgreSQL.
func EmptyPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("GAOXIN_TEST_POSTGRES")
	if base == "" {
		t.Fatal("dbtest: EmptyPostgres needs GAOXIN_TEST_POSTGRES")
	}
	name := databaseName(base) + "_e_" + randomHex()
	if err := createDatabase(context.Background(), base, name, ""); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	return withDatabase(base, name)
}

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv("GAOXIN_TEST_POSTGRES") != "" }

// Template is a database that a test binary fills once (a demo, say) and
// hands each test a copy of: a copy of the SQLite file, or on PostgreSQL a
// database created from it with CREATE DATABASE … TEMPLATE. Filling it
// once instead of in every test is what keeps the suites that read the
// whole demo fast; each test still writes only to its own copy.
type Template struct {
	build func(ctx context.Context, dsn string) error

	once sync.Once
	dsn  string // the filled template's DSN
	path string // SQLite: the template file
	err  error
}

// templates are those filled in this binary, removed by Main.
var (
	templatesMu sync.Mutex
	templates   []*Template
)

// NewTemplate returns a template filled by build on first use. build gets
// the DSN of an empty database, gives the handle it opens the tests'
// cryptographic mode (UseCrypto) after migrating it, and must close every
// connection it opened before it returns (PostgreSQL copies no database
// that is in use).
func NewTemplate(build func(ctx context.Context, dsn string) error) *Template {
	return &Template{build: build}
}

// Open returns a migrated database that starts as a copy of the template,
// closed and removed when t ends, and its DSN.
func (tp *Template) Open(t testing.TB) (*db.DB, string) {
	t.Helper()
	tp.once.Do(tp.fill)
	if tp.err != nil {
		t.Fatalf("dbtest: template: %v", tp.err)
	}
	ctx := context.Background()
	var dsn string
	if base := os.Getenv("GAOXIN_TEST_POSTGRES"); base != "" {
		dsn = copyPostgres(t, base, tp.dsn)
	} else {
		path := filepath.Join(t.TempDir(), "test.db")
		if err := copyFile(tp.path, path); err != nil {
			t.Fatalf("dbtest: copy template: %v", err)
		}
		dsn = "sqlite:" + path
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := UseCrypto(ctx, d); err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	return d, dsn
}

func (tp *Template) fill() {
	templatesMu.Lock()
	templates = append(templates, tp)
	templatesMu.Unlock()
	ctx := context.Background()
	if base := os.Getenv("GAOXIN_TEST_POSTGRES"); base != "" {
		name := databaseName(base) + "_tpl_" + randomHex()
		if tp.err = createDatabase(ctx, base, name, ""); tp.err != nil {
			return
		}
		tp.dsn = withDatabase(base, name)
	} else {
		dir, err := os.MkdirTemp("", "gaoxin-template-")
		if err != nil {
			tp.err = err
			return
		}
		tp.path = filepath.Join(dir, "template.db")
		tp.dsn = "sqlite:" + tp.path
	}
	tp.err = tp.build(ctx, tp.dsn)
}

// remove deletes the filled template.
func (tp *Template) remove() {
	switch {
	case tp.path != "":
		os.RemoveAll(filepath.Dir(tp.path))
	case tp.dsn != "":
		dropDatabase(os.Getenv("GAOXIN_TEST_POSTGRES"), databaseName(tp.dsn))
	}
}

// Main runs a package's tests and then removes the templates they filled;
// call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	templatesMu.Lock()
	defer templatesMu.Unlock()
	for _, tp := range templates {
		tp.remove()
	}
	return code
}

// copyPostgres creates a database from the template's and returns its DSN;
// the copy is dropped when t ends.
func copyPostgres(t testing.TB, base, tplDSN string) string {
	t.Helper()
	name := databaseName(base) + "_t_" + randomHex()
	if err := createDatabase(context.Background(), base, name, databaseName(tplDSN)); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	return withDatabase(base, name)
}

// createDatabase creates name, empty or as a copy of template.
func createDatabase(ctx context.Context, base, name, template string) error {
	admin, err := db.Open(ctx, base)
	if err != nil {
		return fmt.Errorf("GAOXIN_TEST_POSTGRES: %w", err)
	}
	defer admin.Close()
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + template
	}
	if _, err := admin.W.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	return nil
}

// dropDatabase drops name after ending the sessions still connected to
// it. DROP DATABASE … WITH (FORCE) would do both, but only from
// PostgreSQL 13, and the product's SQL keeps to 12 (internal/arch); DROP
// DATABASE waits a few seconds for the ended sessions to go.
func dropDatabase(base, name string) {
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		return
	}
	defer admin.Close()
	admin.W.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	admin.W.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name)
}

// databaseName is the database a PostgreSQL DSN names.
func databaseName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// withDatabase is dsn naming database name, with no search_path.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// copyFile copies a closed SQLite file (its write-ahead log, if one was
// left, beside it).
func copyFile(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix)
		if errors.Is(err, fs.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		dst, err := os.Create(to + suffix)
		if err != nil {
			src.Close()
			return err
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if e := dst.Close(); err == nil {
			err = e
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DropAuditGuard removes the triggers that keep audit_log append-only, as
// someone with the database owner's rights could: tests of `audit verify`
// then rewrite or delete rows to show that the tampering is found.
func DropAuditGuard(t testing.TB, d *db.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete",
		"DROP TRIGGER IF EXISTS audit_archives_no_update", "DROP TRIGGER IF EXISTS audit_archives_no_delete"}
	if d.Dialect == db.Postgres {
		stmts = []string{"DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log", "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
			"DROP TRIGGER IF EXISTS audit_archives_append_only ON audit_archives"}
	}
	for _, q := range stmts {
		if _, err := d.W.Exec(q); err != nil {
			t.Fatalf("dbtest: %s: %v", q, err)
		}
	}
}
