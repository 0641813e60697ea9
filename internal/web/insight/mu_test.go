package insight_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web/webtest"
)

func want(t *testing.T, r *webtest.Resp, code int, what string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("%s: %d, want %d: %.600s", what, r.Code, code, r.Body)
	}
}

// muWorld is the product with four enterprises of 100 亩 each and their
// 2023 figures, on a clock in March 2024 that the caller may move. Tax per
// mu orders them 甲 > 乙 > 丙 > 丁; the other ratios agree.
func muWorld(t *testing.T) (*webtest.Harness, *time.Time, map[string]int64) {
	h := webtest.New(t)
	now := time.Date(2024, 3, 1, 10, 0, 0, 0, db.CST)
	clock := func() time.Time { return now }
	h.App.Award.Now, h.App.Insight.Now, h.App.Enterprise.Now = clock, clock, clock
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	staff := enterprise.Viewer{Role: org.Supervisor}
	ids := map[string]int64{}
	for i, name := range []string{"甲", "乙", "丙", "丁"} {
		e, err := h.App.Enterprise.Create(ctx, staff, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100%08d", 20000000+i)),
			Name: name + "亩均测试有限公司", RegisteredOn: "2015-01-01", IndustryCode: "3911"})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = e.ID
		k := int64(4 - i)
		var in []enterprise.FigureInput
		for code, v := range map[string]int64{"land": 100_00, "taxes": k * 1_000_000_00, "value_added": k * 5_000_000_00, "energy": 1000_00,
			"rd_spend": k * 100_000_00, "revenue": 10_000_000_00, "employees": 100} {
			in = append(in, enterprise.FigureInput{Indicator: code, Year: 2023, Value: v, Source: enterprise.FromStats})
		}
		if err := h.App.Enterprise.SetFigures(ctx, staff, e.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return h, &now, ids
}

// muToConfirmed takes programme id through ranking and its notice to
// confirmed, moving the clock past the notice.
func muToConfirmed(t *testing.T, h *webtest.Harness, clock *time.Time, id int64) {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, to := range []string{award.StateOpen, award.StateReview, "rank", award.StateNotice, "wait", award.StateConfirmed} {
		var err error
		switch to {
		case "rank":
			_, err = h.App.Award.RankProgramme(ctx, id)
		case "wait":
			*clock = clock.Add(8 * 24 * time.Hour)
		default:
			_, err = h.App.Award.Advance(ctx, id, to)
		}
		if err != nil {
			t.Fatalf("%s: %v", to, err)
		}
	}
}

// TestMuPagesRunAnEvaluationIntoTheRegistry: a leader starts the year's
// evaluation from the industry brain, the awards module ranks it, puts it
// on notice and confirms it, a supervisor writes its classes into the
// registry, and the registry's list and API filter on them. Only leaders
// and supervisors may start one, and only supervisors record it.
func TestMuPagesRunAnEvaluationIntoTheRegistry(t *testing.T) {
	h, clock, ids := muWorld(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	sup := h.As("supervisor")
	r := sup.Get("/insight/mu?year=2023")
	want(t, r, http.StatusOK, "the page")
	if b := string(r.Body); !strings.Contains(b, "本年度尚无亩均效益评价项目") || !strings.Contains(b, `id="start-mu"`) {
		t.Fatalf("the empty year: %s", b)
	}
	for _, who := range []string{"enterprise", "unit"} {
		want(t, h.As(who).Get("/insight/mu"), http.StatusForbidden, who+" reads the page")
		want(t, h.As(who).Form("/insight/mu/start", url.Values{"data_year": {"2023"}}), http.StatusForbidden, who+" starts one")
	}
	want(t, h.As("admin").Form("/insight/mu/start", url.Values{"data_year": {"2023"}}), http.StatusForbidden, "an admin starts one")
	// A leader sets the evaluation going from the same page.
	lead := h.As("leader")
	if b := string(lead.Get("/insight/mu?year=2023").Body); !strings.Contains(b, `id="start-mu"`) {
		t.Fatalf("the leader's page offers no start: %s", b)
	}
	// The awards form offers the subject like any other.
	if b := string(sup.Get("/awards/new").Body); !strings.Contains(b, insight.MuSubjectCode) || !strings.Contains(b, "亩均效益评价企业") {
		t.Fatal("the awards form does not offer the per-mu subject")
	}
	r = lead.Form("/insight/mu/start", url.Values{"data_year": {"2023"}})
	want(t, r, http.StatusSeeOther, "start")
	var id int64
	if _, err := fmt.Sscanf(r.Header.Get("Location"), "/awards/programmes/%d", &id); err != nil {
		t.Fatalf("start went to %q", r.Header.Get("Location"))
	}
	for _, to := range []string{award.StateOpen, award.StateReview} {
		if _, err := h.App.Award.Advance(ctx, id, to); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.App.Award.RankProgramme(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Award.Advance(ctx, id, award.StateNotice); err != nil {
		t.Fatal(err)
	}
	// The public notice lists them with their classes.
	if b := string(h.Anon().Get(fmt.Sprintf("/notices/%d", id)).Body); !strings.Contains(b, "甲亩均测试有限公司") {
		t.Fatalf("the notice: %.2000s", b)
	}
	// An objection names one entry, from the form's list or through the
	// API, as on a programme of enterprises.
	var nv struct {
		PerEntry bool `json:"per_entry_objections"`
		Winners  []struct {
			EnterpriseID int64  `json:"enterprise_id"`
			Name         string `json:"name"`
		} `json:"winners"`
	}
	h.Anon().Get(fmt.Sprintf("/api/v1/award/notices/%d", id)).JSON(t, &nv)
	if !nv.PerEntry || len(nv.Winners) == 0 {
		t.Fatalf("the notice's API: %+v", nv)
	}
	first := nv.Winners[0]
	if b := string(h.Anon().Get(fmt.Sprintf("/notices/%d", id)).Body); !strings.Contains(b, `id="obj-ent"`) ||
		!strings.Contains(b, fmt.Sprintf(`<option value="%d">%s</option>`, first.EnterpriseID, first.Name)) {
		t.Fatalf("the notice's objection form offers no entries: %.3000s", b)
	}
	r = h.Anon().Form(fmt.Sprintf("/notices/%d/objections", id), url.Values{"name": {"王五"}, "contact": {"13800000000"},
		"enterprise_id": {fmt.Sprint(first.EnterpriseID)}, "indicator": {insight.MuLand}, "reason": {"该企业的用地面积包含已退回的地块，请核实。"}})
	if r.Code != http.StatusSeeOther && r.Code != http.StatusOK {
		t.Fatalf("filing an objection about one entry: %d %.600s", r.Code, r.Body)
	}
	if os, err := h.App.Award.Objections(ctx, id); err != nil || len(os) != 1 || os[0].EnterpriseID != first.EnterpriseID {
		t.Fatalf("the objections: %+v (%v)", os, err)
	}
	if _, err := h.App.Award.Decide(ctx, mustObjection(t, h, id), false, "经核实，用地面积无误。", nil); err != nil {
		t.Fatal(err)
	}
	apply := fmt.Sprintf("/insight/mu/programmes/%d/classes", id)
	want(t, sup.Form(apply, nil), http.StatusConflict, "recording classes on notice")
	*clock = clock.Add(8 * 24 * time.Hour)
	if _, err := h.App.Award.Advance(ctx, id, award.StateConfirmed); err != nil {
		t.Fatal(err)
	}
	want(t, h.As("unit").Form(apply, nil), http.StatusForbidden, "a unit records classes")
	want(t, lead.Form(apply, nil), http.StatusForbidden, "a leader records classes")
	if b := string(lead.Get("/insight/mu?year=2023").Body); strings.Contains(b, fmt.Sprintf(`id="apply-%d"`, id)) {
		t.Fatal("the leader's page offers to record the classes")
	}
	want(t, h.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/insight/mu/programmes/%d/classes", id), nil), http.StatusForbidden, "an enterprise records classes")
	want(t, h.As("admin").Do("POST", fmt.Sprintf("/api/v1/insight/mu/programmes/%d/classes", id), nil), http.StatusForbidden, "an admin records classes")
	r = sup.Form(apply, nil)
	want(t, r, http.StatusSeeOther, "record classes")
	r = sup.Get("/insight/mu?year=2023&ok=applied")
	if b := string(r.Body); !strings.Contains(b, "已将评价结果写入企业库") || !strings.Contains(b, "已写入") ||
		!strings.Contains(b, `href="/enterprises?class=A&amp;class_year=2023" id="class-A">1</a>`) ||
		!strings.Contains(b, `id="class-B">2</a>`) || !strings.Contains(b, `id="class-C">1</a>`) {
		t.Fatalf("the page after recording: %s", b)
	}
	var y insight.MuYear
	sup.Get("/api/v1/insight/mu?year=2023").JSON(t, &y)
	if y.Counts != [4]int{1, 2, 1, 0} || y.Source != id {
		t.Fatalf("the API's year = %+v", y)
	}
	// The registry's list filters on the class, page and API.
	page := string(sup.Get("/enterprises?class=B&class_year=2023").Body)
	if !strings.Contains(page, "乙亩均测试有限公司") || !strings.Contains(page, "丙亩均测试有限公司") || strings.Contains(page, "甲亩均测试有限公司") {
		t.Fatalf("the registry's list of class B: %s", page)
	}
	var pg enterprise.Page
	sup.Get("/api/v1/enterprises?class=a").JSON(t, &pg)
	if len(pg.Items) != 1 || pg.Items[0].ID != ids["甲"] {
		t.Fatalf("class A (latest year) = %+v", pg.Items)
	}
	want(t, sup.Get("/api/v1/enterprises?class=A&class_year=x"), http.StatusBadRequest, "a bad class year")
}

// mustObjection is the id of the programme's only objection.
func mustObjection(t *testing.T, h *webtest.Harness, prog int64) int64 {
	t.Helper()
	os, err := h.App.Award.Objections(context.Background(), prog)
	if err != nil || len(os) != 1 {
		t.Fatalf("objections: %+v (%v)", os, err)
	}
	return os[0].ID
}
