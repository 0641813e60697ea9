package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"gaoxin/internal/db"
	"gaoxin/internal/memo"
)

// The registry's derived data is memoised per module version (see
// internal/memo): list pages, the indicators, the chain tree, the
// certificates about to expire, and the bounded counts the list uses to
// choose a query shape. Every write of the registry bumps the version in
// its transaction, so every server sees it at its next read. Values are
// shared between callers: read-only.
//
// The name index (search.go) is not among them: it is an index kept up to
// date row by row (names stamped with a names version), so that a figure
// import does not make every server reload 100,000 names. Its version is
// bumped in the same transactions as the names it covers and read before
// each search: the same rule, at a finer grain.

// Module is the registry's name in module_versions.
const Module = "enterprise"

// maxMemoLimit: larger pages (exports) are not memoised.
const maxMemoLimit = 200

// Options tune the registry at construction.
type Options struct {
	// Lists bounds the memo of list pages; Lists.Off runs every list's
	// queries, as a filter nobody asked for since the last write does
	// (benchmarks of the cold path).
	Lists memo.Limits
	// Cache bounds the other memos (indicators, chain tree, expiring
	// certificates, the list's plan counts); Cache.Off turns them off.
	Cache memo.Limits
	// DenseRows: on SQLite, a list filter matching at least this many rows
	// is evaluated per enterprise instead of as a set (default 2,000).
	DenseRows int
	// NameWindow is the most ids a name filter passes to the list query
	// as a literal set (default defaultNameWindow; tests lower it).
	NameWindow int
}

// caches are the registry's memos, all fresh by the module version.
type caches struct {
	pages      *memo.Cache[Page]
	indicators *memo.Cache[[]Indicator]
	chains     *memo.Cache[[]ChainNode]
	expiring   *memo.Cache[[]Tier]
	counts     *memo.Cache[int]
}

// entBytes estimates an enterprise's size in memory.
const entBytes = 600

func newCaches(d *db.DB, o Options) caches {
	src := memo.Module{DB: d, Name: Module}
	lists := o.Lists
	if lists.Bytes == 0 {
		lists.Bytes = 20000 * entBytes // about 20,000 enterprises across all pages
	}
	return caches{
		pages:      memo.New(src, lists, func(p Page) int { return 64 + entBytes*len(p.Items) }),
		indicators: memo.New(src, o.Cache, func(l []Indicator) int { return 256 * len(l) }),
		chains:     memo.New(src, o.Cache, func(l []ChainNode) int { return 256 * len(l) }),
		expiring:   memo.New(src, o.Cache, func(l []Tier) int { return 256 * len(l) }),
		counts:     memo.New[int](src, memo.Limits{Entries: 4096, Off: o.Cache.Off}, nil),
	}
}

// tx runs fn in a write transaction that bumps the module version last.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}

// memoKey identifies what a page shows: the viewer's scope, the filter
// and the day (certificates are current by date).
func memoKey(v Viewer, f Filter, today string) string {
	bound := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("list|%s|%q|%q|%q|%q|%q|%q|%q|%q|%d|%s|%s|%q|%d|%d|%d|%s", scopeKey(v), f.Name, f.CreditCode, f.Area, f.Chain, f.Tier,
		f.Status, f.Industry, f.Indicator, f.Year, bound(f.Min), bound(f.Max), f.Class, f.ClassYear, f.After, f.Limit, today)
}

// scopeKey names the enterprises v may read.
func scopeKey(v Viewer) string {
	switch {
	case v.Staff():
		return "all"
	case v.ReadsAll():
		return "zone" // the same enterprises as staff; kept apart in case a page shows staff more

	case v.EnterpriseID != 0:
		return fmt.Sprintf("ent%d", v.EnterpriseID)
	}
	return fmt.Sprintf("unit%d", v.UnitID)
}

// memoList returns the page for v and f at the current module version,
// building it when missing.
func (s *Service) memoList(ctx context.Context, v Viewer, f Filter, build func() (Page, error)) (Page, error) {
	if f.Limit > maxMemoLimit {
		return build()
	}
	return s.memo.pages.Get(ctx, memoKey(v, f, s.Today()), build)
}

// Indicators returns the figure indicators in display order, memoised per
// module version; the slice is shared: read-only.
func (s *Service) Indicators(ctx context.Context) ([]Indicator, error) {
	return s.memo.indicators.Get(ctx, "indicators", s.buildIndicators(ctx))
}

func (s *Service) buildIndicators(ctx context.Context) func() ([]Indicator, error) {
	return func() ([]Indicator, error) {
		l, err := s.indicators(ctx)
		return slices.Clip(l), err
	}
}

// ChainTree returns the chain nodes depth first, memoised per module
// version; the slice is shared: read-only.
func (s *Service) ChainTree(ctx context.Context) ([]ChainNode, error) {
	return s.memo.chains.Get(ctx, "chains", func() ([]ChainNode, error) {
		l, err := s.chainTree(ctx)
		return slices.Clip(l), err
	})
}

// Expiring lists current certificates that end within 90 days, soonest
// first, of the enterprises v may read, memoised per module version and
// day; the slice is shared: read-only. Errors: Forbidden.
func (s *Service) Expiring(ctx context.Context, v Viewer, limit int) ([]Tier, error) {
	if !v.Reads() {
		return nil, errNoAccess
	}
	return s.memo.expiring.Get(ctx, fmt.Sprintf("expiring|%s|%d|%s", scopeKey(v), limit, s.Today()), func() ([]Tier, error) {
		l, err := s.expiring(ctx, v, limit)
		return slices.Clip(l), err
	})
}
