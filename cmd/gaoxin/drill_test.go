package main

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gaoxin/internal/db/dbtest"
)

// TestBackupRestoreDrill is the backup drill an operator runs: a keyed
// audit trail with checkpoints, a backup (`gaoxin backup` on SQLite,
// pg_dump on PostgreSQL), more work after it, then a restore into a new
// database. `audit verify` passes on the restored copy with the checkpoint
// file as it was at the backup, and fails, naming the lost rows, with the
// newer checkpoint file: a restore that drops the newest records is never
// silent. The restored database takes new writes and stays verifiable.
func TestBackupRestoreDrill(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	if err := os.WriteFile(key, []byte("drill-key-of-more-than-thirty-two-bytes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cps := filepath.Join(dir, "audit.checkpoints")
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if dbtest.Postgres() {
		dsn = dbtest.DSN(t)
	}
	keyed := func(dsn, cps string) []string {
		return []string{"--db", dsn, "--audit-key-file", key, "--audit-checkpoints", cps}
	}
	addUser := func(dsn, name string) {
		t.Helper()
		if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--username", name, "--role", "supervisor", "--password-stdin"}, keyed(dsn, cps)...)...); code != 0 {
			t.Fatalf("user add %s: %s", name, errs)
		}
	}
	gxOK := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errs := gx(t, stdin, args...)
		if code != 0 {
			t.Fatalf("gaoxin %s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		return out
	}
	for _, name := range []string{"before1", "before2"} {
		addUser(dsn, name)
	}
	csv := filepath.Join(dir, "registry.csv")
	os.WriteFile(csv, []byte("统一社会信用代码,企业名称,年度,营业收入（万元）\n91410100DM00099904,演练企业有限公司,2022,100\n"), 0o600)
	gxOK("", append([]string{"import", "enterprises", csv}, keyed(dsn, cps)...)...)
	gxOK("", append([]string{"audit", "checkpoint"}, keyed(dsn, cps)...)...)

	// The backup, and the checkpoint file as it was then (an operator
	// backs both up together).
	backup := filepath.Join(dir, "backup")
	if dbtest.Postgres() {
		pgDump(t, dsn, backup)
	} else {
		gxOK("", "backup", "--db", dsn, "--out", backup)
	}
	cpsAtBackup := filepath.Join(dir, "checkpoints-at-backup")
	os.WriteFile(cpsAtBackup, readFile(cps), 0o600)

	// Work after the backup, checkpointed.
	addUser(dsn, "after1")
	gxOK("", append([]string{"audit", "checkpoint"}, keyed(dsn, cps)...)...)

	restored := "sqlite:" + filepath.Join(dir, "restored.db")
	if dbtest.Postgres() {
		restored = pgRestore(t, dsn, backup)
	} else {
		os.WriteFile(strings.TrimPrefix(restored, "sqlite:"), readFile(backup), 0o600)
	}
	if out := gxOK("", append([]string{"audit", "verify"}, keyed(restored, cpsAtBackup)...)...); !strings.Contains(out, "checkpoints agree") {
		t.Fatalf("verify after restore: %s", out)
	}
	if code, _, errs := gx(t, "", append([]string{"audit", "verify"}, keyed(restored, cps)...)...); code == 0 || !strings.Contains(errs, "newest rows were deleted") {
		t.Fatalf("verify of the restore against the newer checkpoints: exit %d, %s", code, errs)
	}
	users := gxOK("", "user", "list", "--db", restored)
	if !strings.Contains(users, "before2") || strings.Contains(users, "after1") {
		t.Fatalf("restored users:\n%s", users)
	}
	gxOK("", "export", "enterprises", "--db", restored, "--out", filepath.Join(dir, "out.csv"))
	if b := readFile(filepath.Join(dir, "out.csv")); !strings.Contains(string(b), "演练企业有限公司") {
		t.Fatalf("the restored registry lacks the imported enterprise: %s", b)
	}
	// The restored database goes on: new rows (its sequences came back
	// too) and a trail that still verifies.
	cpsRestored := filepath.Join(dir, "checkpoints-restored")
	os.WriteFile(cpsRestored, readFile(cpsAtBackup), 0o600)
	if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--username", "after2", "--role", "supervisor", "--password-stdin"}, keyed(restored, cpsRestored)...)...); code != 0 {
		t.Fatalf("user add on the restored database: %s", errs)
	}
	gxOK("", append([]string{"audit", "checkpoint"}, keyed(restored, cpsRestored)...)...)
	if out := gxOK("", append([]string{"audit", "verify"}, keyed(restored, cpsRestored)...)...); !strings.Contains(out, "checkpoints agree") {
		t.Fatalf("verify after new work on the restored database: %s", out)
	}
}

func readFile(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

// pgURI is dsn as libpq's tools take it (without the search_path the app
// sets), and the schema it names.
func pgURI(t *testing.T, dsn string) (string, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	u.RawQuery = "sslmode=disable"
	return u.String(), schema
}

// pgDump writes the test's schema to file in pg_dump's custom format.
func pgDump(t *testing.T, dsn, file string) {
	t.Helper()
	uri, schema := pgURI(t, dsn)
	if out, err := exec.Command("pg_dump", "--format=custom", "--no-owner", "--schema="+schema, "--file="+file, uri).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v %s", err, out)
	}
}

// pgRestore restores file into a new empty database and returns the DSN
// the app reads it with.
func pgRestore(t *testing.T, dsn, file string) string {
	t.Helper()
	_, schema := pgURI(t, dsn)
	target := dbtest.EmptyPostgres(t)
	uri, _ := pgURI(t, target)
	if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+uri, file).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v %s", err, out)
	}
	u, _ := url.Parse(target)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
