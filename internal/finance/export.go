package finance

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Exports to .xlsx: institutions (staff), needs (staff every one, an
// enterprise its own) and matches, the funnel (staff every one, an
// enterprise those on its needs, an institution its own). Each reads
// through the same list methods, and so the same access rules, as the
// pages, paging by id until everything the reader may see is written. Cells
// are in words, not codes; money is a numeric cell of 元 with two decimals
// so a column sums; dates are YYYY-MM-DD; text people typed is defused so a
// spreadsheet never reads it as a formula.

// exportPage is how many rows each read of an export asks for.
const exportPage = 500

// everyPage reads a list whole, exportPage rows at a time: read gets the
// page after the row whose id is cursor (0 first), id names a row.
func everyPage[T any](read func(cursor int64) ([]T, error), id func(T) int64) ([]T, error) {
	var all []T
	var cursor int64
	for {
		page, err := read(cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < exportPage {
			return all, nil
		}
		cursor = id(page[len(page)-1])
	}
}

// sheet is a one-sheet workbook written row by row with a stream writer.
type sheet struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	next int
	yuan int // style of money cells
}

func newSheet(name string, cols []column) (*sheet, error) {
	f := excelize.NewFile()
	fail := func(err error) (*sheet, error) {
		f.Close()
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fail(err)
	}
	format := "#,##0.00"
	yuan, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return fail(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fail(err)
	}
	sh := &sheet{f: f, sw: sw, next: 1, yuan: yuan}
	heads := make([]any, len(cols))
	for k, c := range cols {
		if err := sw.SetColWidth(k+1, k+1, c.width); err != nil {
			return fail(err)
		}
		heads[k] = excelize.Cell{StyleID: bold, Value: c.head}
	}
	if err := sh.row(heads...); err != nil {
		return fail(err)
	}
	return sh, nil
}

// column is a header and its width in characters.
type column struct {
	head  string
	width float64
}

func (sh *sheet) row(cells ...any) error {
	at, err := excelize.CoordinatesToCellName(1, sh.next)
	if err != nil {
		return err
	}
	sh.next++
	return sh.sw.SetRow(at, cells)
}

// money is fen as a cell of 元 (fen/100 is the nearest double to the
// decimal amount for any amount the module accepts).
func (sh *sheet) money(fen int64) excelize.Cell {
	return excelize.Cell{StyleID: sh.yuan, Value: float64(fen) / 100}
}

// finish writes the workbook to w and releases it.
func (sh *sheet) finish(w io.Writer) error {
	defer sh.f.Close()
	if err := sh.sw.Flush(); err != nil {
		return err
	}
	return sh.f.Write(w)
}

// typed defuses text a person typed: a leading = + - @ or control
// character gets an apostrophe, so the cell stays text.
func typed(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r\n", rune(v[0])) {
		return "'" + v
	}
	return v
}

// zh joins codes' Chinese names.
func zh(codes []string, label func(string) (string, string)) string {
	names := make([]string, len(codes))
	for k, c := range codes {
		names[k], _ = label(c)
	}
	return strings.Join(names, "、")
}

// chainNames joins chains' Chinese names; none means every chain.
func chainNames(cs []ChainRef) string {
	if len(cs) == 0 {
		return "不限"
	}
	names := make([]string, len(cs))
	for k, c := range cs {
		names[k] = c.NameZH
	}
	return strings.Join(names, "、")
}

// day is a stored time (Unix ms) as a date in China time.
func day(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(db.CST).Format("2006-01-02")
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// ExportInstitutions writes every institution, in every state, with its
// profile as a workbook (staff only). Errors: Forbidden.
func (s *Service) ExportInstitutions(ctx context.Context, v Viewer, w io.Writer) error {
	if !v.Staff() {
		return errs.New(errs.Forbidden, "只有工作人员可以导出金融机构", "only staff export institutions")
	}
	all, err := everyPage(func(cursor int64) ([]Institution, error) {
		return s.Institutions(ctx, v, InstitutionFilter{Limit: exportPage, after: cursor})
	}, func(i Institution) int64 { return i.ID })
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(all))
	for _, i := range all {
		names[i.ID] = i.Name
	}
	sh, err := newSheet("金融机构", []column{{"编号", 8}, {"机构名称", 30}, {"类型", 12}, {"统一社会信用代码", 22}, {"状态", 8},
		{"管理资本规模（元）", 20}, {"单笔下限（元）", 18}, {"单笔上限（元，0 为不限）", 18}, {"投资阶段", 24}, {"金融工具", 24}, {"关注产业", 30},
		{"入驻科技金融广场日期", 14}, {"所属母基金", 24}, {"认缴（元）", 18}, {"实缴（元）", 18}, {"演示数据", 8}})
	if err != nil {
		return err
	}
	for _, i := range all {
		kind, _ := KindLabel(i.Kind)
		state, _ := labelOf(InstStates, i.State)
		if err := sh.row(i.ID, typed(i.Name), kind, i.CreditCode, state, sh.money(i.AUMFen), sh.money(i.TicketMinFen), sh.money(i.TicketMaxFen),
			zh(i.Stages, StageLabel), zh(i.Instruments, InstrumentLabel), chainNames(i.Chains), i.SettledOn, typed(names[i.ParentID]),
			sh.money(i.CommittedFen), sh.money(i.PaidInFen), yes(i.Synthetic)); err != nil {
			sh.f.Close()
			return err
		}
	}
	return sh.finish(w)
}

// ExportNeeds writes the needs v may list (staff every one, an enterprise
// its own), newest first. Errors: Forbidden.
func (s *Service) ExportNeeds(ctx context.Context, v Viewer, w io.Writer) error {
	all, err := everyPage(func(cursor int64) ([]Need, error) {
		return s.Needs(ctx, v, NeedFilter{Limit: exportPage, below: cursor})
	}, func(n Need) int64 { return n.ID })
	if err != nil {
		return err
	}
	sh, err := newSheet("融资需求", []column{{"编号", 8}, {"企业", 28}, {"需求", 36}, {"金额（元）", 18}, {"融资方式", 14}, {"阶段", 10},
		{"资金用途", 40}, {"产业链", 24}, {"可见范围", 18}, {"状态", 8}, {"发布日期", 12}, {"演示数据", 8}})
	if err != nil {
		return err
	}
	for _, n := range all {
		instrument, _ := InstrumentLabel(n.Instrument)
		stage, _ := StageLabel(n.Stage)
		audience, _ := labelOf(Audiences, n.Audience)
		state := "征集中"
		if n.State != NeedOpen {
			state = "已关闭"
		}
		if err := sh.row(n.ID, typed(n.EnterpriseName), typed(n.Title), sh.money(n.AmountFen), instrument, stage, typed(n.UseOfFunds),
			chainNames(n.Chains), audience, state, day(n.CreatedAt), yes(n.Synthetic)); err != nil {
			sh.f.Close()
			return err
		}
	}
	return sh.finish(w)
}

// ExportMatches writes the funnel: the matches v may list (staff every
// one, an enterprise those on its needs, an institution its own), newest
// first, each with the step it reached and its money. Errors: Forbidden.
func (s *Service) ExportMatches(ctx context.Context, v Viewer, w io.Writer) error {
	all, err := everyPage(func(cursor int64) ([]Match, error) {
		return s.Matches(ctx, v, MatchFilter{Limit: exportPage, below: cursor})
	}, func(m Match) int64 { return m.ID })
	if err != nil {
		return err
	}
	sh, err := newSheet("融资对接", []column{{"编号", 8}, {"需求", 36}, {"企业", 28}, {"机构", 28}, {"已到环节", 16}, {"状态", 8},
		{"关闭原因", 24}, {"环节日期", 12}, {"投资意向/授信金额（元）", 20}, {"到位金额（元）", 18}, {"到位日期", 12}, {"演示数据", 8}})
	if err != nil {
		return err
	}
	for _, m := range all {
		step, _ := StepLabel(m.Step)
		state := "进行中"
		if m.State == MatchClosed {
			state = "已关闭"
		}
		if err := sh.row(m.ID, typed(m.NeedTitle), typed(m.EnterpriseName), typed(m.InstitutionName), step, state, typed(m.Reason), m.StepOn,
			sh.money(m.TermFen), sh.money(m.FundedFen), m.FundedOn, yes(m.Synthetic)); err != nil {
			sh.f.Close()
			return err
		}
	}
	return sh.finish(w)
}
