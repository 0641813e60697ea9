package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/uscc"
)

// replicaDSN is dsn (a database and schema on the primary) read through
// the streaming replica GAOXIN_TEST_REPLICA names (scripts/replica makes
// one), or "" when none is set.
func replicaDSN(t *testing.T, dsn string) string {
	t.Helper()
	base := os.Getenv("GAOXIN_TEST_REPLICA")
	if base == "" {
		return ""
	}
	r, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GAOXIN_TEST_REPLICA: %v", err)
	}
	u, _ := url.Parse(dsn)
	u.Host = r.Host
	return u.String()
}

// TestReadReplica runs `gaoxin serve --db-read` against a real streaming
// replica. With the replica's replay paused, a page read by someone who did
// not just write shows the registry as it was (the read went to the
// replica), while the writer sees its own write (it reads from the
// primary for --db-read-fresh); once replay resumes, everyone sees it.
// Then the replica is stopped: the pages go on answering from the primary,
// /readyz says so, and the replica is used again once it is back.
func TestReadReplica(t *testing.T) {
	if !dbtest.Postgres() || os.Getenv("GAOXIN_TEST_REPLICA") == "" {
		if os.Getenv("GAOXIN_REQUIRE_REPLICA") != "" {
			t.Fatal("GAOXIN_REQUIRE_REPLICA is set but GAOXIN_TEST_POSTGRES or GAOXIN_TEST_REPLICA is not (scripts/replica makes a replica)")
		}
		t.Skip("needs PostgreSQL and a streaming replica of it (GAOXIN_TEST_POSTGRES, GAOXIN_TEST_REPLICA)")
	}
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	rdsn := replicaDSN(t, dsn)
	rep, err := db.Open(ctx, rdsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	prim, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prim.Close() })
	replay := func(on bool) {
		t.Helper()
		fn := map[bool]string{true: "pg_wal_replay_resume()", false: "pg_wal_replay_pause()"}[on]
		if _, err := rep.W.ExecContext(ctx, "SELECT "+fn); err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
	}
	t.Cleanup(func() { replay(true) })

	// A database that is not a standby is refused as --db-read.
	if code, _, errs := gx(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--db-read", dsn); code != 1 || !strings.Contains(errs, "not a standby") {
		t.Fatalf("serve with the primary as its replica: exit %d, %s", code, errs)
	}
	s := startServe(t, dsn, "--demo", "--db-read", rdsn, "--db-read-fresh", "2s")
	pw := map[string]string{}
	for _, m := range accountRe.FindAllStringSubmatch(s.printed(), -1) {
		pw[m[1]] = m[2]
	}
	caughtUp(t, prim, rep)
	writer, reader := signIn(t, s.URL, "supervisor", pw["supervisor"]), signIn(t, s.URL, "leader", pw["leader"])
	time.Sleep(2100 * time.Millisecond) // the sign-ins' own freshness passes

	code := uscc.Complete(fmt.Sprintf("91410100RP%06d", time.Now().UnixNano()%1000000))
	name := "只读副本测试企业有限公司"
	found := func(c *apiClient) bool {
		t.Helper()
		var page struct{ Items []struct{ Name string } }
		c.get("/api/v1/enterprises?credit_code="+code, &page)
		return len(page.Items) == 1 && page.Items[0].Name == name
	}
	replay(false)
	if st, body := writer.call("POST", "/api/v1/enterprises", map[string]string{"credit_code": code, "name": name}, nil); st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	// The reader first: once the writer has read the new page, the cache
	// of domain data may serve that newer page to anyone (internal/memo
	// never serves older than asked, newer is allowed).
	if found(reader) {
		t.Error("a reader who did not write saw the new enterprise while the replica's replay was paused: its read did not go to the replica")
	}
	if !found(writer) {
		t.Error("the writer does not see its own write: its reads went to the paused replica")
	}
	replay(true)
	waitFor(t, 10*time.Second, "the reader to see the enterprise once replay resumed", func() bool { return found(reader) })

	// The replica stops: pages answer from the primary.
	cluster := strings.SplitN(os.Getenv("GAOXIN_TEST_REPLICA_CLUSTER"), "/", 2)
	if len(cluster) != 2 {
		t.Fatal("GAOXIN_TEST_REPLICA_CLUSTER must name the replica's cluster as VERSION/NAME (e.g. 15/replica) so the test can stop it")
	}
	pgctl := func(action string) {
		if out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1], action).CombinedOutput(); err != nil {
			t.Fatalf("pg_ctlcluster %s: %v %s", action, err, out)
		}
	}
	pgctl("stop")
	t.Cleanup(func() {
		exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1], "start").Run()
	})
	waitFor(t, 5*time.Second, "/readyz to report the replica down", func() bool {
		st, body := reader.call("GET", "/readyz", nil, nil)
		return st == 200 && strings.Contains(string(body), `"replica":"down"`)
	})
	for _, path := range []string{"/enterprises", "/kpi", "/plan", "/insight", "/api/v1/enterprises?credit_code=" + code} {
		if st, body := reader.call("GET", path, nil, nil); st != 200 {
			t.Errorf("GET %s with the replica stopped: %d %.300s", path, st, body)
		}
	}
	if !found(reader) {
		t.Error("with the replica stopped the reader's page is not read from the primary")
	}
	pgctl("start")
	waitFor(t, 20*time.Second, "/readyz to report the replica up again", func() bool {
		_, body := reader.call("GET", "/readyz", nil, nil)
		return strings.Contains(string(body), `"replica":"up"`)
	})
}

// caughtUp waits until the replica has replayed everything the primary has
// written so far.
func caughtUp(t *testing.T, prim, rep *db.DB) {
	t.Helper()
	var lsn string
	if err := prim.W.QueryRow("SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the replica to catch up", func() bool {
		var done bool
		err := rep.W.QueryRow("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done)
		return err == nil && done
	})
}

// waitFor polls ok until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("waited %s for %s", d, what)
		}
	}
}
