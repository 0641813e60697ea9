package audit

import (
	"context"
	"fmt"

	"gaoxin/internal/db"
)

// Refusal counts are how refused requests (401, 403, 429) are kept: one row
// per source address, minute and code with a count, not one chained row per
// request. A flood of refused requests then costs one small upsert each
// and a bounded number of rows, and never holds the audit chain's lock
// that real writes wait on. Successful and failed logins, and every write,
// stay in the chained trail row by row.

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
// forbidden, rate_limited) from source, naming the request's path.
func (l *Log) CountRefusal(ctx context.Context, source, code, path string) error {
	minute := db.Now() / 60_000 * 60_000
	if len(path) > 200 {
		path = path[:200]
	}
	_, err := l.db.W.ExecContext(ctx, `INSERT INTO audit_refusals (minute, source, code, count, last_path) VALUES ($1,$2,$3,1,$4)
		ON CONFLICT (minute, source, code) DO UPDATE SET count = audit_refusals.count + 1, last_path = excluded.last_path`,
		minute, source, code, path)
	if err != nil {
		return fmt.Errorf("audit: count refusal: %w", err)
	}
	return nil
}

// Refusals returns the refusal counts since since (Unix milliseconds),
// newest minute first, at most limit (1–1000, default 200).
func (l *Log) Refusals(ctx context.Context, since int64, limit int) ([]RefusalCount, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := l.db.R.QueryContext(ctx, `SELECT minute, source, code, count, last_path FROM audit_refusals
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
