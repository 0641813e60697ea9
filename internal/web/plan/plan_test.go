package plan_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"

	"gaoxin/internal/audit"
	"gaoxin/internal/plan"
)

// planFixture is a 2023 plan on the harness: theme → focus → action → task
// A (lead jfj, co-unit kcj) and task B (lead kcj), with the plan clock at
// 2023-06-10.
type planFixture struct {
	h            *webtest.Harness
	action, a, b *plan.Node
}

func newPlanFixture(t *testing.T) *planFixture {
	t.Helper()
	h := webtest.New(t)
	h.App.Plan.Now = func() time.Time { return time.Date(2023, 6, 10, 4, 0, 0, 0, time.UTC) }
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	su, err := h.App.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		t.Fatal(err)
	}
	v := plan.ViewerOf(&su)
	mk := func(in plan.NodeInput) *plan.Node {
		n, err := h.App.Plan.CreateNode(ctx, v, in)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	theme := mk(plan.NodeInput{Year: 2023, Title: "跑出加速度，确保高质量"})
	focus := mk(plan.NodeInput{ParentID: theme.ID, Title: "持续提升创新策源能力"})
	f := &planFixture{h: h}
	f.action = mk(plan.NodeInput{ParentID: focus.ID, Title: "科教资源集聚区建设行动"})
	f.a = mk(plan.NodeInput{ParentID: f.action.ID, Title: "任务A 建设实验室", LeadUnit: "jfj", CoUnits: []string{"kcj"},
		StartOn: "2023-01-01", DueOn: "2023-12-31", Deliverable: "3 家实验室"})
	f.b = mk(plan.NodeInput{ParentID: f.action.ID, Title: "任务B 超算生态", LeadUnit: "kcj",
		StartOn: "2023-01-01", DueOn: "2023-12-31", Deliverable: "20 个项目"})
	return f
}

func id(n *plan.Node) string { return fmt.Sprint(n.ID) }

func TestPlanAccessByRole(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	staff := []string{"admin", "leader", "supervisor"}
	planUsers := append(staff, "unit")
	cases := []struct {
		path    string
		allowed []string
	}{
		{"/plan?year=2023", planUsers},
		{"/plan/flags?year=2023", planUsers},
		{"/plan/ranking?year=2023&month=6", staff},
		{"/plan/bulletin.xlsx?year=2023&month=6", staff},
		{"/plan/nodes/" + id(f.a), planUsers},
		{"/plan/mine?year=2023", []string{"unit"}},
		{"/plan/tasks/" + id(f.a) + "/report", []string{"unit"}},
		{"/plan/chases?year=2023", planUsers},
		{"/plan/settings?year=2023", []string{"admin", "supervisor"}},
		{"/inbox?year=2023", planUsers},
		{"/api/v1/plan?year=2023", planUsers},
		{"/api/v1/plan/flags?year=2023&flag=yellow", planUsers},
		{"/api/v1/plan/nodes/" + id(f.a), planUsers},
		{"/api/v1/plan/tasks?year=2023", planUsers},
		{"/api/v1/inbox?year=2023", planUsers},
		{"/api/v1/plan/bulletin?year=2023&month=6", staff},
		{"/api/v1/plan/chases", planUsers},
	}
	all := []string{"admin", "leader", "supervisor", "unit", "enterprise", "reviewer"}
	clients := map[string]*webtest.Client{}
	for _, u := range all {
		clients[u] = h.As(u)
	}
	for _, tc := range cases {
		if r := h.Anon().Do("GET", tc.path, nil); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous GET %s = %d", tc.path, r.Code)
		}
		for _, u := range all {
			ok := false
			for _, a := range tc.allowed {
				ok = ok || a == u
			}
			r := clients[u].Get(tc.path)
			if ok && r.Code != http.StatusOK {
				t.Errorf("%s GET %s = %d, want 200: %.300s", u, tc.path, r.Code, r.Body)
			}
			if !ok && r.Code != http.StatusForbidden {
				t.Errorf("%s GET %s = %d, want 403", u, tc.path, r.Code)
			}
		}
	}
}

// TestPlanObjectRefusals: a unit never sees or touches another unit's task
// (404, as for an object it may not know of); role refusals are 403.
func TestPlanObjectRefusals(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	unit, unit2, sup, leader := h.As("unit"), h.As("unit2"), h.As("supervisor"), h.As("leader")
	// kcj (unit2) co-operates on A and files a report there; jfj does not see B.
	r := unit2.Do("POST", "/api/v1/plan/reports", map[string]any{"task_id": f.b.ID, "period": "2023-05", "pct": 20, "done": "推进", "submit": true})
	if r.Code != http.StatusCreated {
		t.Fatalf("kcj reporting on B: %d %s", r.Code, r.Body)
	}
	var rep plan.Report
	r.JSON(t, &rep)
	cases := []struct {
		name   string
		c      *webtest.Client
		method string
		path   string
		body   any
		code   int
	}{
		{"unit reads another unit's task page", unit, "GET", "/plan/nodes/" + id(f.b), nil, 404},
		{"unit reads another unit's task API", unit, "GET", "/api/v1/plan/nodes/" + id(f.b), nil, 404},
		{"unit lists another unit's reports", unit, "GET", "/api/v1/plan/tasks/" + id(f.b) + "/reports", nil, 404},
		{"unit reads another unit's report", unit, "GET", fmt.Sprintf("/api/v1/plan/reports/%d", rep.ID), nil, 404},
		{"unit reports on another unit's task", unit, "POST", "/api/v1/plan/reports", map[string]any{"task_id": f.b.ID, "period": "2023-05", "pct": 10}, 404},
		{"unit opens the report form of another unit's task", unit, "GET", "/plan/tasks/" + id(f.b) + "/report", nil, 404},
		{"unit reads a non-task node as a task", unit, "GET", "/api/v1/plan/tasks/" + id(f.action) + "/reports", nil, 404},
		{"unit edits the plan", unit, "POST", "/api/v1/plan/nodes", map[string]any{"parent_id": f.action.ID, "title": "x"}, 403},
		{"unit accepts a report", unit2, "POST", fmt.Sprintf("/api/v1/plan/reports/%d/accept", rep.ID), map[string]any{}, 403},
		{"unit reads the zone bulletin", unit, "GET", "/api/v1/plan/bulletin?year=2023&month=6", nil, 403},
		{"unit reads another unit's bulletin", unit, "GET", "/api/v1/plan/bulletin/units/3?year=2023&month=6", nil, 404},
		{"supervisor files a report", sup, "POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-05", "pct": 10}, 403},
		{"leader edits a node", leader, "PATCH", "/api/v1/plan/nodes/" + id(f.a), map[string]any{"title": "x", "version": 1}, 403},
		{"leader overrides progress", leader, "PUT", "/api/v1/plan/nodes/" + id(f.a) + "/override", map[string]any{"pct": 90, "reason": "领导要求"}, 403},
		{"enterprise reads the tree", h.As("enterprise"), "GET", "/api/v1/plan?year=2023", nil, 403},
		{"reviewer reads a task", h.As("reviewer"), "GET", "/api/v1/plan/nodes/" + id(f.a), nil, 403},
	}
	for _, tc := range cases {
		r := tc.c.Do(tc.method, tc.path, tc.body)
		if r.Code != tc.code {
			t.Errorf("%s: %s %s = %d, want %d: %.200s", tc.name, tc.method, tc.path, r.Code, tc.code, r.Body)
		}
	}
	// Milestones: the task's own unit may mark one done; another unit may not see it.
	r = sup.Do("POST", "/api/v1/plan/nodes/"+id(f.b)+"/milestones", map[string]any{"title": "完成选址", "due_on": "2023-04-30"})
	var m plan.Milestone
	r.JSON(t, &m)
	if r := unit.Do("PUT", fmt.Sprintf("/api/v1/plan/milestones/%d", m.ID), map[string]any{"done_on": "2023-04-28"}); r.Code != 404 {
		t.Errorf("jfj marking kcj's milestone: %d", r.Code)
	}
	if r := leader.Do("PUT", fmt.Sprintf("/api/v1/plan/milestones/%d", m.ID), map[string]any{"done_on": "2023-04-28"}); r.Code != 403 {
		t.Errorf("leader marking a milestone: %d", r.Code)
	}
	if r := unit2.Do("PUT", fmt.Sprintf("/api/v1/plan/milestones/%d", m.ID), map[string]any{"done_on": "2023-04-28"}); r.Code != 200 {
		t.Errorf("kcj marking its milestone: %d %s", r.Code, r.Body)
	}
	// The report on another unit's task names the field, in both languages.
	r = unit.Do("POST", "/api/v1/plan/reports", map[string]any{"task_id": f.b.ID, "period": "2023-05", "pct": 10})
	var e struct {
		Error web.APIError `json:"error"`
	}
	r.JSON(t, &e)
	if e.Error.Field != "task_id" || len(e.Error.Details) == 0 || e.Error.Details[0].ReasonEN == "" {
		t.Fatalf("refusal does not name task_id in zh+en: %s", r.Body)
	}
	var n int
	h.App.DB.R.QueryRow("SELECT COUNT(*) FROM plan_reports").Scan(&n)
	if n != 1 {
		t.Fatalf("refusals wrote reports: %d", n)
	}
}

func TestPlanBadInputNamesTheField(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	sup, unit := h.As("supervisor"), h.As("unit")
	countAll := func() string {
		var a, b, c int
		h.App.DB.R.QueryRow("SELECT COUNT(*) FROM plan_nodes").Scan(&a)
		h.App.DB.R.QueryRow("SELECT COUNT(*) FROM plan_reports").Scan(&b)
		h.App.DB.R.QueryRow("SELECT COUNT(*) FROM plan_attachments").Scan(&c)
		return fmt.Sprint(a, b, c)
	}
	before := countAll()
	cases := []struct {
		name         string
		c            *webtest.Client
		method, path string
		body         any
		code         int
		field        string
	}{
		{"weights 60+30", sup, "PUT", "/api/v1/plan/nodes/" + id(f.action) + "/weights", map[string]any{"weights": map[string]int{id(f.a): 60, id(f.b): 30}}, 400, "weight"},
		{"weights: empty body", sup, "PUT", "/api/v1/plan/nodes/" + id(f.action) + "/weights", map[string]any{}, 400, "weights"},
		{"weights: one child left out", sup, "PUT", "/api/v1/plan/nodes/" + id(f.action) + "/weights", map[string]any{"weights": map[string]any{id(f.a): nil}}, 400, "weights"},
		{"weight on one sibling only", sup, "PATCH", "/api/v1/plan/nodes/" + id(f.a), map[string]any{"title": "任务A", "weight": 50, "lead_unit": "jfj",
			"start_on": "2023-01-01", "due_on": "2023-12-31", "deliverable": "x", "version": 1}, 400, "weight"},
		{"deadline before start", sup, "POST", "/api/v1/plan/nodes", map[string]any{"parent_id": f.action.ID, "title": "新任务", "lead_unit": "jfj",
			"start_on": "2023-05-01", "due_on": "2023-04-01", "deliverable": "x"}, 400, "due_on"},
		{"percentage 150", unit, "POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-05", "pct": 150}, 400, "pct"},
		{"percentage -5", unit, "POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-05", "pct": -5}, 400, "pct"},
		{"percentage not a number", unit, "POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-05", "pct": "half"}, 400, "pct"},
		{"report due day 31", sup, "PUT", "/api/v1/plan/settings", map[string]any{"yellow_margin_pct": 10, "report_due_day": 31, "score_w_done": 40,
			"score_w_on_time": 30, "score_w_report": 30, "score_red_penalty": 5, "max_attachment_kb": 5120, "webhook_url": ""}, 400, "report_due_day"},
		{"webhook not a URL", sup, "PUT", "/api/v1/plan/settings", map[string]any{"yellow_margin_pct": 10, "report_due_day": 5, "score_w_done": 40,
			"score_w_on_time": 30, "score_w_report": 30, "score_red_penalty": 5, "max_attachment_kb": 5120, "webhook_url": "ftp://x"}, 400, "webhook_url"},
		{"override without reason", sup, "PUT", "/api/v1/plan/nodes/" + id(f.a) + "/override", map[string]any{"pct": 50, "reason": ""}, 400, "reason"},
	}
	for _, tc := range cases {
		r := tc.c.Do(tc.method, tc.path, tc.body)
		var e struct {
			Error web.APIError `json:"error"`
		}
		r.JSON(t, &e)
		field := e.Error.Field
		if field == "" && len(e.Error.Details) > 0 {
			field = e.Error.Details[0].Field
		}
		if r.Code != tc.code || field != tc.field || e.Error.Message == "" {
			t.Errorf("%s: %d field %q: %s", tc.name, r.Code, field, r.Body)
		}
	}
	// English answer for an English caller.
	en := h.As("unit")
	en.Header = http.Header{"Accept-Language": {"en"}}
	r := en.Do("POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-05", "pct": 150})
	if !strings.Contains(string(r.Body), "between 0 and 100") {
		t.Errorf("English error: %s", r.Body)
	}
	// Files: too large (413) and a type that is not allowed (400), through the page form.
	big := bytes.Repeat([]byte("%PDF-1.4\n"), 700_000) // ~6 MiB > 5 MiB default
	for _, up := range []struct {
		name string
		data []byte
		code int
	}{{"big.pdf", big, 413}, {"tool.exe", []byte("MZ\x90\x00\x03"), 400}, {"fake.pdf", []byte("<html><body>x</body></html>"), 400}} {
		r := postMultipart(unit, "/plan/tasks/"+id(f.a)+"/reports", map[string]string{"period": "2023-05", "pct": "30", "done": "x", "action": "submit"}, up.name, up.data)
		if r.Code != up.code || !strings.Contains(string(r.Body), "file") {
			t.Errorf("upload %s: %d %.300s", up.name, r.Code, r.Body)
		}
	}
	if after := countAll(); after != before {
		t.Fatalf("bad input wrote rows: %s → %s", before, after)
	}
}

func postMultipart(c *webtest.Client, path string, fields map[string]string, filename string, data []byte) *webtest.Resp {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

func TestPlanReportThroughPagesAndAPI(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	unit, sup, leader := h.As("unit"), h.As("supervisor"), h.As("leader")
	// Views seen before the change must not be served after it.
	if page := leader.Get("/plan?year=2023"); !strings.Contains(string(page.Body), `id="root-progress">0.0%`) {
		t.Fatal("plan page before the report")
	}
	leader.Get("/api/v1/plan?year=2023")
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	r := postMultipart(unit, "/plan/tasks/"+id(f.a)+"/reports", map[string]string{"period": "2023-05", "pct": "60",
		"done": "完成选址与立项", "problems": "用地指标紧张", "next_steps": "启动建设", "action": "submit"}, "立项批复.pdf", pdf)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("file report: %d %s", r.Code, r.Body)
	}
	loc := r.Header.Get("Location")
	var repID int64
	fmt.Sscanf(loc, "/plan/reports/%d", &repID)
	rep, err := h.App.Plan.Report(t.Context(), plan.Viewer{Role: "leader"}, repID)
	if err != nil || rep.State != plan.Submitted || len(rep.Attachments) != 1 {
		t.Fatalf("report after filing: %+v %v", rep, err)
	}
	// The supervisor downloads the evidence and accepts through the form.
	dl := sup.Get(fmt.Sprintf("/plan/attachments/%d", rep.Attachments[0].ID))
	if dl.Code != 200 || !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %v", dl.Code, dl.Header)
	}
	if r := sup.Form(fmt.Sprintf("/plan/reports/%d/review", repID), url.Values{"decision": {"accept"}, "version": {fmt.Sprint(rep.Version)}}); r.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Code, r.Body)
	}
	var tree struct {
		AsOf  string       `json:"as_of"`
		Roots []*plan.Node `json:"roots"`
	}
	leader.Get("/api/v1/plan?year=2023").JSON(t, &tree)
	task := tree.Roots[0].Children[0].Children[0].Children[0]
	// A 60 %, B 0 %: action 30 %, focus 30 %, theme 30 %.
	if task.ProgressPct != "60.0%" || tree.Roots[0].ProgressPct != "30.0%" || tree.AsOf != "2023-06-10" {
		t.Fatalf("tree after accept: task %s theme %s as of %s", task.ProgressPct, tree.Roots[0].ProgressPct, tree.AsOf)
	}
	if page := leader.Get("/plan?year=2023"); !strings.Contains(string(page.Body), `id="root-progress">30.0%`) {
		t.Fatal("plan page does not show the new progress")
	}
	// Two editors of one draft: the second save is refused with 409.
	r = unit.Do("POST", "/api/v1/plan/reports", map[string]any{"task_id": f.a.ID, "period": "2023-06", "pct": 65})
	var draft plan.Report
	r.JSON(t, &draft)
	first := unit.Do("PATCH", fmt.Sprintf("/api/v1/plan/reports/%d", draft.ID), map[string]any{"pct": 66, "done": "甲", "version": draft.Version})
	second := h.As("unit2").Do("PATCH", fmt.Sprintf("/api/v1/plan/reports/%d", draft.ID), map[string]any{"pct": 70, "done": "乙", "version": draft.Version})
	if first.Code != 200 || second.Code != http.StatusConflict {
		t.Fatalf("concurrent edits: %d then %d %s", first.Code, second.Code, second.Body)
	}
	// Bulletin export is a real workbook.
	x := sup.Get("/plan/bulletin.xlsx?year=2023&month=6")
	if x.Code != 200 || !bytes.HasPrefix(x.Body, []byte("PK")) {
		t.Fatalf("xlsx: %d %v", x.Code, x.Header)
	}
	// Chase through the API; the unit's inbox shows it; the reply reaches the supervisor's inbox.
	r = sup.Do("POST", "/api/v1/plan/chases", map[string]any{"task_id": f.a.ID, "subject": "请加快进度", "reply_by": "2023-06-09"})
	if r.Code != 400 || r.ErrCode() != "invalid" {
		t.Fatalf("chase with a past reply-by: %d %s", r.Code, r.Body)
	}
	r = sup.Do("POST", "/api/v1/plan/chases", map[string]any{"task_id": f.a.ID, "subject": "请加快进度", "reply_by": "2023-06-20"})
	var c plan.Chase
	r.JSON(t, &c)
	if page := unit.Get("/inbox?year=2023"); !strings.Contains(string(page.Body), "请加快进度") {
		t.Fatal("unit inbox lacks the chase")
	}
	if r := unit.Form(fmt.Sprintf("/plan/chases/%d/reply", c.ID), url.Values{"reply": {"本月底完成"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", r.Code, r.Body)
	}
	var inbox struct{ Items []plan.InboxItem }
	sup.Get("/api/v1/inbox?year=2023").JSON(t, &inbox)
	found := false
	for _, it := range inbox.Items {
		found = found || (it.Kind == plan.KindChaseReplied && it.ChaseID == c.ID)
	}
	if !found {
		t.Fatalf("supervisor inbox lacks the reply: %+v", inbox.Items)
	}
}

func TestPlanPagesRender(t *testing.T) {
	f := newPlanFixture(t)
	h := f.h
	sup, unit := h.As("supervisor"), h.As("unit")
	for _, tc := range []struct {
		c    *webtest.Client
		path string
		want string
	}{
		{sup, "/plan?year=2023", "跑出加速度"},
		{sup, "/plan/nodes/" + id(f.action), "保存权重"},
		{sup, "/plan/nodes/" + id(f.a), "下发督办单"},
		{sup, "/plan/flags?year=2023", "黄牌"},
		{sup, "/plan/ranking?year=2023&month=6", "评分公式"},
		{sup, "/plan/settings?year=2023", "黄牌容差"},
		{unit, "/plan/mine?year=2023", "任务A"},
		{unit, "/plan/tasks/" + id(f.a) + "/report", "提交审核"},
		{unit, "/plan/bulletin?year=2023&month=6", "经济发展局"},
		{unit, "/plan?year=2023", "任务A"},
	} {
		r := tc.c.Get(tc.path)
		if r.Code != 200 || !strings.Contains(string(r.Body), tc.want) {
			t.Errorf("GET %s: %d, want %q in page", tc.path, r.Code, tc.want)
		}
	}
	if strings.Contains(string(unit.Get("/plan?year=2023").Body), "任务B") {
		t.Error("unit's plan page shows another unit's task")
	}
	// Weights and edits through the forms; a bad sum re-renders with the error.
	r := sup.Form("/plan/nodes/"+id(f.action)+"/weights", url.Values{"w_" + id(f.a): {"70"}, "w_" + id(f.b): {"20"}})
	if r.Code != 400 || !strings.Contains(string(r.Body), "权重之和须为 100") {
		t.Fatalf("bad weights form: %d", r.Code)
	}
	if r := sup.Form("/plan/nodes/"+id(f.action)+"/weights", url.Values{"w_" + id(f.a): {"70"}, "w_" + id(f.b): {"30"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("weights form: %d %s", r.Code, r.Body)
	}
	if r := sup.Form("/plan/nodes/"+id(f.a)+"/override", url.Values{"pct": {"40"}, "reason": {"现场核查确认"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("override form: %d %s", r.Code, r.Body)
	}
	if page := sup.Get("/plan?year=2023"); !strings.Contains(string(page.Body), "现场核查确认") || !strings.Contains(string(page.Body), "28.0%") {
		t.Fatal("override reason or weighted roll-up (70×40%) not on the plan page")
	}
}
