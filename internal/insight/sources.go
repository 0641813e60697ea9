package insight

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// 数据来源与新鲜度: the catalogue of the zone's data sources (the registry's
// figure sources and its certificates), each with what it reports, its
// last import, its coverage and its staleness, and the conflicts where two
// confirmed sources disagree on an enterprise's yearly value.
//
// Like the rollups, the per-source presence of values (insight_source_presence
// and their counts) and the conflicts are kept by state: the applier
// recomputes them for the enterprises the registry's change feed names,
// in its transaction, and a rebuild recomputes them for every enterprise.
// A settled conflict is history and stays; an open one exists only while
// its sources disagree.

// SourceCert is the catalogue's code of the certificates (资质证书), which
// are records of their own rather than a source of figures.
const SourceCert = "cert"

// Conflict states.
const (
	ConflictOpen    = "open"
	ConflictSettled = "settled"
)

// maxSpread is the spread recorded when the value that counts is zero and
// another source's is not (basis points: 10,000 %).
const maxSpread = 1_000_000

// Coverage is what one source says of one indicator (or, for the
// certificates, one tier) in the catalogue's year.
type Coverage struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// FromSource is how many enterprises have a confirmed value from this
	// source (certificates: hold the tier now).
	FromSource int64 `json:"from_source"`
	// SourceShare is FromSource per operating enterprise, in basis points.
	SourceShare int64 `json:"source_share"`
	// Effective is how many enterprises have a value that counts for the
	// indicator from any source, and Coverage that per operating
	// enterprise in basis points (the rollups' counts).
	Effective int64 `json:"effective"`
	Coverage  int64 `json:"coverage"`
}

// SourceInfo is one source of the catalogue.
type SourceInfo struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Rank   int    `json:"rank,omitempty"` // figure sources: 1 is the best
	// Reports lists the indicators it has values of in any year, and
	// Indicators their coverage in the catalogue's year.
	Reports    []string   `json:"reports"`
	Indicators []Coverage `json:"indicators"`
	// LastImport is its newest written import (figure sources), LastAt
	// when its data last arrived (the import, or the newest certificate).
	LastImport *enterprise.ImportRecord `json:"last_import,omitempty"`
	LastAt     int64                    `json:"last_at,omitempty"`
	AgeDays    int                      `json:"age_days"`   // days since LastAt; -1: never
	StaleDays  int                      `json:"stale_days"` // the threshold; 0: not tracked
	Stale      bool                     `json:"stale"`
}

// Catalogue is the data sources' page.
type Catalogue struct {
	Year            int          `json:"year"`      // the year whose coverage is shown
	Operating       int64        `json:"operating"` // operating enterprises now
	ConflictPercent int          `json:"conflict_percent"`
	OpenConflicts   int64        `json:"open_conflicts"`
	Sources         []SourceInfo `json:"sources"`
	Years           []int        `json:"years"` // the years with rollups, newest first
}

// SourceValue is one source's value in a conflict.
type SourceValue struct {
	Source string `json:"source"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Value  int64  `json:"value"` // in the indicator's scaled unit
	Text   string `json:"text"`  // the value in its unit (money in 万元)
}

// Conflict is where confirmed sources disagree on an enterprise's yearly
// value of an indicator by more than the set share.
type Conflict struct {
	EnterpriseID int64         `json:"enterprise_id"`
	Enterprise   string        `json:"enterprise"`
	Indicator    string        `json:"indicator"`
	IndicatorZH  string        `json:"indicator_zh"`
	IndicatorEN  string        `json:"indicator_en"`
	Year         int           `json:"year"`
	Values       []SourceValue `json:"values"`         // best-ranked source first: the value that counts until settled
	Spread       int64         `json:"spread"`         // the largest difference from the first value, in basis points
	State        string        `json:"state"`          // open, settled
	Kept         string        `json:"kept,omitempty"` // settled: the source whose value stands
	KeptZH       string        `json:"kept_zh,omitempty"`
	KeptEN       string        `json:"kept_en,omitempty"`
	SettledBy    int64         `json:"settled_by,omitempty"`
	SettledAt    int64         `json:"settled_at,omitempty"`
	Note         string        `json:"note,omitempty"`
}

// SpreadText writes the spread as a percentage.
func (c Conflict) SpreadText() string { return percentText(c.Spread) }

func percentText(bp int64) string {
	if bp >= maxSpread {
		return "∞"
	}
	return strconv.FormatFloat(float64(bp)/100, 'f', 1, 64) + "%"
}

// ConflictPercent is the share (percent) by which two sources must differ
// to be a conflict.
func (s *Service) ConflictPercent(ctx context.Context, q db.Querier) (int, error) {
	if q == nil {
		q = s.DB.R
	}
	var p int
	if err := q.QueryRowContext(ctx, "SELECT value FROM insight_settings WHERE name = 'conflict_percent'").Scan(&p); err != nil {
		return 0, fmt.Errorf("insight: conflict percent: %w", err)
	}
	return p, nil
}

// SetConflictPercent sets the share (1–100 percent) by which sources must
// differ to be a conflict, and finds the conflicts anew under it in the
// same transaction. Only supervisors and admins. Errors: Forbidden,
// Invalid.
func (s *Service) SetConflictPercent(ctx context.Context, v Viewer, percent int) error {
	if v.Role != "admin" && v.Role != "supervisor" {
		return errs.New(errs.Forbidden, "只有督查室或管理员可以设置冲突阈值", "only supervisors and admins set the conflict share")
	}
	if percent < 1 || percent > 100 {
		return errs.Field("percent", "冲突阈值须在 1–100（%）之间", "the share must be 1–100 (%)")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The applier's row: no batch applies under the old share meanwhile.
		if _, err := s.lockState(ctx, tx); err != nil {
			return err
		}
		before, err := s.ConflictPercent(ctx, tx)
		if err != nil {
			return err
		}
		if before == percent {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE insight_settings SET value = $1 WHERE name = 'conflict_percent'", percent); err != nil {
			return fmt.Errorf("insight: conflict percent: %w", err)
		}
		if err := s.refreshAllConflicts(ctx, tx); err != nil {
			return err
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.conflict.percent", ObjectType: "insight_settings", ObjectID: "conflict_percent",
			Before: map[string]int{"percent": before}, After: map[string]int{"percent": percent}}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
}

// srcKey names one enterprise's yearly value of one indicator.
type srcKey struct {
	id   int64
	ind  string
	year int
}

// conflictRow is one row of insight_conflicts as the refresh compares it.
type conflictRow struct {
	vals      string
	spread    int64
	state     string
	settledAt int64
}

// refreshConflicts brings the per-source presence of values and the
// conflicts of enterprises ids up to the registry, in the applier's
// transaction; it reports whether anything changed.
func (s *Service) refreshConflicts(ctx context.Context, tx *sql.Tx, ids []int64, facts []enterprise.Fact) (bool, error) {
	pct, err := s.ConflictPercent(ctx, tx)
	if err != nil {
		return false, err
	}
	return s.refreshSources(ctx, tx, ids, sourceValuesOf(facts), pct)
}

// sourceValuesOf lists the per-source values of facts, an enterprise's
// at a time, as SourceValues sorts them.
func sourceValuesOf(facts []enterprise.Fact) [][]enterprise.SourceValue {
	out := make([][]enterprise.SourceValue, len(facts))
	for i := range facts {
		out[i] = facts[i].Sources
	}
	return out
}

// refreshAllConflicts recomputes the per-source presence of values and
// the conflicts of every enterprise (a rebuild, a new share).
func (s *Service) refreshAllConflicts(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"insight_source_presence", "insight_source_counts"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("insight: sources: %w", err)
		}
	}
	pct, err := s.ConflictPercent(ctx, tx)
	if err != nil {
		return err
	}
	return s.Registry.EachSourceValues(ctx, tx, 2000, func(ids []int64, vals []enterprise.SourceValue) error {
		_, err := s.refreshSources(ctx, tx, ids, [][]enterprise.SourceValue{vals}, pct)
		return err
	})
}

// refreshSources moves the stored state of enterprises ids to what vals
// (all their confirmed yearly values, as SourceValues sorts them, in parts
// that never split one enterprise) give.
func (s *Service) refreshSources(ctx context.Context, tx *sql.Tx, ids []int64, vals [][]enterprise.SourceValue, pct int) (bool, error) {
	if len(ids) == 0 {
		return false, nil
	}
	presence, found := sourcesOf(vals, pct)
	changed, err := s.storePresence(ctx, tx, ids, presence)
	if err != nil {
		return false, err
	}
	stored, err := storedConflicts(ctx, tx, ids)
	if err != nil {
		return false, err
	}
	moved, err := writeConflicts(ctx, tx, stored, found)
	return changed || moved, err
}

// sourcesOf works out from vals (as refreshSources takes them) what each
// enterprise's years hold by source, and the conflicts: values whose
// sources disagree by more than pct per cent.
func sourcesOf(vals [][]enterprise.SourceValue, pct int) (map[factKey]held, map[srcKey]conflictRow) {
	// What each enterprise's years hold by source, and where sources
	// disagree. A rebuild passes every value of the registry through
	// here: the sources' names share one backing list, and an
	// enterprise's indicators are put in year order once, so that each
	// year's list is a view of them, in indicator order.
	n := 0
	for _, part := range vals {
		n += len(part)
	}
	names := make([]string, 0, n)
	presence := map[factKey]held{}
	found := map[srcKey]conflictRow{}
	type yearHeld struct {
		year int
		h    heldBy
	}
	var mine []yearHeld
	var years []int
	flush := func(id int64) {
		// An enterprise holds a handful of years: each is gathered by a
		// pass over its values, which keeps them in indicator order, at
		// a fraction of what a stable sort of the values cost.
		years = years[:0]
		for _, m := range mine {
			if !slices.Contains(years, m.year) {
				years = append(years, m.year)
			}
		}
		slices.Sort(years)
		list := make(held, 0, len(mine))
		for _, y := range years {
			a := len(list)
			for _, m := range mine {
				if m.year == y {
					list = append(list, m.h)
				}
			}
			presence[factKey{id, y}] = list[a:len(list):len(list)]
		}
		mine = mine[:0]
	}
	for _, part := range vals {
		for i := 0; i < len(part); {
			j := i + 1
			for j < len(part) && part[j].EnterpriseID == part[i].EnterpriseID && part[j].Indicator == part[i].Indicator && part[j].Year == part[i].Year {
				j++
			}
			group := part[i:j]
			if len(mine) > 0 && i > 0 && part[i-1].EnterpriseID != group[0].EnterpriseID {
				flush(part[i-1].EnterpriseID)
			}
			start := len(names)
			var spread int64
			for _, v := range group {
				names = append(names, string(v.Source))
				spread = max(spread, spreadOf(group[0].Value, v.Value))
			}
			mine = append(mine, yearHeld{group[0].Year, heldBy{group[0].Indicator, names[start:len(names):len(names)]}})
			if len(group) > 1 && spread > int64(pct)*100 {
				// Spelled out for the conflicts only: most values have one source.
				parts := make([]string, len(group))
				for k, v := range group {
					parts[k] = string(v.Source) + "=" + strconv.FormatInt(v.Value, 10)
				}
				found[srcKey{group[0].EnterpriseID, group[0].Indicator, group[0].Year}] = conflictRow{vals: strings.Join(parts, ","), spread: spread}
			}
			i = j
		}
		if len(mine) > 0 {
			flush(part[len(part)-1].EnterpriseID)
		}
	}
	return presence, found
}

// storePresence moves the stored presence rows of ids, and the counts
// they sum to, to presence.
func (s *Service) storePresence(ctx context.Context, tx *sql.Tx, ids []int64, presence map[factKey]held) (bool, error) {
	changed := false
	old, err := storedPresence(ctx, tx, ids)
	if err != nil {
		return false, err
	}
	counts := map[countKey]int64{}
	var drop []factKey
	put := map[factKey]bool{}
	keys := map[factKey]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range presence {
		keys[k] = true
	}
	enc := make(map[factKey]string, len(presence))
	for k := range keys {
		prev, had := old[k]
		next, has := "", false
		if h := presence[k]; h != nil {
			next, has = h.encode(), true
			enc[k] = next
		}
		if had == has && prev == next {
			continue
		}
		if had {
			for ind, srcs := range decodePresence(prev) {
				for _, src := range srcs {
					counts[countKey{src, ind, k.year}]--
				}
			}
			drop = append(drop, k)
		}
		if has {
			for _, h := range presence[k] {
				for _, src := range h.srcs {
					counts[countKey{src, h.ind, k.year}]++
				}
			}
			put[k] = true
		}
	}
	if len(drop) > 0 || len(put) > 0 {
		// An enterprise's row holds all its years: one whose years moved
		// is written again whole, from presence.
		changed = true
		moved := map[int64]bool{}
		for _, k := range drop {
			moved[k.id] = true
		}
		for k := range put {
			moved[k.id] = true
		}
		ids := slices.Sorted(maps.Keys(moved))
		for start := 0; start < len(ids); start += 500 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM insight_source_presence WHERE enterprise_id IN ("+idList(ids[start:min(start+500, len(ids))])+")"); err != nil {
				return false, fmt.Errorf("insight: sources: %w", err)
			}
		}
		rows := presenceRows(enc, moved)
		if err := execRows(ctx, tx, s.DB.Dialect == db.SQLite, "INSERT INTO insight_source_presence (enterprise_id, vals)", "", 2, rows); err != nil {
			return false, fmt.Errorf("insight: sources: %w", err)
		}
		if err := writeCounts(ctx, tx, counts); err != nil {
			return false, err
		}
	}
	return changed, nil
}

// countKey names a count of insight_source_counts.
type countKey struct {
	src, ind string
	year     int
}

// writeCounts adds counts to insight_source_counts, dropping counts that
// reach zero.
func writeCounts(ctx context.Context, tx *sql.Tx, counts map[countKey]int64) error {
	zero := false
	for k, n := range counts {
		if n == 0 {
			continue
		}
		zero = zero || n < 0
		if _, err := tx.ExecContext(ctx, `INSERT INTO insight_source_counts (source, indicator, year, n) VALUES ($1,$2,$3,$4)
			ON CONFLICT (source, indicator, year) DO UPDATE SET n = insight_source_counts.n + excluded.n`, k.src, k.ind, k.year, n); err != nil {
			return fmt.Errorf("insight: sources: %w", err)
		}
	}
	if zero {
		if _, err := tx.ExecContext(ctx, "DELETE FROM insight_source_counts WHERE n <= 0"); err != nil {
			return fmt.Errorf("insight: sources: %w", err)
		}
	}
	return nil
}

// writeConflicts moves the stored conflicts (stored, of some enterprises)
// to those found now (of the same enterprises).
func writeConflicts(ctx context.Context, tx *sql.Tx, stored, found map[srcKey]conflictRow) (bool, error) {
	changed := false
	for k, c := range found {
		prev, had := stored[k]
		var q string
		var args []any
		switch {
		case !had:
			q = "INSERT INTO insight_conflicts (enterprise_id, indicator, year, vals, spread, state) VALUES ($1,$2,$3,$4,$5,'open')"
			args = []any{k.id, k.ind, k.year, c.vals, c.spread}
		case prev.vals != c.vals || prev.spread != c.spread:
			// Open: the values moved. Settled: the sources disagree
			// again, on other values; the conflict opens again.
			q = "UPDATE insight_conflicts SET vals = $1, spread = $2, state = 'open' WHERE enterprise_id = $3 AND indicator = $4 AND year = $5"
			args = []any{c.vals, c.spread, k.id, k.ind, k.year}
		default:
			continue
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return false, fmt.Errorf("insight: conflicts: %w", err)
		}
		changed = true
	}
	for k, prev := range stored {
		if _, still := found[k]; still || prev.state != ConflictOpen {
			continue
		}
		q := "DELETE FROM insight_conflicts WHERE enterprise_id = $1 AND indicator = $2 AND year = $3"
		if prev.settledAt != 0 {
			// Opened again after a settlement and agreed since: back to
			// settled.
			q = "UPDATE insight_conflicts SET state = 'settled' WHERE enterprise_id = $1 AND indicator = $2 AND year = $3"
		}
		if _, err := tx.ExecContext(ctx, q, k.id, k.ind, k.year); err != nil {
			return false, fmt.Errorf("insight: conflicts: %w", err)
		}
		changed = true
	}
	return changed, nil
}

// spreadOf is how far v is from the value that counts, in basis points of
// it.
func spreadOf(counts, v int64) int64 {
	d := v - counts
	if d < 0 {
		d = -d
	}
	if d == 0 {
		return 0
	}
	base := counts
	if base < 0 {
		base = -base
	}
	if base == 0 || d/base >= maxSpread/10000 {
		return maxSpread
	}
	// d*10000 may overflow for large values: divide first.
	return d/base*10000 + (d%base)*10000/base
}

// held is what one enterprise's year holds: per indicator, the sources
// that gave it a value, best first.
type held []heldBy

type heldBy struct {
	ind  string
	srcs []string
}

// encode spells h as a year of insight_source_presence.vals keeps it:
// "indicator=source,source;…", indicators in byte order.
func (h held) encode() string {
	for i := 1; i < len(h); i++ {
		if h[i-1].ind > h[i].ind {
			slices.SortStableFunc(h, func(a, b heldBy) int { return strings.Compare(a.ind, b.ind) })
			break
		}
	}
	size := 0
	for _, x := range h {
		size += len(x.ind) + 2
		for _, src := range x.srcs {
			size += len(src) + 1
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i, x := range h {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(x.ind)
		b.WriteByte('=')
		for j, src := range x.srcs {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(src)
		}
	}
	return b.String()
}

func decodePresence(s string) map[string][]string {
	out := map[string][]string{}
	if s == "" {
		return out
	}
	for _, p := range strings.Split(s, ";") {
		ind, srcs, _ := strings.Cut(p, "=")
		out[ind] = strings.Split(srcs, ",")
	}
	return out
}

func storedPresence(ctx context.Context, q db.Querier, ids []int64) (map[factKey]string, error) {
	out := map[factKey]string{}
	for start := 0; start < len(ids); start += 500 {
		rows, err := q.QueryContext(ctx, "SELECT enterprise_id, vals FROM insight_source_presence WHERE enterprise_id IN ("+idList(ids[start:min(start+500, len(ids))])+")")
		if err != nil {
			return nil, fmt.Errorf("insight: sources: %w", err)
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insight: sources: %w", err)
			}
			if err := parsePresenceRow(v, func(year int, vals string) { out[factKey{id, year}] = vals }); err != nil {
				rows.Close()
				return nil, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insight: sources: %w", err)
		}
	}
	return out, nil
}

// presenceRows lists the insight_source_presence rows of the enterprises
// of enc (each year's presence as held.encode spells it) that only names
// (all when nil), in enterprise order.
func presenceRows(enc map[factKey]string, only map[int64]bool) [][]any {
	byID := map[int64]map[int]string{}
	for k, v := range enc {
		if only != nil && !only[k.id] {
			continue
		}
		m := byID[k.id]
		if m == nil {
			m = map[int]string{}
			byID[k.id] = m
		}
		m[k.year] = v
	}
	rows := make([][]any, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		rows = append(rows, []any{id, presenceRow(byID[id])})
	}
	return rows
}

// presenceRow spells one enterprise's presence (per year, as held.encode
// spells it) as insight_source_presence.vals keeps it: the years that
// hold the same joined by ",", then ":" and what they hold; the groups
// joined by "|" in the order of their first year.
func presenceRow(byYear map[int]string) string {
	years := slices.Sorted(maps.Keys(byYear))
	var order []string
	groups := map[string][]int{}
	for _, y := range years {
		v := byYear[y]
		if _, ok := groups[v]; !ok {
			order = append(order, v)
		}
		groups[v] = append(groups[v], y)
	}
	var b strings.Builder
	for i, v := range order {
		if i > 0 {
			b.WriteByte('|')
		}
		for j, y := range groups[v] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(y))
		}
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}

// parsePresenceRow calls fn with each year of a row presenceRow spelled
// and what it holds.
func parsePresenceRow(row string, fn func(year int, vals string)) error {
	for _, g := range strings.Split(row, "|") {
		years, vals, ok := strings.Cut(g, ":")
		if !ok {
			return fmt.Errorf("insight: bad presence %q", row)
		}
		for _, y := range strings.Split(years, ",") {
			n, err := strconv.Atoi(y)
			if err != nil {
				return fmt.Errorf("insight: bad presence %q", row)
			}
			fn(n, vals)
		}
	}
	return nil
}

func storedConflicts(ctx context.Context, q db.Querier, ids []int64) (map[srcKey]conflictRow, error) {
	out := map[srcKey]conflictRow{}
	for start := 0; start < len(ids); start += 500 {
		if err := readConflicts(ctx, q, out, " WHERE enterprise_id IN ("+idList(ids[start:min(start+500, len(ids))])+")"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// allConflicts reads every stored conflict.
func allConflicts(ctx context.Context, q db.Querier) (map[srcKey]conflictRow, error) {
	out := map[srcKey]conflictRow{}
	return out, readConflicts(ctx, q, out, "")
}

// readConflicts adds the conflicts that where (a WHERE clause, or "")
// selects to out.
func readConflicts(ctx context.Context, q db.Querier, out map[srcKey]conflictRow, where string) error {
	rows, err := q.QueryContext(ctx, "SELECT enterprise_id, indicator, year, vals, spread, state, settled_at FROM insight_conflicts"+where)
	if err != nil {
		return fmt.Errorf("insight: conflicts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k srcKey
		var c conflictRow
		if err := rows.Scan(&k.id, &k.ind, &k.year, &c.vals, &c.spread, &c.state, &c.settledAt); err != nil {
			return fmt.Errorf("insight: conflicts: %w", err)
		}
		out[k] = c
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insight: conflicts: %w", err)
	}
	return nil
}

var errNoSources = errs.New(errs.Forbidden, "只有园区工作人员和全区部门可以查看数据来源", "only zone staff and zone-wide departments read the data sources")

// areaSums adds up a year's cells of the area dimension: the whole zone.
func (s *Service) areaSums(ctx context.Context, year int) (Sums, error) {
	var total Sums
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT n, body FROM insight_cells WHERE year = $1 AND dims = 'area'", year)
	if err != nil {
		return total, fmt.Errorf("insight: sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		var body string
		if err := rows.Scan(&n, &body); err != nil {
			return total, fmt.Errorf("insight: sources: %w", err)
		}
		sm, err := parseSums(n, body)
		if err != nil {
			return total, err
		}
		total.merge(&sm)
	}
	return total, rows.Err()
}

// coverageBP is part per whole in basis points (0 for an empty whole).
func coverageBP(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return min(part*10000/whole, 10000)
}

// Sources reads the catalogue of data sources for year (0: the newest
// year with rollups). Coverage comes from the rollups and the per-source
// counts, never from the raw figures. Staff and zone-wide units read it.
// Errors: Forbidden.
func (s *Service) Sources(ctx context.Context, v Viewer, year int) (Catalogue, error) {
	var c Catalogue
	if !v.Zone() {
		return c, errNoSources
	}
	// The years with rollups are the years with a confirmed value from
	// some source: read from the small table of per-source counts rather
	// than the cells.
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT DISTINCT year FROM insight_source_counts ORDER BY year DESC")
	if err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return c, fmt.Errorf("insight: sources: %w", err)
		}
		c.Years = append(c.Years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	switch {
	case year == 0 && len(c.Years) > 0:
		year = c.Years[0]
	case year != 0 && !slices.Contains(c.Years, year):
		return c, errs.Field("year", "该年度没有汇总数据", "no rollups for that year")
	}
	c.Year = year
	now, err := s.areaSums(ctx, 0)
	if err != nil {
		return c, err
	}
	c.Operating = now.N
	var then Sums
	if year > 0 {
		if then, err = s.areaSums(ctx, year); err != nil {
			return c, err
		}
	}
	if c.ConflictPercent, err = s.ConflictPercent(ctx, nil); err != nil {
		return c, err
	}
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM insight_conflicts WHERE state = 'open'").Scan(&c.OpenConflicts); err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	// Per source and indicator: enterprises with a value in the year, and
	// whether it has any in any year.
	type si struct{ src, ind string }
	inYear := map[si]int64{}
	reports := map[string][]string{}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, "SELECT source, indicator, year, n FROM insight_source_counts ORDER BY source, indicator, year")
	if err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	for rows.Next() {
		var k si
		var y int
		var n int64
		if err := rows.Scan(&k.src, &k.ind, &y, &n); err != nil {
			rows.Close()
			return c, fmt.Errorf("insight: sources: %w", err)
		}
		if y == year {
			inYear[k] = n
		}
		if l := reports[k.src]; len(l) == 0 || l[len(l)-1] != k.ind {
			reports[k.src] = append(l, k.ind)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return c, err
	}
	imports, err := s.Registry.LastImports(ctx)
	if err != nil {
		return c, err
	}
	lastCert, err := s.Registry.LastCertificate(ctx)
	if err != nil {
		return c, err
	}
	stale := map[string]int{}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, "SELECT source, stale_days FROM insight_source_freshness ORDER BY position")
	if err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	var order []string
	for rows.Next() {
		var src string
		var d int
		if err := rows.Scan(&src, &d); err != nil {
			rows.Close()
			return c, fmt.Errorf("insight: sources: %w", err)
		}
		stale[src] = d
		order = append(order, src)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("insight: sources: %w", err)
	}
	nowMS := s.now().UnixMilli()
	for _, code := range order {
		info := SourceInfo{Code: code, StaleDays: stale[code], AgeDays: -1}
		if code == SourceCert {
			info.NameZH, info.NameEN = "资质证书", "certificates"
			info.LastAt = lastCert
			tiers := make([]string, 0, len(now.Tiers))
			for t := range now.Tiers {
				tiers = append(tiers, t)
			}
			slices.Sort(tiers)
			for _, t := range tiers {
				zh, en := enterprise.TierName(t)
				n := now.Tiers[t]
				info.Reports = append(info.Reports, t)
				info.Indicators = append(info.Indicators, Coverage{Code: t, NameZH: zh, NameEN: en, FromSource: n, SourceShare: coverageBP(n, c.Operating),
					Effective: n, Coverage: coverageBP(n, c.Operating)})
			}
		} else {
			src := enterprise.Source(code)
			info.NameZH, info.NameEN = src.Label()
			info.Rank = src.Rank()
			if rec, ok := imports[src]; ok {
				info.LastImport, info.LastAt = &rec, rec.At
			}
			info.Reports = reports[code]
			if info.Reports == nil {
				info.Reports = []string{}
			}
			for _, ind := range inds {
				if !slices.Contains(info.Reports, ind.Code) {
					continue
				}
				n := inYear[si{code, ind.Code}]
				eff := then.Count[ind.Code]
				info.Indicators = append(info.Indicators, Coverage{Code: ind.Code, NameZH: ind.NameZH, NameEN: ind.NameEN,
					FromSource: n, SourceShare: coverageBP(n, c.Operating), Effective: eff, Coverage: coverageBP(eff, c.Operating)})
			}
		}
		if info.Indicators == nil {
			info.Indicators = []Coverage{}
		}
		if info.LastAt > 0 {
			info.AgeDays = max(0, int((nowMS-info.LastAt)/86_400_000))
		}
		info.Stale = info.StaleDays > 0 && (info.AgeDays < 0 || info.AgeDays > info.StaleDays)
		c.Sources = append(c.Sources, info)
	}
	return c, nil
}

// Conflicts lists conflicts in state (open or settled), the widest spread
// first. Staff and zone-wide units read them; they name enterprises'
// values, so office areas and enterprises may not. Errors: Forbidden,
// Invalid (an unknown state).
func (s *Service) Conflicts(ctx context.Context, v Viewer, state string, limit int) ([]Conflict, error) {
	if !v.Zone() {
		return nil, errNoSources
	}
	if state == "" {
		state = ConflictOpen
	}
	if state != ConflictOpen && state != ConflictSettled {
		return nil, errs.Field("state", "状态须为 open 或 settled", "state must be open or settled")
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	return s.conflicts(ctx, s.DB.R, `SELECT enterprise_id, indicator, year, vals, spread, state, kept, COALESCE(settled_by, 0), settled_at, note
		FROM insight_conflicts WHERE state = $1 ORDER BY spread DESC, enterprise_id, indicator, year LIMIT $2`, state, limit)
}

func (s *Service) conflicts(ctx context.Context, q db.Querier, query string, args ...any) ([]Conflict, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("insight: conflicts: %w", err)
	}
	out := []Conflict{}
	var ids []int64
	var vals []string
	for rows.Next() {
		var c Conflict
		var v string
		if err := rows.Scan(&c.EnterpriseID, &c.Indicator, &c.Year, &v, &c.Spread, &c.State, &c.Kept, &c.SettledBy, &c.SettledAt, &c.Note); err != nil {
			rows.Close()
			return nil, fmt.Errorf("insight: conflicts: %w", err)
		}
		out = append(out, c)
		ids = append(ids, c.EnterpriseID)
		vals = append(vals, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insight: conflicts: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	names, err := s.Registry.Briefs(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]enterprise.Indicator{}
	for _, i := range inds {
		byCode[i.Code] = i
	}
	for i := range out {
		c := &out[i]
		c.Enterprise = names[c.EnterpriseID].Name
		ind := byCode[c.Indicator]
		c.IndicatorZH, c.IndicatorEN = ind.NameZH, ind.NameEN
		if c.Kept != "" {
			c.KeptZH, c.KeptEN = enterprise.Source(c.Kept).Label()
		}
		for _, p := range strings.Split(vals[i], ",") {
			src, num, _ := strings.Cut(p, "=")
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("insight: conflict values %q", vals[i])
			}
			zh, en := enterprise.Source(src).Label()
			c.Values = append(c.Values, SourceValue{Source: src, NameZH: zh, NameEN: en, Value: n, Text: amount(ind, n)})
		}
	}
	return out, nil
}

// SettleRequest settles a conflict: the source whose value stands, and
// why.
type SettleRequest struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Indicator    string `json:"indicator"`
	Year         int    `json:"year"`
	Keep         string `json:"keep"`
	Note         string `json:"note"`
}

// Settle settles an open conflict: the value of source Keep stands, the
// other sources' values are rejected in the registry (audited there, the
// effective value recomputed and the change fed), and the conflict is
// settled with the note, in one transaction; the rollups then follow.
// Only supervisors and admins. Errors: Forbidden, Invalid, NotFound,
// Conflict (already settled).
func (s *Service) Settle(ctx context.Context, v Viewer, r SettleRequest) (Conflict, error) {
	if v.Role != "admin" && v.Role != "supervisor" {
		return Conflict{}, errs.New(errs.Forbidden, "只有督查室或管理员可以处理数据冲突", "only supervisors and admins settle data conflicts")
	}
	r.Note = strings.TrimSpace(r.Note)
	if r.Note == "" || len([]rune(r.Note)) > 500 {
		return Conflict{}, errs.Field("note", "请写明采用该来源的理由（500 字以内）", "give the reason for keeping this source (at most 500 characters)")
	}
	var out Conflict
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The applier's row first, as the applier takes it: no batch
		// refreshes this conflict from values read before it is settled.
		if _, err := s.lockState(ctx, tx); err != nil {
			return err
		}
		list, err := s.conflicts(ctx, tx, `SELECT enterprise_id, indicator, year, vals, spread, state, kept, COALESCE(settled_by, 0), settled_at, note
			FROM insight_conflicts WHERE enterprise_id = $1 AND indicator = $2 AND year = $3`+s.DB.ForUpdate(), r.EnterpriseID, r.Indicator, r.Year)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return errs.New(errs.NotFound, "没有该数据冲突", "no such conflict")
		}
		c := list[0]
		if c.State != ConflictOpen {
			return errs.New(errs.Conflict, "该冲突已处理", "the conflict is already settled")
		}
		if !slices.ContainsFunc(c.Values, func(sv SourceValue) bool { return sv.Source == r.Keep }) {
			return errs.Field("keep", "须从冲突的来源中选择一个", "choose one of the conflicting sources")
		}
		rejected, err := s.Registry.KeepSource(ctx, tx, enterprise.Viewer{UserID: v.UserID, Role: v.Role}, r.EnterpriseID, r.Indicator, r.Year,
			enterprise.Source(r.Keep), r.Note)
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, `UPDATE insight_conflicts SET state = 'settled', kept = $1, settled_by = $2, settled_at = $3, note = $4
			WHERE enterprise_id = $5 AND indicator = $6 AND year = $7`, r.Keep, nullID(v.UserID), now, r.Note, r.EnterpriseID, r.Indicator, r.Year); err != nil {
			return fmt.Errorf("insight: settle: %w", err)
		}
		var gone []string
		for _, f := range rejected {
			gone = append(gone, string(f.Source))
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.conflict.settle", ObjectType: "insight_conflict",
			ObjectID: fmt.Sprintf("%d/%s/%d", r.EnterpriseID, r.Indicator, r.Year),
			Before:   map[string]any{"state": ConflictOpen, "spread": c.Spread}, After: map[string]any{"state": ConflictSettled, "kept": r.Keep, "rejected": gone, "note": r.Note}}); err != nil {
			return err
		}
		c.State, c.Kept, c.SettledBy, c.SettledAt, c.Note = ConflictSettled, r.Keep, v.UserID, now, r.Note
		c.KeptZH, c.KeptEN = enterprise.Source(r.Keep).Label()
		out = c
		return memo.Bump(ctx, tx, Module)
	})
	if err != nil {
		return out, err
	}
	// The registry's change is in the feed: bring the rollups up to it
	// now. The settlement stands either way; should this fail, the
	// server's applier brings them up at its next round.
	if _, err := s.Apply(ctx); err != nil {
		slog.Warn("insight: apply after settling a conflict", "err", err)
	}
	return out, nil
}
