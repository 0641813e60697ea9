package enterprise_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/enterprise"
)

// An export a finance office can sum: amounts and figures are number
// cells (a loss of 5 万元 is the number -5, not the text '-5), chains are
// named, and the CSV form carries the same values as plain decimals.
func TestExportWritesNumbersAndChainNames(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.SaveIndicator(f.ctx, staff, enterprise.Indicator{Code: "profit", NameZH: "利润总额", Unit: "元", Scale: 2, Sort: 15}); err != nil {
		t.Fatal(err)
	}
	e := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示传感有限公司", Area: "sf",
		Chains: []string{"iot_sensor"}, IndustryCode: "3983", CapitalFen: 123_456_789_00})
	err := f.svc.SetFigures(f.ctx, staff, e.ID, []enterprise.FigureInput{
		{Indicator: "profit", Year: 2023, Value: -5_000_000}, // −5 万元
		{Indicator: "revenue", Year: 2023, Value: 1_234_567_890_12},
		{Indicator: "employees", Year: 2023, Value: 1205},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.Export(f.ctx, staff, enterprise.Filter{}, 2023)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("企业信息", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v %v", rows, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cellType := func(header string) (excelize.CellType, string) {
		t.Helper()
		name, _ := excelize.CoordinatesToCellName(col[header]+1, 2)
		ct, err := x.GetCellType("企业信息", name)
		if err != nil {
			t.Fatal(err)
		}
		return ct, rows[1][col[header]]
	}
	for header, want := range map[string]string{"利润总额（万元）": "-5", "营业收入（万元）": "123456.789012", "从业人员（人）": "1205",
		"注册资本（万元）": "12345.6789", "年度": "2023"} {
		ct, v := cellType(header)
		if ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString || v != want {
			t.Errorf("%s: type %v value %q, want the number %s", header, ct, v, want)
		}
	}
	if got := rows[1][col["产业链"]]; got != "传感器" {
		t.Errorf("chains %q, want the node's name", got)
	}
	if bytes.Contains(out, []byte("'-5")) {
		t.Error("a number was written as quoted text")
	}

	c, err := f.svc.ExportCSV(f.ctx, staff, enterprise.Filter{}, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(c, []byte("\uFEFF")) {
		t.Error("CSV without the UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv: %v %v", recs, err)
	}
	if recs[1][col["利润总额（万元）"]] != "-5" || recs[1][col["产业链"]] != "传感器" || !strings.HasPrefix(recs[0][0], "统一社会信用代码") {
		t.Errorf("csv row %v", recs[1])
	}
	// The CSV re-imports as it came out: nothing changes.
	res, err := f.svc.Import(f.ctx, staff, c, enterprise.ImportOptions{Filename: "export.csv", DryRun: true})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("re-import: %v %+v", err, res.Errors)
	}
	if res.Created != 0 || res.Updated != 0 {
		t.Errorf("re-importing the CSV would change %d/%d enterprises", res.Created, res.Updated)
	}
}
