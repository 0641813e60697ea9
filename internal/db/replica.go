package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// A read replica is a PostgreSQL streaming standby of the primary. Reads
// that a request may take from it (pages that only read, for callers who
// have not just written) go there while it answers; everything else, and
// every read when it is down, stays on the primary (R and W).
type replica struct {
	pool  *sql.DB
	up    atomic.Bool
	reads atomic.Int64 // reads sent to it
	stop  chan struct{}
	done  chan struct{}
}

// replicaCheckEvery is how often the replica's health is probed: a stopped
// replica is left out within this time.
const replicaCheckEvery = 500 * time.Millisecond

// AttachReplica opens dsn, a PostgreSQL standby of d, as the pool that
// replica-marked reads use (ReadReplica). It fails if dsn cannot be
// reached at start or is not a standby; later outages are survived: a
// probe every half second takes it out of use while it does not answer
// and puts it back when it does.
func (d *DB) AttachReplica(ctx context.Context, dsn string) error {
	if d.Dialect != Postgres {
		return errors.New("db: a read replica needs PostgreSQL as the primary database")
	}
	r, err := openPostgres(ctx, dsn)
	if err != nil {
		return fmt.Errorf("db: read replica: %w", err)
	}
	var standby bool
	if err := r.R.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		r.Close()
		return fmt.Errorf("db: read replica: %w", err)
	}
	if !standby {
		r.Close()
		return errors.New("db: the read replica is not a standby (pg_is_in_recovery() is false): point --db-read at a streaming replica of --db")
	}
	rep := &replica{pool: r.R, stop: make(chan struct{}), done: make(chan struct{})}
	rep.up.Store(true)
	d.replica = rep
	go rep.watch()
	return nil
}

// watch probes the replica until stopped.
func (r *replica) watch() {
	defer close(r.done)
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := r.pool.PingContext(ctx)
			cancel()
			r.up.Store(err == nil)
		}
	}
}

func (r *replica) close() error {
	close(r.stop)
	<-r.done
	return r.pool.Close()
}

// ReplicaStatus reports whether a replica is attached, whether it answers,
// and how many reads it has served.
func (d *DB) ReplicaStatus() (attached, up bool, reads int64) {
	if d.replica == nil {
		return false, false, 0
	}
	return true, d.replica.up.Load(), d.replica.reads.Load()
}

type replicaKey struct{}

// ReadReplica marks ctx: its reads through Read and Reader may go to the
// read replica, which can lag the primary by a moment. The web layer marks
// the requests that only read, of callers who have not written just
// before; background work and writes never carry the mark.
func ReadReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// onReplica is the replica pool when ctx may read from it and it answers.
func (d *DB) onReplica(ctx context.Context) *sql.DB {
	if d.replica == nil || ctx.Value(replicaKey{}) == nil || !d.replica.up.Load() {
		return nil
	}
	d.replica.reads.Add(1)
	return d.replica.pool
}

// Read is the pool a read in ctx goes to: the replica for a
// replica-marked ctx while it answers, else R.
func (d *DB) Read(ctx context.Context) *sql.DB {
	if p := d.onReplica(ctx); p != nil {
		return p
	}
	return d.R
}
