package enterprise

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"gaoxin/internal/db"
)

// The change feed (enterprise_changes) tells another module which
// enterprises changed since it last looked, so that it can keep figures
// derived from the registry (the industry brain's rollups) up to date
// without reading the registry's tables or scanning it again. Every write
// that changes what Facts returns feeds the enterprises it touched, inside
// its own transaction.

// FeedEntry is one entry of the feed: enterprise EnterpriseID changed in the
// write numbered Seq, in its figures of Year, or in its registry facts,
// chains or certificates when Year is 0 (which bears on every year).
type FeedEntry struct {
	Seq          int64
	EnterpriseID int64
	Year         int
}

// feed records that ids changed in year (0: every year) under the next
// sequence number. The counter's row lock is held until the write
// commits, so sequence numbers commit in order and are never skipped (a
// rolled-back write gives its number back).
func (s *Service) feed(ctx context.Context, tx *sql.Tx, ids []int64, year int) error {
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return err
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		q := "INSERT INTO enterprise_changes (seq, enterprise_id, year) VALUES "
		args := make([]any, 0, 3*len(part))
		for i, id := range part {
			if i > 0 {
				q += ","
			}
			q += fmt.Sprintf("($%d,$%d,$%d)", 3*i+1, 3*i+2, 3*i+3)
			args = append(args, seq, id, year)
		}
		if _, err := tx.ExecContext(ctx, q+" ON CONFLICT DO NOTHING", args...); err != nil {
			return fmt.Errorf("enterprise: change feed: %w", err)
		}
	}
	return nil
}

func nextChange(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, "UPDATE enterprise_change_state SET seq = seq + 1 WHERE id = 1 RETURNING seq").Scan(&seq); err != nil {
		return 0, fmt.Errorf("enterprise: change feed: %w", err)
	}
	return seq, nil
}

// LastChange is the newest sequence number of the feed.
func (s *Service) LastChange(ctx context.Context, q db.Querier) (int64, error) {
	var seq int64
	if err := s.reader(q).QueryRowContext(ctx, "SELECT seq FROM enterprise_change_state WHERE id = 1").Scan(&seq); err != nil {
		return 0, fmt.Errorf("enterprise: change feed: %w", err)
	}
	return seq, nil
}

// Changes returns up to limit entries after the place (seq, enterprise)
// in feed order (sequence, then enterprise, then year).
func (s *Service) Changes(ctx context.Context, q db.Querier, seq, enterprise int64, limit int) ([]FeedEntry, error) {
	rows, err := s.reader(q).QueryContext(ctx, `SELECT seq, enterprise_id, year FROM enterprise_changes
		WHERE seq > $1 OR (seq = $1 AND enterprise_id > $2) ORDER BY seq, enterprise_id, year LIMIT $3`, seq, enterprise, limit)
	if err != nil {
		return nil, fmt.Errorf("enterprise: changes: %w", err)
	}
	defer rows.Close()
	var out []FeedEntry
	for rows.Next() {
		var c FeedEntry
		if err := rows.Scan(&c.Seq, &c.EnterpriseID, &c.Year); err != nil {
			return nil, fmt.Errorf("enterprise: changes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PruneChanges drops the feed up to and including seq, once its one
// reader has applied it.
func (s *Service) PruneChanges(ctx context.Context, tx *sql.Tx, seq int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_changes WHERE seq <= $1", seq); err != nil {
		return fmt.Errorf("enterprise: prune changes: %w", err)
	}
	return nil
}

// TierSpan is one certificate as analysis needs it.
type TierSpan struct {
	Tier      string
	ValidFrom string // YYYY-MM-DD or ""
	ValidTo   string // YYYY-MM-DD, "" for open-ended
}

// HeldOn reports whether the certificate was valid on date (YYYY-MM-DD).
func (t TierSpan) HeldOn(date string) bool {
	return (t.ValidFrom == "" || t.ValidFrom <= date) && (t.ValidTo == "" || t.ValidTo >= date)
}

// Fact is what the registry knows of one enterprise for analysis: its
// registry facts as they stand, its chain nodes (as assigned, without
// their ancestors), its certificates, and its effective whole-year
// figures by year and indicator (scaled units).
type Fact struct {
	ID           int64
	AreaUnitID   int64
	IndustryCode string
	RegisteredOn string
	Status       Status
	Chains       []int64
	Tiers        []TierSpan
	Years        map[int]map[string]int64
	// Sources are every source's confirmed whole-year values, by
	// indicator, year and source rank (as SourceValues gives them): read
	// in the same pass as the effective values.
	Sources []SourceValue
}

// Facts returns the facts of the given enterprises (those that exist), by
// id.
func (s *Service) Facts(ctx context.Context, q db.Querier, ids []int64) ([]Fact, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var out []Fact
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		in := "IN (" + idList(ids[:n]) + ")"
		if ids[n-1]-ids[0] == int64(n-1) {
			// A run of consecutive ids (an import's new enterprises) is
			// a range: one index range scan instead of n probes.
			in = fmt.Sprintf("BETWEEN %d AND %d", ids[0], ids[n-1])
		}
		part, err := s.facts(ctx, s.reader(q), "id "+in, "enterprise_id "+in)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	return out, nil
}

// EachFact calls fn with the facts of every enterprise, in id order and
// batches of about size, reading through q (nil: the reading pool, on
// PostgreSQL the primary; a transaction's own reads see its snapshot).
func (s *Service) EachFact(ctx context.Context, q db.Querier, size int, fn func([]Fact) error) error {
	var after int64
	for {
		var first, last int64
		err := s.reader(q).QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM
			(SELECT id FROM enterprises WHERE id > $1 ORDER BY id LIMIT $2) w`, after, size).Scan(&first, &last)
		if err != nil {
			return fmt.Errorf("enterprise: facts: %w", err)
		}
		if last == 0 {
			return nil
		}
		r := fmt.Sprintf("BETWEEN %d AND %d", first, last)
		part, err := s.facts(ctx, s.reader(q), "id "+r, "enterprise_id "+r)
		if err != nil {
			return err
		}
		if err := fn(part); err != nil {
			return err
		}
		after = last
	}
}

// facts reads the enterprises whose id satisfies byID, and their rows
// whose enterprise_id satisfies byEnt (the same set).
func (s *Service) facts(ctx context.Context, q db.Querier, byID, byEnt string) ([]Fact, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(area_unit_id, 0), industry_code, registered_on, status FROM enterprises WHERE `+byID+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("enterprise: facts: %w", err)
	}
	var out []Fact
	at := map[int64]int{}
	for rows.Next() {
		var f Fact
		if err := rows.Scan(&f.ID, &f.AreaUnitID, &f.IndustryCode, &f.RegisteredOn, &f.Status); err != nil {
			rows.Close()
			return nil, fmt.Errorf("enterprise: facts: %w", err)
		}
		at[f.ID] = len(out)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enterprise: facts: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// Each row is added to its enterprise's fact where it is read: a
	// rebuild reads some ten million figure rows, and building a fact per
	// row to merge it cost more than reading the rows.
	each := func(query string, scan func(*sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return fmt.Errorf("enterprise: facts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("enterprise: facts: %w", err)
			}
		}
		return rows.Err()
	}
	// factOf is the fact of enterprise id; nil for one written after the
	// enterprises were read.
	factOf := func(id int64) *Fact {
		if i, ok := at[id]; ok {
			return &out[i]
		}
		return nil
	}
	err = each(`SELECT enterprise_id, node_id FROM enterprise_chains WHERE `+byEnt, func(r *sql.Rows) error {
		var id, n int64
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		if f := factOf(id); f != nil {
			f.Chains = append(f.Chains, n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT enterprise_id, tier, valid_from, valid_to FROM enterprise_tiers WHERE `+byEnt, func(r *sql.Rows) error {
		var id int64
		var t TierSpan
		if err := r.Scan(&id, &t.Tier, &t.ValidFrom, &t.ValidTo); err != nil {
			return err
		}
		if f := factOf(id); f != nil {
			f.Tiers = append(f.Tiers, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Every confirmed whole-year value of each enterprise comes as one
	// row, its values joined in a text ("revenue,2022,stats,150;…"):
	// a rebuild reads a hundred values an enterprise, and scanning each as
	// a row of its own through database/sql cost more than everything the
	// rollups then do with it. The effective value is chosen here, as
	// enterprise_figure_current keeps it: the best-ranked source's.
	agg := "string_agg"
	if s.DB.Dialect == db.SQLite {
		agg = "group_concat"
	}
	intern := map[string]string{}
	var list sql.RawBytes
	err = each(`SELECT enterprise_id, `+agg+`(indicator || ',' || year || ',' || source || ',' || value, ';') FROM enterprise_figures
		WHERE `+byEnt+` AND month = 0 AND status = 'confirmed' GROUP BY enterprise_id`, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id, &list); err != nil {
			return err
		}
		f := factOf(id)
		if f == nil {
			return nil
		}
		return f.addValues(list, intern)
	})
	return out, err
}

// addValues adds the values of list (entries "indicator,year,source,value"
// joined by ";", in any order) to f's Sources, sorted, and the effective
// ones to its Years. intern keeps one string per indicator and source
// across the rows of a read.
func (f *Fact) addValues(list []byte, intern map[string]string) error {
	name := func(b []byte) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	start := len(f.Sources)
	for len(list) > 0 {
		var entry []byte
		if i := bytes.IndexByte(list, ';'); i >= 0 {
			entry, list = list[:i], list[i+1:]
		} else {
			entry, list = list, nil
		}
		var field [4][]byte
		for k := 0; k < 3; k++ {
			i := bytes.IndexByte(entry, ',')
			if i < 0 {
				return fmt.Errorf("bad figure entry %q", entry)
			}
			field[k], entry = entry[:i], entry[i+1:]
		}
		field[3] = entry
		year, err1 := strconv.Atoi(string(field[1]))
		v, err2 := strconv.ParseInt(string(field[3]), 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad figure entry %q", field)
		}
		f.Sources = append(f.Sources, SourceValue{EnterpriseID: f.ID, Indicator: name(field[0]), Year: year, Source: Source(name(field[2])), Value: v})
	}
	mine := f.Sources[start:]
	sortSourceValues(mine)
	// Sorted by indicator, year and rank: the first known source of each
	// indicator and year holds the effective value.
	for i := range mine {
		sv := &mine[i]
		if sv.Source.Rank() > len(Sources) || i > 0 && mine[i-1].Indicator == sv.Indicator && mine[i-1].Year == sv.Year {
			continue
		}
		if f.Years == nil {
			f.Years = map[int]map[string]int64{}
		}
		y := f.Years[sv.Year]
		if y == nil {
			y = map[string]int64{}
			f.Years[sv.Year] = y
		}
		y[sv.Indicator] = sv.Value
	}
	return nil
}

// TiersTurning lists the enterprises one of whose certificates starts or
// ends between the dates (after from, up to and including to, or ending
// on from): what is current changed for them between the two days.
func (s *Service) TiersTurning(ctx context.Context, q db.Querier, from, to string) ([]int64, error) {
	rows, err := s.reader(q).QueryContext(ctx, `SELECT DISTINCT enterprise_id FROM enterprise_tiers
		WHERE (valid_from > $1 AND valid_from <= $2) OR (valid_to >= $1 AND valid_to < $2) ORDER BY enterprise_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("enterprise: tiers turning: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// QuarterSums returns, per enterprise, the effective monthly values of
// indicator (the confirmed value of the best-ranked source per month)
// summed by quarter ("2023Q3"), from fromYear on. Quarters with no month
// reported are absent.
func (s *Service) QuarterSums(ctx context.Context, q db.Querier, ids []int64, indicator string, fromYear int) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		rows, err := s.reader(q).QueryContext(ctx, `SELECT enterprise_id, year, month, source, value FROM enterprise_figures
			WHERE enterprise_id IN (`+idList(ids[:n])+`) AND indicator = $1 AND year >= $2 AND month > 0 AND status = 'confirmed'`, indicator, fromYear)
		if err != nil {
			return nil, fmt.Errorf("enterprise: quarter sums: %w", err)
		}
		type month struct {
			id          int64
			year, month int
		}
		best := map[month]int{}
		val := map[month]int64{}
		for rows.Next() {
			var m month
			var src Source
			var v int64
			if err := rows.Scan(&m.id, &m.year, &m.month, &src, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("enterprise: quarter sums: %w", err)
			}
			r := src.Rank()
			if old, seen := best[m]; r > len(Sources) || (seen && old <= r) {
				continue
			}
			best[m], val[m] = r, v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("enterprise: quarter sums: %w", err)
		}
		for m, v := range val {
			if out[m.id] == nil {
				out[m.id] = map[string]int64{}
			}
			out[m.id][fmt.Sprintf("%dQ%d", m.year, (m.month+2)/3)] += v
		}
		ids = ids[n:]
	}
	return out, nil
}
