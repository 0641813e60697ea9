package insight

import (
	"context"
	"database/sql"
	"fmt"
	"maps"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// Rebuild recomputes every contribution, cell and leader from the
// registry as it stands, in one transaction, and puts the applier's place
// at the feed's newest number (read first: later writes are applied
// again, which changes nothing). Only staff who write (admin, supervisor)
// may; the command line passes a Viewer of the admin role.
func (s *Service) Rebuild(ctx context.Context, v Viewer) error {
	if v.Role != "admin" && v.Role != "supervisor" {
		return errs.New(errs.Forbidden, "无权重建汇总", "not allowed to rebuild the rollups")
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	lite := s.DB.Dialect == db.SQLite
	// The rows go through a bulk transaction: by COPY on PostgreSQL,
	// queued for its writer goroutine on either database.
	b, err := s.DB.BeginBulk(ctx)
	if err != nil {
		return err
	}
	defer b.Rollback()
	var seq int64
	var pct int
	err = b.Do(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockState(ctx, tx); err != nil {
			return err
		}
		if seq, err = s.Registry.LastChange(ctx, tx); err != nil {
			return err
		}
		if pct, err = s.ConflictPercent(ctx, tx); err != nil {
			return err
		}
		for _, t := range []string{"insight_cells", "insight_contributions", "insight_leaders", "insight_candidates", "insight_source_presence", "insight_source_counts"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return fmt.Errorf("insight: rebuild: %w", err)
			}
		}
		// The leaders are gathered unindexed and moved into their table
		// in its key's order at the end: inserted batch by batch, in
		// enterprise order, every row landed on a page of its own of the
		// key, the rebuild's costliest write.
		temp := "CREATE TEMP TABLE rebuild_leaders (year INTEGER NOT NULL, node_id BIGINT NOT NULL, revenue BIGINT NOT NULL, enterprise_id BIGINT NOT NULL)"
		if !lite {
			temp += " ON COMMIT DROP"
		}
		if _, err := tx.ExecContext(ctx, temp); err != nil {
			return fmt.Errorf("insight: rebuild: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	all := newTally()
	acc := rebuildSums{counts: map[countKey]int64{}, found: map[srcKey]conflictRow{}}
	enterprises, err := s.rebuildWalk(ctx, b, cat, all, &acc, today, pct)
	if err != nil {
		return err
	}
	err = b.Do(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO insight_leaders (year, node_id, revenue, enterprise_id)
			SELECT year, node_id, revenue, enterprise_id FROM rebuild_leaders ORDER BY year, node_id, revenue, enterprise_id`); err != nil {
			return fmt.Errorf("insight: rebuild: %w", err)
		}
		if lite {
			// PostgreSQL drops it at commit.
			if _, err := tx.ExecContext(ctx, "DROP TABLE temp.rebuild_leaders"); err != nil {
				return fmt.Errorf("insight: rebuild: %w", err)
			}
		}
		if err := writeCounts(ctx, tx, acc.counts); err != nil {
			return err
		}
		// Every conflict stored is compared with those found: settled
		// ones are kept, open ones no longer found go.
		stored, err := allConflicts(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := writeConflicts(ctx, tx, stored, acc.found); err != nil {
			return err
		}
		var rows []cellRow
		for y, yc := range all.cells() {
			for id, v := range yc {
				sm := all.l.sums(*v)
				rows = append(rows, cellRow{y, id.Dims, id.Key, &sm})
			}
		}
		if err := upsertCells(ctx, tx, lite, rows); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE insight_state SET seq = $1, enterprise_id = 0, day = $2, rebuilt_at = $3, applied_at = $3 WHERE id = 1",
			seq, today, s.now().UnixMilli()); err != nil {
			return fmt.Errorf("insight: rebuild: %w", err)
		}
		if err := s.Registry.PruneChanges(ctx, tx, seq); err != nil {
			return err
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.rebuild", ObjectType: "insight_rollups", ObjectID: "all",
			After: map[string]int{"enterprises": enterprises, "cells": len(rows)}}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
	if err != nil {
		return err
	}
	return b.Commit()
}

// rebuildSums gathers over a whole rebuild what is written at its end:
// the sources' counts and the conflicts found.
type rebuildSums struct {
	counts map[countKey]int64
	found  map[srcKey]conflictRow
}

// rebuildWalk computes and writes the contributions, the sources' presence,
// the candidates and the leaders of every enterprise, adds the
// contributions to all, and gathers the sources' counts and conflicts in
// acc. Its three stages overlap (overlap): the registry is read on a
// connection of its own, 2,000 enterprises at a time; the contributions
// are computed; the batch before is handed to the bulk transaction, whose
// own writer stores it. Reading outside the transaction may see writes
// that the feed's number, read first, does not cover; they are in the
// feed after it, and the applier applies them again, which changes
// nothing.
func (s *Service) rebuildWalk(ctx context.Context, b *db.BulkTx, cat catalog, all *tally, acc *rebuildSums, today string, pct int) (int, error) {
	type batch struct {
		part    []enterprise.Fact
		put     map[factKey]facts
		leaders []leaderKey
	}
	n := 0
	read := func(ctx context.Context, emit func([]enterprise.Fact) error) error {
		return s.Registry.EachFact(ctx, nil, 2000, emit)
	}
	work := func(part []enterprise.Fact) batch {
		b := batch{part: part, put: map[factKey]facts{}}
		for i := range part {
			f := &part[i]
			years := []int{0}
			for y := range f.Years {
				years = append(years, y)
			}
			for _, y := range years {
				c, ok := cat.contribution(*f, y, today)
				if !ok {
					continue
				}
				k := factKey{f.ID, y}
				b.put[k] = c
				b.leaders = append(b.leaders, leadersOf(k, &c)...)
				all.add(y, &c, 1)
			}
		}
		n += len(part)
		return b
	}
	// The bulk transaction's writer may still hold queued rows when
	// overlap returns and cancels its context: they are queued under the
	// rebuild's own.
	write := func(_ context.Context, w batch) error {
		return rebuildWrite(ctx, b, w.part, w.put, w.leaders, acc, pct)
	}
	if err := overlap(ctx, read, work, write); err != nil {
		return 0, err
	}
	return n, nil
}

// overlap runs three stages a batch apart, each in a goroutine of its own
// but work, which runs in the caller's: read hands batches to emit, work
// turns each into what write stores, in order. The first error ends all
// three and is returned, write's before read's (a failed write cancels the
// read).
func overlap[B, W any](ctx context.Context, read func(context.Context, func(B) error) error, work func(B) W, write func(context.Context, W) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan B)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- read(ctx, func(b B) error {
			select {
			case batches <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	writes := make(chan W)
	writeErr := make(chan error, 1)
	go func() {
		var err error
		for w := range writes {
			if err == nil {
				if err = write(ctx, w); err != nil {
					cancel()
				}
			}
		}
		writeErr <- err
	}()
	for b := range batches {
		if ctx.Err() != nil {
			continue // drain: the reader is stopping
		}
		w := work(b)
		select {
		case writes <- w:
		case <-ctx.Done():
		}
	}
	close(writes)
	if err := <-writeErr; err != nil {
		return err
	}
	if err := <-readErr; err != nil {
		return err
	}
	return ctx.Err()
}

// rebuildWrite writes one batch of a rebuild: the sources' presence
// (with the counts and conflicts it gives, gathered in acc for the end),
// the contributions, the tier pipeline's candidates (pipeline.go) and the
// leaders, gathered for the end. The tables were emptied: nothing stored
// is read.
func rebuildWrite(ctx context.Context, b *db.BulkTx, part []enterprise.Fact, put map[factKey]facts, leaders []leaderKey, acc *rebuildSums, pct int) error {
	presence, found := sourcesOf(sourceValuesOf(part), pct)
	maps.Copy(acc.found, found)
	enc := make(map[factKey]string, len(presence))
	for k, h := range presence {
		enc[k] = h.encode()
		for _, x := range h {
			for _, src := range x.srcs {
				acc.counts[countKey{src, x.ind, k.year}]++
			}
		}
	}
	if err := b.Insert(ctx, "insight_source_presence", []string{"enterprise_id", "vals"}, presenceRows(enc, nil)); err != nil {
		return fmt.Errorf("insight: sources: %w", err)
	}
	if err := b.Insert(ctx, "insight_contributions", []string{"enterprise_id", "now", "latest", "body"}, contributionRows(put, nil)); err != nil {
		return fmt.Errorf("insight: facts: %w", err)
	}
	if err := b.Insert(ctx, "insight_candidates", []string{"enterprise_id", "tier", "area", "figures_year", "unmet", "closeness", "gaps"}, candidateRows(candidatesOf(put))); err != nil {
		return fmt.Errorf("insight: candidates: %w", err)
	}
	if err := b.Insert(ctx, "rebuild_leaders", []string{"year", "node_id", "revenue", "enterprise_id"}, leaderRows(leaders)); err != nil {
		return fmt.Errorf("insight: leaders: %w", err)
	}
	return nil
}
