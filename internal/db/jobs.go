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
