package kpi

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/xlsx"
)

// Column is one column of the monthly-actuals workbook.
type Column struct{ Key, ZH string }

// Columns are the workbook's columns in order; the header row names each as
// "中文 key".
var Columns = []Column{
	{"indicator", "指标代码"}, {"year", "年份"}, {"month", "月份"}, {"ytd", "本年累计"}, {"ytd_last", "上年同期累计"},
	{"rate", "公布增速%"}, {"city_rate", "全市增速%"}, {"province_rate", "全省增速%"}, {"note", "备注"},
}

// MaxImportRows bounds one import.
const MaxImportRows = 10000

// DefaultMaxImportUnzip is what an imported workbook may unpack to: far more
// than MaxImportRows rows need, far less than a zip bomb.
const DefaultMaxImportUnzip = 64 << 20

const sheetName = "actuals"

// WriteTemplate writes an .xlsx workbook for the indicators sc may write:
// one row per ended period of year, filled with the figures already stored,
// so a unit can download, complete and upload it again.
func (s *Service) WriteTemplate(ctx context.Context, w io.Writer, sc Scope, year int) error {
	inds, err := s.Indicators(ctx, 0)
	if err != nil {
		return err
	}
	acts, err := s.yearActuals(ctx, year, year)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c.ZH + " " + c.Key
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 2
	for _, ind := range inds {
		if !sc.CanWrite(ind) || ind.Computed() {
			continue
		}
		byMonth := map[int]Actual{}
		for _, a := range acts[ind.ID] {
			byMonth[a.Month] = a
		}
		for _, m := range ind.Frequency.Periods() {
			if !periodEnded(year, m, s.Now()) {
				break
			}
			a := byMonth[m]
			note := a.Note
			if note == "" {
				note = ind.NameZH + "（" + ind.Measure + "）"
			}
			cells := []any{ind.Code, year, m, a.YTD.String(), a.YTDLast.String(), a.Rate.String(), a.CityRate.String(), a.ProvinceRate.String(), cellText(note)}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
			row++
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// ImportActuals reads an .xlsx workbook of monthly actuals and saves every
// row, or none: any bad row (non-number, period outside the year, a future
// month, an unknown indicator, another unit's indicator, a computed
// indicator (系统计算), a period twice) is
// reported with its row, column and reason and nothing is written. Numeric
// cells stored by a spreadsheet with binary noise (12.300000000000001) are
// read at four decimals; text cells are read exactly. Returns the number of
// rows saved. Rows whose figure columns (D–H) are all blank are template
// rows not yet filled in and are skipped. A workbook unpacking beyond
// MaxImportUnzip is refused unread. Errors: Invalid (details per row).
func (s *Service) ImportActuals(ctx context.Context, sc Scope, r io.Reader) (int, error) {
	limit := s.MaxImportUnzip
	if limit <= 0 {
		limit = DefaultMaxImportUnzip
	}
	rows, err := readSheet(r, limit)
	if err != nil {
		return 0, err
	}
	var d []errs.Detail
	if len(rows) == 0 {
		return 0, errs.Field("file", "工作表为空", "the sheet is empty")
	}
	for i, c := range Columns {
		got := ""
		if i < len(rows[0].cells) {
			got = strings.TrimSpace(rows[0].cells[i])
		}
		if !strings.HasSuffix(got, c.Key) {
			col := xlsx.ColumnName(i + 1)
			d = append(d, errs.Detail{Row: 1, Field: col, Value: got, Reason: "表头应为“" + c.ZH + " " + c.Key + "”，请使用下载的模板",
				ReasonEN: "header should be “" + c.ZH + " " + c.Key + "”: use the downloaded template"})
		}
	}
	if len(d) > 0 {
		return 0, errs.List("表头与模板不符，未导入任何数据", "the header does not match the template: nothing imported", d)
	}
	if len(rows)-1 > MaxImportRows { // readSheet stops one row past the bound
		return 0, errs.Field("file", fmt.Sprintf("一次最多导入 %d 行", MaxImportRows), fmt.Sprintf("at most %d rows per import", MaxImportRows))
	}
	inds, err := s.Indicators(ctx, 0)
	if err != nil {
		return 0, err
	}
	byCode := map[string]Indicator{}
	for _, ind := range inds {
		byCode[ind.Code] = ind
	}
	var out []Actual
	seen := map[[3]int64]int{}
	for _, row := range rows[1:] {
		cells := row.cells
		in := ActualInput{Row: row.num}
		get := func(k int) string {
			if k < len(cells) {
				return strings.TrimSpace(cells[k])
			}
			return ""
		}
		if strings.Join(cells, "") == "" || get(3)+get(4)+get(5)+get(6)+get(7) == "" {
			continue // blank, or a template row not filled in
		}
		in.Indicator, in.Year, in.Month = get(0), get(1), get(2)
		in.YTD, in.YTDLast, in.Rate = cellNum(get(3)), cellNum(get(4)), cellNum(get(5))
		in.CityRate, in.ProvinceRate, in.Note = cellNum(get(6)), cellNum(get(7)), textOfCell(get(8))
		ind, ok := byCode[strings.ToLower(in.Indicator)]
		if !ok {
			d = append(d, errs.Detail{Row: in.Row, Field: "A indicator", Value: in.Indicator, Reason: "指标代码不存在", ReasonEN: "unknown indicator code"})
			continue
		}
		if ind.Computed() {
			d = append(d, notEntered(ind, "A indicator", in.Row).Details...)
			continue
		}
		if !sc.CanWrite(ind) {
			d = append(d, errs.Detail{Row: in.Row, Field: "A indicator", Value: in.Indicator, Reason: "该指标不属于您的单位", ReasonEN: "the indicator belongs to another unit"})
			continue
		}
		a, bad := s.check(in, ind)
		for _, b := range bad {
			b.Field = columnOf(b.Field) + " " + b.Field
			d = append(d, b)
		}
		if len(bad) > 0 {
			continue
		}
		key := [3]int64{a.IndicatorID, int64(a.Year), int64(a.Month)}
		if first, dup := seen[key]; dup {
			d = append(d, errs.Detail{Row: in.Row, Field: "C month", Value: in.Month, Reason: fmt.Sprintf("与第 %d 行重复（同一指标同一期间）", first),
				ReasonEN: fmt.Sprintf("duplicates row %d (same indicator and period)", first)})
			continue
		}
		seen[key] = in.Row
		a.EnteredUnit = sc.enteredUnit()
		out = append(out, a)
	}
	if len(d) > 0 {
		return 0, errs.List(fmt.Sprintf("有 %d 处错误，未导入任何数据", len(d)), fmt.Sprintf("%d errors: nothing imported", len(d)), d)
	}
	if len(out) == 0 {
		return 0, errs.Field("file", "没有数据行", "no data rows")
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := range out {
			if err := s.upsertActual(ctx, tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(out), nil
}

// sheetRow is one row of the sheet that has cells, with its number as
// Excel shows it.
type sheetRow struct {
	num   int
	cells []string
}

// readSheet reads the first worksheet of the workbook in r through the one
// reader of imports (internal/xlsx): raw cell values, numbers as stored.
// The first element is the header: row 1, empty when row 1 is. It reads at
// most MaxImportRows+1 data rows, enough to tell that a file is over the
// bound. A workbook unpacking beyond limit is refused before it is
// inflated. Errors: Invalid naming the field "file".
func readSheet(r io.Reader, limit int64) ([]sheetRow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("kpi: read upload: %w", err)
	}
	x, err := xlsx.Open(data, xlsx.Within(limit))
	switch {
	case errors.Is(err, xlsx.ErrTooLarge):
		return nil, errs.Field("file", fmt.Sprintf("工作簿解压后超过 %d MB，未导入任何数据", limit>>20),
			fmt.Sprintf("the workbook unpacks to more than %d MB: nothing imported", limit>>20))
	case err != nil:
		return nil, errs.Field("file", "文件不是有效的 .xlsx 工作簿", "the file is not a valid .xlsx workbook")
	}
	defer x.Close()
	var rows []sheetRow
	for len(rows) <= MaxImportRows+1 && x.Next() {
		if len(rows) == 0 && x.Num() != 1 {
			rows = append(rows, sheetRow{num: 1}) // no header row
		}
		rows = append(rows, sheetRow{num: x.Num(), cells: slices.Clone(x.Row())})
	}
	if err := x.Err(); err != nil {
		if h, ok := errors.AsType[*xlsx.HiddenError](err); ok {
			zh, en := h.Messages()
			return nil, errs.List(zh, en, []errs.Detail{{Row: h.Row, Field: h.Column, Reason: zh, ReasonEN: en}})
		}
		return nil, errs.Field("file", fmt.Sprintf("第 %d 行无法读取，未导入任何数据", x.Num()),
			fmt.Sprintf("row %d cannot be read: nothing imported", x.Num()))
	}
	return rows, nil
}

func columnOf(key string) string {
	for i, c := range Columns {
		if c.Key == key {
			return xlsx.ColumnName(i + 1)
		}
	}
	return "?"
}

// cellNum reads a spreadsheet number: one written with binary noise beyond
// four decimals (12.300000000000001) or in exponent form (1.2345E+7) that is
// within 1e-6 of a four-decimal value becomes that value; anything else is
// passed on as written, to be judged by ParseValue.
func cellNum(s string) string {
	_, frac, _ := strings.Cut(s, ".")
	if len(frac) <= 4 && !strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	scaled := f * Scale
	if math.Abs(scaled-math.Round(scaled)) > 1e-6 || math.Abs(scaled) > 1e15 {
		return s
	}
	return strconv.FormatFloat(math.Round(scaled)/Scale, 'f', -1, 64)
}

// formulaStart are the characters that make a spreadsheet read a cell as a
// formula.
const formulaStart = "=+-@\t\r"

// cellText neutralises a note before it goes into a cell: text beginning
// with = + - @ (or a tab or CR) gets a leading apostrophe, the spreadsheet
// convention for "this is text", so no one who opens the template runs it.
func cellText(v string) string {
	if v != "" && strings.ContainsRune(formulaStart, rune(v[0])) {
		return "'" + v
	}
	return v
}

// textOfCell undoes cellText, so a template downloaded and uploaded again
// keeps its notes exactly.
func textOfCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune(formulaStart, rune(v[1])) {
		return v[1:]
	}
	return v
}
