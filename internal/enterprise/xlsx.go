package enterprise

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

const (
	dataSheet  = "企业信息"
	notesSheet = "填写说明"
)

// layout is the column order of the template and of every export.
func layout(inds []Indicator) []string {
	var h []string
	for _, c := range profileColumns {
		h = append(h, c.header)
	}
	for _, i := range inds {
		h = append(h, figureHeader(i))
	}
	return h
}

// Template returns the import template: the header row, an example row
// (skipped on import) and a sheet of notes listing the accepted values.
func (s *Service) Template(ctx context.Context) ([]byte, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", dataSheet)
	head := layout(cat.indicators)
	example := []string{"91330100716105852F", "（示例）郑州演示科技有限公司", "", "有限责任公司", "2018-06-01", "1000", "石佛办事处",
		"郑州高新区示例路 1 号", "3911", "物联网；传感器", "存续", "", "2023"}
	for range cat.indicators {
		example = append(example, "")
	}
	if len(example) > len(head) {
		example = example[:len(head)]
	}
	for i := range cat.indicators {
		example[len(profileColumns)+i] = strconv.Itoa(10 * (i + 1))
	}
	if err := writeRow(f, dataSheet, 1, head); err != nil {
		return nil, err
	}
	textCols(f, dataSheet, len(head))
	if err := writeExample(f, example); err != nil {
		return nil, err
	}
	f.NewSheet(notesSheet)
	notes := [][]string{
		{"企业信息导入说明 / How to fill in the template"},
		{"1. 第一行是表头，列的顺序可以调换；也可用英文列名（如 Credit code、Name、Revenue）。表头上方可以有标题行。"},
		{"2. 第二行是示例（企业名称以“（示例）”开头的行导入时会跳过），可以删除。"},
		{"3. 按统一社会信用代码新增或更新企业；单元格留空表示不修改原有数据。"},
		{"4. 统一社会信用代码须为 18 位并通过校验；请把该列设为“文本”，否则 Excel 会把纯数字代码改成科学计数法。"},
		{"5. 金额单位看表头：（元）、（千元）、（万元）、（亿元）；表头未写单位时按万元。全角数字、千分位逗号、以文本存储的数字都可识别。"},
		{"6. 日期可写 2023-01-16、2023/1/16、2023年1月16日、20230116，或 Excel 日期格式；成立日期不能晚于今天。"},
		{"7. 状态：存续、迁出、注销。行业代码：GB/T 4754-2017 中实有的门类字母或大类、中类、小类代码（2–4 位数字，如 3911），只写前几位而不是标准中的代码会被拒绝。产业链可填多个，用“；”分隔，填节点名称或代码。"},
		{"8. 指标数据按“年度”一列的年份记录为全年数；同一文件中同一企业只能出现一次。"},
		{"9. 任何一行有错时整个文件都不会写入，页面会列出每个错误（行号、列、值、原因），也可下载错误报告。"},
		{""},
		{"产业链节点 / Industry-chain nodes", "代码 / code"},
	}
	for _, n := range cat.tree {
		notes = append(notes, []string{strings.Repeat("　", n.Depth) + n.NameZH, n.Code})
	}
	notes = append(notes, []string{""}, []string{"指标 / Indicators", "代码 / code", "单位 / unit"})
	for _, i := range cat.indicators {
		notes = append(notes, []string{i.NameZH, i.Code, i.Unit})
	}
	for r, row := range notes {
		if err := writeRow(f, notesSheet, r+1, row); err != nil {
			return nil, err
		}
	}
	f.SetColWidth(notesSheet, "A", "A", 90)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("enterprise: template: %w", err)
	}
	return buf.Bytes(), nil
}

func writeRow(f *excelize.File, sheet string, row int, vals []string) error {
	cell, _ := excelize.CoordinatesToCellName(1, row)
	anyVals := make([]any, len(vals))
	for i, v := range vals {
		anyVals[i] = v
	}
	return f.SetSheetRow(sheet, cell, &anyVals)
}

// textCols formats the profile columns as text, so that typing a credit
// code, an industry code or a date keeps it as typed; the registered
// capital, the year and the figures are number columns.
func textCols(f *excelize.File, sheet string, n int) {
	style, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return
	}
	last, _ := excelize.ColumnNumberToName(n)
	f.SetColWidth(sheet, "A", last, 16)
	for i := range profileColumns {
		if i == capitalCol || i == yearCol {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColStyle(sheet, col, style)
	}
}

// The positions of the number columns among the profile columns.
var capitalCol, yearCol = profileIndex(colCapital), profileIndex(colYear)

func profileIndex(key string) int {
	for i, c := range profileColumns {
		if c.key == key {
			return i
		}
	}
	return -1
}

// writeExample writes the template's example row: numbers in the number
// columns as number cells, everything else as text.
func writeExample(f *excelize.File, vals []string) error {
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = v
		if i == capitalCol || i == yearCol || i >= len(profileColumns) {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				cells[i] = n
			}
		}
	}
	return f.SetSheetRow(dataSheet, "A2", &cells)
}

// Export writes the enterprises v may read that match f to .xlsx in the
// template's layout, with the effective whole-year figures of year (0: the
// latest year with any figure). Amounts and figures are number cells (a
// finance office sums them), chains are named by their names, and
// re-importing the file changes nothing. Errors: Forbidden, Invalid (bad
// filter).
func (s *Service) Export(ctx context.Context, v Viewer, f Filter, year int) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", dataSheet)
	sw, err := x.NewStreamWriter(dataSheet)
	if err != nil {
		return nil, err
	}
	w := &xlsxExport{sw: sw, styles: map[int]int{}, next: 1}
	if w.quoted, err = quotedTextStyle(x); err != nil {
		return nil, err
	}
	w.numStyle = func(exp int) (int, error) { return numberStyle(x, exp) }
	if err := s.exportTo(ctx, v, f, year, w); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, fmt.Errorf("enterprise: export: %w", err)
	}
	return buf.Bytes(), nil
}

// ExportCSV is Export as UTF-8 CSV (with the byte-order mark Excel needs
// to read it as UTF-8): numbers as plain decimals, exact; text that a
// spreadsheet could take for a formula is defused with a leading
// apostrophe.
func (s *Service) ExportCSV(ctx context.Context, v Viewer, f Filter, year int) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := &csvExport{w: csv.NewWriter(&buf)}
	if err := s.exportTo(ctx, v, f, year, w); err != nil {
		return nil, err
	}
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return nil, fmt.Errorf("enterprise: export csv: %w", err)
	}
	return buf.Bytes(), nil
}

// exportNum is an amount or figure in an export: v × 10^-exp, exactly.
type exportNum struct {
	v   int64
	exp int
}

// exportWriter takes an export's header, then its rows; a cell is a string
// or an exportNum.
type exportWriter interface {
	head(cols []string) error
	row(cells []any) error
}

// exportTo runs an export of what v may read of f into w.
func (s *Service) exportTo(ctx context.Context, v Viewer, f Filter, year int, w exportWriter) error {
	if !v.Reads() {
		return errNoAccess
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	if year == 0 {
		var y *int64
		if err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT MAX((SELECT MAX(c.year) FROM enterprise_figure_current c WHERE c.indicator = i.code)) FROM figure_indicators i`).Scan(&y); err != nil {
			return err
		}
		if y != nil {
			year = int(*y)
		}
	}
	if err := w.head(layout(cat.indicators)); err != nil {
		return err
	}
	unitName := map[int64]string{}
	for name, id := range cat.unitByName {
		unitName[id] = name
	}
	f.After, f.Limit = 0, 1000
	for {
		page, err := s.List(ctx, v, f)
		if err != nil {
			return err
		}
		figs, err := s.currentFor(ctx, page.Items, year, v)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			if err := w.row(exportRow(e, unitName[e.AreaUnitID], year, cat.indicators, figs[e.ID])); err != nil {
				return err
			}
		}
		if page.Next == 0 {
			return nil
		}
		f.After = page.Next
	}
}

// xlsxExport writes an export as .xlsx: numbers as number cells with
// thousands separators, formula-like text as quoted text.
type xlsxExport struct {
	sw       *excelize.StreamWriter
	quoted   int
	numStyle func(exp int) (int, error)
	styles   map[int]int // exp → style id
	next     int         // the next sheet row
}

func (w *xlsxExport) head(cols []string) error {
	w.next++
	return w.sw.SetRow("A1", strs(cols))
}

func (w *xlsxExport) row(cells []any) error {
	out := make([]any, len(cells))
	for i, c := range cells {
		switch c := c.(type) {
		case exportNum:
			id, ok := w.styles[c.exp]
			if !ok {
				var err error
				if id, err = w.numStyle(c.exp); err != nil {
					return err
				}
				w.styles[c.exp] = id
			}
			out[i] = excelize.Cell{StyleID: id, Value: c.number()}
		case string:
			if formulaLike(c) {
				out[i] = excelize.Cell{StyleID: w.quoted, Value: c}
			} else {
				out[i] = c
			}
		default:
			out[i] = c
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.next)
	w.next++
	return w.sw.SetRow(cell, out)
}

// number is the cell value: the integer itself, or the nearest double of
// the exact decimal (what Excel stores for a typed number).
func (n exportNum) number() any {
	if n.exp == 0 {
		return n.v
	}
	f, _ := strconv.ParseFloat(FormatScaled(n.v, n.exp), 64)
	return f
}

// numberStyle is a number format with thousands separators showing up to
// exp decimals (at least two for money and other fractional amounts).
func numberStyle(x *excelize.File, exp int) (int, error) {
	format := "#,##0"
	switch {
	case exp == 1:
		format += ".0"
	case exp >= 2:
		format += ".00" + strings.Repeat("#", exp-2)
	}
	return x.NewStyle(&excelize.Style{CustomNumFmt: &format})
}

// csvExport writes an export as CSV.
type csvExport struct{ w *csv.Writer }

func (w *csvExport) head(cols []string) error { return w.w.Write(cols) }

func (w *csvExport) row(cells []any) error {
	rec := make([]string, len(cells))
	for i, c := range cells {
		switch c := c.(type) {
		case exportNum:
			rec[i] = FormatScaled(c.v, c.exp)
		case string:
			rec[i] = defuse(c)
		default:
			rec[i] = fmt.Sprint(c)
		}
	}
	return w.w.Write(rec)
}

func strs(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

// currentFor loads the effective whole-year values of year for es.
func (s *Service) currentFor(ctx context.Context, es []Enterprise, year int, v Viewer) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	if len(es) == 0 || year == 0 {
		return out, nil
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	codes, err := indicatorCodes(ctx, s.DB.R)
	if err != nil {
		return nil, err
	}
	using, cond, cargs := s.currentOf(codes, ids, 1)
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT c.enterprise_id, c.indicator, c.value FROM enterprise_figure_current c"+using+
		" WHERE "+cond+" AND c.year = $1 AND c.month = 0", append([]any{year}, cargs...)...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: export figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, val int64
		var ind string
		if err := rows.Scan(&id, &ind, &val); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]int64{}
		}
		out[id][ind] = val
	}
	return out, rows.Err()
}

// exportRow is one enterprise in the template's layout: chains by name,
// the office area and status in words, amounts and figures as numbers
// (money in the template's 万元).
func exportRow(e Enterprise, area string, year int, inds []Indicator, figs map[string]int64) []any {
	var chains []string
	for _, c := range e.Chains {
		chains = append(chains, c.NameZH)
	}
	status, _ := e.Status.Label()
	var capital any = ""
	if e.CapitalFen != 0 {
		capital = exportNum{e.CapitalFen, moneyUnits[templateMoneyUnit]}
	}
	var y any = ""
	if year != 0 && len(figs) > 0 {
		y = exportNum{int64(year), 0}
	}
	cells := []any{e.CreditCode, e.Name, strings.Join(e.FormerNames, "；"), e.LegalForm, e.RegisteredOn, capital, area,
		e.Address, e.IndustryCode, strings.Join(chains, "；"), status, e.CodeException, y}
	for _, i := range inds {
		v, ok := figs[i.Code]
		if !ok {
			cells = append(cells, "")
			continue
		}
		exp := i.Scale
		if i.Money() {
			exp = moneyUnits[templateMoneyUnit]
		}
		cells = append(cells, exportNum{v, exp})
	}
	return cells
}

// ReportXLSX writes an import's bad rows as a spreadsheet: row, column,
// value, reason (Chinese and English).
func ReportXLSX(res ImportResult) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", "错误报告")
	if err := writeRow(x, "错误报告", 1, []string{"行 Row", "列 Column", "值 Value", "原因", "Reason"}); err != nil {
		return nil, err
	}
	for i, d := range res.Errors {
		var r any = ""
		if d.Row > 0 {
			r = d.Row // a number cell, so the report sorts by row
		}
		// Field and value come from the uploaded file: defused.
		cells := []any{r, defuse(d.Field), defuse(d.Value), d.Reason, d.ReasonEN}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow("错误报告", cell, &cells); err != nil {
			return nil, err
		}
	}
	x.SetColWidth("错误报告", "A", "A", 8)
	x.SetColWidth("错误报告", "B", "C", 24)
	x.SetColWidth("错误报告", "D", "E", 60)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, fmt.Errorf("enterprise: report: %w", err)
	}
	return buf.Bytes(), nil
}
