package plan

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
)

// BulletinXLSX computes a month's bulletin with every unit's task detail and
// writes it as an .xlsx workbook: sheet 通报 (one row per unit, ranked, with
// the formula written under the table) and sheet 任务 (one row per task).
// Errors: as Bulletin.
func (s *Service) BulletinXLSX(ctx context.Context, v Viewer, year, month int, w io.Writer) error {
	if !v.ReadsAll() {
		return errs.New(errs.Forbidden, "只有领导和督查人员可以导出通报", "only leaders and supervisors export the bulletin")
	}
	b, err := s.bulletin(ctx, year, month, -1)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sum, det = "通报", "任务"
	f.SetSheetName("Sheet1", sum)
	if _, err := f.NewSheet(det); err != nil {
		return err
	}
	// Columns holding text from users (unit names, task titles) are
	// formatted as text (number format 49, "@"): their cells are written as
	// strings, never formulas, and stay text if someone edits them in Excel,
	// so a title starting with = + - @ cannot become a formula.
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	for _, c := range []struct{ sheet, col string }{{sum, "B"}, {det, "A"}, {det, "C"}} {
		if err := f.SetColStyle(c.sheet, c.col, text); err != nil {
			return err
		}
	}
	put := func(sheet string, row int, vals ...any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sheet, cell, &vals)
	}
	title := fmt.Sprintf("%d年%d月 督查督办通报（截至 %s）", b.Year, b.Month, b.Date)
	if err := put(sum, 1, title); err != nil {
		return err
	}
	if err := put(sum, 2, "排名", "单位", "牵头任务", "截至当日应完成", "已完成", "按期完成", "逾期", "红牌",
		"应报告", "按时报告", "完成率%", "按期率%", "报告及时率%", "得分"); err != nil {
		return err
	}
	r := 3
	for _, u := range b.Units {
		if err := put(sum, r, u.Rank, u.Unit.NameZH, u.Tasks, u.DueByDate, u.Done, u.OnTime, u.Late, u.Red, u.ReportsDue,
			u.ReportsOnTime, float64(u.Completion)/10, float64(u.OnTimeRate)/10, float64(u.ReportRate)/10, float64(u.Score)/10); err != nil {
			return err
		}
		r++
	}
	st := b.Settings
	formula := fmt.Sprintf("得分 = (%d×完成率 + %d×按期率 + %d×报告及时率) / %d − %d×红牌数，取 0–100",
		st.ScoreDone, st.ScoreOnTime, st.ScoreReport, st.ScoreDone+st.ScoreOnTime+st.ScoreReport, st.ScoreRedCost)
	if err := put(sum, r+1, formula); err != nil {
		return err
	}
	if err := put(det, 1, "单位", "任务编号", "任务", "截止日期", "完成日期", "状态"); err != nil {
		return err
	}
	r = 2
	status := map[string]string{"on_time": "按期完成", "done_late": "逾期完成", "late": "逾期未完成", "open": "推进中"}
	for _, u := range b.Units {
		for _, t := range u.Rows {
			if err := put(det, r, u.Unit.NameZH, t.TaskID, t.Title, t.DueOn, t.DoneOn, status[t.Status]); err != nil {
				return err
			}
			r++
		}
	}
	f.SetColWidth(sum, "B", "B", 22)
	f.SetColWidth(det, "A", "A", 20)
	f.SetColWidth(det, "C", "C", 60)
	_, err = f.WriteTo(w)
	return err
}
