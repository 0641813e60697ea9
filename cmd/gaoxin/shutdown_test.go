package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gaoxin/internal/db/dbtest"
)

// TestServeCheckpointsOnTheWayOut stops a keyed server with SIGTERM after
// the audit head has moved: it writes a last checkpoint before its
// database closes, logs no error, and exits 0. The checkpoint then agrees
// with the trail.
func TestServeCheckpointsOnTheWayOut(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	if err := os.WriteFile(key, []byte("shutdown-key-of-more-than-thirty-two-bytes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cps := filepath.Join(dir, "audit.checkpoints")
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if dbtest.Postgres() {
		dsn = dbtest.DSN(t)
	}
	audit := []string{"--audit-key-file", key, "--audit-checkpoints", cps}
	keyed := append([]string{"--db", dsn}, audit...)
	if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--username", "ops", "--role", "admin", "--password-stdin"}, keyed...)...); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if _, err := os.Stat(cps); !os.IsNotExist(err) {
		t.Fatalf("a checkpoint file before the server ran: %v", err)
	}

	srv := startServe(t, dsn, audit...)
	srv.Cmd.Process.Signal(syscall.SIGTERM) // as systemd stops the service
	select {
	case <-srv.Exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
	printed := srv.logged()
	if code := srv.Cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("the server exited with %d:\n%s", code, printed)
	}
	if strings.Contains(printed, `"level":"ERROR"`) {
		t.Fatalf("the server logged an error on the way out:\n%s", printed)
	}
	if lines := strings.Count(string(readFile(cps)), "\n"); lines != 1 {
		t.Fatalf("the checkpoint file has %d lines after the server stopped, want the one written on the way out:\n%s", lines, printed)
	}
	if code, out, errs := gx(t, "", append([]string{"audit", "verify"}, keyed...)...); code != 0 || !strings.Contains(out, "checkpoints agree") {
		t.Fatalf("audit verify after the server stopped: exit %d\n%s%s", code, out, errs)
	}
}
