package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	keyed := []string{"--db", dsn, "--audit-key-file", key, "--audit-checkpoints", cps}
	if code, _, errs := gx(t, "a-very-long-password\n", append([]string{"user", "add", "--username", "ops", "--role", "admin", "--password-stdin"}, keyed...)...); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if _, err := os.Stat(cps); !os.IsNotExist(err) {
		t.Fatalf("a checkpoint file before the server ran: %v", err)
	}

	cmd := exec.Command(buildBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, keyed...)...)
	cmd.Env = append(os.Environ(), "GAOXIN_LOG_FORMAT=json")
	var mu sync.Mutex
	var logs strings.Builder
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	})
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		said := false
		for sc.Scan() {
			if !said && listenRe.MatchString(sc.Text()) {
				said = true
				listening <- true
			}
		}
		if !said {
			listening <- false
		}
	}()
	select {
	case ok := <-listening:
		if !ok {
			cmd.Wait()
			t.Fatalf("the server stopped before listening:\n%s", logs.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("the server did not start listening")
	}
	cmd.Process.Signal(os.Interrupt)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the server exited with %v:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not stop on SIGTERM")
	}
	mu.Lock()
	printed := logs.String()
	mu.Unlock()
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

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
