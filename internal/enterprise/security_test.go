package enterprise_test

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// rezip copies an .xlsx and adds one more part, written by add.
func rezip(t *testing.T, data []byte, add func(zw *zip.Writer)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	add(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportRefusesZipBombs: a small upload that inflates to far more than
// any real registry file is refused before it is unpacked, whether the
// archive admits its size or the part is merely huge.
func TestImportRefusesZipBombs(t *testing.T) {
	f := newFixture(t)
	good := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称"}, {"914403001922038216", "郑州演示甲公司"}})
	zeros := func(name string, n int) func(zw *zip.Writer) {
		return func(zw *zip.Writer) {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
			chunk := make([]byte, 1<<20)
			for i := 0; i < n; i++ {
				w.Write(chunk)
			}
		}
	}
	declared := func(zw *zip.Writer) {
		// A part that claims 1 TiB: refused on the declared size alone.
		body := []byte("<worksheet/>")
		var c bytes.Buffer
		fw, _ := zip.NewWriter(&c).CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Store})
		fw.Write(body)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet9.xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: 1 << 40})
		w.Write(body)
	}
	for name, data := range map[string][]byte{
		"a 64 MiB part kept in memory": rezip(t, good, zeros("xl/media/image1.bin", 64)),
		"a part declaring 1 TiB":       rezip(t, good, declared),
	} {
		if len(data) > 1<<20 {
			t.Fatalf("%s: the bomb itself is %d bytes", name, len(data))
		}
		res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "bomb.xlsx"})
		if err == nil || res.Written {
			t.Errorf("%s: imported: %+v", name, res)
			continue
		}
		if c := errs.CodeOf(err); c != errs.TooLarge {
			t.Errorf("%s: error %v (code %s), want too_large", name, err, c)
		}
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{}); len(p.Items) != 0 {
		t.Fatalf("a bomb wrote %d enterprises", len(p.Items))
	}
}

// TestCSVQuirks: a UTF-8 BOM, quoted cells with commas, quotes and new
// lines, Excel's ="…" wrapper that keeps a code as text, and a cell that
// looks like a formula, stored as the text it is.
func TestCSVQuirks(t *testing.T) {
	f := newFixture(t)
	csv := "\xEF\xBB\xBF统一社会信用代码,企业名称,注册地址,营业收入（万元）,年度\r\n" +
		"=\"914403001922038216\",\"郑州演示\"\"甲\"\"科技, 有限公司\",\"一号楼\n二层\",\"1,234.5\",2023\r\n" +
		"91330100716105852F,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\",@SUM(1+1),,\r\n"
	res, err := f.svc.Import(f.ctx, staff, []byte(csv), enterprise.ImportOptions{Filename: "q.csv"})
	if err != nil || !res.Written || res.Created != 2 {
		t.Fatalf("csv import: %+v %v", res, err)
	}
	a, err := f.svc.ByCode(f.ctx, staff, "914403001922038216")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != `郑州演示"甲"科技, 有限公司` || a.Address != "一号楼\n二层" {
		t.Errorf("quoted cells: %q %q", a.Name, a.Address)
	}
	b, _ := f.svc.ByCode(f.ctx, staff, "91330100716105852F")
	if b.Name != `=HYPERLINK("http://evil.example","点我")` || b.Address != "@SUM(1+1)" {
		t.Errorf("formula-like cells not kept as text: %q %q", b.Name, b.Address)
	}
}

// formulaCells opens an .xlsx and reports, for every cell whose text starts
// like a formula, whether a spreadsheet could take it for one: a formula
// cell, or a text cell without the quote prefix Excel itself stores for
// text typed as '=….
func formulaCells(t *testing.T, data []byte, sheet string) (danger []string, texts []string) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := x.GetCellFormula(sheet, cell); fm != "" {
				danger = append(danger, cell+" formula "+fm)
			}
			if v == "" || !strings.ContainsRune("=+-@", rune(v[0])) {
				continue
			}
			texts = append(texts, v)
			id, _ := x.GetCellStyle(sheet, cell)
			xf := x.Styles.CellXfs.Xf
			if id >= len(xf) || xf[id].QuotePrefix == nil || !*xf[id].QuotePrefix {
				if v[0] != '\'' {
					danger = append(danger, cell+" "+v)
				}
			}
		}
	}
	return danger, texts
}

// TestSpreadsheetsNeutraliseFormulas: user text that starts with = + - or
// @ comes out of the export and of the error report as text a spreadsheet
// will not evaluate, and the export still re-imports unchanged.
func TestSpreadsheetsNeutraliseFormulas(t *testing.T) {
	f := newFixture(t)
	evil := `=HYPERLINK("http://evil.example","点我")`
	f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: evil, Address: "@SUM(A1:A9)", LegalForm: "+1", FormerNames: []string{"-2+3"}})
	out, err := f.svc.Export(f.ctx, staff, enterprise.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	danger, texts := formulaCells(t, out, "企业信息")
	if len(danger) > 0 || len(texts) != 4 {
		t.Errorf("export: risky cells %q (formula-like texts %q)", danger, texts)
	}
	res, err := f.svc.Import(f.ctx, staff, out, enterprise.ImportOptions{Filename: "export.xlsx"})
	if err != nil || len(res.Errors) != 0 || res.Unchanged != 1 {
		t.Fatalf("round trip: %+v %v", res, err)
	}

	bad := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称", "=cmd|' /C calc'!A0"}, {"=1+2", "x"}, {"914403001922038216", "@x", "y"}})
	res, err = f.svc.Import(f.ctx, staff, bad, enterprise.ImportOptions{Filename: "bad.xlsx"})
	if err != nil || len(res.Errors) == 0 {
		t.Fatalf("bad file: %+v %v", res, err)
	}
	rep, err := enterprise.ReportXLSX(res)
	if err != nil {
		t.Fatal(err)
	}
	if danger, _ := formulaCells(t, rep, "错误报告"); len(danger) > 0 {
		t.Errorf("report: risky cells %q", danger)
	}
}

// TestImportRefusesNewCodeExceptions: a code that fails its check is taken
// only by hand, one code at a time (Create or Update with a reason, which
// the audit log records); an import may carry an exception already
// recorded (an export re-imported) but not bring in a new one.
func TestImportRefusesNewCodeExceptions(t *testing.T) {
	f := newFixture(t)
	const misprint = "91350100M000100Y4Z"
	file := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称", "代码校验例外理由"}, {misprint, "例外公司", "登记机关核发"}})
	res, err := f.svc.Import(f.ctx, staff, file, enterprise.ImportOptions{Filename: "x.xlsx"})
	if err != nil || res.Written || len(res.Errors) != 1 || res.Errors[0].Row != 2 {
		t.Fatalf("import with a new exception: %+v %v", res, err)
	}
	// By hand, with a reason: accepted and audited with the reason.
	e := f.mustCreate(t, enterprise.Input{CreditCode: misprint, Name: "例外公司", CodeException: "营业执照原件如此，登记机关已核实"})
	entries, err := audit.New(f.svc.DB).List(f.ctx, audit.Filter{ObjectType: "enterprise", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range entries {
		if en.Action == "enterprise.create" && strings.Contains(en.After, "登记机关已核实") {
			found = true
		}
	}
	if !found {
		t.Errorf("the exception's reason is not in the audit log: %+v", entries)
	}
	// Its export re-imports unchanged.
	out, err := f.svc.Export(f.ctx, staff, enterprise.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Import(f.ctx, staff, out, enterprise.ImportOptions{Filename: "export.xlsx"})
	if err != nil || len(res.Errors) != 0 || res.Unchanged != 1 {
		t.Fatalf("round trip of a recorded exception: %+v %v", res, err)
	}
	_ = e
}

// TestFormatExtremes: the largest values int64 holds format exactly, without
// overflowing into nonsense.
func TestFormatExtremes(t *testing.T) {
	for _, c := range []struct {
		fen  int64
		want string
	}{
		{0, "0.00 元"},
		{-1, "-0.01 元"},
		{999_999, "9999.99 元"},
		{1_000_000, "1.00 万元"},
		{107856017070, "10.79 亿元"},
		{92_233_720_368_547_758, "9223372.04 亿元"},
		{math.MaxInt64, "922337203.69 亿元"},
		{-math.MaxInt64, "-922337203.69 亿元"},
		{math.MinInt64, "-922337203.69 亿元"},
	} {
		if got := enterprise.FormatFen(c.fen); got != c.want {
			t.Errorf("FormatFen(%d) = %q, want %q", c.fen, got, c.want)
		}
	}
	if got := enterprise.FormatScaled(math.MinInt64, 2); got != "-92233720368547758.08" {
		t.Errorf("FormatScaled(MinInt64, 2) = %q", got)
	}
	// 999999999999999999 万元 does not fit: refused, not wrapped around.
	if _, err := enterprise.ParseScaled("999999999999999999", 6); err == nil {
		t.Error("ParseScaled accepted 999999999999999999 万元")
	}
}

// TestDryRunWritesNothing: a dry run leaves the registry, the history and
// the audit log exactly as they were.
func TestDryRunWritesNothing(t *testing.T) {
	f := newFixture(t)
	log := audit.New(f.svc.DB)
	before, err := log.List(f.ctx, audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	data := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称", "营业收入（万元）", "年度"}, {"914403001922038216", "郑州演示甲公司", "10", "2023"}})
	res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "dry.xlsx", DryRun: true})
	if err != nil || res.Created != 1 || res.Written {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	after, _ := log.List(f.ctx, audit.Filter{Limit: 500})
	if len(after) != len(before) {
		t.Errorf("dry run added %d audit rows", len(after)-len(before))
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{}); len(p.Items) != 0 {
		t.Errorf("dry run wrote %d enterprises", len(p.Items))
	}
}
