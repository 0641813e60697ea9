package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/demo"
)

// startResult is what one `gaoxin serve --demo` printed before it listened
// or exited.
type startResult struct {
	out       string
	listening bool
	err       error
}

// Three servers started at once with --demo on one empty PostgreSQL
// database all come up: the migrations run once under the migration lock,
// the demo is loaded by exactly one of them, and the units are there once.
func TestThreeServersStartTogetherOnAnEmptyPostgres(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("GAOXIN_TEST_POSTGRES is not set: concurrent start is a PostgreSQL matter")
	}
	bin := buildBinary(t)
	dsn := dbtest.DSN(t)
	const n = 3
	results := make([]startResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = startDemoServer(t, bin, dsn)
		}()
	}
	wg.Wait()
	loaded := 0
	for i, r := range results {
		if !r.listening {
			t.Fatalf("server %d did not start: %v\n%s", i, r.err, r.out)
		}
		if strings.Contains(r.out, "已载入演示数据") {
			loaded++
		}
	}
	if loaded != 1 {
		t.Fatalf("demo loaded by %d servers, want exactly 1", loaded)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var units, migrations int
	if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM units").Scan(&units); err != nil {
		t.Fatal(err)
	}
	if units != len(demo.Units) {
		t.Errorf("units = %d, want %d", units, len(demo.Units))
	}
	ms, _ := db.Migrations()
	if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&migrations); err != nil {
		t.Fatal(err)
	}
	if migrations != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", migrations, len(ms))
	}
}

// startDemoServer runs `gaoxin serve --demo` and waits until it listens or
// exits; a server that listens is stopped when t ends.
func startDemoServer(t *testing.T, bin, dsn string) startResult {
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", dsn)
	cmd.Env = append(os.Environ(), "GAOXIN_LOG_FORMAT=json")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return startResult{err: err}
	}
	if err := cmd.Start(); err != nil {
		return startResult{err: err}
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	var out strings.Builder
	timeout := time.After(4 * time.Minute)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				err := cmd.Wait()
				return startResult{out: out.String() + stderr.String(), err: err}
			}
			out.WriteString(line + "\n")
			if listenRe.MatchString(line) {
				t.Cleanup(func() {
					cmd.Process.Signal(os.Interrupt)
					go func() {
						for range lines {
						}
					}()
					done := make(chan struct{})
					go func() { cmd.Wait(); close(done) }()
					select {
					case <-done:
					case <-time.After(20 * time.Second):
						cmd.Process.Kill()
					}
				})
				return startResult{out: out.String(), listening: true}
			}
		case <-timeout:
			cmd.Process.Kill()
			return startResult{out: out.String() + stderr.String(), err: context.DeadlineExceeded}
		}
	}
}
