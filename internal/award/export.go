package award

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

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

// ExportPayments writes the finance bureau's payment list of a programme as
// .xlsx: one row per payment (and per grant not yet requested), amounts in
// 元 with two decimals, and the totals row.
func (s *Service) ExportPayments(ctx context.Context, progID int64, w io.Writer) error {
	p, err := s.Programme(ctx, progID)
	if err != nil {
		return err
	}
	grants, err := s.Grants(ctx, progID, 0)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "付款清单"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 1
	put := func(vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(cellText(fmt.Sprintf("%d %s 奖补资金付款清单", p.Year, p.NameZH)), "预算（元）", yuan(p.BudgetFen)); err != nil {
		return err
	}
	if err := put("名次", "企业名称", "统一社会信用代码", "奖补金额（元）", "付款编号", "付款金额（元）", "状态", "凭证号", "付款日期", "幂等键"); err != nil {
		return err
	}
	payments, err := s.ProgrammePayments(ctx, progID)
	if err != nil {
		return err
	}
	var grantedSum, paidSum money.Total
	for _, g := range grants {
		grantedSum.Add(g.AmountFen)
		paidSum.Add(g.PaidFen)
		pays := payments[g.ID]
		if len(pays) == 0 {
			if err := put(g.Rank, cellText(g.EnterpriseName), cellText(g.CreditCode), yuan(g.AmountFen), "", "", "未申请", "", "", ""); err != nil {
				return err
			}
		}
		for _, py := range pays {
			if err := put(g.Rank, cellText(g.EnterpriseName), cellText(g.CreditCode), yuan(g.AmountFen), py.ID, yuan(py.AmountFen), py.State,
				cellText(py.VoucherNo), py.PaidOn, cellText(py.IdemKey)); err != nil {
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
	if err := put("合计", "", "", yuan(granted), "", yuan(paid), "已付（台账）", "", "", ""); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
