package scenario_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/scenario"
)

// sheet fills the downloaded template's first sheet with rows and returns
// the file, so the test imports what a person would.
func (f *fixture) sheet(rows ...[]any) []byte {
	f.t.Helper()
	var tpl bytes.Buffer
	if err := f.S.WriteBatchTemplate(f.ctx, &tpl); err != nil {
		f.t.Fatal(err)
	}
	x, err := excelize.OpenReader(&tpl)
	if err != nil {
		f.t.Fatal(err)
	}
	defer x.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow("场景清单", cell, &r); err != nil {
			f.t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := x.Write(&out); err != nil {
		f.t.Fatal(err)
	}
	return out.Bytes()
}

func goodRow(title string) []any {
	return []any{title, "城市管理和民生服务", "物联网、传感器", "大数据局", "汛期道路积水无法及时发现", "物联网传感", "科学大道", "积水点位",
		1234567.89, "是", "2023-06-30", "2023-12-31", "王工", "0371-6758 1234"}
}

func TestBatchImportIsAllOrNothingWithRowAndColumnErrors(t *testing.T) {
	f := newFixture(t)
	b, err := f.S.CreateBatch(f.ctx, f.staff, "2023 年第一批")
	if err != nil {
		t.Fatal(err)
	}
	bad := goodRow("第二行好，第三行坏")
	third := goodRow("")
	third[1], third[2], third[3], third[8], third[10] = "道路", "不存在的链", "无名单位", "五十万", "2023-02-30"
	fourth := goodRow("预算为零")
	fourth[8] = 0
	data := f.sheet(bad, third, fourth)
	_, err = f.S.ImportBatch(f.ctx, f.staff, b.ID, "batch.xlsx", data)
	e := errs.As(err)
	if e.Code != errs.Invalid {
		t.Fatalf("want invalid, got %v", err)
	}
	got := map[string]bool{}
	for _, d := range e.Details {
		got[strconv.Itoa(d.Row)+" "+d.Field] = true
		if d.Reason == "" || d.Row == 0 {
			t.Errorf("detail %+v", d)
		}
	}
	for _, w := range []string{"3 A 列「场景名称」", "3 B 列「场景类别」", "3 C 列「产业链」", "3 D 列「提出方」", "3 I 列「预算（元）」",
		"3 K 列「揭榜截止日期」", "4 I 列「预算（元）」"} {
		if !got[w] {
			t.Errorf("no error at %q; got %v", w, got)
		}
	}
	if len(got) != 7 {
		t.Errorf("errors %v", got)
	}
	if n := f.count("scenario_needs"); n != 0 {
		t.Fatalf("a bad file wrote %d needs", n)
	}
	// The good rows alone go in, approved in the batch, owned as named.
	ent := goodRow("企业提出的场景")
	ent[3], ent[9] = f.codeA, "否"
	res, err := f.S.ImportBatch(f.ctx, f.staff, b.ID, "batch.xlsx", f.sheet(bad, ent))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || len(res.NeedIDs) != 2 {
		t.Fatalf("import %+v", res)
	}
	n, err := f.S.Need(f.ctx, f.staff, res.NeedIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if n.State != scenario.StateApproved || n.BatchID != b.ID || n.OwnerUnitID != f.unit.UnitID || n.BudgetFen != 123456789 ||
		len(n.Chains) != 2 || n.Category != scenario.CatService || !n.PriceCap {
		t.Fatalf("imported %+v", n)
	}
	m, _ := f.S.Need(f.ctx, f.staff, res.NeedIDs[1])
	if m.OwnerEnterpriseID != f.entA.EnterpriseID || m.PriceCap {
		t.Fatalf("imported %+v", m)
	}
	// Only supervisors import; a published batch takes no more.
	if _, err := f.S.ImportBatch(f.ctx, f.unit, b.ID, "x.xlsx", data); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit imported: %v", err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.ImportBatch(f.ctx, f.staff, b.ID, "x.xlsx", f.sheet(goodRow("迟到"))); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("imported into a published batch: %v", err)
	}
	if _, err := f.S.ImportBatch(f.ctx, f.staff, b.ID, "x.xlsx", []byte("not a workbook")); errs.CodeOf(err) == "" {
		t.Fatal("garbage accepted")
	}
}

func TestExportsSpeakWordsAndMoneyIsNumeric(t *testing.T) {
	f := newFixture(t)
	call := f.published(need())
	b := bid()
	b.Partners = []scenario.PartnerInput{{CreditCode: f.codeC, Role: "数据平台"}}
	if _, err := f.S.SubmitBid(f.ctx, f.entB, call.ID, b, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.S.ExportCalls(f.ctx, f.anon, scenario.Filter{}, &buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("场景清单")
	if len(rows) != 2 {
		t.Fatalf("calls: %v", rows)
	}
	r := rows[1]
	for i, want := range map[int]string{3: "城市管理和民生服务", 4: "物联网", 5: "大数据局（单位）", 8: "2023-06-30", 10: "揭榜中", 11: "1", 12: "揭榜中"} {
		if r[i] != want {
			t.Errorf("calls column %d = %q, want %q", i+1, r[i], want)
		}
	}
	if typ, _ := x.GetCellType("场景清单", "G2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("budget cell type %v", typ)
	}
	if v, _ := x.GetCellValue("场景清单", "G2", excelize.Options{RawCellValue: true}); v != "500000" {
		t.Errorf("budget cell %q, want 500000 (元)", v)
	}
	x.Close()
	// Bids: staff only, with partners and milestones in words.
	if err := f.S.ExportBids(f.ctx, f.entB, scenario.Filter{}, &buf); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("an enterprise exported bids: %v", err)
	}
	buf.Reset()
	if err := f.S.ExportBids(f.ctx, f.staff, scenario.Filter{}, &buf); err != nil {
		t.Fatal(err)
	}
	x, err = excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ = x.GetRows("揭榜情况")
	if len(rows) != 2 {
		t.Fatalf("bids: %v", rows)
	}
	r = rows[1]
	if r[2] != "乙智能有限公司" || r[3] != f.codeB || !strings.Contains(r[4], "丙数据有限公司（数据平台 待确认") ||
		!strings.Contains(r[6], "签约 2023-07-15 付 30%") || r[7] != "已揭榜" {
		t.Errorf("bid row %q", r)
	}
	if v, _ := x.GetCellValue("揭榜情况", "F2", excelize.Options{RawCellValue: true}); v != "450000" {
		t.Errorf("price cell %q, want 450000 (元)", v)
	}
}
