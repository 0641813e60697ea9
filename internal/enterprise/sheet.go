package enterprise

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gaoxin/internal/errs"
	"gaoxin/internal/xlsx"
)

// rowReader streams the rows of a spreadsheet's first sheet.
type rowReader interface {
	Next() bool
	Row() ([]string, error)
	Line() int  // 1-based row number of the current row, as the user sees it
	Total() int // rows in the sheet (an estimate for .xlsx from its dimension)
	Close() error
}

var (
	errNotSheet = errs.New(errs.Invalid, "文件不是 .xlsx 或 .csv 表格（旧版 .xls 请在 Excel 中另存为 .xlsx）", "the file is not an .xlsx or .csv spreadsheet (save old .xls files as .xlsx in Excel)")
	errOldXLS   = errs.New(errs.Invalid, "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入", "old .xls files are not supported; save the file as .xlsx in Excel and import that")
)

// openSheet recognises the file by its content (not only its name): an
// .xlsx is a zip archive; a .csv is text in UTF-8 (with or without BOM) or
// GB18030, as Excel saves it on Chinese Windows.
func openSheet(data []byte, filename string) (rowReader, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return openXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, errOldXLS
	}
	lower := strings.ToLower(filename)
	if !strings.HasSuffix(lower, ".csv") && !strings.HasSuffix(lower, ".txt") {
		return nil, errNotSheet
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, errNotSheet
		}
		data = dec
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errNotSheet
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return &csvRows{r: r, total: bytes.Count(data, []byte{'\n'}) + 1}, nil
}

type csvRows struct {
	r     *csv.Reader
	row   []string
	err   error
	line  int
	total int
}

func (c *csvRows) Next() bool {
	c.row, c.err = c.r.Read()
	if c.err == io.EOF {
		return false
	}
	c.line++
	return true
}

func (c *csvRows) Row() ([]string, error) {
	if c.err != nil {
		return nil, errs.New(errs.Invalid, "CSV 第 "+itoa(c.line)+" 行无法解析", "CSV row "+itoa(c.line)+" cannot be parsed")
	}
	for i, v := range c.row {
		// Excel's way to keep a code as text in a CSV: ="0123".
		if len(v) >= 3 && strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`) {
			c.row[i] = v[2 : len(v)-1]
		}
	}
	return c.row, nil
}
func (c *csvRows) Line() int    { return c.line }
func (c *csvRows) Total() int   { return c.total }
func (c *csvRows) Close() error { return nil }

type xlsxRows struct {
	x      *xlsx.Rows
	failed bool // Next has returned true for the error, so Row reports it
}

// openXLSX opens the first sheet with raw cell values, so numbers and dates
// arrive as stored (dates as Excel serials), not as formatted for display.
// The sheet streams; the shared strings are read whole. An archive over the
// bounds of safesheet.go is refused (TooLarge) before anything is inflated.
func openXLSX(data []byte) (rowReader, error) {
	x, err := xlsx.Open(data, xlsx.Limits{Unzipped: maxUnzipBytes, Other: maxOtherInMemory, SharedStrings: maxSharedStrings})
	switch {
	case errors.Is(err, xlsx.ErrTooLarge):
		return nil, errZipBomb
	case err != nil:
		return nil, errNotSheet
	}
	return &xlsxRows{x: x}, nil
}

// Next is true once more after a read error, so that Row reports it
// instead of the sheet seeming to end there.
func (r *xlsxRows) Next() bool {
	if r.x.Next() {
		return true
	}
	if r.x.Err() != nil && !r.failed {
		r.failed = true
		return true
	}
	return false
}

func (r *xlsxRows) Row() ([]string, error) {
	if err := r.x.Err(); err != nil {
		if h, ok := errors.AsType[*xlsx.HiddenError](err); ok {
			zh, en := h.Messages()
			return nil, errs.List(zh, en, []errs.Detail{{Row: h.Row, Field: h.Column, Reason: zh, ReasonEN: en}})
		}
		return nil, errs.New(errs.Invalid, "第 "+itoa(r.x.Num())+" 行无法读取", "row "+itoa(r.x.Num())+" cannot be read")
	}
	return r.x.Row(), nil
}

// Line is the row's number as Excel shows it (empty rows are not read
// but keep their numbers).
func (r *xlsxRows) Line() int { return r.x.Num() }
func (r *xlsxRows) Total() int {
	return max(r.x.Dimension(), r.x.Num())
}
func (r *xlsxRows) Close() error { return r.x.Close() }

func itoa(n int) string { return strconv.Itoa(n) }
