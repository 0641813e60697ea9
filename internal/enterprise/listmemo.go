package enterprise

import (
	"context"
	"fmt"
	"sync"
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
	pages   map[string]Page
}

// memoKey identifies what a page shows: the viewer's scope, the filter
// and the day (certificates are current by date).
func memoKey(v Viewer, f Filter) string {
	scope := "all"
	switch {
	case v.ReadsAll():
	case v.EnterpriseID != 0:
		scope = fmt.Sprintf("ent%d", v.EnterpriseID)
	default:
		scope = fmt.Sprintf("unit%d", v.UnitID)
	}
	bound := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%s|%q|%q|%q|%q|%q|%q|%q|%q|%d|%s|%s|%d|%d|%s", scope, f.Name, f.CreditCode, f.Area, f.Chain, f.Tier,
		f.Status, f.Industry, f.Indicator, f.Year, bound(f.Min), bound(f.Max), f.After, f.Limit, Today())
}

// memoList returns the page for key at the current data version, building
// it when missing. Pages are shared between callers: read-only.
func (s *Service) memoList(ctx context.Context, v Viewer, f Filter, build func() (Page, error)) (Page, error) {
	if s.NoListMemo || f.Limit > maxMemoLimit {
		return build()
	}
	var version int64
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&version); err != nil {
		return Page{}, fmt.Errorf("enterprise: data version: %w", err)
	}
	key := memoKey(v, f)
	m := &s.memo
	m.mu.Lock()
	if m.version != version {
		m.version, m.items, m.pages = version, 0, nil
	}
	p, ok := m.pages[key]
	m.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := build()
	if err != nil {
		return p, err
	}
	m.mu.Lock()
	if m.version == version {
		if m.pages == nil || m.items+len(p.Items) > maxMemoItems {
			m.pages, m.items = map[string]Page{}, 0
		}
		m.pages[key] = p
		m.items += len(p.Items)
	}
	m.mu.Unlock()
	return p, nil
}
