package plan

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"gaoxin/internal/errs"
)

// Derived views of a plan year (the rolled-up tree, its JSON, rendered
// fragments) are memoised in process, stamped with the year's revision
// (plan_years.rev, bumped in the same transaction as every change to the
// year) and its "today". Each read checks the stamp with one small query, so
// several app servers never serve a stale view: the database stays the only
// state they share.

type memo struct {
	mu      sync.Mutex
	entries map[string]memoEntry
	bytes   int       // estimated size of all entries
	stmt    *sql.Stmt // the stamp query, prepared once (SQLite parses it only once per connection)
}

type memoEntry struct {
	stamp string
	val   any
	size  int
}

// The memo is bounded by entries and estimated bytes; past either it starts
// afresh.
const (
	maxMemo      = 2000
	maxMemoBytes = 64 << 20
)

// Sizer is implemented by memoised values that know their size in bytes.
type Sizer interface{ MemoSize() int }

func sizeOf(v any) int {
	switch x := v.(type) {
	case Sizer:
		return x.MemoSize()
	case *Tree:
		return 1024 * (len(x.Index) + 1)
	case string:
		return len(x)
	case []byte:
		return len(x)
	case fmt.Stringer:
		return len(x.String())
	}
	return 1024
}

// bumpRev marks a change to a year's plan.
func bumpRev(ctx context.Context, q queryer, year int) error {
	_, err := q.ExecContext(ctx, "UPDATE plan_years SET rev = rev + 1 WHERE year = $1", year)
	return errs.Wrap(err, "plan: bump revision")
}

// stamp is the year's current revision and today, as a memo stamp.
func (s *Service) stamp(ctx context.Context, year int) (string, error) {
	var rev, years int64
	var asOf string
	const q = "SELECT rev, as_of, (SELECT COUNT(*) FROM plan_years) FROM plan_years WHERE year = $1"
	var row *sql.Row
	if stmt := s.stampStmt(ctx, q); stmt != nil {
		row = stmt.QueryRowContext(ctx, year)
	} else {
		row = s.DB.R.QueryRowContext(ctx, q, year)
	}
	err := row.Scan(&rev, &asOf, &years)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", errs.Wrap(err, "plan: stamp %d", year)
	}
	if asOf == "" {
		asOf = s.realToday().Format(dateLayout)
	}
	return fmt.Sprintf("%d/%s/%d", rev, asOf, years), nil
}

// Memo returns the value memoised under key for the year's current
// revision, building (and storing) it when missing or stale. Values must be
// treated as read-only by every caller.
func (s *Service) Memo(ctx context.Context, year int, key string, build func() (any, error)) (any, error) {
	st, err := s.stamp(ctx, year)
	if err != nil {
		return nil, err
	}
	return s.memoWith(st, fmt.Sprintf("%d:%s", year, key), build)
}

func (s *Service) memoWith(stamp, key string, build func() (any, error)) (any, error) {
	if s.memo == nil || stamp == "" {
		return build()
	}
	s.memo.mu.Lock()
	e, ok := s.memo.entries[key]
	s.memo.mu.Unlock()
	if ok && e.stamp == stamp {
		return e.val, nil
	}
	v, err := build()
	if err != nil {
		return nil, err
	}
	size := sizeOf(v)
	s.memo.mu.Lock()
	if old, ok := s.memo.entries[key]; ok {
		s.memo.bytes -= old.size
	}
	if len(s.memo.entries) >= maxMemo || s.memo.bytes+size > maxMemoBytes {
		s.memo.entries, s.memo.bytes = map[string]memoEntry{}, 0
	}
	s.memo.entries[key] = memoEntry{stamp: stamp, val: v, size: size}
	s.memo.bytes += size
	s.memo.mu.Unlock()
	return v, nil
}

// stampStmt returns the prepared stamp query, or nil when it cannot be
// prepared (the caller then runs it unprepared).
func (s *Service) stampStmt(ctx context.Context, q string) *sql.Stmt {
	if s.memo == nil {
		return nil
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.stmt == nil {
		stmt, err := s.DB.R.PrepareContext(ctx, q)
		if err != nil {
			return nil
		}
		s.memo.stmt = stmt
	}
	return s.memo.stmt
}
