package enterprise

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
)

// planned is the work one row turns into.
type planned struct {
	row      *parsedRow
	res      resolved
	existing *Enterprise      // nil for a new enterprise
	changed  []string         // profile keys that change
	chains   bool             // the chain set changes
	figures  []figVal         // the values to write, of row.year
	before   map[string]int64 // effective values replaced, for the history
}

// checker compares rows with what is stored, chunk by chunk, and
// validates each merged record; it remembers the codes seen so far to
// refuse a code the file repeats.
type checker struct {
	s      *Service
	cat    *catalog
	header map[string]string
	first  map[string]int // normalised credit code → first row
	today  string
}

func (s *Service) newChecker(cat *catalog, cols []column) *checker {
	header := map[string]string{}
	for _, c := range cols {
		header[c.key] = c.header
	}
	return &checker{s: s, cat: cat, header: header, first: map[string]int{}, today: s.Today()}
}

// fieldHeader is the file's header of a field, for the report.
func (c *checker) fieldHeader(field string) string {
	key := field
	if field == "registered_capital_fen" {
		key = colCapital
	}
	if h, ok := c.header[key]; ok {
		return h
	}
	return field
}

// check plans one chunk of rows and records every bad row in res. Rows
// with errors are left out of the plan.
func (c *checker) check(ctx context.Context, rows []parsedRow, res *ImportResult) ([]planned, error) {
	dup := map[int]bool{}
	for i, r := range rows {
		code := normCode(r.in.CreditCode)
		if prev, seen := c.first[code]; seen {
			res.bad(r.line, c.fieldHeader(colCode), r.in.CreditCode, "统一社会信用代码与第 "+strconv.Itoa(prev)+" 行重复", "credit code repeats row "+strconv.Itoa(prev))
			dup[i] = true
			continue
		}
		c.first[code] = r.line
	}
	existing, err := c.s.loadExisting(ctx, rows)
	if err != nil {
		return nil, err
	}
	var out []planned
	for i := range rows {
		r := &rows[i]
		pl := planned{row: r}
		in := r.in
		if e, ok := existing[normCode(r.in.CreditCode)]; ok {
			pl.existing = e
			in = mergeInput(inputOf(*e), *r)
		}
		if !r.set(colStatus) && pl.existing == nil {
			in.Status = Operating
		}
		var bad []errs.Detail
		pl.res, bad = c.cat.validate(in, c.today)
		if d := newCodeException(pl.existing, pl.res.in); d != nil {
			bad = append(bad, *d)
		}
		for _, d := range bad {
			res.bad(r.line, c.fieldHeader(d.Field), d.Value, d.Reason, d.ReasonEN)
		}
		if len(bad) > 0 || r.bad || dup[i] {
			continue
		}
		if pl.existing != nil {
			pl.changed, pl.chains = diffProfile(*pl.existing, pl.res, *r)
		}
		cur := pl.existing.current()
		for _, fv := range r.figures {
			code, v := fv.ind, fv.value
			if old, ok := cur[figKey{code, r.year}]; ok && old == v {
				continue
			}
			if old, ok := cur[figKey{code, r.year}]; ok {
				if pl.before == nil {
					pl.before = map[string]int64{}
				}
				pl.before[code] = old
			}
			pl.figures = append(pl.figures, fv)
		}
		kind := "unchanged"
		var fields []string
		switch {
		case pl.existing == nil:
			kind = "create"
			res.Created++
		case len(pl.changed) > 0 || pl.chains || len(pl.figures) > 0:
			kind = "update"
			res.Updated++
			for _, k := range pl.changed {
				fields = append(fields, c.fieldHeader(k))
			}
			if pl.chains {
				fields = append(fields, c.fieldHeader(colChains))
			}
			for _, f := range pl.figures {
				fields = append(fields, c.fieldHeader(figPrefix+f.ind))
			}
		default:
			res.Unchanged++
		}
		res.Figures += len(pl.figures)
		if len(res.Changes) < 200 && kind != "unchanged" {
			res.Changes = append(res.Changes, Change{Row: r.line, CreditCode: pl.res.in.CreditCode, Name: pl.res.in.Name, Kind: kind, Fields: fields})
		}
		out = append(out, pl)
	}
	return out, nil
}

func normCode(c string) string { return strings.ToUpper(strings.TrimSpace(halfWidth(c))) }

// mergeInput overlays the row's non-blank cells on the stored record.
func mergeInput(base Input, r parsedRow) Input {
	in := r.in
	if r.set(colName) {
		base.Name = in.Name
	}
	if r.set(colFormer) {
		base.FormerNames = in.FormerNames
	}
	if r.set(colForm) {
		base.LegalForm = in.LegalForm
	}
	if r.set(colRegOn) {
		base.RegisteredOn = in.RegisteredOn
	}
	if r.set(colCapital) {
		base.CapitalFen = in.CapitalFen
	}
	if r.set(colArea) {
		base.Area = in.Area
	}
	if r.set(colAddress) {
		base.Address = in.Address
	}
	if r.set(colIndustry) {
		base.IndustryCode = in.IndustryCode
	}
	if r.set(colChains) {
		base.Chains = in.Chains
	}
	if r.set(colStatus) {
		base.Status = in.Status
	}
	if r.set(colException) {
		base.CodeException = in.CodeException
	}
	base.CreditCode = in.CreditCode
	return base
}

// diffProfile names the profile columns whose value changes.
func diffProfile(e Enterprise, r resolved, row parsedRow) ([]string, bool) {
	in := r.in
	var ch []string
	if in.Name != e.Name {
		ch = append(ch, colName)
	}
	if strings.Join(in.FormerNames, "\n") != strings.Join(e.FormerNames, "\n") {
		ch = append(ch, colFormer)
	}
	if in.LegalForm != e.LegalForm {
		ch = append(ch, colForm)
	}
	if in.RegisteredOn != e.RegisteredOn {
		ch = append(ch, colRegOn)
	}
	if in.CapitalFen != e.CapitalFen {
		ch = append(ch, colCapital)
	}
	if r.areaID != e.AreaUnitID {
		ch = append(ch, colArea)
	}
	if in.Address != e.Address {
		ch = append(ch, colAddress)
	}
	if in.IndustryCode != e.IndustryCode {
		ch = append(ch, colIndustry)
	}
	if in.Status != e.Status {
		ch = append(ch, colStatus)
	}
	if in.CodeException != e.CodeException {
		ch = append(ch, colException)
	}
	chains := false
	if row.set(colChains) {
		var old []int64
		for _, c := range e.Chains {
			old = append(old, c.ID)
		}
		a, b := slices.Clone(old), slices.Clone(r.chainIDs)
		slices.Sort(a)
		slices.Sort(b)
		chains = !slices.Equal(a, b)
	}
	return ch, chains
}

type figKey struct {
	ind  string
	year int
}

// current returns the effective values loaded for e (nil-safe).
func (e *Enterprise) current() map[figKey]int64 {
	if e == nil {
		return nil
	}
	return e.cur
}

// loadExisting reads the stored enterprises whose codes appear in rows,
// with their chains and the effective values of the rows' years, 500 codes
// per query.
func (s *Service) loadExisting(ctx context.Context, rows []parsedRow) (map[string]*Enterprise, error) {
	out := map[string]*Enterprise{}
	years := map[string]int{}
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		var args []any
		var ph []string
		for _, r := range rows[start:end] {
			code := normCode(r.in.CreditCode)
			years[code] = r.year
			args = append(args, code)
			ph = append(ph, s.placeholder(len(args)))
		}
		q := "SELECT " + entCols + entFrom + " WHERE e.credit_code IN (" + strings.Join(ph, ",") + ") ORDER BY e.id"
		dbRows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("enterprise: import: load: %w", err)
		}
		var batch []*Enterprise
		for dbRows.Next() {
			e, err := scanEnterprise(dbRows)
			if err != nil {
				dbRows.Close()
				return nil, err
			}
			ep := &e
			out[e.CreditCode] = ep
			batch = append(batch, ep)
		}
		dbRows.Close()
		if err := dbRows.Err(); err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			continue
		}
		if err := fillChains(ctx, s.DB.R, batch); err != nil {
			return nil, err
		}
		byID := map[int64]*Enterprise{}
		var ids []int64
		inYears := map[int]bool{}
		for _, e := range batch {
			byID[e.ID] = e
			ids = append(ids, e.ID)
			e.cur = map[figKey]int64{}
			inYears[years[e.CreditCode]] = true
		}
		var ys []string
		for y := range inYears {
			ys = append(ys, strconv.Itoa(y))
		}
		codes, err := indicatorCodes(ctx, s.DB.R)
		if err != nil {
			return nil, err
		}
		using, cond, cargs := s.currentOf(codes, ids, 0)
		fr, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT c.enterprise_id, c.indicator, c.year, c.value FROM enterprise_figure_current c"+using+
			" WHERE "+cond+" AND c.year IN ("+strings.Join(ys, ",")+") AND c.month = 0", cargs...)
		if err != nil {
			return nil, fmt.Errorf("enterprise: import: load figures: %w", err)
		}
		for fr.Next() {
			var id, v int64
			var ind string
			var y int
			if err := fr.Scan(&id, &ind, &y, &v); err != nil {
				fr.Close()
				return nil, err
			}
			if e := byID[id]; e != nil && years[e.CreditCode] == y {
				e.cur[figKey{ind, y}] = v
			}
		}
		fr.Close()
		if err := fr.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
