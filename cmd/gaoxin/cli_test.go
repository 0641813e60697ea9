package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/demo"
)

// gx runs the CLI in-process and returns exit code and output.
func gx(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserTokenAuditCommands(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "", "migrate", "--db", dsn); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	if code, _, errs := gx(t, "short\n", "user", "add", "--db", dsn, "--username", "ops", "--role", "admin", "--password-stdin"); code == 0 || !strings.Contains(errs, "12") {
		t.Fatalf("short password accepted: %d %s", code, errs)
	}
	if code, out, errs := gx(t, "a-very-long-password\n", "user", "add", "--db", dsn, "--username", "ops", "--role", "admin", "--password-stdin"); code != 0 || !strings.Contains(out, "created user ops") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, _, errs := gx(t, "another-long-password\n", "user", "passwd", "--db", dsn, "--username", "ops", "--password-stdin"); code != 0 {
		t.Fatalf("passwd: %s", errs)
	}
	if code, out, _ := gx(t, "", "user", "list", "--db", dsn); code != 0 || !strings.Contains(out, "ops") {
		t.Fatalf("list: %s", out)
	}
	code, out, errs := gx(t, "", "token", "create", "--db", dsn, "--username", "ops", "--name", "cron")
	if code != 0 || !strings.HasPrefix(out, "gx_") {
		t.Fatalf("token create: %d %s %s", code, out, errs)
	}
	if code, out, _ := gx(t, "", "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify intact: %d %s", code, out)
	}
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dbtest.DropAuditGuard(t, d)
	if _, err := d.W.Exec("UPDATE audit_log SET action = 'nothing.happened' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	code, _, errs = gx(t, "", "audit", "verify", "--db", dsn)
	if code == 0 || !strings.Contains(errs, "row 2") {
		t.Fatalf("verify tampered: %d %s", code, errs)
	}
}

func TestBackupCopiesLiveSQLite(t *testing.T) {
	if dbtest.Postgres() {
		t.Skip("backup copies SQLite; PostgreSQL uses pg_dump")
	}
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if code, _, errs := gx(t, "a-very-long-password\n", "user", "add", "--db", dsn, "--username", "ops", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "copy.db")
	if code, _, errs := gx(t, "", "backup", "--db", dsn, "--out", out); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if code, stdout, _ := gx(t, "", "user", "list", "--db", "sqlite:"+out); code != 0 || !strings.Contains(stdout, "ops") {
		t.Fatalf("copy lacks the user: %s", stdout)
	}
	if code, _, _ := gx(t, "", "backup", "--db", dsn, "--out", out); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
}

func TestUsageAndBadConfig(t *testing.T) {
	if code, _, _ := gx(t, ""); code != 2 {
		t.Fatal("no command should exit 2")
	}
	if code, _, errs := gx(t, "", "migrate", "--db", "mysql://x"); code == 0 || !strings.Contains(errs, "sqlite:PATH") {
		t.Fatalf("bad --db accepted: %s", errs)
	}
	if code, out, _ := gx(t, "", "version"); code != 0 || !strings.Contains(out, "gaoxin") {
		t.Fatal("version")
	}
}

// `export enterprises --out x.csv` writes CSV and --out x.xlsx a workbook;
// another extension is refused rather than written in the wrong format.
func TestExportChoosesTheFormatByExtension(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "", "migrate", "--db", dsn); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	dir := t.TempDir()
	csvPath, xlsxPath := filepath.Join(dir, "x.csv"), filepath.Join(dir, "x.XLSX")
	for _, p := range []string{csvPath, xlsxPath} {
		if code, _, errs := gx(t, "", "export", "enterprises", "--db", dsn, "--out", p); code != 0 {
			t.Fatalf("export %s: %s", p, errs)
		}
	}
	c, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(c, []byte("PK")) || !bytes.Contains(c, []byte("统一社会信用代码,企业名称")) {
		t.Errorf("x.csv is not CSV: %.40q", c)
	}
	if x, _ := os.ReadFile(xlsxPath); !bytes.HasPrefix(x, []byte("PK")) {
		t.Errorf("x.xlsx is not a workbook")
	}
	if code, _, errs := gx(t, "", "export", "enterprises", "--db", dsn, "--out", filepath.Join(dir, "x.txt")); code == 0 || !strings.Contains(errs, ".csv") {
		t.Errorf("x.txt accepted: %d %s", code, errs)
	}
}

// gaoxin demo writes its registry in bulk and leaves the rollups rebuilt;
// rollup status then reports the feed applied to its end, and rollup
// rebuild recomputes them.
func TestRollupCommands(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "", "demo", "--db", dsn, "--enterprises", "30", "--years", "2"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	code, out, errs := gx(t, "", "rollup", "status", "--db", dsn)
	if code != 0 || !regexp.MustCompile(`applied (\d+) of (\d+)`).MatchString(out) {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	m := regexp.MustCompile(`applied (\d+) of (\d+)`).FindStringSubmatch(out)
	if m[1] != m[2] {
		t.Errorf("after the demo the rollups lag the feed: %s", out)
	}
	if code, out, errs := gx(t, "", "rollup", "rebuild", "--db", dsn); code != 0 || !strings.Contains(out, "rollups rebuilt") {
		t.Fatalf("rebuild: %d %s %s", code, out, errs)
	}
	// On a demo server's database, at the demo's date.
	if code, out, errs := gx(t, "", "rollup", "rebuild", "--demo", "--db", dsn); code != 0 || !strings.Contains(out, "rollups rebuilt") {
		t.Fatalf("rebuild --demo: %d %s %s", code, out, errs)
	}
	if code, out, _ := gx(t, "", "rollup", "status", "--db", dsn); code != 0 || !strings.Contains(out, "current on "+demo.AsOf) {
		t.Errorf("after rebuild --demo: %s", out)
	}
	if code, _, _ := gx(t, "", "rollup", "--db", dsn); code != 2 {
		t.Errorf("rollup without a subcommand exited %d, want 2 (usage)", code)
	}
}

// A setting from the environment that cannot be used stops the command,
// naming the variable, instead of leaving the flag at its default: an
// unreadable *_FILE (which would open the default SQLite database instead
// of the PostgreSQL one it holds) and a value its flag cannot parse.
func TestUnusableEnvironmentSettingsAreRefused(t *testing.T) {
	t.Setenv("GAOXIN_DB_FILE", filepath.Join(t.TempDir(), "missing"))
	code, _, errs := gx(t, "", "user", "list")
	if code == 0 || !strings.Contains(errs, "GAOXIN_DB_FILE") {
		t.Fatalf("an unreadable GAOXIN_DB_FILE: exit %d, %s", code, errs)
	}
	// Given on the command line, the flag wins and the file is not needed.
	dsn := dbtest.DSN(t)
	if code, _, errs := gx(t, "", "user", "list", "--db", dsn); code != 0 {
		t.Fatalf("--db given: exit %d, %s", code, errs)
	}

	// A readable one is used.
	f := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(f, []byte(dsn+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GAOXIN_DB_FILE", f)
	if code, _, errs := gx(t, "", "user", "list"); code != 0 {
		t.Fatalf("a readable GAOXIN_DB_FILE: exit %d, %s", code, errs)
	}

	t.Setenv("GAOXIN_PASSWORD_STRICT", "ture")
	code, _, errs = gx(t, "", "user", "list")
	if code == 0 || !strings.Contains(errs, "GAOXIN_PASSWORD_STRICT") || !strings.Contains(errs, "ture") {
		t.Fatalf("GAOXIN_PASSWORD_STRICT=ture: exit %d, %s", code, errs)
	}
	t.Setenv("GAOXIN_PASSWORD_STRICT", "true")
	t.Setenv("GAOXIN_DB_READ_FRESH", "soon")
	code, _, errs = gx(t, "", "serve", "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errs, "GAOXIN_DB_READ_FRESH") {
		t.Fatalf("GAOXIN_DB_READ_FRESH=soon: exit %d, %s", code, errs)
	}
}
