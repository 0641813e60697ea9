package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// TestAuditVerifyWithKeyAndCheckpoints: with the key and the checkpoint
// file kept outside the database, cutting off the newest rows fails
// `audit verify`, which passed it before.
func TestAuditVerifyWithKeyAndCheckpoints(t *testing.T) {
	dsn := dbtest.DSN(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	if err := os.WriteFile(key, []byte("k3y-of-more-than-thirty-two-bytes-for-the-test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cps := filepath.Join(dir, "audit.checkpoints")
	keyed := []string{"--db", dsn, "--audit-key-file", key, "--audit-checkpoints", cps}
	for _, name := range []string{"ops1", "ops2", "ops3"} {
		if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--username", name, "--role", "admin", "--password-stdin"}, keyed...)...); code != 0 {
			t.Fatalf("user add: %s", errs)
		}
	}
	if code, out, errs := gx(t, "", append([]string{"audit", "checkpoint"}, keyed...)...); code != 0 || !strings.Contains(out, "checkpoint 1") {
		t.Fatalf("checkpoint: %d %s %s", code, out, errs)
	}
	if code, out, errs := gx(t, "", append([]string{"audit", "verify"}, keyed...)...); code != 0 || !strings.Contains(out, "1 checkpoints agree") {
		t.Fatalf("verify intact: %d %s %s", code, out, errs)
	}
	// A short key is refused.
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("short"), 0o600)
	if code, _, errs := gx(t, "", "audit", "verify", "--db", dsn, "--audit-key-file", short); code == 0 || !strings.Contains(errs, "at least 32") {
		t.Fatalf("short key: %d %s", code, errs)
	}

	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)"); err != nil {
		t.Fatal(err)
	}
	// The unkeyed check alone cannot see it; the checkpoint does.
	if code, out, _ := gx(t, "", "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "unkeyed") {
		t.Fatalf("unkeyed verify: %d %s", code, out)
	}
	code, _, errs := gx(t, "", append([]string{"audit", "verify"}, keyed...)...)
	if code == 0 || !strings.Contains(errs, "newest rows were deleted") {
		t.Fatalf("verify truncated: %d %s", code, errs)
	}
}

func TestUserUnlockCommand(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "a-very-long-password\n", "user", "add", "--db", dsn, "--username", "ops", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.W.Exec("INSERT INTO login_locks (user_id, ip, failures, locked_until, updated_at) SELECT id, '203.0.113.9', 0, $1, 0 FROM users WHERE username = 'ops'", db.Now()+3_600_000); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := gx(t, "", "user", "unlock", "--db", dsn, "--username", "ops"); code != 0 || !strings.Contains(out, "cleared") {
		t.Fatalf("unlock: %d %s %s", code, out, errs)
	}
	var n int
	d.R.QueryRow("SELECT COUNT(*) FROM login_locks").Scan(&n)
	if n != 0 {
		t.Fatalf("%d locks left", n)
	}
}

// `audit archive` keeps the 180-day retention and has nothing to move from
// a new trail; verify checks the archive folder when named.
func TestAuditArchiveCommand(t *testing.T) {
	dsn := dbtest.DSN(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	os.WriteFile(key, []byte("k3y-of-more-than-thirty-two-bytes-for-the-test\n"), 0o600)
	keyed := []string{"--db", dsn, "--audit-key-file", key, "--archives", dir}
	if code, _, errs := gx(t, "a-very-long-password\n", "user", "add", "--db", dsn, "--audit-key-file", key, "--username", "ops", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	today := time.Now().Format("2006-01-02")
	if code, _, errs := gx(t, "", append([]string{"audit", "archive", "--before", today}, keyed...)...); code == 0 || !strings.Contains(errs, "180 days") {
		t.Fatalf("archive of today's records: %d %s", code, errs)
	}
	old := time.Now().AddDate(0, 0, -181).Format("2006-01-02")
	if code, out, errs := gx(t, "", append([]string{"audit", "archive", "--before", old}, keyed...)...); code != 0 || !strings.Contains(out, "no audit records") {
		t.Fatalf("archive of a new trail: %d %s %s", code, out, errs)
	}
	if code, out, errs := gx(t, "", append([]string{"audit", "verify"}, keyed...)...); code != 0 || !strings.Contains(out, "audit archives intact: 0 rows") {
		t.Fatalf("verify with archives: %d %s %s", code, out, errs)
	}
}
