package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name search. enterprise_name_grams holds, for every enterprise, each
// character and each pair of adjacent characters of its name and of its
// former names (ASCII letters lower-cased, as the database's lower() does
// in migration 0304). A name filter looks its own characters up there
// through the primary key (gram, enterprise_id) and keeps the exact
// substring test on the candidates, so the index only narrows and never
// changes an answer.

// gramsTable is the search table.
const gramsTable = "enterprise_name_grams"

// denseGram is the bounded count above which a gram is too common to be
// read as a set; the list then walks enterprises by id and probes instead.
// Service.DenseRows overrides it (tests try both shapes).
const denseGram = 5000

// maxGrams bounds the grams a query is narrowed by.
const maxGrams = 3

// foldASCII lower-cases ASCII letters only, as SQLite's lower() does.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// gramsOf returns the distinct characters and adjacent pairs of s (folded).
func gramsOf(s string, into map[string]bool) {
	r := []rune(foldASCII(s))
	for i := range r {
		into[string(r[i])] = true
		if i+1 < len(r) {
			into[string(r[i:i+2])] = true
		}
	}
}

// queryGrams returns the grams a name query must all match: the character
// of a one-character query, else its distinct adjacent pairs. ok is false
// when the query holds a non-ASCII letter with case (PostgreSQL's ILIKE
// folds those, the search table does not), which is then searched by a
// scan.
func queryGrams(q string) (grams []string, ok bool) {
	for _, r := range q {
		if r > unicode.MaxASCII && (unicode.ToLower(r) != r || unicode.ToUpper(r) != r) {
			return nil, false
		}
	}
	r := []rune(foldASCII(q))
	if len(r) == 1 {
		return []string{string(r)}, true
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(r); i++ {
		g := string(r[i : i+2])
		if !seen[g] {
			seen[g] = true
			grams = append(grams, g)
		}
	}
	return grams, true
}

// indexNames rewrites the search rows of the enterprises ids inside tx.
// Every write of a name or former names calls it in its transaction.
func (s *Service) indexNames(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		ph := make([]string, len(part))
		args := make([]any, len(part))
		for i, id := range part {
			ph[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		in := strings.Join(ph, ",")
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+gramsTable+" WHERE enterprise_id IN ("+in+")", args...); err != nil {
			return fmt.Errorf("enterprise: name search: %w", err)
		}
		if err := s.insertGrams(ctx, tx, "SELECT id, name, former_names FROM enterprises WHERE id IN ("+in+")", args...); err != nil {
			return err
		}
	}
	return nil
}

// insertGrams writes the search rows of the enterprises q selects (id,
// name, former_names).
func (s *Service) insertGrams(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("enterprise: name search: %w", err)
	}
	type doc struct {
		id    int64
		grams map[string]bool
	}
	var docs []doc
	for rows.Next() {
		var id int64
		var name, former string
		if err := rows.Scan(&id, &name, &former); err != nil {
			rows.Close()
			return err
		}
		d := doc{id: id, grams: map[string]bool{}}
		gramsOf(name, d.grams)
		gramsOf(former, d.grams)
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	b := s.newBulk("INSERT INTO "+gramsTable+" (gram, enterprise_id)", "ON CONFLICT DO NOTHING", 2)
	for _, d := range docs {
		for g := range d.grams {
			if err := b.add(ctx, tx, g, d.id); err != nil {
				return err
			}
		}
	}
	return b.flush(ctx, tx)
}

// nameDoc is a new enterprise's names, for its search rows.
type nameDoc struct {
	id     int64
	name   string
	former []string
}

// writeGrams writes the search rows of newly inserted enterprises, sorted
// by (gram, enterprise) so consecutive inserts land on neighbouring pages.
func (s *Service) writeGrams(ctx context.Context, tx *sql.Tx, docs []nameDoc) error {
	type row struct {
		gram string
		id   int64
	}
	var rows []row
	seen := map[string]bool{}
	for _, d := range docs {
		clear(seen)
		gramsOf(d.name, seen)
		for _, f := range d.former {
			gramsOf(f, seen)
		}
		for g := range seen {
			rows = append(rows, row{g, d.id})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := strings.Compare(a.gram, b.gram); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	b := s.newBulk("INSERT INTO "+gramsTable+" (gram, enterprise_id)", "", 2)
	for _, r := range rows {
		if err := b.add(ctx, tx, r.gram, r.id); err != nil {
			return err
		}
	}
	return b.flush(ctx, tx)
}

// catchUpNames indexes enterprises added by other code (other modules'
// demo data) since the last indexed id: two index lookups when there are
// none.
func (s *Service) catchUpNames(ctx context.Context) error {
	var maxEnt, maxIdx sql.NullInt64
	if err := s.DB.R.QueryRowContext(ctx, "SELECT MAX(id) FROM enterprises").Scan(&maxEnt); err != nil {
		return fmt.Errorf("enterprise: name search: %w", err)
	}
	if err := s.DB.R.QueryRowContext(ctx, "SELECT MAX(enterprise_id) FROM "+gramsTable).Scan(&maxIdx); err != nil {
		return fmt.Errorf("enterprise: name search: %w", err)
	}
	if maxEnt.Int64 <= maxIdx.Int64 {
		return nil
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return s.insertGrams(ctx, tx, "SELECT id, name, former_names FROM enterprises WHERE id > $1 ORDER BY id", maxIdx.Int64)
	})
}

// nameCond is the condition of a name filter n (trimmed, non-empty).
func (s *Service) nameCond(ctx context.Context, n string, arg func(any) string) (string, error) {
	pat := "%" + likeEscape(n) + "%"
	exact := func() string {
		p := arg(pat)
		return "(e.name" + s.DB.ILike() + p + " ESCAPE '\\' OR e.former_names" + s.DB.ILike() + p + " ESCAPE '\\')"
	}
	grams, ok := queryGrams(n)
	if !ok {
		return exact(), nil
	}
	if err := s.catchUpNames(ctx); err != nil {
		return "", err
	}
	// One query counts the rows of each gram not counted lately, bounded,
	// to pick the rarest.
	limit := denseGram
	if s.DenseRows > 0 {
		limit = s.DenseRows
	}
	counts := make([]int, len(grams))
	var parts []string
	var cargs []any
	for i, g := range grams {
		if n, ok := s.plans.get(gramKey(g, limit)); ok {
			counts[i] = n
			continue
		}
		cargs = append(cargs, g)
		parts = append(parts, "SELECT "+strconv.Itoa(i)+" AS k, (SELECT COUNT(*) FROM (SELECT 1 FROM "+gramsTable+
			" g WHERE g.gram = $"+strconv.Itoa(len(cargs))+" LIMIT "+strconv.Itoa(limit)+") x) AS n")
	}
	if len(parts) > 0 {
		rows, err := s.DB.R.QueryContext(ctx, strings.Join(parts, " UNION ALL "), cargs...)
		if err != nil {
			return "", fmt.Errorf("enterprise: name search: %w", err)
		}
		for rows.Next() {
			var k, n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return "", err
			}
			counts[k] = n
			s.plans.put(gramKey(grams[k], limit), n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	// The rarest few grams narrow enough; more only cost planning time
	// (PostgreSQL plans each as a join), and the substring test decides.
	order := make([]int, len(grams))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return counts[a] - counts[b] })
	order = order[:min(len(order), maxGrams)]
	var conds []string
	for k, i := range order {
		if k == 0 && counts[i] < limit {
			conds = append(conds, "e.id IN (SELECT g.enterprise_id FROM "+gramsTable+" g WHERE g.gram = "+arg(grams[i])+")")
			continue
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM "+gramsTable+" g WHERE g.gram = "+arg(grams[i])+" AND g.enterprise_id = e.id)")
	}
	// A query of one or two characters is its own gram, so the gram is the
	// match; a longer one has its pairs in some order, which the substring
	// test settles.
	if utf8.RuneCountInString(n) > 2 {
		conds = append(conds, exact())
	}
	return strings.Join(conds, " AND "), nil
}

func gramKey(g string, limit int) string { return "gram " + strconv.Itoa(limit) + " " + g }
