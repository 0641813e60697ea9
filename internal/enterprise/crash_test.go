package enterprise_test

import (
	"context"
	"fmt"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/uscc"
)

// TestImportFailingMidTransactionLeavesNothing makes the write fail after
// the first chunks of rows went in, as a lost connection or a crash
// would: the request's context is cancelled from the import's own
// progress report once 1,500 rows are written. The whole import rolls back.
func TestImportFailingMidTransactionLeavesNothing(t *testing.T) {
	f := newFixture(t)
	rows := [][]any{{"统一社会信用代码", "企业名称", "营业收入（万元）", "年度"}}
	const n = 2500
	for i := 1; i <= n; i++ {
		rows = append(rows, []any{uscc.Complete(fmt.Sprintf("91410100CR%06d", i)), fmt.Sprintf("回滚测试企业%04d", i), "10", "2023"})
	}
	data := xlsxOf(t, rows)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	cancelled := 0
	o := enterprise.ImportOptions{Filename: "crash.xlsx", Progress: func(p enterprise.ImportProgress) {
		if p.Written >= 1500 && cancelled == 0 {
			cancelled = p.Written
			cancel()
		}
	}}
	res, err := f.svc.Import(ctx, staff, data, o)
	if cancelled == 0 || cancelled >= n {
		t.Fatalf("the import was not cut off mid-way (at %d rows written)", cancelled)
	}
	if err == nil || res.Written {
		t.Fatalf("import went through: %+v", res)
	}
	p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Limit: 1000})
	if len(p.Items) != 0 {
		t.Fatalf("after the failed import the registry holds %d enterprises", len(p.Items))
	}
	// Nothing else either: no figures, no name search rows, no history.
	min := int64(0)
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Indicator: "revenue", Year: 2023, Min: &min}); len(p.Items) != 0 {
		t.Fatalf("figures survived the rollback: %d", len(p.Items))
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Name: "回滚测试"}); len(p.Items) != 0 {
		t.Fatalf("name search finds %d enterprises of the failed import", len(p.Items))
	}
	// The same file without the failure goes in whole.
	res, err = f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "crash.xlsx"})
	if err != nil || !res.Written || res.Created != n {
		t.Fatalf("second import: %v %+v", err, res.Created)
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Name: "回滚测试企业2500"}); len(p.Items) != 1 {
		t.Fatalf("name search after the import finds %d", len(p.Items))
	}
}

// TestImportBadRowAfterWrittenChunks puts the file's only bad rows after
// the first chunks were already written into the open transaction: the
// import still writes nothing and reports every bad row, in row order.
func TestImportBadRowAfterWrittenChunks(t *testing.T) {
	f := newFixture(t)
	rows := [][]any{{"统一社会信用代码", "企业名称", "营业收入（万元）", "年度"}}
	const n = 2600
	for i := 1; i <= n; i++ {
		code := uscc.Complete(fmt.Sprintf("91410100CT%06d", i))
		revenue := "10"
		switch i {
		case 1800:
			code = uscc.Complete(fmt.Sprintf("91410100CT%06d", 7)) // repeats data row 7 (sheet row 8)
		case 2400:
			revenue = "十万"
		case 2500:
			code = code[:17] + "0"
			if code == uscc.Complete(fmt.Sprintf("91410100CT%06d", i)) {
				code = code[:17] + "1"
			}
		}
		rows = append(rows, []any{code, fmt.Sprintf("后段出错企业%04d", i), revenue, "2023"})
	}
	res, err := f.svc.Import(f.ctx, staff, xlsxOf(t, rows), enterprise.ImportOptions{Filename: "late.xlsx"})
	if err != nil || res.Written {
		t.Fatalf("import: %v written=%v", err, res.Written)
	}
	var got []int
	for _, e := range res.Errors {
		got = append(got, e.Row)
	}
	if want := []int{1801, 2401, 2501}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("bad rows %v, want %v (%+v)", got[:min(len(got), 10)], want, res.Errors[:min(len(got), 3)])
	}
	if res.Errors[0].Reason != "统一社会信用代码与第 8 行重复" {
		t.Errorf("duplicate reported as %q", res.Errors[0].Reason)
	}
	if p, _ := f.svc.List(f.ctx, staff, enterprise.Filter{Limit: 10}); len(p.Items) != 0 {
		t.Fatalf("the registry holds %d enterprises after a refused import", len(p.Items))
	}
}
