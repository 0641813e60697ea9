package db

import (
	"context"
	"fmt"
	"time"
)

// JobLease is how long a claim on a job's period holds: a server that
// claimed the period and then died stops blocking it after this, and the
// next server to ask runs the period. Every job of the platform finishes
// in seconds; one that could run longer than this would run twice.
const JobLease = 5 * time.Minute

// RunJob runs fn for the job name's period (for example "plan.flags" and
// "2023-05-14T03:00:00Z") unless the period is done or another server holds
// it, so that across every app server each period's run completes once:
//   - the caller that claims the period first runs fn; the others return
//     false at once;
//   - when fn succeeds the period is done, and nobody runs it again;
//   - when fn fails the claim is given back at once, and the next caller
//     (on any server) runs the period again;
//   - a claim whose server died holds for JobLease, then the period is
//     free again.
//
// by names the caller (host/pid) in job_runs. ran reports whether fn ran;
// err is fn's error or the database's.
func (d *DB) RunJob(ctx context.Context, name, period, by string, fn func(context.Context) error) (ran bool, err error) {
	now := Now()
	res, err := d.W.ExecContext(ctx,
		`INSERT INTO job_runs (name, period, claimed_by, claimed_at, done_at) VALUES ($1, $2, $3, $4, 0)
		ON CONFLICT (name, period) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
		WHERE job_runs.done_at = 0 AND job_runs.claimed_at <= $5`,
		name, period, by, now, now-JobLease.Milliseconds())
	if err != nil {
		return false, fmt.Errorf("db: claim job %s/%s: %w", name, period, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	runErr := fn(ctx)
	// The claim is ended on a context of its own: a server stopping
	// (ctx cancelled) still records what its last run did.
	end, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	q := "UPDATE job_runs SET done_at = $1 WHERE name = $2 AND period = $3 AND claimed_by = $4 AND claimed_at = $5 AND done_at = 0"
	arg := Now()
	if runErr != nil {
		q = "UPDATE job_runs SET claimed_at = $1 WHERE name = $2 AND period = $3 AND claimed_by = $4 AND claimed_at = $5 AND done_at = 0"
		arg = 0
	}
	if _, err := d.W.ExecContext(end, q, arg, name, period, by, now); err != nil {
		if runErr != nil {
			return true, fmt.Errorf("%w (its claim on %s/%s not given back: %w)", runErr, name, period, err)
		}
		return true, fmt.Errorf("db: end job %s/%s: %w", name, period, err)
	}
	return true, runErr
}
