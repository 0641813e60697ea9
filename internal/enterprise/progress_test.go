package enterprise_test

import (
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/uscc"
)

// progressFile is a sheet with a title row, the template's example row,
// blank rows among the data and n data rows.
func progressFile(t *testing.T, n int) []byte {
	rows := [][]any{{"2023 年度企业数据"}, {"统一社会信用代码", "企业名称", "营业收入（万元）", "年度"},
		{"91330100716105852F", "（示例）郑州演示科技有限公司", "1", "2023"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []any{uscc.Complete(fmt.Sprintf("91410100PG%06d", i)), fmt.Sprintf("进度测试企业%04d", i), "10", "2023"})
		if i%700 == 0 {
			rows = append(rows, []any{})
		}
	}
	return xlsxOf(t, rows)
}

// Progress is rows done of the file's data rows: the total is counted
// first (title, example and blank rows excluded), rows read and rows
// written each climb to it, and writing is reported while it goes on,
// not only at the end.
func TestImportReportsRowsDoneOfRowsTotal(t *testing.T) {
	f := newFixture(t)
	const n = 2500
	var got []enterprise.ImportProgress
	o := enterprise.ImportOptions{Filename: "p.xlsx", Progress: func(p enterprise.ImportProgress) { got = append(got, p) }}
	res, err := f.svc.Import(f.ctx, staff, progressFile(t, n), o)
	if err != nil || !res.Written || res.Created != n {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if len(got) == 0 || got[0] != (enterprise.ImportProgress{Total: n}) {
		t.Fatalf("first progress %+v, want the counted total before any row", got[:min(len(got), 1)])
	}
	midWrite := false
	for i, p := range got {
		if p.Total != n {
			t.Fatalf("progress %d: total %d, want %d", i, p.Total, n)
		}
		if i > 0 && (p.Read < got[i-1].Read || p.Written < got[i-1].Written) {
			t.Fatalf("progress went back: %+v after %+v", p, got[i-1])
		}
		if p.Written > p.Read {
			t.Fatalf("more rows written than read: %+v", p)
		}
		midWrite = midWrite || (p.Written > 0 && p.Written < n)
	}
	if last := got[len(got)-1]; last.Read != n || last.Written != n {
		t.Fatalf("last progress %+v, want %d read and written", last, n)
	}
	if !midWrite {
		t.Error("no progress reported while writing")
	}
	// A dry run reads everything and writes nothing.
	got = nil
	o.DryRun = true
	if _, err := f.svc.Import(f.ctx, staff, progressFile(t, n), o); err != nil {
		t.Fatal(err)
	}
	if last := got[len(got)-1]; last.Read != n || last.Written != 0 {
		t.Fatalf("dry run progress %+v", last)
	}
}

// A job whose server stopped (no heartbeat for longer than the stale
// time) is taken over by the next ResumeJobs and run again; the job then
// names the server that stopped, its last heartbeat and the takeover. A
// job with a fresh heartbeat is left to its server.
func TestCrashedImportJobIsTakenOverAndSaysSo(t *testing.T) {
	f := newFixture(t)
	data := progressFile(t, 30)
	crashed, err := f.svc.StartImport(f.ctx, staff, data, enterprise.ImportOptions{Filename: "crashed.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	alive, err := f.svc.StartImport(f.ctx, staff, data, enterprise.ImportOptions{Filename: "alive.xlsx", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	lastBeat := now - (time.Minute).Milliseconds()
	for _, u := range []struct {
		id    int64
		by    string
		beat  int64
		state string
	}{{crashed.ID, "server-a/4242", lastBeat, enterprise.JobWriting}, {alive.ID, "server-c/77", now, enterprise.JobReading}} {
		if _, err := f.svc.DB.W.ExecContext(f.ctx, `UPDATE enterprise_import_jobs SET status = $1, claimed_by = $2, heartbeat_at = $3, done_rows = 20
			WHERE id = $4`, u.state, u.by, u.beat, u.id); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.ResumeJobs(f.ctx, "server-b/99"); err != nil {
		t.Fatal(err)
	}
	j, err := f.svc.Job(f.ctx, staff, crashed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != enterprise.JobDone || j.Result == nil || !j.Result.Written || j.Result.Created != 30 {
		t.Fatalf("taken-over job %+v", j)
	}
	if j.Takeovers != 1 || j.TakenOverFrom != "server-a/4242" || j.ClaimedBy != "server-b/99" || j.StalledAt != lastBeat || j.TakenOverAt < now {
		t.Errorf("takeover not recorded: %+v", j)
	}
	if j.TotalRows != 30 || j.DoneRows != 30 || j.WrittenRows != 30 || j.Percent() != 100 {
		t.Errorf("final progress %d/%d written %d", j.DoneRows, j.TotalRows, j.WrittenRows)
	}
	a, err := f.svc.Job(f.ctx, staff, alive.ID)
	if err != nil || a.Status != enterprise.JobReading || a.ClaimedBy != "server-c/77" || a.Takeovers != 0 {
		t.Errorf("a job with a fresh heartbeat was taken over: %+v %v", a, err)
	}
}
