package enterprise_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
)

// The page of an import job that a stopped server left behind says it was
// interrupted, by which server, and that another took it over.
func TestJobPageSaysATakeoverHappened(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	data := sheetBytes(t, [][]any{{"统一社会信用代码", "企业名称", "从业人员（人）", "年度"}, {"9144030071526726XG", "好公司", "12", "2023"}})
	j, err := h.App.Enterprise.StartImport(t.Context(), enterprise.System, data, enterprise.ImportOptions{Filename: "t.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.DB.W.Exec(`UPDATE enterprise_import_jobs SET status = $1, claimed_by = 'server-a/4242', heartbeat_at = $2 WHERE id = $3`,
		enterprise.JobWriting, db.Now()-120_000, j.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.App.Enterprise.ResumeJobs(t.Context(), "server-b/99"); err != nil {
		t.Fatal(err)
	}
	r := h.As("supervisor").Get("/enterprise-imports/" + strconv.FormatInt(j.ID, 10))
	if r.Code != http.StatusOK {
		t.Fatalf("job page: %d", r.Code)
	}
	for _, want := range []string{`id="job-takeover"`, "此任务曾中断", "server-a/4242", "server-b/99", "导入完成"} {
		if !bytes.Contains(r.Body, []byte(want)) {
			t.Errorf("job page lacks %q", want)
		}
	}
}
