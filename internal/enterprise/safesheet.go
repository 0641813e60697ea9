package enterprise

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
)

// Bounds on what an uploaded .xlsx may inflate to, checked by the reader
// (internal/xlsx) on the archive's declared sizes before anything is
// inflated. A real registry file of 100,000 rows unpacks to about 150 MB,
// nearly all of it the worksheet (which streams) and the shared strings
// (kept as strings). Every other part is small in a real file, so those are
// bounded together.
const (
	maxUnzipBytes    = 512 << 20 // the whole archive, unpacked
	maxOtherInMemory = 32 << 20  // all parts other than worksheets and shared strings
	maxSharedStrings = 128 << 20 // the shared strings, which are kept whole
)

var errZipBomb = errs.New(errs.TooLarge, "文件解压后过大，不像是正常的表格文件（可能是压缩炸弹），已拒绝",
	"the file unpacks to far more than a spreadsheet would (a zip bomb?) and was refused")

// formulaLike reports whether a spreadsheet program could take text for a
// formula (or a DDE command) when a person edits the cell: it starts with
// = + - @, or a tab or carriage return before one.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// defuse makes user text in a report inert for good: a leading apostrophe,
// as one types it in Excel to keep text from being a formula.
func defuse(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// quotedTextStyle adds a cell style that marks text as typed with a leading
// apostrophe (Excel stores this as quotePrefix on the style, not in the
// value) in the text number format: the cell shows and keeps exactly its
// value, and editing it never turns it into a formula. Exports use it so
// that a name such as "=HYPERLINK(…)" stays text and still re-imports
// unchanged.
func quotedTextStyle(f *excelize.File) (int, error) {
	id, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return 0, err
	}
	if f.Styles != nil && f.Styles.CellXfs != nil && id < len(f.Styles.CellXfs.Xf) {
		yes := true
		f.Styles.CellXfs.Xf[id].QuotePrefix = &yes
	}
	return id, nil
}

// newCodeException refuses, in an import, a credit code that fails a check
// unless the stored enterprise already has that very code accepted with a
// reason. Staff accept such a code by hand, one at a time (Create or
// Update with code_exception); a file may carry the recorded exception (an
// export re-imported) but not bring in a new one.
func newCodeException(existing *Enterprise, in Input) *errs.Detail {
	if in.CodeException == "" {
		return nil // the code passes its checks
	}
	if existing != nil && existing.CodeException != "" && existing.CreditCode == in.CreditCode {
		return nil
	}
	return &errs.Detail{Field: "credit_code", Value: in.CreditCode,
		Reason:   "导入不接受未通过校验的统一社会信用代码；如该代码确为登记机关核发，请工作人员在企业页面逐个登记并填写理由",
		ReasonEN: "an import does not accept a credit code that fails its check; if the registry really issued it, staff register it by hand on the enterprise page with a reason"}
}
