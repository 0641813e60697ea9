package db_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

func gmSuite(t *testing.T, key string) *crypt.Suite {
	t.Helper()
	s, err := crypt.New(crypt.GM, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func open(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// The first opener records the mode; a server in the other mode, or in
// gm with another key, is refused with a message that says what to do.
func TestCryptoModeIsRecordedAndKept(t *testing.T) {
	ctx := context.Background()
	key := gmSuite(t, "0123456789abcdef")
	for _, first := range []*crypt.Suite{nil, key} {
		d, dsn := dbtest.OpenCrypto(t, first)
		if d.Crypto != first {
			t.Fatalf("handle suite %v, want %v", d.Crypto, first)
		}
		mode, keyID, err := d.CryptoMode(ctx)
		if err != nil || mode != first.Mode() || keyID != first.KeyID() {
			t.Fatalf("recorded %q %q %v, want %s", mode, keyID, err, first)
		}
		other := key
		if first.GM() {
			other = nil
		}
		err = open(t, dsn).UseCrypto(ctx, other)
		if err == nil || !strings.Contains(err.Error(), "--crypto "+string(first.Mode())) || !strings.Contains(err.Error(), "数据库为") {
			t.Fatalf("%s database opened in %s: %v", first.Mode(), other.Mode(), err)
		}
		if err := open(t, dsn).UseCrypto(ctx, first); err != nil {
			t.Fatalf("the same mode again: %v", err)
		}
	}
	_, dsn := dbtest.OpenCrypto(t, key)
	err := open(t, dsn).UseCrypto(ctx, gmSuite(t, "fedcba9876543210"))
	if err == nil || !strings.Contains(err.Error(), key.KeyID()) || !strings.Contains(err.Error(), "key file") {
		t.Fatalf("another SM4 key: %v", err)
	}
}

// A database that held accounts before the mode was recorded was written
// in the default mode: the migration records it so, and gm is refused.
func TestExistingDatabaseIsDefault(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.MigrateTo(ctx, 15); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('ops', 'admin', 'x', 1, 1)"); err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if mode, _, err := d.CryptoMode(ctx); err != nil || mode != crypt.Default {
		t.Fatalf("recorded %q %v", mode, err)
	}
	if err := d.UseCrypto(ctx, gmSuite(t, "0123456789abcdef")); err == nil {
		t.Fatal("an existing default database opened in gm")
	}
}
