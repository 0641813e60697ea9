package enterprise_test

import (
	"testing"

	"gaoxin/internal/enterprise"
)

func TestImportJobRunsOnceAndKeepsItsReport(t *testing.T) {
	f := newFixture(t)
	data := xlsxOf(t, quirkyRows(true))
	j, err := f.svc.StartImport(f.ctx, staff, data, enterprise.ImportOptions{Filename: "bad.xlsx"})
	if err != nil || j.Status != enterprise.JobQueued {
		t.Fatalf("%+v %v", j, err)
	}
	if err := f.svc.RunJob(f.ctx, j.ID, "test"); err != nil {
		t.Fatal(err)
	}
	// A second claim of a finished job does nothing.
	if err := f.svc.RunJob(f.ctx, j.ID, "other"); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Job(f.ctx, staff, j.ID)
	if err != nil || got.Status != enterprise.JobDone || got.Result == nil || got.Result.Written || got.ErrorCount == 0 || got.Percent() != 100 {
		t.Fatalf("job %+v %v", got, err)
	}
	if got.Result.Errors[0].Row == 0 {
		t.Fatalf("report lost its rows: %+v", got.Result.Errors)
	}
	if _, err := f.svc.Job(f.ctx, enterprise.Viewer{Role: "leader"}, j.ID); err == nil {
		t.Fatal("a leader read an import job")
	}
	// A non-spreadsheet fails as a whole, with the reason kept.
	j2, _ := f.svc.StartImport(f.ctx, staff, []byte("hello"), enterprise.ImportOptions{Filename: "x.xlsx"})
	f.svc.RunJob(f.ctx, j2.ID, "test")
	got, _ = f.svc.Job(f.ctx, staff, j2.ID)
	if got.Status != enterprise.JobFailed || got.Failure == "" {
		t.Fatalf("failed job %+v", got)
	}
}
