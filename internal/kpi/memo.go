package kpi

import (
	"context"
	"database/sql"

	"gaoxin/internal/memo"
)

// Module is the kpi module's name in module_versions.
const Module = "kpi"

// Options tune the service at construction.
type Options struct {
	// Cache bounds the memo of dashboards and years (internal/memo);
	// Cache.Off turns it off, as the cold-path benchmarks do.
	Cache memo.Limits
}

// caches are the service's memoised views, fresh by the module version.
type caches struct {
	dashboards *memo.Cache[Dashboard]
	years      *memo.Cache[[]int]
}

func newCaches(s *Service, o Options) caches {
	src := memo.Module{DB: s.DB, Name: Module}
	return caches{
		// A dashboard holds computed figures too: it is fresh by the
		// sources' versions as well as the module's.
		dashboards: memo.New[Dashboard](versions{s: s, own: src}, o.Cache, func(d Dashboard) int { return 512 + 2048*len(d.Cards) }),
		years:      memo.New(src, o.Cache, func(ys []int) int { return 8 * len(ys) }),
	}
}

// tx runs fn in a write transaction that also bumps the module version, so
// every app server's memo sees the change at its next read.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}
