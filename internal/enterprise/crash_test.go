package enterprise_test

import (
	"fmt"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/uscc"
)

// TestImportFailingMidTransactionLeavesNothing makes the write fail after
// hundreds of rows went in: another writer registers the file's last code
// between the check and the write. The whole import rolls back.
func TestImportFailingMidTransactionLeavesNothing(t *testing.T) {
	f := newFixture(t)
	rows := [][]any{{"统一社会信用代码", "企业名称", "营业收入（万元）", "年度"}}
	const n = 1200
	var last string
	for i := 1; i <= n; i++ {
		last = uscc.Complete(fmt.Sprintf("91410100CR%06d", i))
		rows = append(rows, []any{last, fmt.Sprintf("回滚测试企业%04d", i), "10", "2023"})
	}
	data := xlsxOf(t, rows)
	res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "crash.xlsx",
		Writing: func() {
			if _, err := f.svc.Create(f.ctx, staff, enterprise.Input{CreditCode: last, Name: "抢先登记的企业"}); err != nil {
				t.Fatal(err)
			}
		}})
	if err == nil || res.Written {
		t.Fatalf("import went through: %+v", res)
	}
	p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Limit: 1000})
	if len(p.Items) != 1 || p.Items[0].Name != "抢先登记的企业" {
		t.Fatalf("after the failed import the registry holds %d enterprises", len(p.Items))
	}
	// Nothing else either: no figures, no history of the import.
	min := int64(0)
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &min}); len(p.Items) != 0 {
		t.Fatalf("figures survived the rollback: %d", len(p.Items))
	}
}
