-- A scheduled job's run for a period is done once, not merely claimed
-- once (internal/db/jobs.go). A claim is a lease: a server that fails the
-- run gives the period back, and one that dies holding it loses it when
-- the lease ends, so another server runs the period instead of nobody.
-- Rows from before this migration were runs that happened: they are done.
ALTER TABLE job_runs ADD COLUMN done_at BIGINT NOT NULL DEFAULT 0;
UPDATE job_runs SET done_at = claimed_at;
