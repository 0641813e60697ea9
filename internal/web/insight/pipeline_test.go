package insight_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web/webtest"
)

const wan = 10000 * 100

// pipelineWorld: on 2023-11-20, 甲 of 石佛 (科技型中小企业, R&D 4.2 % of
// 4000 万 revenue, 12 of 100 staff in R&D, 2 patents) is 0.8 points short
// of 高新; the 2023 plan has 企业梯度培育行动.
type pipelineWorld struct {
	*webtest.Harness
	ent, action int64
	ctx         context.Context
}

func newPipelineWorld(t *testing.T) *pipelineWorld {
	h := webtest.New(t)
	now := func() time.Time { return time.Date(2023, 11, 20, 9, 0, 0, 0, db.CST) }
	h.App.Enterprise.Now, h.App.Insight.Now, h.App.Plan.Now = now, now, now
	w := &pipelineWorld{Harness: h, ctx: audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})}
	if _, err := h.App.Org.CreateUnit(w.ctx, org.Unit{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}); err != nil {
		t.Fatal(err)
	}
	staff := enterprise.Viewer{Role: org.Supervisor}
	e, err := h.App.Enterprise.Create(w.ctx, staff, enterprise.Input{CreditCode: uscc.Complete("9141010010000001"), Name: "甲科技有限公司", RegisteredOn: "2015-03-01", Area: "sf"})
	if err != nil {
		t.Fatal(err)
	}
	w.ent = e.ID
	var in []enterprise.FigureInput
	for k, v := range map[string]int64{"revenue": 4000 * wan, "rd_spend": 168 * wan, "employees": 100, "rd_staff": 12, "patents": 2} {
		in = append(in, enterprise.FigureInput{Indicator: k, Year: 2023, Value: v})
	}
	if err := h.App.Enterprise.SetFigures(w.ctx, staff, e.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Enterprise.AddTier(w.ctx, staff, e.ID, enterprise.Tier{Tier: "tsme", ValidFrom: "2022-05-01", ValidTo: "2024-12-31"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Insight.Apply(w.ctx); err != nil {
		t.Fatal(err)
	}
	pv := plan.Viewer{Role: org.Supervisor}
	theme, err := h.App.Plan.CreateNode(w.ctx, pv, plan.NodeInput{Year: 2023, Title: "2023 年工作计划"})
	if err != nil {
		t.Fatal(err)
	}
	focus, err := h.App.Plan.CreateNode(w.ctx, pv, plan.NodeInput{ParentID: theme.ID, Title: "持续提升产业集群能级"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Plan.CreateNode(w.ctx, pv, plan.NodeInput{ParentID: focus.ID, Title: "数字园区建设行动"}); err != nil {
		t.Fatal(err)
	}
	a, err := h.App.Plan.CreateNode(w.ctx, pv, plan.NodeInput{ParentID: focus.ID, Title: "企业梯度培育行动"})
	if err != nil {
		t.Fatal(err)
	}
	w.action = a.ID
	return w
}

func TestPipelineOutreachMakesPlanTasks(t *testing.T) {
	w := newPipelineWorld(t)
	// The page offers the cultivation action first and lists 甲's gap.
	sup := w.As("supervisor")
	page := sup.Get("/insight/pipeline?tier=hnte")
	if page.Code != http.StatusOK {
		t.Fatalf("page %d: %s", page.Code, page.Body)
	}
	body := string(page.Body)
	for _, want := range []string{"研发强度 4.2%，差 0.8 个百分点", fmt.Sprintf(`value="%d:hnte"`, w.ent), fmt.Sprintf(`<option value="%d" selected>企业梯度培育行动`, w.action), "<svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The export holds the same close list with the gap.
	x := sup.Get("/insight/pipeline.xlsx?tier=hnte")
	book, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if x.Code != http.StatusOK || err != nil {
		t.Fatalf("export: %d %v", x.Code, err)
	}
	close, _ := book.GetRows("接近下一梯队")
	if len(close) != 2 || close[1][0] != "甲科技有限公司" || !strings.Contains(close[1][4], "研发强度 4.2%，差 0.8 个百分点") {
		t.Errorf("exported close list: %q", close)
	}
	// The form makes one task under the action, led by 甲's office area.
	res := sup.Form("/insight/pipeline/outreach", url.Values{"year": {"0"}, "tier": {"hnte"}, "parent_id": {fmt.Sprint(w.action)}, "pick": {fmt.Sprintf("%d:hnte", w.ent)}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("outreach %d: %s", res.Code, res.Body)
	}
	var p insight.Pipeline
	sup.Get("/api/v1/insight/pipeline?tier=hnte").JSON(t, &p)
	if len(p.Close) != 1 || p.Close[0].TaskID == 0 {
		t.Fatalf("close list after outreach: %+v", p.Close)
	}
	task, _, err := w.App.Plan.Node(w.ctx, plan.Viewer{Role: org.Supervisor}, p.Close[0].TaskID)
	if err != nil {
		t.Fatal(err)
	}
	if task.ParentID != w.action || task.Level != plan.Task || !strings.Contains(task.Title, "甲科技有限公司") || !strings.Contains(task.Title, "高新技术企业") ||
		!strings.Contains(task.Deliverable, "研发强度 4.2%，差 0.8 个百分点") || task.Lead == nil || task.Lead.Code != "sf" || task.DueOn != "2023-12-31" {
		t.Fatalf("task %+v lead %+v", task, task.Lead)
	}
	var audited int
	w.App.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'insight.outreach' AND object_id = $1", fmt.Sprint(w.action)).Scan(&audited)
	if audited != 1 {
		t.Errorf("outreach audited %d times", audited)
	}
	// The same enterprise and tier again in the plan year: a conflict, through the API.
	again := sup.Do("POST", "/api/v1/insight/pipeline/outreach", insight.OutreachInput{ParentID: w.action, LeadUnit: "jfj",
		Picks: []insight.OutreachPick{{EnterpriseID: w.ent, Tier: "hnte"}}})
	if again.Code != http.StatusConflict {
		t.Fatalf("second outreach %d: %s", again.Code, again.Body)
	}
	// 专精特新, which 甲 meets in every tested criterion, through the API with a lead unit.
	var out insight.Outreach
	made := sup.Do("POST", "/api/v1/insight/pipeline/outreach", insight.OutreachInput{ParentID: w.action, LeadUnit: "jfj",
		Picks: []insight.OutreachPick{{EnterpriseID: w.ent, Tier: "srdi"}}})
	if made.Code != http.StatusCreated {
		t.Fatalf("api outreach %d: %s", made.Code, made.Body)
	}
	made.JSON(t, &out)
	if len(out.Tasks) != 1 || out.Tasks[0].TaskID == 0 || !strings.Contains(out.Tasks[0].Deliverable, "各项可测条件已达标") {
		t.Fatalf("api outreach: %+v", out)
	}
	// A pick that is not on the list is refused naming it.
	bad := sup.Do("POST", "/api/v1/insight/pipeline/outreach", insight.OutreachInput{ParentID: w.action, LeadUnit: "jfj",
		Picks: []insight.OutreachPick{{EnterpriseID: w.ent, Tier: "little_giant"}}})
	if bad.Code != http.StatusBadRequest && bad.Code != http.StatusUnprocessableEntity {
		t.Fatalf("off-list pick %d: %s", bad.Code, bad.Body)
	}
}

func TestPipelineRoles(t *testing.T) {
	w := newPipelineWorld(t)
	body := insight.OutreachInput{ParentID: w.action, LeadUnit: "jfj", Picks: []insight.OutreachPick{{EnterpriseID: w.ent, Tier: "hnte"}}}
	for _, c := range []struct {
		who, method, path string
		want              int
	}{
		{"leader", "GET", "/insight/pipeline", http.StatusOK},
		{"unit", "GET", "/api/v1/insight/pipeline", http.StatusOK},
		{"unit", "POST", "/api/v1/insight/pipeline/outreach", http.StatusForbidden},
		{"leader", "POST", "/api/v1/insight/pipeline/outreach", http.StatusForbidden},
		{"enterprise", "GET", "/insight/pipeline", http.StatusForbidden},
		{"enterprise", "GET", "/api/v1/insight/pipeline", http.StatusForbidden},
	} {
		var b any
		if c.method == "POST" {
			b = body
		}
		if res := w.As(c.who).Do(c.method, c.path, b); res.Code != c.want {
			t.Errorf("%s %s %s: %d, want %d", c.who, c.method, c.path, res.Code, c.want)
		}
	}
	if res := w.As("unit").Form("/insight/pipeline/outreach", url.Values{"parent_id": {fmt.Sprint(w.action)}, "pick": {fmt.Sprintf("%d:hnte", w.ent)}}); res.Code != http.StatusForbidden {
		t.Errorf("unit's outreach form: %d", res.Code)
	}
	if res := w.Anon().Get("/api/v1/insight/pipeline"); res.Code != http.StatusUnauthorized {
		t.Errorf("public: %d", res.Code)
	}
}
