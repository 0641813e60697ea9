package enterprise_test

import (
	"math"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// An import refuses a money cell above the credible bound (一万亿元), naming
// the row and the column, and writes nothing; the bound itself is accepted.
func TestImportRefusesIncredibleMoney(t *testing.T) {
	f := newFixture(t)
	header := []any{"企业名称", "统一社会信用代码", "年度", "营业收入（亿元）", "注册资本（万元）"}
	bad := xlsxOf(t, [][]any{header,
		{"郑州演示传感有限公司", "914403001922038216", "2023", "10000", "1"},        // 1e12 元: the bound
		{"郑州演示氢能有限公司", "91330100716105852F", "2023", "10000.01", "1"},     // above it
		{"郑州演示材料有限公司", "9144030071526726XG", "2023", "1", "100000000.01"}, // capital above it
		{"郑州演示芯片有限公司", "91440300MA5DC7RC7C", "2023", "92233720368547758.07", ""},
	})
	res, err := f.svc.Import(f.ctx, staff, bad, enterprise.ImportOptions{Filename: "big.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		row   int
		field string
	}
	got := map[key]errs.Detail{}
	for _, d := range res.Errors {
		got[key{d.Row, d.Field}] = d
	}
	for _, want := range []key{{3, "营业收入（亿元）"}, {4, "注册资本（万元）"}, {5, "营业收入（亿元）"}} {
		d, ok := got[want]
		if !ok || d.Reason == "" || d.ReasonEN == "" {
			t.Errorf("no bilingual error for row %d column %s; got %+v", want.row, want.field, res.Errors)
		}
	}
	if _, ok := got[key{2, "营业收入（亿元）"}]; ok {
		t.Errorf("the bound itself was refused: %+v", res.Errors)
	}
	if res.Written {
		t.Fatal("a file with refused cells was written")
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{}); len(p.Items) != 0 {
		t.Fatalf("a failed import wrote %d enterprises", len(p.Items))
	}
}

// Forms and the API are held to the same bound.
func TestFormsRefuseIncredibleMoney(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Create(f.ctx, staff, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示传感有限公司", CapitalFen: math.MaxInt64})
	if e := errs.As(err); e.Code != errs.Invalid || !hasField(e, "registered_capital_fen") {
		t.Fatalf("capital: %v", err)
	}
	e := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示传感有限公司", CapitalFen: money.MaxFen})
	err = f.svc.SetFigures(f.ctx, staff, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: money.MaxFen + 1}})
	if e := errs.As(err); e.Code != errs.Invalid || !hasField(e, "revenue") {
		t.Fatalf("figure: %v", err)
	}
	if err := f.svc.SetFigures(f.ctx, staff, e.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: money.MaxFen}}); err != nil {
		t.Fatalf("the bound itself: %v", err)
	}
	inds, err := f.svc.Indicators(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range inds {
		if i.Code == "revenue" {
			if _, err := enterprise.ParseDisplay(i, "100000001"); errs.As(err).Field != "revenue" { // 万元: above 1e12 元
				t.Fatalf("display value: %v", err)
			}
		}
	}
}

func hasField(e *errs.Error, field string) bool {
	if e.Field == field {
		return true
	}
	for _, d := range e.Details {
		if d.Field == field {
			return true
		}
	}
	return false
}
