package enterprise

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// What the industry brain's catalogue of data sources needs of the
// registry: each source's confirmed yearly values (to find where sources
// disagree), the last import of each source and the newest certificate,
// and the one write that settles a disagreement.

// SourceValue is one source's confirmed whole-year value of an indicator
// for an enterprise.
type SourceValue struct {
	EnterpriseID int64
	Indicator    string
	Year         int
	Source       Source
	Value        int64
}

// SourceValues returns the confirmed whole-year values of every source of
// the given enterprises, sorted by enterprise, indicator, year and source
// rank.
func (s *Service) SourceValues(ctx context.Context, q db.Querier, ids []int64) ([]SourceValue, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var out []SourceValue
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		part, err := s.sourceValues(ctx, s.reader(q), "enterprise_id IN ("+idList(ids[:n])+")")
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	return out, nil
}

// EachSourceValues calls fn with the ids of every enterprise, in id order
// and batches of about size, and their confirmed whole-year values as
// SourceValues gives them, reading through q (a rebuild passes its
// transaction).
func (s *Service) EachSourceValues(ctx context.Context, q db.Querier, size int, fn func(ids []int64, vals []SourceValue) error) error {
	var after int64
	for {
		rows, err := s.reader(q).QueryContext(ctx, "SELECT id FROM enterprises WHERE id > $1 ORDER BY id LIMIT $2", after, size)
		if err != nil {
			return fmt.Errorf("enterprise: source values: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("enterprise: source values: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("enterprise: source values: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		vals, err := s.sourceValues(ctx, s.reader(q), fmt.Sprintf("enterprise_id BETWEEN %d AND %d", ids[0], ids[len(ids)-1]))
		if err != nil {
			return err
		}
		if err := fn(ids, vals); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

func (s *Service) sourceValues(ctx context.Context, q db.Querier, byEnt string) ([]SourceValue, error) {
	rows, err := q.QueryContext(ctx, `SELECT enterprise_id, indicator, year, source, value FROM enterprise_figures
		WHERE `+byEnt+` AND month = 0 AND status = 'confirmed'`)
	if err != nil {
		return nil, fmt.Errorf("enterprise: source values: %w", err)
	}
	defer rows.Close()
	var out []SourceValue
	for rows.Next() {
		var v SourceValue
		var src string
		if err := rows.Scan(&v.EnterpriseID, &v.Indicator, &v.Year, &src, &v.Value); err != nil {
			return nil, fmt.Errorf("enterprise: source values: %w", err)
		}
		v.Source = Source(src)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enterprise: source values: %w", err)
	}
	sortSourceValues(out)
	return out, nil
}

// ImportRecord is one written import of figures as the audit trail keeps
// it (dry runs write nothing and are not recorded).
type ImportRecord struct {
	Source  Source `json:"source"`
	At      int64  `json:"at"` // Unix ms
	Actor   string `json:"actor"`
	File    string `json:"file"`
	Rows    int    `json:"rows"`
	Figures int    `json:"figures"`
	JobID   int64  `json:"job_id,omitempty"` // the import job, when it ran as one
}

// importPages bounds how far back LastImports looks: this many pages of
// 500 imports.
const importPages = 4

// LastImports returns the newest written import of each source that has
// one, from the audit trail (imports through the web, the API and the
// command line alike), looking back over the last 2,000 imports.
func (s *Service) LastImports(ctx context.Context) (map[Source]ImportRecord, error) {
	out := map[Source]ImportRecord{}
	f := audit.Filter{Action: "enterprise.import", ObjectType: "enterprise_import", Limit: 500}
	for range importPages {
		rows, err := s.Audit.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			f.BeforeID = r.ID
			if r.Action != "enterprise.import" {
				continue
			}
			var sum struct {
				File    string `json:"file"`
				Rows    int    `json:"rows"`
				Figures int    `json:"figures"`
				Source  Source `json:"source"`
			}
			if json.Unmarshal([]byte(r.After), &sum) != nil {
				continue
			}
			if sum.Source == "" {
				sum.Source = FromStats
			}
			if _, seen := out[sum.Source]; seen {
				continue
			}
			rec := ImportRecord{Source: sum.Source, At: r.At, Actor: r.Actor, File: sum.File, Rows: sum.Rows, Figures: sum.Figures}
			// The object is the import job, or (an import run directly)
			// the first 16 hex digits of the file's hash.
			if len(r.ObjectID) < 16 {
				rec.JobID, _ = strconv.ParseInt(r.ObjectID, 10, 64)
			}
			out[sum.Source] = rec
		}
		if len(rows) < 500 || len(out) == len(Sources) {
			break
		}
	}
	return out, nil
}

// LastCertificate returns when the newest certificate was recorded (Unix
// ms; 0 when there is none).
func (s *Service) LastCertificate(ctx context.Context) (int64, error) {
	var at int64
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT created_at FROM enterprise_tiers ORDER BY id DESC LIMIT 1").Scan(&at)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("enterprise: last certificate: %w", err)
	}
	return at, nil
}

// KeepSource settles a disagreement between sources: of enterprise id's
// confirmed whole-year values of indicator in year, the value of source
// keep stands and every other source's is rejected with reason (each
// rejection audited, before and after), the effective value recomputed and
// the change fed, inside the caller's transaction. It returns the values
// it rejected. Only staff who write may. Errors: Forbidden, Invalid (no
// reason), NotFound (no confirmed value of keep).
func (s *Service) KeepSource(ctx context.Context, tx *sql.Tx, v Viewer, id int64, indicator string, year int, keep Source, reason string) ([]Figure, error) {
	if !v.Writes() {
		return nil, errNoWrite
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return nil, errs.Field("note", "请写明采用该来源的理由（500 字以内）", "give the reason for keeping this source (at most 500 characters)")
	}
	kept, err := figureTx(ctx, tx, id, indicator, year, 0, keep)
	if err == sql.ErrNoRows || (err == nil && kept.Status != Confirmed) {
		return nil, errs.New(errs.NotFound, "该来源没有已确认的数据", "the source has no confirmed value for this year")
	}
	if err != nil {
		return nil, fmt.Errorf("enterprise: keep source: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT source FROM enterprise_figures WHERE enterprise_id = $1 AND indicator = $2 AND year = $3
		AND month = 0 AND status = 'confirmed' AND source <> $4 ORDER BY source`, id, indicator, year, string(keep))
	if err != nil {
		return nil, fmt.Errorf("enterprise: keep source: %w", err)
	}
	var others []Source
	for rows.Next() {
		var src string
		if err := rows.Scan(&src); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enterprise: keep source: %w", err)
		}
		others = append(others, Source(src))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enterprise: keep source: %w", err)
	}
	var out []Figure
	for _, src := range others {
		before, err := figureTx(ctx, tx, id, indicator, year, 0, src)
		if err != nil {
			return nil, fmt.Errorf("enterprise: keep source: %w", err)
		}
		after := before
		after.Status, after.Reason = Rejected, reason
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_figures SET status = 'rejected' WHERE enterprise_id = $1 AND indicator = $2
			AND year = $3 AND month = 0 AND source = $4`, id, indicator, year, string(src)); err != nil {
			return nil, fmt.Errorf("enterprise: keep source: %w", err)
		}
		if err := s.record(ctx, tx, id, "enterprise.figure.reject", before, after); err != nil {
			return nil, err
		}
		out = append(out, after)
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := s.recomputeCurrent(ctx, tx, []int64{id}, year); err != nil {
		return nil, err
	}
	if err := s.feed(ctx, tx, []int64{id}, year); err != nil {
		return nil, err
	}
	return out, memo.Bump(ctx, tx, Module)
}

// sortSourceValues sorts values by enterprise, indicator, year and
// source rank.
func sortSourceValues(out []SourceValue) {
	slices.SortFunc(out, func(a, b SourceValue) int {
		switch {
		case a.EnterpriseID != b.EnterpriseID:
			if a.EnterpriseID < b.EnterpriseID {
				return -1
			}
			return 1
		case a.Indicator != b.Indicator:
			return strings.Compare(a.Indicator, b.Indicator)
		case a.Year != b.Year:
			return a.Year - b.Year
		case a.Source != b.Source:
			if ra, rb := sourceRank(a.Source), sourceRank(b.Source); ra != rb {
				return ra - rb
			}
			return strings.Compare(string(a.Source), string(b.Source))
		}
		return 0
	})
}
