package enterprise

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/memo"
)

// bulk collects rows for multi-row INSERT statements, written through a
// db.BulkTx: queued for its writer goroutine (or sent by COPY), so the
// next rows are prepared while these are stored, or, when the statement
// returns rows (scan), run at once after the writes queued before it.
type bulk struct {
	head  string // INSERT INTO t (a, b, c)
	tail  string // e.g. ON CONFLICT … DO UPDATE …
	ncols int
	args  []any
	n     int
	per   int
	sqls  map[int]string
	// scan, when set, reads each row the statement returns (RETURNING).
	scan func(*sql.Rows) error
	// copy (PostgreSQL) sends plain inserts through COPY.
	copy bool
	// orIgnore (SQLite) writes INSERT OR IGNORE and requires every row to
	// go in: a statement that cannot abort needs no statement journal, the
	// copy of every page it touches that SQLite otherwise keeps to undo a
	// failed multi-row insert. For tables whose foreign keys are deferred
	// (checked at commit, so no statement aborts on them) or absent.
	orIgnore bool
	// keyCols, when set, are the columns of the table's key (by position
	// in a row): a batch is sent in key order, so that each insert lands
	// beside the one before in the key's tree, on a page already at hand,
	// instead of at one of several places in turn (measured on PostgreSQL,
	// a million effective values: 2.5 s in arrival order, 1.8 s sorted).
	keyCols []int
	// positional: write ? placeholders. SQLite resolves each $N by a linear
	// search of the names seen so far, which makes a statement with
	// thousands of $N parameters quadratic to prepare and bind; ? is
	// positional. PostgreSQL keeps $N.
	positional bool
}

func (s *Service) newBulk(head, tail string, ncols int) *bulk {
	per := 30000 / ncols
	if per > 500 {
		per = 500
	}
	return &bulk{head: head, tail: tail, ncols: ncols, per: per, sqls: map[int]string{}, positional: s.DB.Dialect == db.SQLite}
}

func (b *bulk) add(ctx context.Context, tx *db.BulkTx, vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n >= b.per {
		return b.flush(ctx, tx)
	}
	return nil
}

func (b *bulk) flush(ctx context.Context, tx *db.BulkTx) error {
	if b.n == 0 {
		return nil
	}
	if b.keyCols != nil {
		b.sortRows()
	}
	if b.copy && b.scan == nil && b.tail == "" {
		return b.flushCopy(ctx, tx)
	}
	q := b.statement()
	if b.scan != nil {
		if err := tx.Query(ctx, q, b.args, b.scan); err != nil {
			return fmt.Errorf("enterprise: bulk insert: %w", err)
		}
		b.args, b.n = b.args[:0], 0
		return nil
	}
	want := -1
	if b.orIgnore {
		want = b.n
	}
	args := b.args
	b.args, b.n = make([]any, 0, cap(args)), 0 // the queued statement keeps the old buffer
	if err := tx.Queue(ctx, q, args, want); err != nil {
		return fmt.Errorf("enterprise: bulk insert: %w", err)
	}
	return nil
}

// statement is the INSERT of the buffered rows.
func (b *bulk) statement() string {
	if q, ok := b.sqls[b.n]; ok {
		return q
	}
	q := db.ValuesSQL(b.head, b.tail, b.ncols, b.n, b.positional)
	b.sqls[b.n] = q
	return q
}

// sortRows puts the buffered rows in the order of keyCols.
func (b *bulk) sortRows() {
	rows := make([][]any, b.n)
	for i := range rows {
		rows[i] = b.args[i*b.ncols : (i+1)*b.ncols]
	}
	slices.SortFunc(rows, func(x, y []any) int {
		for _, c := range b.keyCols {
			if d := compareValues(x[c], y[c]); d != 0 {
				return d
			}
		}
		return 0
	})
	sorted := make([]any, 0, cap(b.args))
	for _, r := range rows {
		sorted = append(sorted, r...)
	}
	b.args = sorted
}

// compareValues orders two key values of the same column: integers by
// value, text byte by byte (the key columns' collation is "C").
func compareValues(x, y any) int {
	switch a := x.(type) {
	case string:
		return strings.Compare(a, y.(string))
	case int64:
		return cmp.Compare(a, y.(int64))
	case int:
		return cmp.Compare(a, y.(int))
	}
	return 0
}

// copyRows is how many rows one COPY sends.
const copyRows = 10000

// fresh marks b's rows as new rows of a table whose foreign keys are
// deferred: COPY on PostgreSQL, INSERT OR IGNORE with a row count check
// on SQLite.
func (b *bulk) fresh(tx *db.BulkTx) *bulk {
	if tx.CanCopy() {
		return b.useCopy(tx)
	}
	b.orIgnore = true
	b.head = strings.Replace(b.head, "INSERT INTO", "INSERT OR IGNORE INTO", 1)
	return b
}

// keyed sends b's rows in the order of the key columns cols.
func (b *bulk) keyed(cols ...int) *bulk {
	b.keyCols = cols
	return b
}

// useCopy makes b send its rows through COPY when tx can (PostgreSQL).
func (b *bulk) useCopy(tx *db.BulkTx) *bulk {
	if tx.CanCopy() {
		b.copy, b.per = true, copyRows
	}
	return b
}

// flushCopy sends the buffered rows with COPY into the table and columns
// the INSERT head names.
func (b *bulk) flushCopy(ctx context.Context, tx *db.BulkTx) error {
	open, close := strings.Index(b.head, "("), strings.LastIndex(b.head, ")")
	table := strings.TrimSpace(strings.TrimPrefix(b.head[:open], "INSERT INTO "))
	var cols []string
	for _, c := range strings.Split(b.head[open+1:close], ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	rows := make([][]any, b.n)
	for i := range rows {
		rows[i] = b.args[i*b.ncols : (i+1)*b.ncols : (i+1)*b.ncols]
	}
	if err := tx.Copy(ctx, table, cols, rows); err != nil {
		return fmt.Errorf("enterprise: bulk copy: %w", err)
	}
	// The queued rows keep the old buffer.
	b.args, b.n = make([]any, 0, cap(b.args)), 0
	return nil
}

// Bulk statements shared by imports and the demo generator.
const (
	insEnterpriseID = `INSERT INTO enterprises (id, credit_code, code_exception, name, former_names, legal_form, registered_on,
		registered_capital_fen, area_unit_id, address, industry_code, status, synthetic, created_at, updated_at, names_seq)`
	insEnterprise = `INSERT INTO enterprises (credit_code, code_exception, name, former_names, legal_form, registered_on,
		registered_capital_fen, area_unit_id, address, industry_code, status, synthetic, created_at, updated_at, names_seq)`
	insFigure     = `INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_by, entered_at)`
	upsFigure     = `ON CONFLICT (enterprise_id, indicator, year, month, source) DO UPDATE SET value = excluded.value, status = excluded.status, entered_by = excluded.entered_by, entered_at = excluded.entered_at`
	insCurrent    = `INSERT INTO enterprise_figure_current (enterprise_id, indicator, year, month, value, source)`
	upsCurrent    = `ON CONFLICT (indicator, year, month, enterprise_id) DO UPDATE SET value = excluded.value, source = excluded.source`
	insChain      = `INSERT INTO enterprise_chains (enterprise_id, node_id)`
	insHistory    = `INSERT INTO enterprise_history (enterprise_id, at, actor_id, actor, action, import_job_id, before_json, after_json)`
	updEnterprise = `UPDATE enterprises SET credit_code = $1, code_exception = $2, name = $3, former_names = $4,
		legal_form = $5, registered_on = $6, registered_capital_fen = $7, area_unit_id = $8, address = $9, industry_code = $10,
		status = $11, version = version + 1, updated_at = $12, names_seq = $13 WHERE id = $14`
)

// importWriter writes checked chunks of an import into one transaction:
// a crash or error anywhere leaves the database as it was.
type importWriter struct {
	s         *Service
	o         ImportOptions
	btx       *db.BulkTx
	actor     audit.Actor
	now       int64
	h         hash.Hash // of every history row, kept in the import's audit entry
	ents      *bulk
	chains    *bulk
	figs      *bulk // figures of enterprises already registered (upsert)
	newFigs   *bulk // figures of enterprises this import creates
	cur       *bulk
	curUps    *bulk // effective values of registered enterprises, when the import's source ranks first
	hist      *bulk
	recompute map[int][]int64 // year → enterprises whose effective values to recompute
	inds      map[string]bool // the indicators of the figures written to registered enterprises
	touched   map[int64]int   // enterprise → the year of its figures this import changed (0: its facts, so every year)
	namesSeq  int64           // the names version of this import, once it names an enterprise
}

// beginImport opens the import's transaction and takes the import lock.
func (s *Service) beginImport(ctx context.Context, o ImportOptions) (*importWriter, error) {
	btx, err := s.DB.BeginBulk(ctx)
	if err != nil {
		return nil, fmt.Errorf("enterprise: import: %w", err)
	}
	if err := btx.Do(ctx, func(tx *sql.Tx) error { return s.DB.Lock(ctx, tx, "enterprise.import") }); err != nil {
		btx.Rollback()
		return nil, err
	}
	w := &importWriter{s: s, o: o, btx: btx, actor: audit.ActorFrom(ctx), now: s.nowMS(), h: sha256.New(),
		ents:      s.newBulk(insEnterprise, "RETURNING id, credit_code", 15),
		chains:    s.newBulk(insChain, "", 2).useCopy(btx),
		figs:      s.newBulk(insFigure, upsFigure, 9),
		newFigs:   s.newBulk(insFigure, "", 9).fresh(btx),
		cur:       s.newBulk(insCurrent, "", 6).fresh(btx).keyed(1, 2, 3, 0),
		curUps:    s.newBulk(insCurrent, upsCurrent, 6).keyed(1, 2, 3, 0),
		hist:      s.newBulk(insHistory, "", 8).useCopy(btx),
		recompute: map[int][]int64{},
		inds:      map[string]bool{},
		touched:   map[int64]int{},
	}
	if btx.CanCopy() {
		// New enterprises go in by COPY too, with ids taken beforehand
		// from their sequence (newIDs): no RETURNING to wait for.
		w.ents = s.newBulk(insEnterpriseID, "", 16).useCopy(btx)
	}
	return w, nil
}

// scanIDs reads the ids RETURNING gives new enterprises into ids.
func (w *importWriter) scanIDs(ids map[string]int64) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var id int64
		var code string
		if err := r.Scan(&id, &code); err != nil {
			return err
		}
		ids[code] = id
		return nil
	}
}

// newIDs takes n ids from the enterprises' sequence (PostgreSQL). A
// sequence is outside transactions, so another connection serves and the
// import's own keeps sending rows; a rolled-back import leaves a gap, as
// any rolled-back insert does.
func (s *Service) newIDs(ctx context.Context, n int) ([]int64, error) {
	rows, err := s.DB.W.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence('enterprises', 'id')) FROM generate_series(1, $1)", n)
	if err != nil {
		return nil, fmt.Errorf("enterprise: import: ids: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("enterprise: import: %d of %d ids", len(ids), n)
	}
	return ids, nil
}

func (w *importWriter) rollback() { w.btx.Rollback() }

// write writes one checked chunk.
func (w *importWriter) write(ctx context.Context, plan []planned) error {
	tx, o, now, actorID := w.btx, w.o, w.now, nullID(w.actor.ID)
	ids := map[string]int64{}
	if !w.ents.copy {
		w.ents.scan = w.scanIDs(ids)
	}
	fresh := 0 // enterprises this chunk creates
	for i := range plan {
		pl := &plan[i]
		if pl.existing != nil && len(pl.changed) == 0 {
			continue
		}
		if w.namesSeq == 0 {
			err := tx.Do(ctx, func(tx *sql.Tx) error {
				var err error
				w.namesSeq, err = w.s.bumpNames(ctx, tx)
				return err
			})
			if err != nil {
				return err
			}
		}
		if pl.existing == nil {
			fresh++
		}
	}
	var newIDs []int64
	if w.btx.CanCopy() && fresh > 0 {
		var err error
		if newIDs, err = w.s.newIDs(ctx, fresh); err != nil {
			return err
		}
	}
	for i := range plan {
		pl := &plan[i]
		if pl.existing != nil {
			continue
		}
		in := pl.res.in
		vals := []any{in.CreditCode, in.CodeException, in.Name, strings.Join(in.FormerNames, "\n"), in.LegalForm, in.RegisteredOn,
			in.CapitalFen, nullID(pl.res.areaID), in.Address, in.IndustryCode, string(in.Status), false, now, now, w.namesSeq}
		if newIDs != nil {
			id := newIDs[0]
			newIDs = newIDs[1:]
			ids[in.CreditCode] = id
			vals = append([]any{id}, vals...)
		}
		if err := w.ents.add(ctx, tx, vals...); err != nil {
			return err
		}
	}
	if !w.ents.copy { // the ids come back by RETURNING
		if err := w.ents.flush(ctx, tx); err != nil {
			return err
		}
	}
	// On SQLite the new enterprises' effective values are copied from
	// their figures by one statement a chunk (copyCurrent), in the
	// effective values' key order.
	byCopy := !tx.CanCopy()
	// A confirmed value of the best-ranked source is its period's
	// effective value whatever else is stored: an import of statistics
	// writes the effective values of registered enterprises as it writes
	// their figures. Other sources' imports recompute them at commit.
	first := o.Source.Rank() == 1
	var lo, hi int64
	curRows := 0
	for i := range plan {
		pl := &plan[i]
		in := pl.res.in
		var id int64
		var before, after any
		action := "enterprise.import.update"
		if pl.existing == nil {
			id = ids[in.CreditCode]
			if id == 0 {
				return fmt.Errorf("enterprise: import: row %d: no id returned for %s", pl.row.line, in.CreditCode)
			}
			if lo == 0 || id < lo {
				lo = id
			}
			hi = max(hi, id)
			action = "enterprise.import.create"
			after = importedAfter(in, pl.figures, pl.row.year)
		} else {
			id = pl.existing.ID
			if len(pl.changed) == 0 && !pl.chains && len(pl.figures) == 0 {
				continue
			}
			before, after = importedDiff(*pl.existing, pl)
			// Queued like the inserts, after the writes before them.
			if len(pl.changed) > 0 {
				if err := tx.Queue(ctx, updEnterprise, []any{in.CreditCode, in.CodeException, in.Name, strings.Join(in.FormerNames, "\n"),
					in.LegalForm, in.RegisteredOn, in.CapitalFen, nullID(pl.res.areaID), in.Address, in.IndustryCode, string(in.Status),
					now, w.namesSeq, id}, 1); err != nil {
					return fmt.Errorf("enterprise: import: update row %d: %w", pl.row.line, err)
				}
			}
			if pl.chains {
				if err := tx.Queue(ctx, "DELETE FROM enterprise_chains WHERE enterprise_id = $1", []any{id}, -1); err != nil {
					return err
				}
			}
		}
		if pl.existing == nil || pl.chains {
			for _, n := range pl.res.chainIDs {
				if err := w.chains.add(ctx, tx, id, n); err != nil {
					return err
				}
			}
		}
		figs := w.figs
		if pl.existing == nil {
			figs = w.newFigs
		}
		// In key order: a new enterprise's values then append to the
		// figures' tree (the enterprise's id is the highest yet).
		slices.SortFunc(pl.figures, func(a, b figVal) int { return strings.Compare(a.ind, b.ind) })
		for _, f := range pl.figures {
			if err := figs.add(ctx, tx, id, f.ind, pl.row.year, 0, string(o.Source), f.value, Confirmed, actorID, now); err != nil {
				return err
			}
			if pl.existing == nil {
				if byCopy {
					curRows++
				} else if err := w.cur.add(ctx, tx, id, f.ind, pl.row.year, 0, f.value, string(o.Source)); err != nil {
					return err
				}
			} else if first {
				if err := w.curUps.add(ctx, tx, id, f.ind, pl.row.year, 0, f.value, string(o.Source)); err != nil {
					return err
				}
			}
		}
		if pl.existing != nil && len(pl.figures) > 0 && !first {
			w.recompute[pl.row.year] = append(w.recompute[pl.row.year], id)
			for _, f := range pl.figures {
				w.inds[f.ind] = true
			}
		}
		year := pl.row.year
		if pl.existing == nil || len(pl.changed) > 0 || pl.chains {
			year = 0
		}
		if y, seen := w.touched[id]; seen && y != year {
			year = 0
		}
		w.touched[id] = year
		bj, aj, err := marshal2(before, after)
		if err != nil {
			return err
		}
		fmt.Fprintf(w.h, "%d|%s|%s|%s\n", id, action, bj, aj)
		if err := w.hist.add(ctx, tx, id, now, actorID, w.actor.Name, action, nullID(o.JobID), bj, aj); err != nil {
			return err
		}
	}
	if curRows > 0 {
		return w.copyCurrent(ctx, lo, hi, curRows)
	}
	return nil
}

// copyCurrent writes the effective values of the enterprises this chunk
// created, ids lo to hi, from the figures just queued for them: all of
// one source and confirmed, so each is its value's effective one. The
// ids of a chunk's new enterprises are consecutive, the newest of the
// registry (SQLite gives each the highest id yet, and the import holds
// the writer), so the range holds no other enterprise; the row count is
// checked all the same. Measured on SQLite (bench/README.md): binding
// every value as a parameter cost more than SQLite copying it.
func (w *importWriter) copyCurrent(ctx context.Context, lo, hi int64, n int) error {
	if err := w.newFigs.flush(ctx, w.btx); err != nil {
		return err
	}
	err := w.btx.Queue(ctx, `INSERT OR IGNORE INTO enterprise_figure_current (indicator, year, month, enterprise_id, value, source)
		SELECT indicator, year, month, enterprise_id, value, source FROM enterprise_figures
		WHERE enterprise_id BETWEEN ? AND ? ORDER BY indicator, year, month, enterprise_id`, []any{lo, hi}, n)
	if err != nil {
		return fmt.Errorf("enterprise: import: effective values: %w", err)
	}
	return nil
}

// commit writes what is still buffered, recomputes effective values,
// records the import in the audit log and commits.
func (w *importWriter) commit(ctx context.Context, res *ImportResult) error {
	for _, b := range []*bulk{w.ents, w.chains, w.figs, w.newFigs, w.cur, w.curUps, w.hist} {
		if err := b.flush(ctx, w.btx); err != nil {
			return err
		}
	}
	if err := w.feed(ctx); err != nil {
		return err
	}
	summary := map[string]any{"file": res.Filename, "sha256": res.SHA256, "rows": res.Rows, "created": res.Created,
		"updated": res.Updated, "unchanged": res.Unchanged, "figures": res.Figures, "source": w.o.Source,
		"history_sha256": hex.EncodeToString(w.h.Sum(nil))}
	objID := res.SHA256[:16]
	if w.o.JobID != 0 {
		objID = strconv.FormatInt(w.o.JobID, 10)
	}
	err := w.btx.Do(ctx, func(tx *sql.Tx) error {
		// An import writes whole years (month 0) of its file's
		// indicators: only those effective values can move.
		inds := slices.Sorted(maps.Keys(w.inds))
		for year, list := range w.recompute {
			for start := 0; start < len(list); start += 500 {
				if err := w.s.recomputeCurrentOf(ctx, tx, list[start:min(start+500, len(list))], year, inds, "0"); err != nil {
					return err
				}
			}
		}
		if err := w.s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.import", ObjectType: "enterprise_import", ObjectID: objID, After: summary}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
	if err != nil {
		return err
	}
	if err := w.btx.Commit(); err != nil {
		return fmt.Errorf("enterprise: import: commit: %w", err)
	}
	return nil
}

// feed records every enterprise the import touched in the registry's
// change feed, under one sequence number.
func (w *importWriter) feed(ctx context.Context) error {
	if len(w.touched) == 0 {
		return nil
	}
	var seq int64
	if err := w.btx.Do(ctx, func(tx *sql.Tx) error {
		var err error
		seq, err = nextChange(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	ids := make([]int64, 0, len(w.touched))
	for id := range w.touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b := w.s.newBulk(`INSERT INTO enterprise_changes (seq, enterprise_id, year)`, "", 3).useCopy(w.btx)
	for _, id := range ids {
		if err := b.add(ctx, w.btx, seq, id, w.touched[id]); err != nil {
			return err
		}
	}
	return b.flush(ctx, w.btx)
}

// idsByCode finds the ids given to newly inserted enterprises.
func (s *Service) idsByCode(ctx context.Context, tx *sql.Tx, created []*planned) (map[string]int64, error) {
	out := make(map[string]int64, len(created))
	for start := 0; start < len(created); start += 500 {
		var args []any
		var ph []string
		for _, pl := range created[start:min(start+500, len(created))] {
			args = append(args, pl.res.in.CreditCode)
			ph = append(ph, s.placeholder(len(args)))
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, credit_code FROM enterprises WHERE credit_code IN ("+strings.Join(ph, ",")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("enterprise: import: ids: %w", err)
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return nil, err
			}
			out[code] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// importedAfter is the history record of a created enterprise.
func importedAfter(in Input, figs []figVal, year int) map[string]any {
	m := map[string]any{"credit_code": in.CreditCode, "name": in.Name}
	if len(in.FormerNames) > 0 {
		m["former_names"] = in.FormerNames
	}
	for k, v := range map[string]string{"legal_form": in.LegalForm, "registered_on": in.RegisteredOn, "area": in.Area,
		"address": in.Address, "industry_code": in.IndustryCode, "status": string(in.Status), "code_exception": in.CodeException} {
		if v != "" {
			m[k] = v
		}
	}
	if in.CapitalFen != 0 {
		m["registered_capital_fen"] = in.CapitalFen
	}
	if len(in.Chains) > 0 {
		m["chains"] = in.Chains
	}
	if len(figs) > 0 {
		fm := map[string]int64{}
		for _, f := range figs {
			fm[f.ind] = f.value
		}
		m["figures"] = fm
		m["year"] = year
	}
	return m
}

// importedDiff is the before and after of the changed fields of an update.
func importedDiff(e Enterprise, pl *planned) (map[string]any, map[string]any) {
	b, a := map[string]any{}, map[string]any{}
	in := pl.res.in
	full := map[string][2]any{
		colName: {e.Name, in.Name}, colFormer: {e.FormerNames, in.FormerNames}, colForm: {e.LegalForm, in.LegalForm},
		colRegOn: {e.RegisteredOn, in.RegisteredOn}, colCapital: {e.CapitalFen, in.CapitalFen}, colArea: {e.AreaCode, in.Area},
		colAddress: {e.Address, in.Address}, colIndustry: {e.IndustryCode, in.IndustryCode}, colStatus: {e.Status, in.Status},
		colException: {e.CodeException, in.CodeException},
	}
	for _, k := range pl.changed {
		b[k], a[k] = full[k][0], full[k][1]
	}
	if pl.chains {
		var old []string
		for _, c := range e.Chains {
			old = append(old, c.Code)
		}
		b[colChains], a[colChains] = old, in.Chains
	}
	if len(pl.figures) > 0 {
		bf, af := map[string]int64{}, map[string]int64{}
		for _, f := range pl.figures {
			if v, ok := pl.before[f.ind]; ok {
				bf[f.ind] = v
			}
			af[f.ind] = f.value
		}
		b["figures"], a["figures"] = bf, af
		a["year"] = pl.row.year
	}
	return b, a
}

// placeholder is the i-th parameter of a long generated list: ? on SQLite
// (see bulk), $i on PostgreSQL.
func (s *Service) placeholder(i int) string {
	if s.DB.Dialect == db.SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(i)
}
