package memo_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/memo"
)

// clock is a version source a test moves by hand.
type clock struct{ v atomic.Int64 }

func (c *clock) Version(context.Context) (int64, error) { return c.v.Load(), nil }

// getter counts the builds of a cache of strings.
type getter struct {
	t      *testing.T
	c      *memo.Cache[string]
	builds int
}

func (g *getter) get(key, val string) string {
	g.t.Helper()
	got, err := g.c.Get(context.Background(), key, func() (string, error) { g.builds++; return val, nil })
	if err != nil {
		g.t.Fatal(err)
	}
	return got
}

func TestVersionRule(t *testing.T) {
	src := &clock{}
	g := &getter{t: t, c: memo.New[string](src, memo.Limits{}, nil)}
	if g.get("k", "a") != "a" || g.get("k", "b") != "a" || g.builds != 1 {
		t.Fatalf("same version must reuse: %d builds", g.builds)
	}
	src.v.Add(1)
	if g.get("k", "c") != "c" || g.builds != 2 {
		t.Fatal("a new version must rebuild")
	}
	// A request that read an older version is served the newer value,
	// and a value it builds is not kept over the newer one.
	got, _ := g.c.GetAt(0, "k", func() (string, error) { return "old", nil })
	if got != "c" {
		t.Fatalf("older reader got %q, want the newer value", got)
	}
	got, _ = g.c.GetAt(0, "x", func() (string, error) { return "old", nil })
	if got != "old" {
		t.Fatalf("older reader's own build: %q", got)
	}
	if n, _ := g.c.Len(); n != 1 {
		t.Fatalf("a value built at an older version was kept: %d entries", n)
	}
}

func TestBuildErrorNotKept(t *testing.T) {
	c := memo.New[int](&clock{}, memo.Limits{}, nil)
	_, err := c.Get(context.Background(), "k", func() (int, error) { return 0, fmt.Errorf("boom") })
	if err == nil {
		t.Fatal("error lost")
	}
	if n, _ := c.Len(); n != 0 {
		t.Fatal("a failed build was kept")
	}
}

func TestOff(t *testing.T) {
	g := &getter{t: t, c: memo.New[string](&clock{}, memo.Limits{Off: true}, nil)}
	g.get("k", "a")
	g.get("k", "a")
	if g.builds != 2 || !g.c.Off() {
		t.Fatalf("an off cache must build every time: %d builds", g.builds)
	}
}

func TestEntryBound(t *testing.T) {
	g := &getter{t: t, c: memo.New[string](&clock{}, memo.Limits{Entries: 3}, nil)}
	for _, k := range []string{"a", "b", "c"} {
		g.get(k, k)
	}
	g.get("a", "a") // a is now the most recently used; b the least
	g.get("d", "d")
	if n, _ := g.c.Len(); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	before := g.builds
	g.get("a", "a")
	g.get("c", "c")
	g.get("d", "d")
	if g.builds != before {
		t.Fatal("a recently used entry was evicted")
	}
	g.get("b", "b")
	if g.builds != before+1 {
		t.Fatal("the least recently used entry was kept")
	}
}

func TestByteBound(t *testing.T) {
	g := &getter{t: t, c: memo.New[string](&clock{}, memo.Limits{Bytes: 100}, func(s string) int { return len(s) })}
	g.get("a", strings.Repeat("a", 40))
	g.get("b", strings.Repeat("b", 40))
	g.get("c", strings.Repeat("c", 40)) // 120 bytes: a goes
	if n, b := g.c.Len(); n != 2 || b != 80 {
		t.Fatalf("%d entries, %d bytes; want 2, 80", n, b)
	}
	g.get("big", strings.Repeat("x", 101)) // larger than the bound: served, not kept
	if n, b := g.c.Len(); n != 2 || b != 80 {
		t.Fatalf("an oversized value was kept: %d entries, %d bytes", n, b)
	}
}

// TestConcurrent is meant for go test -race: readers, builders and
// version moves at once, with the bounds holding throughout.
func TestConcurrent(t *testing.T) {
	src := &clock{}
	c := memo.New[[]int](src, memo.Limits{Entries: 16, Bytes: 400}, func(v []int) int { return 8 * len(v) })
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				if w == 0 && i%100 == 0 {
					src.v.Add(1)
				}
				key := fmt.Sprint(i % 40)
				v, err := c.Get(context.Background(), key, func() ([]int, error) { return []int{i % 40, i % 7}, nil })
				if err != nil || len(v) != 2 || fmt.Sprint(v[0]) != key {
					t.Errorf("key %s: %v %v", key, v, err)
					return
				}
				if n, b := c.Len(); n > 16 || b > 400 {
					t.Errorf("bounds broken: %d entries, %d bytes", n, b)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestBumpAcrossServers bumps a module's version in a write transaction on
// one connection pool and reads it from another, as a second app server
// would.
func TestBumpAcrossServers(t *testing.T) {
	ctx := context.Background()
	d, dsn := dbtest.OpenDSN(t)
	other, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	src := memo.Module{DB: other, Name: "plan"}
	g := &getter{t: t, c: memo.New[string](src, memo.Limits{}, nil)}
	g.get("k", "a")
	// A rolled-back write leaves the version where it was.
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if err := memo.Bump(ctx, tx, "plan"); err != nil {
			return err
		}
		return fmt.Errorf("roll back")
	})
	if err == nil || g.get("k", "b") != "a" {
		t.Fatal("a rolled-back bump moved the version")
	}
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, "plan") }); err != nil {
		t.Fatal(err)
	}
	if got := g.get("k", "c"); got != "c" {
		t.Fatalf("the other server still serves %q after a committed bump", got)
	}
	// Another module's write does not touch this one's values.
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, "kpi") }); err != nil {
		t.Fatal(err)
	}
	if got := g.get("k", "d"); got != "c" {
		t.Fatalf("another module's bump invalidated plan: %q", got)
	}
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, "nosuch") }); err == nil {
		t.Fatal("bumping an unknown module must fail")
	}
}

// VersionSum moves when any of its modules is bumped and by nothing else,
// and refuses a module that keeps no version rather than summing less.
func TestVersionSum(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	sum := func(modules ...string) int64 {
		t.Helper()
		v, err := memo.VersionSum(ctx, d, modules...)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	bump := func(module string) {
		t.Helper()
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, module) }); err != nil {
			t.Fatal(err)
		}
	}
	one := func(module string) int64 {
		t.Helper()
		v, err := memo.Module{DB: d, Name: module}.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	start := sum("plan", "kpi")
	if start != one("plan")+one("kpi") {
		t.Fatalf("sum %d is not plan's plus kpi's", start)
	}
	bump("kpi")
	if got := sum("plan", "kpi"); got != start+1 {
		t.Fatalf("after kpi's bump: %d, want %d", got, start+1)
	}
	bump("award")
	if got := sum("plan", "kpi"); got != start+1 {
		t.Fatalf("another module's bump moved the sum: %d", got)
	}
	if _, err := memo.VersionSum(ctx, d, "plan", "nosuch"); err == nil {
		t.Fatal("a module without a version must be refused")
	}
}
