package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/memo"
)

// Synthetic is one generated demo enterprise with its chains, certificates
// and whole-year figures (source stats, confirmed).
type Synthetic struct {
	Input   Input // Area is a unit code, Chains are node codes
	Tiers   []Tier
	Figures []FigureInput
}

// LoadSynthetic writes generated demo enterprises in one transaction with
// multi-row inserts, marked synthetic. It is for the demo generator and
// benchmarks: codes must be valid and new, and the records are trusted
// (checked only by the database's constraints). One audit row records the
// batch. Errors: Forbidden, and database errors.
func (s *Service) LoadSynthetic(ctx context.Context, v Viewer, batch []Synthetic) error {
	if !v.Writes() {
		return errNoWrite
	}
	if len(batch) == 0 {
		return nil
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	now := s.nowMS()
	tx, err := s.DB.BeginBulk(ctx)
	if err != nil {
		return fmt.Errorf("enterprise: synthetic: %w", err)
	}
	defer tx.Rollback()
	if err := s.loadSynthetic(ctx, tx, cat, batch, now); err != nil {
		return err
	}
	if err := tx.Do(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, Module) }); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enterprise: synthetic: %w", err)
	}
	return nil
}

// loadSynthetic writes batch through tx: enterprises first, then (once
// their ids are read back) their chains, tiers and figures, queued.
func (s *Service) loadSynthetic(ctx context.Context, tx *db.BulkTx, cat *catalog, batch []Synthetic, now int64) error {
	var seq int64
	err := tx.Do(ctx, func(tx *sql.Tx) error {
		var err error
		seq, err = s.bumpNames(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	ents := s.newBulk(insEnterprise, "", 15)
	for _, e := range batch {
		in := e.Input
		if err := ents.add(ctx, tx, in.CreditCode, "", in.Name, strings.Join(in.FormerNames, "\n"), in.LegalForm, in.RegisteredOn,
			in.CapitalFen, nullID(cat.area(in.Area)), in.Address, in.IndustryCode, string(in.Status), true, now, now, seq); err != nil {
			return err
		}
	}
	if err := ents.flush(ctx, tx); err != nil {
		return err
	}
	refs := make([]*planned, len(batch))
	for i := range batch {
		refs[i] = &planned{res: resolved{in: batch[i].Input}}
	}
	var ids map[string]int64
	err = tx.Do(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = s.idsByCode(ctx, tx, refs)
		return err
	})
	if err != nil {
		return err
	}
	chains := s.newBulk(insChain, "", 2)
	figs := s.newBulk(insFigure, "", 9)
	cur := s.newBulk(insCurrent, "", 6)
	tiers := s.newBulk(`INSERT INTO enterprise_tiers (enterprise_id, tier, level, cert_no, valid_from, valid_to, board, stock_code, note, created_at)`, "", 10)
	for _, e := range batch {
		id := ids[e.Input.CreditCode]
		if id == 0 {
			return fmt.Errorf("enterprise: synthetic %s not inserted", e.Input.CreditCode)
		}
		for _, c := range e.Input.Chains {
			if n := cat.chain(c); n != 0 {
				if err := chains.add(ctx, tx, id, n); err != nil {
					return err
				}
			}
		}
		for _, t := range e.Tiers {
			if err := tiers.add(ctx, tx, id, t.Tier, t.Level, t.CertNo, t.ValidFrom, t.ValidTo, t.Board, t.StockCode, t.Note, now); err != nil {
				return err
			}
		}
		for _, f := range e.Figures {
			if err := figs.add(ctx, tx, id, f.Indicator, f.Year, f.Month, string(FromStats), f.Value, Confirmed, nil, now); err != nil {
				return err
			}
			if err := cur.add(ctx, tx, id, f.Indicator, f.Year, f.Month, f.Value, string(FromStats)); err != nil {
				return err
			}
		}
	}
	for _, b := range []*bulk{chains, figs, cur, tiers} {
		if err := b.flush(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Do(ctx, func(tx *sql.Tx) error {
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.demo.load", ObjectType: "enterprise", ObjectID: "synthetic",
			After: map[string]any{"enterprises": len(batch), "first": batch[0].Input.CreditCode, "last": batch[len(batch)-1].Input.CreditCode}})
	})
}

// SyntheticCount is the number of synthetic enterprises stored.
func (s *Service) SyntheticCount(ctx context.Context) (int, error) {
	var n int
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM enterprises WHERE synthetic = TRUE").Scan(&n)
	return n, err
}

// Analyze refreshes PostgreSQL's planner statistics of the registry's
// tables after a bulk load, so the next queries are planned for the
// tables' new size rather than the empty tables autovacuum last saw.
// SQLite plans without statistics here; it is a no-op there. Failure only
// costs speed, so it is not reported.
func (s *Service) Analyze(ctx context.Context) {
	if s.DB.Dialect != db.Postgres {
		return
	}
	s.DB.W.ExecContext(ctx, "ANALYZE enterprises, enterprise_chains, enterprise_tiers, enterprise_figures, enterprise_figure_current")
}
