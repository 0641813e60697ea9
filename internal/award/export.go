package award

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// yuan renders fen as a decimal string of 元 with two places, exactly.
func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// cellText neutralises text typed by people before it goes into a cell: a
// value beginning with = + - @ (or a tab or CR) would be taken for a formula
// once the list is re-saved or pasted as CSV, so it gets a leading
// apostrophe, the spreadsheet convention for "this is text".
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// paymentColumns are the payment list's columns: what the finance bureau
// reads and pays by, and nothing internal (no idempotency keys).
var paymentColumns = []any{"名次", "企业名称", "统一社会信用代码", "奖补金额（元）", "付款编号", "付款金额（元）", "状态", "凭证号", "付款日期", "计入已付（元）", "开户银行", "银行账号"}

// Columns of the amounts (1-based), which hold numbers in 元.
const (
	colGranted = 4
	colAmount  = 6
	colPaid    = 10
)

// exportTitle is the list's title: the programme's name, with its year in
// front unless the name already says it ("2023 科技创新20强", not "2023 2023 …").
func exportTitle(p Programme) string {
	year := strconv.Itoa(p.Year)
	name := strings.TrimSpace(p.NameZH)
	if !strings.Contains(name, year) {
		name = year + " 年 " + name
	}
	return name + " 奖补资金付款清单"
}

// yuanCell is an amount as a number of 元 in a cell formatted with
// thousands separators and two decimals, so that the column sums. Amounts
// are bounded by money.MaxFen (10^14 fen), well inside a float64's exact
// integers, and fen/100 is the nearest double to the decimal amount.
func yuanCell(style int, fen int64) excelize.Cell {
	return excelize.Cell{StyleID: style, Value: float64(fen) / 100}
}

// ExportPayments writes the finance bureau's payment list of a programme as
// .xlsx: the title and budget, then one row per payment (and one per grant
// not yet requested), with the statuses in Chinese and every amount a
// number of 元. A grant's amount stands on its first row only, and the
// last column counts what the ledger holds as paid (a paid payment's
// amount, 0 once reversed), so both columns sum to the totals row, which
// is written as SUM formulas with their values. Each row carries the
// payee's bank and account from the registry, which only staff read.
// Errors: Forbidden (not staff), NotFound.
func (s *Service) ExportPayments(ctx context.Context, v Viewer, progID int64, w io.Writer) error {
	if !v.Staff() {
		return errs.New(errs.Forbidden, "只有工作人员可以导出付款清单", "only staff may export the payment list")
	}
	p, err := s.Programme(ctx, progID)
	if err != nil {
		return err
	}
	grants, err := s.Grants(ctx, progID, 0)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		ids = append(ids, g.EnterpriseID)
	}
	banks, err := enterprise.BankAccounts(ctx, s.DB.Crypto, s.DB.R, ids)
	if err != nil {
		return err
	}
	payments, err := s.ProgrammePayments(ctx, progID)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "付款清单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	numFmt := "#,##0.00"
	amount, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for col, width := range map[int]float64{2: 36, 3: 22, colGranted: 16, colAmount: 16, 7: 10, 8: 16, 9: 12, colPaid: 16, 11: 28, 12: 26} {
		if err := sw.SetColWidth(col, col, width); err != nil {
			return err
		}
	}
	row := 1
	put := func(vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(excelize.Cell{StyleID: bold, Value: cellText(exportTitle(p))}); err != nil {
		return err
	}
	if err := put("预算（元）", yuanCell(amount, p.BudgetFen)); err != nil {
		return err
	}
	if err := put(paymentColumns...); err != nil {
		return err
	}
	first := row
	var grantedSum, paidSum money.Total
	for _, g := range grants {
		grantedSum.Add(g.AmountFen)
		paidSum.Add(g.PaidFen)
		head := []any{g.Rank, cellText(g.EnterpriseName), cellText(g.CreditCode), yuanCell(amount, g.AmountFen)}
		bank := banks[g.EnterpriseID]
		// The account is text: 16–19 digits would lose their last places
		// as a number.
		payee := []any{cellText(bank.BankName), cellText(bank.Account)}
		pays := payments[g.ID]
		if len(pays) == 0 {
			if err := put(append(append(head, nil, nil, "未申请付款", nil, nil, nil), payee...)...); err != nil {
				return err
			}
		}
		for i, py := range pays {
			if i > 0 {
				head[colGranted-1] = nil
			}
			zh, _ := Label(py.State)
			var paid any
			switch py.State {
			case PayPaid:
				paid = yuanCell(amount, py.AmountFen)
			case PayReversed:
				paid = yuanCell(amount, 0)
			}
			if err := put(append(append(head, py.ID, yuanCell(amount, py.AmountFen), zh, cellText(py.VoucherNo), py.PaidOn, paid), payee...)...); err != nil {
				return err
			}
		}
	}
	granted, err := grantedSum.Fen("award: export granted")
	if err != nil {
		return err
	}
	paid, err := paidSum.Fen("award: export paid")
	if err != nil {
		return err
	}
	sum := func(col int, fen int64) excelize.Cell {
		c := yuanCell(amount, fen)
		if row > first {
			from, _ := excelize.CoordinatesToCellName(col, first)
			to, _ := excelize.CoordinatesToCellName(col, row-1)
			c.Formula = "SUM(" + from + ":" + to + ")"
		}
		return c
	}
	if err := put("合计", "", "", sum(colGranted, granted), nil, nil, "", "", "", sum(colPaid, paid)); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
