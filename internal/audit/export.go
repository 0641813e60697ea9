package audit

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/db"
)

// Export writes the rows the filter selects (newest first, at most
// MaxExport) as .xlsx, told in words as on the trail's page: time (a date
// cell in China time), actor, what happened, the fields that changed with
// their values before and after, outcome, address, action code and row
// number (a number cell). names maps a recorded actor name to the name to
// show (display names the caller looked up).
func (l *Log) Export(ctx context.Context, f Filter, lang string, names map[string]string, w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "审计日志"
	if lang == "en" {
		sheet = "Audit trail"
	}
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	fmtStr := "yyyy-mm-dd hh:mm:ss"
	when, err := x.NewStyle(&excelize.Style{CustomNumFmt: &fmtStr})
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	wrap, err := x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	for col, width := range []float64{20, 14, 60, 16, 40, 10, 16, 24, 10} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return fmt.Errorf("audit: export: %w", err)
		}
	}
	head := []any{"时间（北京时间）", "操作人", "事项", "变更字段", "原值 → 新值", "结果", "来源地址", "操作代码", "记录号"}
	if lang == "en" {
		head = []any{"Time (UTC+8)", "Actor", "What happened", "Fields changed", "Before → after", "Outcome", "Address", "Action code", "Row"}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	row := 2
	err = l.Each(ctx, f, func(r Row) error {
		d := l.Tell(r, lang, names[r.Actor])
		var fields, values []string
		for _, c := range d.Changes {
			fields = append(fields, c.Field)
			values = append(values, c.Before+" → "+c.After)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, []any{
			excelize.Cell{StyleID: when, Value: chinaWallClock(r.At)},
			actorName(r.Actor, names),
			excelize.Cell{StyleID: wrap, Value: d.Sentence},
			excelize.Cell{StyleID: wrap, Value: strings.Join(fields, "\n")},
			excelize.Cell{StyleID: wrap, Value: strings.Join(values, "\n")},
			OutcomeWords(r.Outcome, lang),
			r.IP, r.Action, r.ID,
		})
	})
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	return x.Write(w)
}

// chinaWallClock is the instant's China-time wall clock, for a spreadsheet
// date cell (which has no zone).
func chinaWallClock(ms int64) time.Time {
	t := time.UnixMilli(ms).In(db.CST)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func actorName(actor string, names map[string]string) string {
	if n := names[actor]; n != "" {
		return n
	}
	return actor
}

// OutcomeWords is an outcome in words.
func OutcomeWords(outcome, lang string) string {
	w := map[string]Words{OK: {"成功", "done"}, Refused: {"被拒绝", "refused"}, Failed: {"未成功", "failed"}}[outcome]
	if w.ZH == "" {
		return outcome
	}
	if lang == "en" {
		return w.EN
	}
	return w.ZH
}
