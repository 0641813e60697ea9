package audit_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

func gmSuite(t *testing.T) *crypt.Suite {
	t.Helper()
	s, err := crypt.New(crypt.GM, []byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// In the gm mode a row's hash is the SM3 of its fields (computed here
// with the library directly) and the keyed link an HMAC-SM3: a changed
// row, and a row rewritten with its hashes recomputed, still fail verify,
// and checkpoints are signed and checked alike.
func TestGMChainIsSM3AndDetectsTampering(t *testing.T) {
	ctx := context.Background()
	d, _ := dbtest.OpenCrypto(t, gmSuite(t))
	cp := filepath.Join(t.TempDir(), "audit.checkpoints")
	l := audit.NewWith(d, audit.Options{Key: testKey, Checkpoints: cp})
	record(t, l, 4)
	if _, ok, err := l.WriteCheckpoint(ctx); !ok || err != nil {
		t.Fatalf("checkpoint: %v %v", ok, err)
	}
	if n, err := l.Verify(ctx); err != nil || n != 4 {
		t.Fatalf("intact gm trail: %d %v", n, err)
	}
	var at int64
	var prev, after, hash, mac string
	if err := d.R.QueryRow("SELECT at, prev_hash, after_json, hash, mac FROM audit_log WHERE id = 1").Scan(&at, &prev, &after, &hash, &mac); err != nil {
		t.Fatal(err)
	}
	h := sm3.New()
	for _, f := range []string{prev, strconv.FormatInt(at, 10), "0", "tester", "127.0.0.1", "test.write", "thing", "1", "", after, "ok"} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	if want := fmt.Sprintf("%x", h.Sum(nil)); hash != want {
		t.Fatalf("row 1 hash %s, want the SM3 %s", hash, want)
	}
	m := gmSuite(t).MAC(testKey)
	fmt.Fprintf(m, "gaoxin-audit-link|%s|%s", "", hash)
	if want := fmt.Sprintf("%x", m.Sum(nil)); mac != want {
		t.Fatalf("row 1 link %s, want the HMAC-SM3 %s", mac, want)
	}

	// Changed in place: the SM3 no longer matches.
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("UPDATE audit_log SET action = 'nothing.happened' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	if be := mustBreak(t, l, "row 2 changed"); be.ID != 2 || !strings.Contains(be.Reason, "SM3") {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
	if _, err := d.W.Exec("UPDATE audit_log SET action = 'test.write' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	// Rewritten with every SM3 recomputed: the HMAC-SM3 link catches it.
	rehash(t, d, 3, `{"n":99}`)
	if n, err := audit.New(d).Verify(ctx); err != nil || n != 4 {
		t.Fatalf("the rehash should pass the unkeyed SM3 check: %d %v", n, err)
	}
	if be := mustBreak(t, l, "row 3 rewritten and re-hashed"); be.ID != 3 || !strings.Contains(be.Reason, "keyed link") {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
}

// A trail made in one mode does not verify in the other: the first row's
// hash is of another algorithm. (A server cannot be started so, the
// database records its mode; this is what an operator who forced it would
// see.)
func TestTrailFailsVerifyInTheOtherMode(t *testing.T) {
	ctx := context.Background()
	for _, made := range []*crypt.Suite{nil, gmSuite(t)} {
		d, dsn := dbtest.OpenCrypto(t, made)
		record(t, audit.NewWith(d, audit.Options{Key: testKey}), 3)
		if n, err := audit.NewWith(d, audit.Options{Key: testKey}).Verify(ctx); err != nil || n != 3 {
			t.Fatalf("%s trail in its own mode: %d %v", made.Mode(), n, err)
		}
		other, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		other.Crypto = gmSuite(t)
		if made.GM() {
			other.Crypto = nil
		}
		_, err = audit.NewWith(other, audit.Options{Key: testKey}).Verify(ctx)
		var be *audit.BrokenError
		if !errors.As(err, &be) || be.ID != 1 || !strings.Contains(be.Reason, "another cryptographic mode") {
			t.Fatalf("%s trail verified with the %s hash: %v", made.Mode(), other.Crypto.HashName(), err)
		}
	}
}
