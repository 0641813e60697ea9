package finance_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// rowsOf opens an .xlsx answer and reads its only sheet.
func rowsOf(t *testing.T, r *webtest.Resp, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	if r.Code != http.StatusOK || r.Header.Get("Content-Type") != web.SpreadsheetType {
		t.Fatalf("export %s: %d %s %.300s", sheet, r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %v, want [%s]", got, sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// TestExports: staff export institutions, needs and matches in words with
// money as numeric 元 cells; an enterprise exports only its own needs and
// the matches on them, an institution only its own matches; everyone else
// is refused. Typed text never becomes a formula.
func TestExports(t *testing.T) {
	w := newWorld(t)
	w.fundedLoan("1000")
	other := needForm()
	other["title"] = []string{"=HYPERLINK(\"http://x\")"}
	want(t, multipartForm(w.As("enterprise2"), "/finance/needs", other, nil), http.StatusSeeOther, "another enterprise's need")

	sup := w.As("supervisor")
	f, rows := rowsOf(t, sup.Get("/finance/institutions.xlsx"), "金融机构")
	if len(rows) != 2 || rows[0][1] != "机构名称" || rows[0][5] != "管理资本规模（元）" {
		t.Fatalf("institutions: %q", rows)
	}
	if got := rows[1]; got[1] != "中原银行郑州高新支行" || got[2] != "银行" || got[4] != "已入库" || got[9] != "贷款" || got[11] != "2023-03-01" {
		t.Fatalf("the bank: %q", got)
	}
	if v, _ := f.GetCellValue("金融机构", "F2", excelize.Options{RawCellValue: true}); v != "5000000000" {
		t.Fatalf("capital cell: %q", v)
	}
	if typ, _ := f.GetCellType("金融机构", "F2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatalf("capital is text: %v", typ)
	}

	f, rows = rowsOf(t, sup.Get("/finance/needs.xlsx"), "融资需求")
	if len(rows) != 3 || rows[0][3] != "金额（元）" || rows[1][2] != `'=HYPERLINK("http://x")` || rows[2][2] != "传感器产线流动资金贷款" || rows[2][4] != "贷款" || rows[2][9] != "征集中" {
		t.Fatalf("needs: %q", rows)
	}
	if formula, _ := f.GetCellFormula("融资需求", "C2"); formula != "" {
		t.Fatalf("a typed title became the formula %q", formula)
	}
	if v, _ := f.GetCellValue("融资需求", "D3", excelize.Options{RawCellValue: true}); v != "10000000" {
		t.Fatalf("amount cell: %q", v)
	}
	_, rows = rowsOf(t, w.As("enterprise").Get("/finance/needs.xlsx"), "融资需求")
	if len(rows) != 2 || rows[1][2] != "传感器产线流动资金贷款" {
		t.Fatalf("the enterprise's needs: %q", rows)
	}

	f, rows = rowsOf(t, sup.Get("/finance/matches.xlsx"), "融资对接")
	if len(rows) != 2 || rows[0][9] != "到位金额（元）" || rows[1][3] != "中原银行郑州高新支行" || rows[1][4] != "到位" || rows[1][5] != "进行中" || rows[1][10] != "2023-06-10" {
		t.Fatalf("matches: %q", rows)
	}
	if v, _ := f.GetCellValue("融资对接", "J2", excelize.Options{RawCellValue: true}); v != "10000000" {
		t.Fatalf("funded cell: %q", v)
	}
	for _, who := range []string{"enterprise", "vc1"} {
		if _, rows := rowsOf(t, w.As(who).Get("/finance/matches.xlsx"), "融资对接"); len(rows) != 2 {
			t.Fatalf("%s's matches: %q", who, rows)
		}
	}
	for _, who := range []string{"enterprise2", "vc2"} {
		if _, rows := rowsOf(t, w.As(who).Get("/finance/matches.xlsx"), "融资对接"); len(rows) != 1 {
			t.Fatalf("%s reads others' matches: %q", who, rows)
		}
	}

	for _, c := range []struct{ who, path string }{
		{"enterprise", "/finance/institutions.xlsx"}, {"vc1", "/finance/institutions.xlsx"}, {"unit", "/finance/institutions.xlsx"},
		{"vc1", "/finance/needs.xlsx"}, {"unit", "/finance/needs.xlsx"}, {"unit", "/finance/matches.xlsx"},
	} {
		r := w.As(c.who).Get(c.path)
		if r.Code != http.StatusForbidden || r.Header.Get("Content-Type") == web.SpreadsheetType {
			t.Fatalf("%s exports %s: %d %s", c.who, c.path, r.Code, r.Header.Get("Content-Type"))
		}
	}
	if r := w.Anon().Get("/finance/matches.xlsx"); r.Code == http.StatusOK {
		t.Fatal("the public exports the matches")
	}
}
