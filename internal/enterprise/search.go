package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Name search. Every server keeps the names and former names of all
// enterprises in memory (ASCII letters lower-cased, as the database's
// LIKE and lower() fold them), one string per enterprise, and answers a
// name filter by a substring scan of those strings: about 4 MB for
// 100,000 enterprises, scanned in a millisecond or two. The ids found
// become the list query's id set; the database never writes a search
// index, so an import writes no more than the records themselves.
//
// Freshness across servers: every write that gives an enterprise a name
// (create, rename, import, synthetic load) first increments
// enterprise_names_state.version, whose row lock orders such writes, and
// stamps the enterprise's names_seq with the new version. A server reads
// the version (and the highest enterprise id, for rows inserted by other
// code) before each search; when either moved it reloads the enterprises
// stamped after the version it holds (and those above its highest id).

// defaultNameWindow is the most ids a name filter passes to the list
// query as a literal set (Options.NameWindow): the list runs on windows of
// that many matches (listByName); a single query for a name matching more
// (an export's explain) tests the name in the database instead.
const defaultNameWindow = 2000

// foldASCII lower-cases ASCII letters only, as SQLite's lower() does.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// scanOnly reports whether q holds a non-ASCII letter with case, which
// PostgreSQL's ILIKE folds and the index does not: such a query is
// searched by the database.
func scanOnly(q string) bool {
	for _, r := range q {
		if r > unicode.MaxASCII && (unicode.ToLower(r) != r || unicode.ToUpper(r) != r) {
			return true
		}
	}
	return false
}

// nameIndex is the in-memory name index of one server.
type nameIndex struct {
	mu      sync.RWMutex
	loaded  bool
	version int64            // names version the index holds
	maxID   int64            // highest enterprise id loaded
	text    map[int64]string // id → folded names, one per line
	ids     []int64          // ids in order
	all     string           // every text, each ended by "\x00", in ids order
	ends    []int            // ends[i]: offset of the "\x00" ending ids[i]'s text
	freq    [256]int         // how often each byte occurs in all
}

// namesText is what the index keeps of an enterprise's names.
func namesText(name, former string) string {
	if former == "" {
		return foldASCII(name)
	}
	return foldASCII(name + "\n" + former)
}

// bumpNames takes the next names version inside tx; the writer stamps the
// enterprises it names with it.
func (s *Service) bumpNames(ctx context.Context, tx *sql.Tx) (int64, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, "UPDATE enterprise_names_state SET version = version + 1 WHERE id = 1 RETURNING version").Scan(&v); err != nil {
		return 0, fmt.Errorf("enterprise: names version: %w", err)
	}
	return v, nil
}

// stampNames bumps the names version and stamps the enterprises ids with it.
func (s *Service) stampNames(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	v, err := s.bumpNames(ctx, tx)
	if err != nil {
		return err
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		if _, err := tx.ExecContext(ctx, "UPDATE enterprises SET names_seq = $1 WHERE id IN ("+idList(part)+")", v); err != nil {
			return fmt.Errorf("enterprise: names version: %w", err)
		}
	}
	return nil
}

// refresh brings the index up to the database's names version.
func (s *Service) refreshNames(ctx context.Context) error {
	x := &s.names
	var version, maxID sql.NullInt64
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT (SELECT version FROM enterprise_names_state WHERE id = 1), (SELECT MAX(id) FROM enterprises)").Scan(&version, &maxID); err != nil {
		return fmt.Errorf("enterprise: name search: %w", err)
	}
	x.mu.RLock()
	fresh := x.loaded && x.version == version.Int64 && x.maxID >= maxID.Int64
	x.mu.RUnlock()
	if fresh {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.loaded && x.version == version.Int64 && x.maxID >= maxID.Int64 {
		return nil
	}
	q, args := "SELECT id, name, former_names FROM enterprises", []any(nil)
	if x.loaded {
		q += " WHERE names_seq > $1 OR id > $2"
		args = []any{x.version, x.maxID}
	} else {
		x.text = map[int64]string{}
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("enterprise: name search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, former string
		if err := rows.Scan(&id, &name, &former); err != nil {
			return err
		}
		x.text[id] = namesText(name, former)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	x.ids = x.ids[:0]
	for id := range x.text {
		x.ids = append(x.ids, id)
	}
	slices.Sort(x.ids)
	var b strings.Builder
	x.ends = x.ends[:0]
	for _, id := range x.ids {
		b.WriteString(x.text[id])
		x.ends = append(x.ends, b.Len())
		b.WriteByte(0)
	}
	x.all = b.String()
	x.freq = [256]int{}
	for i := 0; i < len(x.all); i++ {
		x.freq[x.all[i]]++
	}
	x.version, x.maxID, x.loaded = version.Int64, max(maxID.Int64, x.maxIDLoaded()), true
	return nil
}

func (x *nameIndex) maxIDLoaded() int64 {
	if len(x.ids) == 0 {
		return 0
	}
	return x.ids[len(x.ids)-1]
}

// WarmNames loads the name index, so that the first name search of a
// newly started server does not wait for it. Errors: database errors.
func (s *Service) WarmNames(ctx context.Context) error { return s.refreshNames(ctx) }

// matchNames returns, in order, the ids above after of the enterprises
// whose name or a former name contains q (folded as the index is), at
// most limit of them.
func (s *Service) matchNames(ctx context.Context, q string, after int64, limit int) ([]int64, error) {
	if err := s.refreshNames(ctx); err != nil {
		return nil, err
	}
	x := &s.names
	x.mu.RLock()
	defer x.mu.RUnlock()
	q = foldASCII(q)
	from := 0
	if k, _ := slices.BinarySearch(x.ids, after+1); k > 0 {
		from = x.ends[k-1] + 1
	}
	var out []int64
	for from < len(x.all) && len(out) < limit {
		i := rareIndex(x.all[from:], q, &x.freq)
		if i < 0 {
			break
		}
		k, _ := slices.BinarySearch(x.ends, from+i) // the text holding the hit
		out = append(out, x.ids[k])
		from = x.ends[k] + 1
	}
	return out, nil
}

// rareIndex is strings.Index(s, q), hunting for q's least frequent byte
// in s (freq counts s's bytes) and checking q around each one found.
// In Chinese names the first byte of a character is shared by thousands
// of others, so a search led by it stops at almost every character; a
// rare byte lets IndexByte skip far ahead. Measured on the names of
// 100,000 enterprises, an absent four-character name: see
// BenchmarkNameScan.
func rareIndex(s, q string, freq *[256]int) int {
	if len(q) <= 1 {
		return strings.Index(s, q)
	}
	pos := 0
	for i := 1; i < len(q); i++ {
		if freq[q[i]] < freq[q[pos]] {
			pos = i
		}
	}
	b := q[pos]
	for from := pos; from < len(s); {
		i := strings.IndexByte(s[from:], b)
		if i < 0 {
			return -1
		}
		start := from + i - pos
		if start+len(q) <= len(s) && s[start:start+len(q)] == q {
			return start
		}
		from += i + 1
	}
	return -1
}

// nameCond is the condition of a name filter n (trimmed, non-empty).
func (s *Service) nameCond(ctx context.Context, n string, arg func(any) string) (string, error) {
	exact := func() string {
		p := arg("%" + likeEscape(n) + "%")
		return "(e.name" + s.DB.ILike() + p + " ESCAPE '\\' OR e.former_names" + s.DB.ILike() + p + " ESCAPE '\\')"
	}
	if scanOnly(n) || strings.ContainsAny(n, "\n\x00") {
		return exact(), nil
	}
	ids, err := s.matchNames(ctx, n, 0, s.nameWindow+1)
	if err != nil {
		return "", err
	}
	switch {
	case len(ids) == 0:
		return "1=0", nil
	case len(ids) > s.nameWindow:
		return exact(), nil
	}
	var b strings.Builder
	b.WriteString("e.id IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(')')
	return b.String(), nil
}
