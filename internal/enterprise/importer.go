package enterprise

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// ImportOptions tune one import.
type ImportOptions struct {
	Filename string
	DryRun   bool   // check and report what would change; write nothing
	Source   Source // source of the figures: stats (default), tax or staff
	JobID    int64  // the background job running this import, if any
	// Progress, when set, is called as the import goes: once the data
	// rows are counted, after each chunk of rows read, and after each
	// chunk written into the transaction.
	Progress func(ImportProgress)
	// Writing, when set, is called once the file is read and checked, just
	// before the write transaction starts.
	Writing func()
}

// ImportProgress is how far an import has come, in data rows (blank rows
// and the template's example row do not count): Total in the file, Read
// and checked so far, Written into the open transaction so far (0 for a
// dry run or once a bad row stopped the writing).
type ImportProgress struct {
	Total, Read, Written int
}

// Change is what an import does to one row's enterprise.
type Change struct {
	Row        int      `json:"row"`
	CreditCode string   `json:"credit_code"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`             // create, update, unchanged
	Fields     []string `json:"fields,omitempty"` // changed columns, as headed in the file
}

// ImportResult reports an import: counts, the first changes, and every bad
// row. Written is true only when everything was written.
type ImportResult struct {
	Filename  string        `json:"filename"`
	DryRun    bool          `json:"dry_run"`
	Written   bool          `json:"written"`
	Rows      int           `json:"rows"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Figures   int           `json:"figures"`
	Ignored   []string      `json:"ignored_columns,omitempty"`
	Changes   []Change      `json:"changes,omitempty"` // the first 200
	Errors    []errs.Detail `json:"errors,omitempty"`
	SHA256    string        `json:"sha256"`
	JobID     int64         `json:"job_id,omitempty"`
}

// maxReportedErrors bounds the report; counting goes on past it.
const maxReportedErrors = 10000

// column is one matched column of a file.
type column struct {
	idx    int
	key    string
	header string // as written in the file
	exp    int    // powers of ten from the written number to the stored value
	ind    Indicator
}

// parsedRow is one data row read from the file.
type parsedRow struct {
	line    int
	in      Input
	given   uint32 // bits of the profile columns given (non-blank) in the row
	year    int
	figures []figVal // in file order
	skip    bool     // the template's example row
	bad     bool     // a cell could not be read; the row is still validated for a full report
}

// Import reads a spreadsheet (.xlsx or .csv) and upserts its enterprises by
// credit code, all or nothing: if any row is bad, nothing is written and
// the result lists every bad row (row, column, value, reason). Blank cells
// leave a stored value as it is; a figure equal to the effective value is
// not written again, so re-importing an export changes nothing. Errors:
// Forbidden, TooLarge, Invalid (not a spreadsheet, no header row); bad rows
// are in the result, not the error.
//
// The file is read, checked and written as a stream: one goroutine reads
// and parses rows in chunks while this one checks each chunk against the
// registry and writes it into one open transaction. The first bad row
// rolls the transaction back and the rest of the file is only checked, so
// the report still names every bad row; a clean file commits once at the
// end. Memory is bounded by a few chunks, not by the file.
func (s *Service) Import(ctx context.Context, v Viewer, data []byte, o ImportOptions) (ImportResult, error) {
	res := ImportResult{Filename: o.Filename, DryRun: o.DryRun, JobID: o.JobID}
	if !v.Writes() {
		return res, errNoWrite
	}
	if int64(len(data)) > s.maxBytes() {
		return res, errs.New(errs.TooLarge, "文件超过大小上限 "+strconv.FormatInt(s.maxBytes()>>20, 10)+" MB", "the file is over the "+strconv.FormatInt(s.maxBytes()>>20, 10)+" MB limit")
	}
	if o.Source == "" {
		o.Source = FromStats
	}
	if !o.Source.Official() {
		return res, errs.Field("source", "数据来源须为 "+officialSources, "source must be stats, tax, power, ipr or staff")
	}
	sum := sha256.Sum256(data)
	res.SHA256 = hex.EncodeToString(sum[:])
	cat, err := s.catalog(ctx)
	if err != nil {
		return res, err
	}
	rr, cols, err := s.openRows(data, cat, &res)
	if err != nil {
		return res, err
	}
	defer rr.Close()
	var prog progress
	if o.Progress != nil {
		// A first pass counts the data rows, so that progress is rows done
		// of the rows there are, not of the sheet's declared size.
		total, err := countDataRows(data, o.Filename, rr.Line(), cols)
		if err != nil {
			return res, err
		}
		prog = progress{report: o.Progress, p: ImportProgress{Total: total}}
		prog.send()
	}

	// The reader keeps its own report of bad cells; the two are merged in
	// row order at the end.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	chunks := make(chan []parsedRow, 2)
	var read ImportResult
	var readErr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(chunks)
		readErr = readChunks(rctx, rr, cols, prog.read, &read, chunks)
	}()
	drain := func() {
		stop()
		for range chunks {
		}
		<-readDone
	}

	ck := s.newChecker(cat, cols)
	var w *importWriter
	defer func() {
		if w != nil {
			w.rollback()
		}
	}()
	writing := !o.DryRun && len(res.Errors) == 0
	for chunk := range chunks {
		bad := len(res.Errors)
		plan, err := ck.check(ctx, chunk, &res)
		if err != nil {
			drain()
			return res, err
		}
		clean := len(res.Errors) == bad && !anyBad(chunk)
		if writing && !clean {
			// The first bad row: nothing will be written; check the rest.
			writing = false
			if w != nil {
				w.rollback()
				w = nil
			}
		}
		if !writing {
			continue
		}
		if len(plan) == 0 {
			prog.wrote(len(chunk)) // nothing to change in these rows: done all the same
			continue
		}
		if w == nil {
			if o.Writing != nil {
				o.Writing()
			}
			if w, err = s.beginImport(ctx, o); err != nil {
				drain()
				return res, err
			}
		}
		if err := w.write(ctx, plan); err != nil {
			drain()
			return res, err
		}
		prog.wrote(len(chunk))
	}
	<-readDone
	if readErr != nil {
		return res, readErr
	}
	res.Rows = read.Rows
	res.Errors = mergeErrors(read.Errors, res.Errors)
	if len(res.Errors) > 0 {
		// Refused: nothing was or would be written, so no row counts as
		// new, updated or unchanged, and no change is listed.
		res.Created, res.Updated, res.Unchanged, res.Figures, res.Changes = 0, 0, 0, 0, nil
		return res, nil
	}
	if o.DryRun || !writing {
		return res, nil
	}
	if w == nil { // a file of unchanged rows, or of none: record it all the same
		if w, err = s.beginImport(ctx, o); err != nil {
			return res, err
		}
	}
	if err := w.commit(ctx, &res); err != nil {
		return res, err
	}
	w = nil
	res.Written = true
	if res.Created+res.Updated >= 10000 {
		s.Analyze(ctx)
	}
	return res, nil
}

// anyBad reports whether a chunk holds a row with an unreadable cell.
func anyBad(rows []parsedRow) bool {
	for i := range rows {
		if rows[i].bad {
			return true
		}
	}
	return false
}

// mergeErrors puts the reader's and the checker's reports in row order
// (a row's unreadable cells before what the check found), bounded.
func mergeErrors(read, checked []errs.Detail) []errs.Detail {
	out := append(read, checked...)
	slices.SortStableFunc(out, func(a, b errs.Detail) int { return a.Row - b.Row })
	return out[:min(len(out), maxReportedErrors)]
}

func (s *Service) maxBytes() int64 {
	if s.MaxImportBytes <= 0 {
		return 20 << 20
	}
	return s.MaxImportBytes
}

func (r *ImportResult) bad(row int, field, value, zh, en string) {
	if len(r.Errors) < maxReportedErrors {
		r.Errors = append(r.Errors, errs.Detail{Row: row, Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
}

// findHeader recognises the header row among the first rows: the first row
// whose cells name the credit-code column and at least one other known
// column. Rows above it (a merged title, a date line) are skipped.
func findHeader(cells []string, idx map[string]string) bool {
	hasCode, known := false, 0
	for _, c := range cells {
		n, _ := normHeader(c)
		if k, ok := idx[n]; ok {
			known++
			hasCode = hasCode || k == colCode
		}
	}
	return hasCode && known >= 2
}

func matchColumns(cells []string, line int, idx map[string]string, cat *catalog, res *ImportResult) []column {
	var cols []column
	seen := map[string]string{}
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		n, unit := normHeader(c)
		key, ok := idx[n]
		if !ok {
			res.Ignored = append(res.Ignored, strings.TrimSpace(c))
			continue
		}
		if prev, dup := seen[key]; dup {
			res.bad(line, c, c, "与“"+prev+"”是同一列，列名重复", "duplicates column "+prev)
			continue
		}
		seen[key] = c
		col := column{idx: i, key: key, header: strings.TrimSpace(c)}
		money := key == colCapital
		if strings.HasPrefix(key, figPrefix) {
			col.ind = cat.indByCode[strings.TrimPrefix(key, figPrefix)]
			money = col.ind.Money()
			col.exp = col.ind.Scale
		}
		if money {
			if unit == "" {
				unit = defaultMoneyUnit
			}
			exp, ok := moneyUnits[unit]
			if !ok {
				res.bad(line, c, unit, "无法识别的金额单位“"+unit+"”（可用 元、千元、万元、百万元、亿元）", "unknown money unit "+unit+" (use 元, 千元, 万元, 百万元 or 亿元)")
				continue
			}
			col.exp = exp
		}
		cols = append(cols, col)
	}
	return cols
}

// openRows opens the sheet, finds the header row and matches its columns.
func (s *Service) openRows(data []byte, cat *catalog, res *ImportResult) (rowReader, []column, error) {
	rr, err := openSheet(data, res.Filename)
	if err != nil {
		return nil, nil, err
	}
	idx := headerIndex(cat.indicators)
	var cols []column
	for rr.Next() {
		cells, err := rr.Row()
		if err != nil {
			rr.Close()
			return nil, nil, err
		}
		if findHeader(cells, idx) {
			cols = matchColumns(cells, rr.Line(), idx, cat, res)
			break
		}
		if rr.Line() >= 20 {
			break
		}
	}
	if cols == nil {
		rr.Close()
		return nil, nil, errs.New(errs.Invalid, "找不到表头：前 20 行中没有含“统一社会信用代码”和其他已知列名的行。请使用导入模板。",
			"no header row: none of the first 20 rows names the credit-code column and another known column; use the import template")
	}
	return rr, cols, nil
}

// chunkRows is how many data rows travel from the reader to the checker
// at a time.
const chunkRows = 1000

// readChunks parses every data row after the header and sends them in
// chunks; bad cells go to res.
func readChunks(ctx context.Context, rr rowReader, cols []column, progress func(rows int), res *ImportResult, out chan<- []parsedRow) error {
	thisYear, _ := strconv.Atoi(Today()[:4])
	chunk := make([]parsedRow, 0, chunkRows)
	send := func() bool {
		if len(chunk) == 0 {
			return true
		}
		select {
		case out <- chunk:
		case <-ctx.Done():
			return false
		}
		chunk = make([]parsedRow, 0, chunkRows)
		return true
	}
	for rr.Next() {
		cells, err := rr.Row()
		if err != nil {
			return err
		}
		line := rr.Line()
		if blankRow(cells) {
			continue
		}
		p, ok := parseRow(cells, line, cols, thisYear, res)
		if p.skip {
			continue
		}
		p.bad = !ok
		chunk = append(chunk, p)
		res.Rows++
		if len(chunk) == chunkRows {
			if !send() {
				return ctx.Err()
			}
			progress(res.Rows)
		}
	}
	if !send() {
		return ctx.Err()
	}
	progress(res.Rows)
	return nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// exampleRow recognises the template's example row, which imports skip.
func exampleRow(name string) bool {
	n := strings.TrimSpace(halfWidth(name))
	return strings.HasPrefix(n, "(示例)") || strings.HasPrefix(strings.ToLower(n), "(example)")
}

// parseRow reads one row's cells. It reports false for a row to skip (the
// template's example row) and records bad cells in res.
func parseRow(cells []string, line int, cols []column, thisYear int, res *ImportResult) (parsedRow, bool) {
	p := parsedRow{line: line}
	cell := func(c column) string {
		if c.idx < len(cells) {
			return strings.TrimSpace(cells[c.idx])
		}
		return ""
	}
	for _, c := range cols {
		if c.key == colName && exampleRow(cell(c)) {
			p.skip = true
			return p, true
		}
	}
	ok := true
	for _, c := range cols {
		v := cell(c)
		if v == "" {
			continue
		}
		switch c.key {
		case colCode:
			if looksScientific(v) {
				res.bad(line, c.header, v, "代码被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新填写", "Excel stored the code as a number and lost its last digits; format the column as text and enter it again")
				ok = false
			}
			p.in.CreditCode = v
		case colName:
			p.in.Name = v
		case colFormer:
			p.in.FormerNames = splitList(v)
		case colForm:
			p.in.LegalForm = v
		case colRegOn:
			p.in.RegisteredOn = v
		case colCapital:
			n, err := ParseScaled(v, c.exp)
			if err == nil && !money.Credible(n) {
				err = errNotCredible
			}
			if err != nil {
				res.bad(line, c.header, v, "注册资本"+err.(*cellError).zh, "registered capital: "+err.Error())
				ok = false
			}
			p.in.CapitalFen = n
		case colArea:
			p.in.Area = v
		case colAddress:
			p.in.Address = v
		case colIndustry:
			p.in.IndustryCode = v
		case colChains:
			p.in.Chains = splitList(v)
		case colStatus:
			st, good := parseStatus(v)
			if !good {
				res.bad(line, c.header, v, "状态须为 存续、迁出 或 注销", "status must be 存续 (operating), 迁出 (moved out) or 注销 (deregistered)")
				ok = false
			}
			p.in.Status = st
		case colException:
			p.in.CodeException = v
		case colYear:
			y, err := ParseYear(v)
			if err != nil {
				res.bad(line, c.header, v, err.zh, err.en)
				ok = false
			} else if y > thisYear {
				res.bad(line, c.header, v, "年度晚于今年", "the year is in the future")
				ok = false
			}
			p.year = y
		default:
			n, err := ParseScaled(v, c.exp)
			if err == nil && c.ind.Money() && !money.Credible(n) {
				err = errNotCredible
			}
			if err != nil {
				ce := err.(*cellError)
				res.bad(line, c.header, v, c.ind.NameZH+ce.zh, c.ind.NameEN+": "+ce.en)
				ok = false
				continue
			}
			if c.ind.Nonnegative && n < 0 {
				res.bad(line, c.header, v, c.ind.NameZH+"不能为负数", c.ind.NameEN+" cannot be negative")
				ok = false
				continue
			}
			p.figures = append(p.figures, figVal{c.ind.Code, n})
		}
		p.given |= columnBit(c.key)
	}
	if len(p.figures) > 0 && !p.set(colYear) {
		res.bad(line, "年度", "", "填写了指标数据但没有年度", "figures given without a year")
		ok = false
	}
	if !p.set(colCode) {
		res.bad(line, "统一社会信用代码", "", "统一社会信用代码为空", "credit code is empty")
		ok = false
	}
	return p, ok
}

func looksScientific(v string) bool {
	v = strings.ToUpper(v)
	return strings.Contains(v, "E+") || (strings.Contains(v, ".") && !strings.ContainsAny(v, "ABCDFGHJKLMNPQRTUWXY"))
}

// splitList splits a cell holding several values: ; ； 、 , ， / or new lines.
func splitList(v string) []string {
	f := strings.FieldsFunc(v, func(r rune) bool {
		return r == ';' || r == '；' || r == '、' || r == ',' || r == '，' || r == '/' || r == '\n' || r == '|'
	})
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func parseStatus(v string) (Status, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "存续", "在业", "开业", "正常", "operating":
		return Operating, true
	case "迁出", "moved_out", "moved out":
		return MovedOut, true
	case "注销", "吊销", "deregistered":
		return Deregistered, true
	}
	return "", false
}

// figVal is one figure cell of a row.
type figVal struct {
	ind   string
	value int64
}

// columnBit is a profile column's bit in parsedRow.given (0 for figures).
func columnBit(key string) uint32 {
	for i, c := range profileColumns {
		if c.key == key {
			return 1 << i
		}
	}
	return 0
}

// set reports whether the row gave a non-blank value for the column key.
func (p parsedRow) set(key string) bool { return p.given&columnBit(key) != 0 }

// progress reports an import's progress to ImportOptions.Progress; the
// zero progress reports nothing. The reader goroutine and the writer both
// report, so the counts are guarded.
type progress struct {
	report func(ImportProgress)
	mu     sync.Mutex
	p      ImportProgress
}

func (g *progress) send() {
	if g.report != nil {
		g.report(g.p)
	}
}

// read records that rows data rows have been read.
func (g *progress) read(rows int) {
	if g == nil || g.report == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.p.Read = rows
	g.send()
}

// wrote records n more rows written into the transaction.
func (g *progress) wrote(n int) {
	if g.report == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.p.Written += n
	g.send()
}

// countDataRows counts the data rows of a file whose header is at sheet
// line header: non-blank rows below it, less the template's example row,
// as the import will read them.
func countDataRows(data []byte, filename string, header int, cols []column) (int, error) {
	rr, err := openSheet(data, filename)
	if err != nil {
		return 0, err
	}
	defer rr.Close()
	name := -1
	for _, c := range cols {
		if c.key == colName {
			name = c.idx
		}
	}
	n := 0
	for rr.Next() {
		cells, err := rr.Row()
		if err != nil {
			return 0, err
		}
		if rr.Line() <= header || blankRow(cells) {
			continue
		}
		if name >= 0 && name < len(cells) && exampleRow(cells[name]) {
			continue
		}
		n++
	}
	return n, nil
}
