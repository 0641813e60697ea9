package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// A period's run completes once across servers: concurrent callers run it
// once; a failed run gives the period back to the next caller; a done
// period is never run again; another period is a new run.
func TestRunJobCompletesEachPeriodOnce(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	var runs atomic.Int32
	ok := func(context.Context) error { runs.Add(1); return nil }

	var wg sync.WaitGroup
	var ran atomic.Int32
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := d.RunJob(ctx, "test.job", "2023-06-11T03:00:00Z", fmt.Sprint("server-", i), ok)
			if err != nil {
				t.Error(err)
			}
			if r {
				ran.Add(1)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 || ran.Load() != 1 {
		t.Fatalf("eight servers at once: fn ran %d times, %d said they ran it", runs.Load(), ran.Load())
	}
	if r, _ := d.RunJob(ctx, "test.job", "2023-06-11T03:00:00Z", "late", ok); r || runs.Load() != 1 {
		t.Fatal("a done period ran again")
	}

	// A failure gives the period back: the next caller, on another server,
	// runs it, and then it is done.
	boom := errors.New("boom")
	r, err := d.RunJob(ctx, "test.job", "2023-06-11T04:00:00Z", "a", func(context.Context) error { return boom })
	if !r || !errors.Is(err, boom) {
		t.Fatalf("failing run: ran %v, err %v", r, err)
	}
	if r, err := d.RunJob(ctx, "test.job", "2023-06-11T04:00:00Z", "b", ok); !r || err != nil {
		t.Fatalf("the period a failed run gave back: ran %v, err %v", r, err)
	}
	if r, _ := d.RunJob(ctx, "test.job", "2023-06-11T04:00:00Z", "c", ok); r {
		t.Fatal("the retried period ran a third time")
	}
	var by string
	var done int64
	if err := d.R.QueryRow("SELECT claimed_by, done_at FROM job_runs WHERE name = 'test.job' AND period = '2023-06-11T04:00:00Z'").Scan(&by, &done); err != nil {
		t.Fatal(err)
	}
	if by != "b" || done == 0 {
		t.Fatalf("the retried period's row: claimed by %q, done at %d", by, done)
	}
}

// A server that claimed a period and died (no end recorded) holds it for
// the lease; after that the next caller runs it.
func TestRunJobTakesOverADeadServersClaim(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	now := db.Now()
	if _, err := d.W.ExecContext(ctx, "INSERT INTO job_runs (name, period, claimed_by, claimed_at, done_at) VALUES ('test.job', 'fresh', 'dead', $1, 0), ('test.job', 'stale', 'dead', $2, 0)",
		now-1000, now-db.JobLease.Milliseconds()-1000); err != nil {
		t.Fatal(err)
	}
	runs := 0
	fn := func(context.Context) error { runs++; return nil }
	if r, err := d.RunJob(ctx, "test.job", "fresh", "alive", fn); r || err != nil {
		t.Fatalf("a claim within its lease was taken over: ran %v, err %v", r, err)
	}
	if r, err := d.RunJob(ctx, "test.job", "stale", "alive", fn); !r || err != nil || runs != 1 {
		t.Fatalf("a claim past its lease: ran %v, err %v, %d runs", r, err, runs)
	}
	// The period is done, by its new holder.
	var by string
	if err := d.R.QueryRow("SELECT claimed_by FROM job_runs WHERE name = 'test.job' AND period = 'stale' AND done_at > 0").Scan(&by); err != nil || by != "alive" {
		t.Fatalf("the stale period's holder: %q, %v", by, err)
	}
}

// A server stopping while it runs a job (its context cancelled) still
// records the run's end.
func TestRunJobRecordsTheEndAfterCancel(t *testing.T) {
	d := dbtest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := d.RunJob(ctx, "test.job", "p", "a", func(context.Context) error { cancel(); return nil })
	if !r || err != nil {
		t.Fatalf("ran %v, err %v", r, err)
	}
	var done int64
	d.R.QueryRow("SELECT done_at FROM job_runs WHERE period = 'p'").Scan(&done)
	if done == 0 {
		t.Fatal("the run's end was not recorded after the context was cancelled")
	}
}
