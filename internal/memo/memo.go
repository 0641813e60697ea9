// Package memo is gaoxin's one cache of domain data, with one freshness
// rule for every module.
//
// Each module keeps a version number (table module_versions). Every write
// transaction of the module calls Bump before it commits, so the new
// version becomes visible together with the data it describes. A reader
// reads the module's current version (one primary-key lookup, kept
// prepared) and is served a value built at that version or a newer one;
// an older value is never served. Because the version lives in the shared
// database, every app server sees another's write at its next request: no
// TTL, no guess.
//
// A Cache holds domain data (a dashboard, a plan tree, a list page), never
// rendered bytes and never one user's bytes: a key may name a viewer's
// scope ("all", "unit 7") but not the viewer. Values are shared between
// callers and must be treated as read-only. Values that depend on the date
// (certificates valid today, pace) carry the date in their key.
package memo

import (
	"container/list"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"gaoxin/internal/db"
)

// Execer is a transaction (or anything else that executes a statement).
type Execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// Bump moves module's version on by one inside tx. Call it in every write
// transaction of the module, after its other statements (and its audit
// entry): on PostgreSQL the version row stays locked until the
// transaction ends, so taking it last keeps that short. Errors: database
// errors, or an unknown module (no row in module_versions).
func Bump(ctx context.Context, tx Execer, module string) error {
	res, err := tx.ExecContext(ctx, "UPDATE module_versions SET version = version + 1 WHERE module = $1", module)
	if err != nil {
		return fmt.Errorf("memo: bump %s: %w", module, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return fmt.Errorf("memo: bump %s: no such module in module_versions", module)
	}
	return nil
}

// Source gives a module's current version.
type Source interface {
	Version(ctx context.Context) (int64, error)
}

// Module reads a module's version from the database.
type Module struct {
	DB   *db.DB
	Name string
}

// Version reads the module's current version. Errors: database errors.
func (m Module) Version(ctx context.Context) (int64, error) {
	var v int64
	err := db.Reader{D: m.DB}.QueryRowContext(ctx, "SELECT version FROM module_versions WHERE module = $1", m.Name).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("memo: version of %s: %w", m.Name, err)
	}
	return v, nil
}

// VersionSum reads the versions of several modules in one statement and
// adds them up: a number that moves whenever any of them does (versions
// only grow), for a view over several modules' data. Errors: database
// errors, or a module without a version.
func VersionSum(ctx context.Context, d *db.DB, modules ...string) (int64, error) {
	ph := make([]string, len(modules))
	args := make([]any, len(modules))
	for i, m := range modules {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), m
	}
	var sum, n int64
	err := db.Reader{D: d}.QueryRowContext(ctx, "SELECT COALESCE(SUM(version), 0), COUNT(*) FROM module_versions WHERE module IN ("+strings.Join(ph, ", ")+")",
		args...).Scan(&sum, &n)
	if err != nil {
		return 0, fmt.Errorf("memo: versions of %v: %w", modules, err)
	}
	if n != int64(len(modules)) {
		return 0, fmt.Errorf("memo: versions of %v: %d of them kept", modules, n)
	}
	return sum, nil
}

// Limits bound a cache. Zero Entries or Bytes take the defaults.
type Limits struct {
	Entries int  // most values kept (default 1,000)
	Bytes   int  // most estimated bytes kept (default 64 MiB)
	Off     bool // keep nothing: every Get builds (benchmarks of the cold path)
}

const (
	defaultEntries = 1000
	defaultBytes   = 64 << 20
)

// Cache keeps values of one type built at a module's version, bounded by
// entries and estimated bytes; past either bound the least recently used
// values go. It is safe for concurrent use.
type Cache[V any] struct {
	src   Source
	size  func(V) int
	lim   Limits
	mu    sync.Mutex
	ver   int64                    // version of every value held
	items map[string]*list.Element // of *entry[V]
	order list.List                // most recently used first
	bytes int
}

type entry[V any] struct {
	key  string
	val  V
	size int
}

// New returns a cache over src's versions. size estimates a value's bytes
// (nil counts each value as one byte, so only Entries bounds the cache).
func New[V any](src Source, lim Limits, size func(V) int) *Cache[V] {
	if lim.Entries <= 0 {
		lim.Entries = defaultEntries
	}
	if lim.Bytes <= 0 {
		lim.Bytes = defaultBytes
	}
	return &Cache[V]{src: src, size: size, lim: lim, items: map[string]*list.Element{}}
}

// Off reports whether the cache keeps nothing.
func (c *Cache[V]) Off() bool { return c.lim.Off }

// Get returns the value under key at the module's current version,
// building it with build when the cache holds none that new. Errors: the
// version read's, or build's.
func (c *Cache[V]) Get(ctx context.Context, key string, build func() (V, error)) (V, error) {
	if c.lim.Off {
		return build()
	}
	v, err := c.src.Version(ctx)
	if err != nil {
		var zero V
		return zero, err
	}
	return c.GetAt(v, key, build)
}

// GetAt is Get at a version the caller has read itself (in a query that
// also read the data it serves). build must read data at least as new as
// version.
func (c *Cache[V]) GetAt(version int64, key string, build func() (V, error)) (V, error) {
	if c.lim.Off {
		return build()
	}
	if val, ok := c.lookup(version, key); ok {
		return val, nil
	}
	val, err := build()
	if err != nil {
		return val, err
	}
	c.store(version, key, val)
	return val, nil
}

// lookup returns the value under key if it was built at version or later.
// A newer version empties the cache: every value is of an older one.
func (c *Cache[V]) lookup(version int64, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.ver {
		c.reset(version)
	}
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[V]).val, true
}

// store keeps val (built at version) unless the cache has moved past
// version meanwhile or val alone exceeds the byte bound.
func (c *Cache[V]) store(version int64, key string, val V) {
	n := 1
	if c.size != nil {
		n = max(c.size(val), 1)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.ver {
		c.reset(version)
	}
	if version < c.ver || n > c.lim.Bytes {
		return
	}
	if el, ok := c.items[key]; ok { // built meanwhile by another caller
		c.remove(el)
	}
	c.items[key] = c.order.PushFront(&entry[V]{key: key, val: val, size: n})
	c.bytes += n
	for len(c.items) > c.lim.Entries || c.bytes > c.lim.Bytes {
		c.remove(c.order.Back())
	}
}

func (c *Cache[V]) remove(el *list.Element) {
	e := c.order.Remove(el).(*entry[V])
	delete(c.items, e.key)
	c.bytes -= e.size
}

func (c *Cache[V]) reset(version int64) {
	c.ver, c.bytes = version, 0
	clear(c.items)
	c.order.Init()
}

// Len returns how many values the cache holds and their estimated bytes.
func (c *Cache[V]) Len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.bytes
}
