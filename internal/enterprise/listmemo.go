package enterprise

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"gaoxin/internal/db"
)

// List pages are memoised per registry version. Every write that matters
// is audited in its own transaction, so the newest audit_log id is a data
// version that moves with every change to the registry (and, more often
// than needed, with every other module's audited write). A request reads
// it (one lookup at the end of the primary key) and serves a page built
// under the same version from memory; any newer version empties the memo.
// A page built after the version was read shows data at least that new,
// never older.

const (
	maxMemoItems = 20000 // enterprises held across all memoised pages
	maxMemoLimit = 200   // larger pages (exports) are not memoised
)

type listMemo struct {
	mu      sync.Mutex
	version int64
	items   int
	vals    map[string]any
}

// memoKey identifies what a page shows: the viewer's scope, the filter
// and the day (certificates are current by date).
func memoKey(v Viewer, f Filter) string {
	bound := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("list|%s|%q|%q|%q|%q|%q|%q|%q|%q|%d|%s|%s|%d|%d|%s", scopeKey(v), f.Name, f.CreditCode, f.Area, f.Chain, f.Tier,
		f.Status, f.Industry, f.Indicator, f.Year, bound(f.Min), bound(f.Max), f.After, f.Limit, Today())
}

// scopeKey names the enterprises v may read.
func scopeKey(v Viewer) string {
	switch {
	case v.ReadsAll():
		return "all"
	case v.EnterpriseID != 0:
		return fmt.Sprintf("ent%d", v.EnterpriseID)
	}
	return fmt.Sprintf("unit%d", v.UnitID)
}

// memoList returns the page for v and f at the current data version,
// building it when missing. Pages are shared between callers: read-only.
func (s *Service) memoList(ctx context.Context, v Viewer, f Filter, build func() (Page, error)) (Page, error) {
	if f.Limit > maxMemoLimit || s.NoListMemo {
		return build()
	}
	val, err := s.memoize(ctx, memoKey(v, f), func() (any, int, error) {
		p, err := build()
		return p, len(p.Items), err
	})
	if err != nil {
		return Page{}, err
	}
	return val.(Page), nil
}

// memoize returns the value stored under key at the current data version,
// building it (with its size in enterprises or rows) when missing.
func (s *Service) memoize(ctx context.Context, key string, build func() (any, int, error)) (any, error) {
	var version int64
	// Kept prepared: every memoised read (each list, each detail's
	// indicators) asks it first.
	if err := (db.Reader{D: s.DB}).QueryRowContext(ctx, "SELECT "+dataVersionSQL).Scan(&version); err != nil {
		return nil, fmt.Errorf("enterprise: data version: %w", err)
	}
	return s.memoizeAt(version, key, build)
}

// dataVersionSQL is the data version, as a select expression.
const dataVersionSQL = "COALESCE(MAX(id), 0) FROM audit_log"

// memoizeAt is memoize at a data version read by the caller (in a query
// of its own: the detail reads it with the enterprise).
func (s *Service) memoizeAt(version int64, key string, build func() (any, int, error)) (any, error) {
	m := &s.memo
	m.mu.Lock()
	if m.version != version {
		m.version, m.items, m.vals = version, 0, nil
	}
	val, ok := m.vals[key]
	m.mu.Unlock()
	if ok {
		return val, nil
	}
	val, n, err := build()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.version == version {
		if m.vals == nil || m.items+n > maxMemoItems {
			m.vals, m.items = map[string]any{}, 0
		}
		m.vals[key] = val
		m.items += n
	}
	m.mu.Unlock()
	return val, nil
}

// Indicators returns the figure indicators in display order, memoised per
// data version; the slice is shared: read-only.
func (s *Service) Indicators(ctx context.Context) ([]Indicator, error) {
	v, err := s.memoize(ctx, "indicators", s.buildIndicators(ctx))
	if err != nil {
		return nil, err
	}
	return v.([]Indicator), nil
}

// indicatorsAt is Indicators at a data version the caller has read.
func (s *Service) indicatorsAt(ctx context.Context, version int64) ([]Indicator, error) {
	v, err := s.memoizeAt(version, "indicators", s.buildIndicators(ctx))
	if err != nil {
		return nil, err
	}
	return v.([]Indicator), nil
}

func (s *Service) buildIndicators(ctx context.Context) func() (any, int, error) {
	return func() (any, int, error) {
		l, err := s.indicators(ctx)
		return slices.Clip(l), len(l), err
	}
}

// ChainTree returns the chain nodes depth first, memoised per data
// version; the slice is shared: read-only.
func (s *Service) ChainTree(ctx context.Context) ([]ChainNode, error) {
	v, err := s.memoize(ctx, "chains", func() (any, int, error) {
		l, err := s.chainTree(ctx)
		return slices.Clip(l), len(l), err
	})
	if err != nil {
		return nil, err
	}
	return v.([]ChainNode), nil
}

// Expiring lists current certificates that end within 90 days, soonest
// first, of the enterprises v may read, memoised per data version and day;
// the slice is shared: read-only. Errors: Forbidden.
func (s *Service) Expiring(ctx context.Context, v Viewer, limit int) ([]Tier, error) {
	if !v.Reads() {
		return nil, errNoAccess
	}
	val, err := s.memoize(ctx, fmt.Sprintf("expiring|%s|%d|%s", scopeKey(v), limit, Today()), func() (any, int, error) {
		l, err := s.expiring(ctx, v, limit)
		return slices.Clip(l), len(l), err
	})
	if err != nil {
		return nil, err
	}
	return val.([]Tier), nil
}
