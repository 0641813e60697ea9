package db

import (
	"context"
	"fmt"
)

// ClaimJob records that the job name has run for period (for example
// "plan.flags" and "2023-05-14"). It returns true for exactly one caller per
// (name, period), whichever app server asks first, so scheduled work happens
// once however many instances run.
func (d *DB) ClaimJob(ctx context.Context, name, period, by string) (bool, error) {
	res, err := d.W.ExecContext(ctx,
		"INSERT INTO job_runs (name, period, claimed_by, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name, period) DO NOTHING",
		name, period, by, Now())
	if err != nil {
		return false, fmt.Errorf("db: claim job %s/%s: %w", name, period, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Optimize keeps the query planner's statistics current. SQLite gathers
// none by itself: without them a rare keyword or a narrow filter may be
// planned as a scan. It runs SQLite's own PRAGMA optimize over every
// table, bounded by analysis_limit so that it reads a sample of each index
// and takes milliseconds even on a large file. PostgreSQL's autovacuum
// already analyses changed tables, so there it does nothing. Serve runs it
// at start and every hour.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: optimize: %w", err)
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA analysis_limit=1000", "PRAGMA optimize=0x10002"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("db: %s: %w", q, err)
		}
	}
	return nil
}
