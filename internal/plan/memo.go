package plan

import (
	"context"
	"database/sql"
	"fmt"

	"gaoxin/internal/memo"
)

// Module is the plan module's name in module_versions.
const Module = "plan"

// Options tune the service at construction.
type Options struct {
	// Cache bounds the memo of rolled-up trees (internal/memo); Cache.Off
	// turns it off, as the cold-path benchmarks do.
	Cache memo.Limits
}

// newTrees is the memo of whole-plan trees, one per year and day, fresh by
// the module version. A unit's view is pruned from the whole tree per
// request (cheap), so the memo holds no viewer's data.
func newTrees(src memo.Module, o Options) *memo.Cache[*Tree] {
	return memo.New(src, o.Cache, func(t *Tree) int { return 1024 * (len(t.Index) + 1) })
}

// treeKey names a year's tree as of today: a plan without a review date
// reads its flags' "today" from the clock.
func (s *Service) treeKey(year int) string {
	return fmt.Sprintf("tree|%d|%s", year, s.realToday().Format(dateLayout))
}

// tx runs fn in a write transaction that bumps the module version last,
// so every app server's memo sees the change at its next read.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}
