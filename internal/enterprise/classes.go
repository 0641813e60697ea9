package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// Classes are what an evaluation decided of enterprises, kept by the
// registry by year so that every module (and the registry's list) can
// filter on them: the 亩均效益评价's A/B/C/D first. The module that runs the
// evaluation writes a year's set whole, inside its own transaction
// (SetClasses); the registry owns the rows and their reads.

// ClassMu is the scheme of the per-mu evaluation (亩均效益评价).
const ClassMu = "mu"

// ClassSchemes are the schemes the registry keeps, with their names.
var ClassSchemes = map[string][2]string{ClassMu: {"亩均效益评价", "per-mu evaluation"}}

// ClassLetters are the classes of a scheme, best first.
var ClassLetters = []string{"A", "B", "C", "D"}

// ClassSet is one scheme's classes of one year, by enterprise id, and the
// awards programme they came from.
type ClassSet struct {
	Scheme  string
	Year    int
	Source  int64 // the programme whose confirmed ranking decided them
	Classes map[int64]string
}

// Class is one enterprise's class of one year.
type Class struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Year         int    `json:"year"`
	Scheme       string `json:"scheme"`
	Class        string `json:"class"`
	Source       int64  `json:"source_programme_id"`
	SetAt        int64  `json:"set_at"`
}

func validScheme(s string) bool { _, ok := ClassSchemes[s]; return ok }

// SetClasses replaces the classes of set.Scheme and set.Year by set's,
// inside the caller's transaction tx: enterprises of the old set that are
// not in the new one lose their class of that year. It records the change
// in the audit trail, feeds the change feed with the enterprises whose
// class changed (in that year) and moves the registry's version, all in
// tx. v must write the registry (admin, supervisor). Errors: Forbidden,
// Invalid (scheme, year, a class, an enterprise that does not exist).
func (s *Service) SetClasses(ctx context.Context, tx *sql.Tx, v Viewer, set ClassSet) error {
	if !v.Writes() {
		return errNoWrite
	}
	if !validScheme(set.Scheme) {
		return errs.Field("scheme", "没有这一分类："+set.Scheme, "no such scheme: "+set.Scheme)
	}
	if set.Year < 2000 || set.Year > 2100 {
		return errs.Field("year", "年度无效", "year is not valid")
	}
	ids := make([]int64, 0, len(set.Classes))
	for id, c := range set.Classes {
		if !slices.Contains(ClassLetters, c) {
			return errs.Field("class", "分类应为 A、B、C、D："+c, "a class is A, B, C or D: "+c)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	known, err := s.Briefs(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			return errFieldValue("enterprise_id", strconv.FormatInt(id, 10), "企业不存在", "enterprise not found")
		}
	}
	old, err := s.ClassesOf(ctx, tx, set.Scheme, set.Year)
	if err != nil {
		return err
	}
	var changed []int64
	for id, c := range old {
		if set.Classes[id] != c {
			changed = append(changed, id)
		}
	}
	for id := range set.Classes {
		if _, had := old[id]; !had {
			changed = append(changed, id)
		}
	}
	slices.Sort(changed)
	if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_classes WHERE scheme = $1 AND year = $2", set.Scheme, set.Year); err != nil {
		return fmt.Errorf("enterprise: set classes: %w", err)
	}
	now := s.nowMS()
	for start := 0; start < len(ids); start += 200 {
		part := ids[start:min(start+200, len(ids))]
		q := "INSERT INTO enterprise_classes (enterprise_id, year, scheme, class, source_programme_id, set_at) VALUES "
		args := make([]any, 0, 6*len(part))
		for i, id := range part {
			if i > 0 {
				q += ","
			}
			q += fmt.Sprintf("($%d,$%d,$%d,$%d,$%d,$%d)", 6*i+1, 6*i+2, 6*i+3, 6*i+4, 6*i+5, 6*i+6)
			args = append(args, id, set.Year, set.Scheme, set.Classes[id], set.Source, now)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("enterprise: set classes: %w", err)
		}
	}
	counts := map[string]int{}
	for _, c := range set.Classes {
		counts[c]++
	}
	err = s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.class.set", ObjectType: "enterprise_classes",
		ObjectID: set.Scheme + "/" + strconv.Itoa(set.Year),
		Before:   map[string]any{"enterprises": len(old)},
		After: map[string]any{"year": set.Year, "scheme": set.Scheme, "source_programme_id": set.Source, "enterprises": len(ids),
			"changed": len(changed), "class_a": counts["A"], "class_b": counts["B"], "class_c": counts["C"], "class_d": counts["D"]}})
	if err != nil {
		return err
	}
	if len(changed) > 0 {
		if err := s.feed(ctx, tx, changed, set.Year); err != nil {
			return err
		}
	}
	return memo.Bump(ctx, tx, Module)
}

// ClassesOf returns the classes of scheme in year, by enterprise id. q is
// the caller's transaction, or nil for the read pool; it checks no viewer
// (the caller is a service that checked its own).
func (s *Service) ClassesOf(ctx context.Context, q db.Querier, scheme string, year int) (map[int64]string, error) {
	rows, err := s.reader(q).QueryContext(ctx, "SELECT enterprise_id, class FROM enterprise_classes WHERE scheme = $1 AND year = $2 ORDER BY enterprise_id", scheme, year)
	if err != nil {
		return nil, fmt.Errorf("enterprise: classes: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return nil, fmt.Errorf("enterprise: classes: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// ClassOf returns every class enterprise id holds in scheme, newest year
// first. Like ClassesOf it checks no viewer.
func (s *Service) ClassOf(ctx context.Context, q db.Querier, id int64, scheme string) ([]Class, error) {
	rows, err := s.reader(q).QueryContext(ctx, `SELECT enterprise_id, year, scheme, class, source_programme_id, set_at FROM enterprise_classes
		WHERE enterprise_id = $1 AND scheme = $2 ORDER BY year DESC`, id, scheme)
	if err != nil {
		return nil, fmt.Errorf("enterprise: class of %d: %w", id, err)
	}
	defer rows.Close()
	out := []Class{}
	for rows.Next() {
		var c Class
		if err := rows.Scan(&c.EnterpriseID, &c.Year, &c.Scheme, &c.Class, &c.Source, &c.SetAt); err != nil {
			return nil, fmt.Errorf("enterprise: class of %d: %w", id, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ClassYears are the years scheme has classes in, newest first, with the
// programme each year's set came from.
func (s *Service) ClassYears(ctx context.Context, q db.Querier, scheme string) ([]Class, error) {
	rows, err := s.reader(q).QueryContext(ctx, `SELECT year, MAX(source_programme_id), MAX(set_at) FROM enterprise_classes
		WHERE scheme = $1 GROUP BY year ORDER BY year DESC`, scheme)
	if err != nil {
		return nil, fmt.Errorf("enterprise: class years: %w", err)
	}
	defer rows.Close()
	out := []Class{}
	for rows.Next() {
		c := Class{Scheme: scheme}
		if err := rows.Scan(&c.Year, &c.Source, &c.SetAt); err != nil {
			return nil, fmt.Errorf("enterprise: class years: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
