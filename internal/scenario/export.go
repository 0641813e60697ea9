package scenario

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Spreadsheets out: the batch template, and the calls (with their
// results) and bids as .xlsx, in words, not codes: categories, chains,
// states and owners by name, money as numeric cells of 元 formatted with
// two decimals so that a column sums, dates as YYYY-MM-DD. Text typed by
// people is defused (a leading = + - @ gets an apostrophe).

// sheetText neutralises typed text before it goes into a cell.
func sheetText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// yuanCell is an amount as a number of 元 (fen/100 is the nearest double
// to the decimal amount; amounts are bounded by money.MaxFen).
func yuanCell(style int, fen int64) excelize.Cell {
	return excelize.Cell{StyleID: style, Value: float64(fen) / 100}
}

// book is a workbook being written with a stream writer on one sheet.
type book struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	amount int // style of amounts in 元
	bold   int
}

func newBook(sheet string, widths []float64) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, row: 1}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	numFmt := "#,##0.00"
	var err error
	if b.amount, err = f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt}); err != nil {
		return nil, err
	}
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	if b.sw, err = f.NewStreamWriter(sheet); err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := b.sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *book) put(vals ...any) error {
	cell, _ := excelize.CoordinatesToCellName(1, b.row)
	b.row++
	return b.sw.SetRow(cell, vals)
}

func (b *book) header(cols ...string) error {
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = excelize.Cell{StyleID: b.bold, Value: c}
	}
	return b.put(vals...)
}

func (b *book) write(w io.Writer) error {
	defer b.f.Close()
	if err := b.sw.Flush(); err != nil {
		return err
	}
	return b.f.Write(w)
}

// WriteBatchTemplate writes the batch import template: the header row
// (required columns marked ＊ in the notes), a category list to pick from,
// and a sheet of notes naming each column's rule and the chains one may
// name.
func (s *Service) WriteBatchTemplate(ctx context.Context, w io.Writer) error {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return err
	}
	widths := make([]float64, len(batchColumns))
	headers := make([]string, len(batchColumns))
	for i, c := range batchColumns {
		widths[i], headers[i] = 18, c.header
	}
	b, err := newBook("场景清单", widths)
	if err != nil {
		return err
	}
	if err := b.header(headers...); err != nil {
		return err
	}
	if err := b.sw.Flush(); err != nil {
		return err
	}
	cats := make([]string, len(Categories))
	for i, c := range Categories {
		cats[i] = c.NameZH
	}
	dv := excelize.NewDataValidation(true)
	catCol := xlsx0("category")
	dv.Sqref = catCol + "2:" + catCol + strconv.Itoa(maxBatch+1)
	if err := dv.SetDropList(cats); err != nil {
		return err
	}
	if err := b.f.AddDataValidation("场景清单", dv); err != nil {
		return err
	}
	if _, err := b.f.NewSheet("填写说明"); err != nil {
		return err
	}
	put := func(row int, vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return b.f.SetSheetRow("填写说明", cell, &vals)
	}
	if err := put(1, "列", "必填", "填写要求"); err != nil {
		return err
	}
	for i, c := range batchColumns {
		req := ""
		if c.required {
			req = "＊"
		}
		if err := put(i+2, c.header, req, c.note); err != nil {
			return err
		}
	}
	n := len(batchColumns) + 3
	if err := put(n, "可填的产业链", "", templateChains(tree)); err != nil {
		return err
	}
	if err := put(n+1, "导入规则", "", "整表导入：任何一格有误，则不导入任何场景，并按行、列列出全部错误。导入的场景编入所选批次，状态为“审核通过”，发布批次后对外公开。"); err != nil {
		return err
	}
	if err := b.f.SetColWidth("填写说明", "A", "A", 18); err != nil {
		return err
	}
	if err := b.f.SetColWidth("填写说明", "C", "C", 90); err != nil {
		return err
	}
	return b.f.Write(w)
}

// xlsx0 is the column letter of a template column.
func xlsx0(key string) string {
	for i, c := range batchColumns {
		if c.key == key {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	return "A"
}

// exportLimit bounds the rows of one export.
const exportLimit = 20000

// exportNeeds lists the calls f selects that v may know of, up to
// exportLimit, newest first.
func (s *Service) exportNeeds(ctx context.Context, v Viewer, f Filter) ([]Need, error) {
	var out []Need
	f.Limit, f.Offset = maxBatch, 0
	for len(out) < exportLimit {
		p, err := s.List(ctx, v, f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Needs...)
		if len(p.Needs) < maxBatch {
			break
		}
		f.Offset += maxBatch
	}
	return out, nil
}

// Outcome is a call's state as its result reads, in words.
func Outcome(n Need) (string, string) {
	switch n.State {
	case StateFailed:
		return "未成交：" + n.Reason, "failed: " + n.Reason
	case StatePublished:
		return "揭榜中", "open for bids"
	}
	return StateLabel(n.State)
}

// ExportCalls writes the calls v may know of that f selects, with their
// results, as .xlsx: the public export of the portal for anyone, every
// need for staff.
func (s *Service) ExportCalls(ctx context.Context, v Viewer, f Filter, w io.Writer) error {
	needs, err := s.exportNeeds(ctx, v, f)
	if err != nil {
		return err
	}
	b, err := newBook("场景清单", []float64{8, 10, 36, 18, 24, 28, 16, 10, 12, 12, 10, 10, 30, 36, 16})
	if err != nil {
		return err
	}
	if err := b.header("编号", "批次", "场景名称", "类别", "产业链", "提出方", "预算（元）", "报价不超预算", "揭榜截止", "实施完成", "状态", "有效揭榜数", "结果",
		"中标企业", "中标价（元）"); err != nil {
		return err
	}
	for _, n := range needs {
		cat, _ := CategoryLabel(n.Category)
		state, _ := StateLabel(n.State)
		result, _ := Outcome(n)
		var winner, price any
		if n.State != StatePublished && n.State != StateFailed && PublicState(n.State) {
			// A published result (on notice or confirmed): its winner.
			if r, err := s.Result(ctx, v, n.ID); err == nil {
				winner, price = sheetText(strings.Join(append([]string{r.Winner}, r.Partners...), "、")), yuanCell(b.amount, r.PriceFen)
			} else if errs.CodeOf(err) != errs.NotFound {
				return err
			}
		}
		chains := make([]string, len(n.Chains))
		for i, c := range n.Chains {
			chains[i] = c.NameZH
		}
		batch := ""
		if n.BatchSeq > 0 {
			batch = fmt.Sprintf("第 %d 批", n.BatchSeq)
		}
		owner := n.OwnerName + "（单位）"
		if n.OwnerKind == OwnerEnterprise {
			owner = n.OwnerName + "（企业）"
		}
		if err := b.put(n.ID, batch, sheetText(n.Title), cat, strings.Join(chains, "、"), sheetText(owner), yuanCell(b.amount, n.BudgetFen),
			yesNo(n.PriceCap), n.Deadline, n.EndsOn, state, n.Bids, sheetText(result), winner, price); err != nil {
			return err
		}
	}
	return b.write(w)
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// ExportBids writes every bid on the calls f selects as .xlsx: staff
// only, since a bid is seen by its enterprises and staff alone. Errors:
// Forbidden.
func (s *Service) ExportBids(ctx context.Context, v Viewer, f Filter, w io.Writer) error {
	if !v.Staff() {
		return errs.New(errs.Forbidden, "只有工作人员可以导出揭榜情况", "only staff may export bids")
	}
	needs, err := s.exportNeeds(ctx, v, f)
	if err != nil {
		return err
	}
	var bids []Bid
	for i := 0; i < len(needs); i += 500 {
		ids := make([]string, 0, 500)
		for _, n := range needs[i:min(i+500, len(needs))] {
			ids = append(ids, strconv.FormatInt(n.ID, 10))
		}
		bs, err := s.bidsWhere(ctx, v, "b.need_id IN ("+strings.Join(ids, ",")+") AND b.id > $1", 0)
		if err != nil {
			return err
		}
		bids = append(bids, bs...)
	}
	b, err := newBook("揭榜情况", []float64{8, 36, 32, 22, 40, 16, 48, 10, 20, 18})
	if err != nil {
		return err
	}
	if err := b.header("场景编号", "场景名称", "牵头企业", "统一社会信用代码", "联合伙伴", "报价（元）", "里程碑", "状态", "撤回理由", "提交时间"); err != nil {
		return err
	}
	codes, err := s.leadCodes(ctx, bids)
	if err != nil {
		return err
	}
	for _, bd := range bids {
		var partners, ms []string
		for _, p := range bd.Partners {
			mark := "待确认"
			if p.ConfirmedAt != 0 {
				mark = "已确认"
			}
			partners = append(partners, fmt.Sprintf("%s（%s，%s）", p.Name, strings.TrimSpace(p.Role+" "+mark), p.CreditCode))
		}
		for _, m := range bd.Milestones {
			ms = append(ms, fmt.Sprintf("%s %s 付 %d%%", m.Title, m.DueOn, m.SharePct))
		}
		state, _ := BidStateLabel(bd.State)
		at := time.UnixMilli(bd.CreatedAt).In(db.CST).Format("2006-01-02 15:04")
		if err := b.put(bd.NeedID, sheetText(bd.NeedTitle), sheetText(bd.EnterpriseName), codes[bd.EnterpriseID], sheetText(strings.Join(partners, "；")),
			yuanCell(b.amount, bd.PriceFen), sheetText(strings.Join(ms, "；")), state, sheetText(bd.WithdrawReason), at); err != nil {
			return err
		}
	}
	return b.write(w)
}

// leadCodes are the credit codes of the bids' lead enterprises.
func (s *Service) leadCodes(ctx context.Context, bids []Bid) (map[int64]string, error) {
	ids := make([]int64, 0, len(bids))
	for _, b := range bids {
		ids = append(ids, b.EnterpriseID)
	}
	briefs, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(briefs))
	for id, b := range briefs {
		out[id] = b.CreditCode
	}
	return out, nil
}

// ExportPayments writes the stage payments of every signed contract on the
// calls f selects as .xlsx, for the finance office: staff only. Amounts are
// numeric 元 that sum; states are words. Errors: Forbidden.
func (s *Service) ExportPayments(ctx context.Context, v Viewer, f Filter, w io.Writer) error {
	if !v.Staff() {
		return errs.New(errs.Forbidden, "只有工作人员可以导出合同付款", "only staff may export contract payments")
	}
	needs, err := s.exportNeeds(ctx, v, f)
	if err != nil {
		return err
	}
	b, err := newBook("合同付款", []float64{8, 36, 20, 30, 22, 6, 24, 16, 12, 12, 18})
	if err != nil {
		return err
	}
	if err := b.header("场景编号", "场景名称", "合同编号", "收款企业", "统一社会信用代码", "期次", "里程碑", "金额（元）", "状态", "支付日期", "凭证号"); err != nil {
		return err
	}
	signed := map[int64]bool{}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT need_id FROM scenario_contracts")
	if err != nil {
		return fmt.Errorf("scenario: contracts: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		signed[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range needs {
		if !signed[n.ID] {
			continue
		}
		c, err := s.contract(ctx, n.ID)
		if err != nil {
			return err
		}
		codes, err := s.Registry.Briefs(ctx, nil, []int64{c.EnterpriseID})
		if err != nil {
			return err
		}
		for _, d := range c.Deliverables {
			state := "未申请"
			if d.PaymentState != "" {
				state, _ = award.Label(d.PaymentState)
			}
			if err := b.put(n.ID, sheetText(n.Title), sheetText(c.ContractNo), sheetText(c.EnterpriseName), codes[c.EnterpriseID].CreditCode, d.Seq,
				sheetText(d.Title), yuanCell(b.amount, d.AmountFen), state, d.PaidOn, sheetText(d.VoucherNo)); err != nil {
				return err
			}
		}
	}
	return b.write(w)
}
