package enterprise_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// xlsxOf builds a workbook whose first sheet holds rows; a cell given as
// float64 is stored as a number, a string as text.
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A file as real offices send it: a merged title row, columns in their own
// order with English and alias names, units in headers, full-width digits,
// thousands separators, numbers stored as text, an Excel serial date, blank
// trailing rows.
func quirkyRows(badRows bool) [][]any {
	rows := [][]any{
		{"2023 年度高新区企业主要经济指标（统计局）"},
		{},
		{"Name", "营业收入（亿元）", "统一社会信用代码", "成立日期", "从业人员期末人数", "税收（元）", "年度", "所属办事处", "产业链", "行业代码"},
		{"郑州演示传感有限公司", "1.5", "914403001922038216", 44942.0, "１，２０５", "1,234,567.89", 2023.0, "石佛办事处", "传感器；物联网", "C3911"},
		{"郑州演示氢能有限公司", "０．２５", "９１３３０１００７１６１０５８５２Ｆ", "2019/3/8", 35.0, "", "2023年", "gz", "hydrogen", "4411"},
	}
	if badRows {
		rows = append(rows,
			[]any{"坏代码公司", "1", "914403001922038217", "2020-01-01", "10", "", "2023", "sf", "", ""},
			[]any{"重复公司", "1", "914403001922038216", "2020-01-01", "10", "", "2023", "sf", "", ""},
			[]any{"负数公司", "abc", "9144030071526726XG", "2999-01-01", "-5", "", "2023", "nowhere", "火星产业", "9999"},
		)
	}
	return append(rows, []any{}, []any{"", "", ""})
}

func TestImportQuirksErrorsFixRoundTrip(t *testing.T) {
	f := newFixture(t)
	bad := xlsxOf(t, quirkyRows(true))
	res, err := f.svc.Import(f.ctx, staff, bad, enterprise.ImportOptions{Filename: "2023.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Written || len(res.Errors) == 0 {
		t.Fatalf("bad file written: %+v", res)
	}
	type key struct {
		row   int
		field string
	}
	got := map[key]bool{}
	for _, d := range res.Errors {
		got[key{d.Row, d.Field}] = true
		if d.Reason == "" || d.ReasonEN == "" {
			t.Errorf("detail without reason: %+v", d)
		}
	}
	for _, want := range []key{
		{6, "统一社会信用代码"}, // check character
		{7, "统一社会信用代码"}, // duplicate of row 4
		{8, "营业收入（亿元）"}, // not a number
		{8, "从业人员期末人数"}, // negative
		{8, "成立日期"},     // future
		{8, "所属办事处"},    // unknown area
		{8, "产业链"},      // unknown node
		{8, "行业代码"},     // unknown industry
	} {
		if !got[want] {
			t.Errorf("no error for row %d column %s; got %+v", want.row, want.field, res.Errors)
		}
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{}); len(p.Items) != 0 {
		t.Fatalf("a failed import wrote %d enterprises", len(p.Items))
	}
	report, err := enterprise.ReportXLSX(res)
	if err != nil || !bytes.HasPrefix(report, []byte("PK")) {
		t.Fatalf("report: %v", err)
	}

	// Dry run of the fixed file: counts, nothing written.
	good := xlsxOf(t, quirkyRows(false))
	res, err = f.svc.Import(f.ctx, staff, good, enterprise.ImportOptions{Filename: "2023.xlsx", DryRun: true})
	if err != nil || len(res.Errors) != 0 || res.Created != 2 || res.Written {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{}); len(p.Items) != 0 {
		t.Fatal("dry run wrote")
	}
	res, err = f.svc.Import(f.ctx, staff, good, enterprise.ImportOptions{Filename: "2023.xlsx"})
	if err != nil || !res.Written || res.Created != 2 || res.Figures != 5 {
		t.Fatalf("import: %+v %v", res, err)
	}
	e, err := f.svc.ByCode(f.ctx, staff, "914403001922038216")
	if err != nil {
		t.Fatal(err)
	}
	if e.RegisteredOn != "2023-01-16" || e.AreaCode != "sf" || e.IndustryCode != "3911" || len(e.Chains) != 2 {
		t.Fatalf("imported profile %+v", e)
	}
	figs, _ := f.svc.Figures(f.ctx, staff, e.ID)
	want := map[string]int64{"revenue": 1_5000_0000_00, "employees": 1205, "taxes": 123456789}
	for _, g := range figs {
		if want[g.Indicator] != g.Value || g.Source != enterprise.FromStats || !g.Effective {
			t.Errorf("figure %+v, want %d", g, want[g.Indicator])
		}
	}
	if len(figs) != 3 {
		t.Errorf("figures %+v", figs)
	}
	// Re-importing the same file changes nothing.
	res, _ = f.svc.Import(f.ctx, staff, good, enterprise.ImportOptions{Filename: "again.xlsx"})
	if res.Unchanged != 2 || res.Updated != 0 || res.Created != 0 || res.Figures != 0 {
		t.Fatalf("re-import: %+v", res)
	}
	// Export → re-import changes nothing.
	out, err := f.svc.Export(f.ctx, staff, enterprise.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Import(f.ctx, staff, out, enterprise.ImportOptions{Filename: "export.xlsx"})
	if err != nil || len(res.Errors) != 0 || res.Unchanged != 2 || res.Updated != 0 {
		t.Fatalf("round trip: %+v %v", res, err)
	}
	// An update names the columns that change and keeps history.
	upd := xlsxOf(t, [][]any{{"统一社会信用代码", "营业收入（万元）", "年度", "状态"}, {"914403001922038216", "16000", "2023", "迁出"}})
	res, _ = f.svc.Import(f.ctx, staff, upd, enterprise.ImportOptions{Filename: "upd.xlsx"})
	if res.Updated != 1 || len(res.Changes) != 1 || strings.Join(res.Changes[0].Fields, ",") != "状态,营业收入（万元）" {
		t.Fatalf("update: %+v", res)
	}
	h, _ := f.svc.History(f.ctx, staff, e.ID, 0, 10)
	if len(h) != 2 || h[0].Action != "enterprise.import.update" || !strings.Contains(h[0].Before, "15000000000") {
		t.Fatalf("history %+v", h)
	}
}

func TestImportRefusesNonSheetsAndLargeFiles(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name string
		data []byte
		code errs.Code
	}{
		{"x.xlsx", []byte("this is not a spreadsheet"), errs.Invalid},
		{"x.xlsx", []byte("PK\x03\x04 broken zip"), errs.Invalid},
		{"old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0}, errs.Invalid},
		{"x.csv", []byte("no,header,here\n1,2,3\n"), errs.Invalid},
	}
	for _, c := range cases {
		_, err := f.svc.Import(f.ctx, staff, c.data, enterprise.ImportOptions{Filename: c.name})
		if errs.CodeOf(err) != c.code {
			t.Errorf("%s %q: %v", c.name, c.data[:min(len(c.data), 10)], err)
		}
	}
	f.svc.MaxImportBytes = 10
	if _, err := f.svc.Import(f.ctx, staff, []byte("01234567890"), enterprise.ImportOptions{Filename: "a.csv"}); errs.CodeOf(err) != errs.TooLarge {
		t.Errorf("large: %v", err)
	}
}

func TestImportCSVInGB18030(t *testing.T) {
	f := newFixture(t)
	// "统一社会信用代码,企业名称,注册资本（万元）" and a row, encoded as GB18030 the way
	// Excel saves CSV on Chinese Windows.
	utf := "统一社会信用代码,企业名称,注册资本（万元）\n914403001922038216,郑州演示有限公司,\"1,000.5\"\n"
	gb, err := encodeGB18030(utf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Import(f.ctx, staff, gb, enterprise.ImportOptions{Filename: "企业.csv"})
	if err != nil || !res.Written || res.Created != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	e, _ := f.svc.ByCode(f.ctx, staff, "914403001922038216")
	if e.Name != "郑州演示有限公司" || e.CapitalFen != 1000_5000_00 {
		t.Fatalf("%+v", e)
	}
}

// A sheet whose XML breaks off after good rows is refused as a whole: the
// rows before the break are not imported as if the file ended there.
func TestImportTruncatedSheetWritesNothing(t *testing.T) {
	f := newFixture(t)
	good := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称"},
		{"914403001922038216", "甲"}, {"91330100716105852F", "乙"}, {"91110000802100433B", "丙"}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range zr.File {
		rc, _ := p.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if p.Name == "xl/worksheets/sheet1.xml" {
			cut := bytes.Index(body, []byte(`<row r="4"`))
			if cut < 0 {
				t.Fatalf("sheet without row 4: %s", body)
			}
			body = body[:cut+20]
		}
		w, _ := zw.Create(p.Name)
		w.Write(body)
	}
	zw.Close()
	res, err := f.svc.Import(f.ctx, staff, buf.Bytes(), enterprise.ImportOptions{Filename: "cut.xlsx"})
	if err == nil && (res.Written || len(res.Errors) == 0) {
		t.Fatalf("a cut-off sheet imported: %+v", res)
	}
	if _, err := f.svc.ByCode(f.ctx, staff, "914403001922038216"); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a row before the break was written: %v", err)
	}
}
