package audit

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Refusal counts are how refused requests (401, 403, 429) are kept: one row
// per source address, minute and code with a count, not one chained row per
// request. A flood of refused requests then costs one small upsert each
// and a bounded number of rows, and never holds the audit chain's lock
// that real writes wait on. Successful and failed logins, and every write,
// stay in the chained trail row by row.
//
// Counts gather in memory and are written at most every refusalFlush, one
// upsert per source, code and minute seen since the last write, so a flood
// costs the database a few writes a second whatever its size. Reading the
// counts writes the pending ones first; at most refusalFlush of counts is
// lost if a server stops without FlushRefusals.

// refusalFlush is how often gathered refusal counts are written.
const refusalFlush = 2 * time.Second

type refusalKey struct {
	minute       int64
	source, code string
}

type refusalVal struct {
	count    int64
	lastPath string
}

// refusals gathers counts between writes.
type refusals struct {
	mu      sync.Mutex
	pending map[refusalKey]refusalVal
	written time.Time
}

// RefusalCount is the number of refusals of one code from one source in
// one minute.
type RefusalCount struct {
	Minute   int64  `json:"minute"` // Unix milliseconds at the start of the minute
	Source   string `json:"source"`
	Code     string `json:"code"`
	Count    int64  `json:"count"`
	LastPath string `json:"last_path"`
}

// CountRefusal adds one refusal of code (an error code: unauthorized,
// forbidden, rate_limited) from source, naming the request's path; the
// count reaches the database within refusalFlush.
func (l *Log) CountRefusal(ctx context.Context, source, code, path string) error {
	if len(path) > 200 {
		path = path[:200]
	}
	k := refusalKey{minute: stamp(ctx) / 60_000 * 60_000, source: source, code: code}
	b := &l.refusals
	b.mu.Lock()
	if b.pending == nil {
		b.pending = map[refusalKey]refusalVal{}
	}
	v := b.pending[k]
	b.pending[k] = refusalVal{count: v.count + 1, lastPath: path}
	due := time.Since(b.written) >= refusalFlush
	b.mu.Unlock()
	if !due {
		return nil
	}
	return l.FlushRefusals(ctx)
}

// FlushRefusals writes the gathered refusal counts now.
func (l *Log) FlushRefusals(ctx context.Context) error {
	b := &l.refusals
	b.mu.Lock()
	batch := b.pending
	b.pending, b.written = nil, time.Now()
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := l.db.Tx(ctx, func(tx *sql.Tx) error {
		for k, v := range batch {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_refusals (minute, source, code, count, last_path) VALUES ($1,$2,$3,$4,$5)
				ON CONFLICT (minute, source, code) DO UPDATE SET count = audit_refusals.count + excluded.count, last_path = excluded.last_path`,
				k.minute, k.source, k.code, v.count, v.lastPath); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit: count refusals: %w", err)
	}
	return nil
}

// Refusals returns the refusal counts since since (Unix milliseconds),
// newest minute first, at most limit (1–1000, default 200).
func (l *Log) Refusals(ctx context.Context, since int64, limit int) ([]RefusalCount, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	if err := l.FlushRefusals(ctx); err != nil {
		return nil, err
	}
	rows, err := l.db.Read(ctx).QueryContext(ctx, `SELECT minute, source, code, count, last_path FROM audit_refusals
		WHERE minute >= $1 ORDER BY minute DESC, count DESC, source, code LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: refusals: %w", err)
	}
	defer rows.Close()
	var out []RefusalCount
	for rows.Next() {
		var c RefusalCount
		if err := rows.Scan(&c.Minute, &c.Source, &c.Code, &c.Count, &c.LastPath); err != nil {
			return nil, fmt.Errorf("audit: refusals: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
