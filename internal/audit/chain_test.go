package audit_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func keyedLog(t *testing.T) (*db.DB, *audit.Log, string) {
	t.Helper()
	d := dbtest.Open(t)
	cp := filepath.Join(t.TempDir(), "audit.checkpoints")
	return d, audit.NewWith(d, audit.Options{Key: testKey, Checkpoints: cp}), cp
}

func record(t *testing.T, l *audit.Log, n int) {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{ID: 0, Name: "tester", IP: "127.0.0.1"})
	for i := 0; i < n; i++ {
		if err := l.Record(ctx, audit.Entry{Action: "test.write", ObjectType: "thing", ObjectID: "1", After: map[string]int{"n": i}}); err != nil {
			t.Fatal(err)
		}
	}
}

func mustBreak(t *testing.T, l *audit.Log, why string) *audit.BrokenError {
	t.Helper()
	_, err := l.Verify(context.Background())
	var be *audit.BrokenError
	if !errors.As(err, &be) {
		t.Fatalf("%s: verify passed (%v)", why, err)
	}
	return be
}

// TestTruncationFailsVerify: deleting the newest rows leaves a chain that
// links perfectly; only the checkpoint written outside the database shows
// that rows are missing.
func TestTruncationFailsVerify(t *testing.T) {
	d, l, _ := keyedLog(t)
	ctx := context.Background()
	record(t, l, 5)
	c, ok, err := l.WriteCheckpoint(ctx)
	if err != nil || !ok || c.ID != 5 || c.Seq != 1 {
		t.Fatalf("checkpoint: %+v ok=%v err=%v", c, ok, err)
	}
	if _, ok, _ := l.WriteCheckpoint(ctx); ok {
		t.Fatal("a checkpoint of an unmoved head was written again")
	}
	record(t, l, 1)
	if n, err := l.Verify(ctx); err != nil || n != 6 {
		t.Fatalf("intact trail: n=%d err=%v", n, err)
	}
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("DELETE FROM audit_log WHERE id >= 4"); err != nil {
		t.Fatal(err)
	}
	be := mustBreak(t, l, "newest rows deleted")
	if be.ID != 5 || !strings.Contains(be.Reason, "newest rows were deleted") {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
}

// rehash rewrites row id's after_json and recomputes every unkeyed hash
// from there on, as someone with write access to the database but not the
// key would.
func rehash(t *testing.T, d *db.DB, id int64, after string) {
	t.Helper()
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("UPDATE audit_log SET after_json = $1 WHERE id = $2", after, id); err != nil {
		t.Fatal(err)
	}
	rows, err := d.W.Query(`SELECT id, at, COALESCE(actor_id, 0), actor, ip, action, object_type, object_id,
		before_json, after_json, outcome, prev_hash FROM audit_log WHERE id >= $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id     int64
		fields []string
	}
	var all []row
	for rows.Next() {
		var r row
		var at, actorID int64
		f := make([]string, 9)
		if err := rows.Scan(&r.id, &at, &actorID, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8]); err != nil {
			t.Fatal(err)
		}
		// prev_hash, at, actor_id, actor, ip, action, type, id, before, after, outcome
		r.fields = append([]string{f[8], strconv.FormatInt(at, 10), strconv.FormatInt(actorID, 10)}, f[:8]...)
		all = append(all, r)
	}
	rows.Close()
	prev := all[0].fields[0]
	for _, r := range all {
		r.fields[0] = prev
		h := d.Crypto.Hash()()
		for _, f := range r.fields {
			fmt.Fprintf(h, "%d:%s|", len(f), f)
		}
		prev = hex.EncodeToString(h.Sum(nil))
		dbtest.DropAuditGuard(t, d)
		if _, err := d.W.Exec("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3", r.fields[0], prev, r.id); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRehashedRowFailsVerify: a row edited with every later unkeyed hash
// recomputed passes the unkeyed check, but not the keyed link.
func TestRehashedRowFailsVerify(t *testing.T) {
	d, l, _ := keyedLog(t)
	ctx := context.Background()
	record(t, l, 5)
	rehash(t, d, 3, `{"amount_fen":100000000}`)
	if n, err := audit.New(d).Verify(ctx); err != nil || n != 5 {
		t.Fatalf("the attack should pass the unkeyed check (n=%d err=%v)", n, err)
	}
	be := mustBreak(t, l, "row 3 rewritten and re-hashed")
	if be.ID != 3 || !strings.Contains(be.Reason, "keyed link") {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
	// Blanking the keyed links too is seen as well.
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("UPDATE audit_log SET mac = '' WHERE id >= 3"); err != nil {
		t.Fatal(err)
	}
	if be := mustBreak(t, l, "keyed links blanked"); be.ID != 3 {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
}

// TestRehashWithoutKeyedLinksFailsCheckpoint: an attacker who blanks every
// keyed link (so the trail looks as if written before the key) is caught
// by the checkpoint's hash.
func TestRehashWithoutKeyedLinksFailsCheckpoint(t *testing.T) {
	d, l, _ := keyedLog(t)
	ctx := context.Background()
	record(t, l, 5)
	if _, _, err := l.WriteCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("UPDATE audit_log SET mac = ''"); err != nil {
		t.Fatal(err)
	}
	rehash(t, d, 2, `{"n":99}`)
	be := mustBreak(t, l, "all links blanked and re-hashed")
	if be.ID != 5 || !strings.Contains(be.Reason, "checkpoint") {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
}

func TestForgedCheckpointFails(t *testing.T) {
	_, l, cp := keyedLog(t)
	ctx := context.Background()
	record(t, l, 3)
	if _, _, err := l.WriteCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(cp)
	forged := strings.Replace(string(b), "1 3 ", "1 2 ", 1)
	if err := os.WriteFile(cp, []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	mustBreak(t, l, "checkpoint edited")
	// Another key cannot read the file either.
	other := audit.NewWith(dbtest.Open(t), audit.Options{Key: []byte("another key of thirty-two bytes!"), Checkpoints: cp})
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	mustBreak(t, other, "checkpoint under another key")
}

// TestUnkeyedPrefixThenKeyed: rows written before the key was configured
// stay verifiable; rows after it carry keyed links.
func TestUnkeyedPrefixThenKeyed(t *testing.T) {
	d := dbtest.Open(t)
	record(t, audit.New(d), 3)
	l := audit.NewWith(d, audit.Options{Key: testKey})
	record(t, l, 3)
	if n, err := l.Verify(context.Background()); err != nil || n != 6 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	// An unkeyed row after keyed ones is refused.
	record(t, audit.New(d), 1)
	if be := mustBreak(t, l, "unkeyed row after keyed rows"); be.ID != 7 {
		t.Fatalf("broken at %d: %s", be.ID, be.Reason)
	}
}

// Two writers of one checkpoint file (a server and a manual `gaoxin audit
// checkpoint`, each its own process with its own handle) number their
// lines one after the other: the file stays valid, with no number twice.
func TestCheckpointWritersShareOneFile(t *testing.T) {
	d, first, cp := keyedLog(t)
	second := audit.NewWith(d, audit.Options{Key: testKey, Checkpoints: cp})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "tester"})
	errc := make(chan error, 2)
	for _, l := range []*audit.Log{first, second} {
		go func() {
			for i := range 60 {
				if err := l.Record(ctx, audit.Entry{Action: "test.write", ObjectType: "thing", ObjectID: "1", After: map[string]int{"n": i}}); err != nil {
					errc <- err
					return
				}
				if _, _, err := l.WriteCheckpoint(ctx); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	cps, err := first.Checkpoints()
	if err != nil {
		b, _ := os.ReadFile(cp)
		t.Fatalf("the shared file after two writers: %v\n%s", err, b)
	}
	if len(cps) < 2 {
		t.Fatalf("%d checkpoints written", len(cps))
	}
	if _, err := first.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
}
