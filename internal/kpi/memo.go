package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Derived views (the dashboard, its rendered forms) are memoised per data
// version. Every write to the kpi tables bumps kpi_state.version in its own
// transaction and clears this server's memo at once, so a user sees their
// own change on the next page. Another app server's write is noticed when
// the memo next reads the version, at most Service.MemoTTL later.

// DefaultMemoTTL is how long a memo trusts its version without reading it
// again.
const DefaultMemoTTL = 250 * time.Millisecond

// maxMemo bounds the memo; when full it starts again empty.
const maxMemo = 512

type memo struct {
	mu        sync.Mutex
	version   int64
	checkedAt time.Time
	items     map[string]any
}

// Memo returns the value stored under key for the current data version,
// building it with build when missing. Values are shared between callers and
// must be treated as read-only.
func (s *Service) Memo(ctx context.Context, key string, build func() (any, error)) (any, error) {
	m := &s.memo
	m.mu.Lock()
	stale := time.Since(m.checkedAt) >= s.MemoTTL
	m.mu.Unlock()
	if stale {
		var v int64
		if err := s.DB.R.QueryRowContext(ctx, "SELECT version FROM kpi_state WHERE id = 1").Scan(&v); err != nil {
			return nil, fmt.Errorf("kpi: read version: %w", err)
		}
		m.mu.Lock()
		if v != m.version || m.items == nil {
			m.version, m.items = v, map[string]any{}
		}
		m.checkedAt = time.Now()
		m.mu.Unlock()
	}
	m.mu.Lock()
	val, ok := m.items[key]
	version := m.version
	m.mu.Unlock()
	if ok {
		return val, nil
	}
	val, err := build()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.version == version && m.items != nil {
		if len(m.items) >= maxMemo {
			m.items = map[string]any{}
		}
		m.items[key] = val
	}
	m.mu.Unlock()
	return val, nil
}

// invalidate forgets every memoised view of this server.
func (s *Service) invalidate() {
	s.memo.mu.Lock()
	s.memo.items, s.memo.checkedAt = nil, time.Time{}
	s.memo.mu.Unlock()
}

// tx runs fn in a write transaction that also bumps the data version, and
// clears the memo after it (committed or not).
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.invalidate()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE kpi_state SET version = version + 1 WHERE id = 1"); err != nil {
			return fmt.Errorf("kpi: bump version: %w", err)
		}
		return nil
	})
}
