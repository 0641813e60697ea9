package scenario_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web/webtest"
)

// evalWorld is a call in evaluation: 甲 leads a joint bid with 乙
// (confirmed), 丙 bids alone; three experts: reviewer, reviewer2 and
// reviewer3, who declared 乙 as an affiliation.
type evalWorld struct {
	*world
	call         int64
	joint, solo  int64
	rev2, rev3   int64
	callPath     string
	evaluation   string
	sup, anon    *webtest.Client
	r1, r2, r3   *webtest.Client
	unit, entCli *webtest.Client
}

func newEvalWorld(t *testing.T) *evalWorld {
	w := &evalWorld{world: newWorld(t)}
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "test"})
	for _, name := range []string{"reviewer2", "reviewer3"} {
		w.exec(`INSERT INTO users (username, role, display_name, password_hash, created_at, updated_at) SELECT $1, 'reviewer', $1, password_hash, 1, 1 FROM users WHERE username='admin'`, name)
	}
	w.App.DB.R.QueryRow("SELECT id FROM users WHERE username='reviewer2'").Scan(&w.rev2)
	w.App.DB.R.QueryRow("SELECT id FROM users WHERE username='reviewer3'").Scan(&w.rev3)
	w.exec("INSERT INTO panel_reviewers (user_id, affiliations, updated_at) VALUES ($1, '乙数据有限公司', 1)", w.rev3)
	var e3 int64
	if err := w.App.DB.W.QueryRow(`INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at) VALUES ('9144030071526726XG','丙智能有限公司',TRUE,1,1) RETURNING id`).Scan(&e3); err != nil {
		t.Fatal(err)
	}
	w.sup, w.anon, w.unit, w.entCli = w.As("supervisor"), w.Anon(), w.As("unit"), w.As("enterprise")
	w.r1, w.r2, w.r3 = w.As("reviewer"), w.As("reviewer2"), w.As("reviewer3")

	in := scenario.NeedInput{Title: "园区无人配送", Category: "urban", Chains: []string{"bd"}, Problem: "园区物流效率低", BudgetFen: 80_000_000,
		PriceCap: true, Deadline: "2027-03-20", EndsOn: "2027-09-30", ContactName: "李工", ContactPhone: "13800000000"}
	var n scenario.Need
	w.unit.Do("POST", "/api/v1/scenario/needs", in).JSON(t, &n)
	var b scenario.Batch
	w.sup.Do("POST", "/api/v1/scenario/batches", map[string]string{"title": "第一批"}).JSON(t, &b)
	want(t, w.sup.Do("POST", fmt.Sprintf("/api/v1/scenario/needs/%d/approval", n.ID), map[string]int64{"batch_id": b.ID}), 200, "approve")
	want(t, w.sup.Do("POST", fmt.Sprintf("/api/v1/scenario/batches/%d/publish", b.ID), nil), 200, "publish")
	bid := scenario.BidInput{Solution: "北斗定位无人车调度方案（保密内容）", Team: "8 人", PriceFen: 70_000_000,
		Partners:   []scenario.PartnerInput{{CreditCode: w.code2, Role: "调度平台"}},
		Milestones: []scenario.Milestone{{Title: "签约", DueOn: "2027-04-01", SharePct: 30}, {Title: "验收", DueOn: "2027-09-01", SharePct: 70}}}
	var joint scenario.Bid
	r := w.entCli.Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/bids", n.ID), bid)
	want(t, r, http.StatusCreated, "the joint bid")
	r.JSON(t, &joint)
	want(t, w.As("enterprise2").Do("POST", fmt.Sprintf("/api/v1/scenario/bids/%d/confirmation", joint.ID), nil), 200, "confirm")
	bid.Partners, bid.PriceFen = nil, 66_000_000
	solo, err := w.App.Scenario.SubmitBid(ctx, scenario.Viewer{Role: org.Enterprise, EnterpriseID: e3}, n.ID, bid, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.App.Scenario.Now = func() time.Time { return time.Date(2027, 3, 21, 9, 0, 0, 0, db.CST) }
	want(t, w.sup.Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/close", n.ID), nil), 200, "close")
	w.call, w.joint, w.solo = n.ID, joint.ID, solo.ID
	w.callPath = fmt.Sprintf("/scenarios/%d", n.ID)
	w.evaluation = w.callPath + "/evaluation"
	return w
}

// scoreForm is the scoring page's form.
func scoreForm(solution, team, price, plan string) url.Values {
	return url.Values{"score_solution": {solution}, "comment_solution": {"方案可行"}, "score_team": {team}, "score_price": {price}, "score_plan": {plan}}
}

var asgLink = regexp.MustCompile(`href="/scenario-reviews/([0-9]+)"`)

// myAssignments is the ids of a reviewer's assignments by bid.
func myAssignments(t *testing.T, c *webtest.Client) map[int64]int64 {
	t.Helper()
	var a struct {
		Assignments []scenario.Assignment `json:"assignments"`
	}
	r := c.Get("/api/v1/scenario/assignments")
	want(t, r, 200, "my assignments")
	r.JSON(t, &a)
	out := map[int64]int64{}
	for _, g := range a.Assignments {
		out[g.BidID] = g.ID
	}
	return out
}

func TestEvaluationThroughThePagesAndTheAPI(t *testing.T) {
	w := newEvalWorld(t)
	// The rules: three criteria in the form, trimmed from three experts on.
	rules := url.Values{"code": {"tech", "team", "price", ""}, "name_zh": {"技术方案", "团队能力", "报价", ""}, "name_en": {"Solution", "Team", "Price", ""},
		"max": {"50", "30", "abc", ""}, "trim_at": {"3"}, "notice_days": {"7"}}
	bad := w.sup.Form(w.callPath+"/rules", rules)
	if bad.Code != http.StatusBadRequest || !strings.Contains(string(bad.Body), "满分应为整数") || !strings.Contains(string(bad.Body), `value="abc"`) {
		t.Fatalf("bad rules: %d %.500s", bad.Code, bad.Body)
	}
	rules["max"] = []string{"50", "30", "20", ""}
	want(t, w.sup.Form(w.callPath+"/rules", rules), http.StatusSeeOther, "rules")

	// Experts: every expert on both bids; reviewer3 declared 乙, the joint
	// bid's partner, and is kept off it.
	for _, rev := range []string{"reviewer", "reviewer2", "reviewer3"} {
		var id int64
		w.App.DB.R.QueryRow("SELECT id FROM users WHERE username=$1", rev).Scan(&id)
		want(t, w.sup.Form(fmt.Sprintf("/scenario-bids/%d/assign", w.joint), url.Values{"reviewer_id": {fmt.Sprint(id)}}), http.StatusSeeOther, "assign "+rev)
		r := w.sup.Do("POST", fmt.Sprintf("/api/v1/scenario/bids/%d/assignments", w.solo), map[string]int64{"reviewer_id": id})
		want(t, r, http.StatusCreated, "assign through the API "+rev)
	}
	again := w.sup.Form(fmt.Sprintf("/scenario-bids/%d/assign", w.joint), url.Values{"reviewer_id": {fmt.Sprint(w.rev2)}})
	if again.Code != http.StatusBadRequest || !strings.Contains(string(again.Body), "该专家已分配此揭榜") {
		t.Fatalf("assign twice: %d %.400s", again.Code, again.Body)
	}
	m1, m2, m3 := myAssignments(t, w.r1), myAssignments(t, w.r2), myAssignments(t, w.r3)
	if len(m1) != 2 || len(m3) != 2 {
		t.Fatalf("assignments: %v %v", m1, m3)
	}
	var conflict scenario.Assignment
	w.r3.Get(fmt.Sprintf("/api/v1/scenario/assignments/%d", m3[w.joint])).JSON(t, &conflict)
	if conflict.State != "conflict" || conflict.Bid != nil {
		t.Fatalf("reviewer3 on the joint bid: %+v", conflict)
	}

	// An expert reads their own assignments, nobody else's, and no bid
	// through the bid pages.
	list := w.r1.Get("/scenario-reviews")
	if list.Code != 200 || len(asgLink.FindAllSubmatch(list.Body, -1)) != 2 || !strings.Contains(string(list.Body), "丙智能有限公司") {
		t.Fatalf("the expert's list: %d %.500s", list.Code, list.Body)
	}
	own := w.r1.Get(fmt.Sprintf("/scenario-reviews/%d", m1[w.joint]))
	if own.Code != 200 || !strings.Contains(string(own.Body), "北斗定位无人车调度方案") || !strings.Contains(string(own.Body), `id="score_tech"`) {
		t.Fatalf("the expert's own review: %d %.500s", own.Code, own.Body)
	}
	want(t, w.r1.Get(fmt.Sprintf("/scenario-reviews/%d", m2[w.joint])), http.StatusNotFound, "another expert's review page")
	want(t, w.r1.Get(fmt.Sprintf("/api/v1/scenario/assignments/%d", m2[w.joint])), http.StatusNotFound, "another expert's assignment")
	want(t, w.r1.Form(fmt.Sprintf("/scenario-reviews/%d/scores", m2[w.joint]), scoreForm("40", "20", "10", "")), http.StatusNotFound, "score another's")
	want(t, w.r1.Get(fmt.Sprintf("/scenario-bids/%d", w.joint)), http.StatusNotFound, "an expert opens a bid page")
	want(t, w.r1.Get(fmt.Sprintf("/api/v1/scenario/bids/%d", w.solo)), http.StatusNotFound, "an expert reads a bid")
	var bids struct {
		Bids []scenario.Bid `json:"bids"`
	}
	w.r1.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/bids", w.call)).JSON(t, &bids)
	if len(bids.Bids) != 0 {
		t.Fatalf("an expert lists %d bids", len(bids.Bids))
	}

	// Scores: a bad form comes back with the reason; then the joint bid gets
	// 90 and 60, the solo bid 70, 68 and 69 (trimmed: 69), reviewer3's
	// second score after a recusal is refused.
	sc := w.r1.Form(fmt.Sprintf("/scenario-reviews/%d/scores", m1[w.joint]), url.Values{"score_tech": {"60"}, "score_team": {"20"}, "score_price": {"10"}})
	if sc.Code != http.StatusBadRequest || !strings.Contains(string(sc.Body), "分数应在 0–50 之间") {
		t.Fatalf("bad scores: %d %.500s", sc.Code, sc.Body)
	}
	scores := func(c *webtest.Client, id int64, tech, team, price string) {
		t.Helper()
		want(t, c.Form(fmt.Sprintf("/scenario-reviews/%d/scores", id), url.Values{"score_tech": {tech}, "score_team": {team}, "score_price": {price}}), http.StatusSeeOther, "scores")
	}
	scores(w.r1, m1[w.joint], "45", "27", "18")
	r := w.r2.Do("PUT", fmt.Sprintf("/api/v1/scenario/assignments/%d/scores", m2[w.joint]), map[string]any{"scores": []scenario.Score{
		{Criterion: "tech", Value: "30"}, {Criterion: "team", Value: "18"}, {Criterion: "price", Value: "12"}}})
	want(t, r, 200, "scores through the API")
	scores(w.r1, m1[w.solo], "35", "21", "14")
	scores(w.r2, m2[w.solo], "34", "20", "14")
	want(t, w.r3.Form(fmt.Sprintf("/scenario-reviews/%d/recuse", m3[w.solo]), url.Values{"reason": {""}}), http.StatusBadRequest, "recuse without a reason")
	want(t, w.r3.Form(fmt.Sprintf("/scenario-reviews/%d/recuse", m3[w.solo]), url.Values{"reason": {"近三年为丙智能提供过咨询"}}), http.StatusSeeOther, "recuse")
	want(t, w.r3.Form(fmt.Sprintf("/scenario-reviews/%d/scores", m3[w.solo]), url.Values{"score_tech": {"35"}, "score_team": {"20"}, "score_price": {"14"}}),
		http.StatusConflict, "score after recusing")

	var e scenario.Evaluation
	w.sup.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/evaluation", w.call)).JSON(t, &e)
	// Two totals each (fewer than trimAt): the joint bid's mean 75 leads
	// the solo bid's 69.
	if len(e.Bids) != 2 || e.Bids[0].BidID != w.joint || e.Bids[0].Score != "75" || e.Bids[1].Score != "69" || e.Bids[1].Experts != 2 {
		t.Fatalf("ranking: %+v", e.Bids)
	}
	page := w.sup.Get(w.evaluation)
	if page.Code != 200 || !strings.Contains(string(page.Body), "近三年为丙智能提供过咨询") || !strings.Contains(string(page.Body), "专家申报关联") {
		t.Fatalf("the evaluation page: %d %.600s", page.Code, page.Body)
	}
	// The top bid is the joint one; choosing the other
	// needs a reason.
	noReason := w.sup.Form(w.callPath+"/winner", url.Values{"bid_id": {fmt.Sprint(w.solo)}})
	if noReason.Code != http.StatusBadRequest || !strings.Contains(string(noReason.Body), "须写明理由") {
		t.Fatalf("a second-ranked winner without a reason: %d %.500s", noReason.Code, noReason.Body)
	}
	want(t, w.sup.Form(w.callPath+"/winner", url.Values{"bid_id": {fmt.Sprint(w.joint)}}), http.StatusSeeOther, "choose the winner")

	// The public page shows the winner and each lead's panel score, not
	// the bids' contents; anyone objects and gets a receipt.
	pub := string(w.anon.Get(w.callPath).Body)
	for _, s := range []string{"结果公示中", "甲科技有限公司", "丙智能有限公司", ">75<", ">69<", `id="obj-submit"`} {
		if !strings.Contains(pub, s) {
			t.Fatalf("the public call page lacks %q: %.2000s", s, pub)
		}
	}
	if strings.Contains(pub, "北斗定位无人车调度方案") || strings.Contains(pub, "reviewer2") {
		t.Fatal("the public call page shows a bid's content or an expert")
	}
	var res scenario.Result
	w.anon.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/result", w.call)).JSON(t, &res)
	if res.WinnerBidID != w.joint || !res.NoticeOpen || len(res.Ranking) != 2 {
		t.Fatalf("the public result: %+v", res)
	}
	obj := w.anon.Form(w.callPath+"/objections", url.Values{"bid_id": {fmt.Sprint(w.joint)}, "name": {"王五"}, "contact": {"13900000000"},
		"reason": {"中标联合体的伙伴资质证明不全，请核查。"}})
	m := regexp.MustCompile(`id="receipt">([0-9]+-[A-Z2-7]{16})<`).FindSubmatch(obj.Body)
	if obj.Code != 200 || m == nil {
		t.Fatalf("objection: %d %.500s", obj.Code, obj.Body)
	}
	look := w.anon.Form("/scenarios/receipt", url.Values{"receipt": {string(m[1])}})
	if look.Code != 200 || !strings.Contains(string(look.Body), "待处理") || strings.Contains(string(look.Body), "13900000000") {
		t.Fatalf("receipt look-up: %d %.500s", look.Code, look.Body)
	}
	want(t, w.anon.Do("POST", "/api/v1/scenario/objection-receipts", map[string]string{"receipt": "1-AAAAAAAAAAAAAAAA"}), http.StatusNotFound, "a wrong receipt")
	early := w.sup.Form(w.callPath+"/confirm", nil)
	if early.Code != http.StatusConflict || !strings.Contains(string(early.Body), "公示期至") {
		t.Fatalf("confirm during the notice: %d %.400s", early.Code, early.Body)
	}

	var objs struct {
		Objections []scenario.Objection `json:"objections"`
	}
	w.sup.Get(fmt.Sprintf("/api/v1/scenario/calls/%d/objections", w.call)).JSON(t, &objs)
	if len(objs.Objections) != 1 || objs.Objections[0].Contact != "13900000000" {
		t.Fatalf("objections for staff: %+v", objs)
	}
	w.App.Scenario.Now = func() time.Time { return time.Date(2027, 3, 29, 10, 0, 0, 0, db.CST) }
	open := w.sup.Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/confirmation", w.call), nil)
	if open.Code != http.StatusConflict || !strings.Contains(string(open.Body), "异议未处理") {
		t.Fatalf("confirm with an open objection: %d %s", open.Code, open.Body)
	}
	want(t, w.sup.Form(fmt.Sprintf("/scenario-objections/%d/decide", objs.Objections[0].ID), url.Values{"need_id": {fmt.Sprint(w.call)},
		"upheld": {"0"}, "finding": {"伙伴资质证明已在揭榜材料中提供"}}), http.StatusSeeOther, "dismiss")
	want(t, w.sup.Form(w.callPath+"/confirm", nil), http.StatusSeeOther, "confirm")
	if after := string(w.anon.Get(w.callPath).Body); !strings.Contains(after, "实施中") || !strings.Contains(after, "中标已确认") {
		t.Fatalf("the confirmed call page: %.800s", after)
	}
	if look := w.anon.Form("/scenarios/receipt", url.Values{"receipt": {string(m[1])}}); !strings.Contains(string(look.Body), "伙伴资质证明已在揭榜材料中提供") {
		t.Fatalf("the decision by receipt: %.500s", look.Body)
	}
	if win, err := w.App.Scenario.Winner(context.Background(), w.call); err != nil || win.ID != w.joint || len(win.Milestones) != 2 {
		t.Fatalf("winner: %+v %v", win, err)
	}
}

func TestEvaluationRoutesRefuseOtherRoles(t *testing.T) {
	w := newEvalWorld(t)
	id := fmt.Sprint(w.call)
	cases := []struct {
		method, path string
		allowed      []string
		body         any
	}{
		{"GET", "/scenarios/" + id + "/evaluation", []string{"supervisor", "leader", "admin"}, nil},
		{"GET", "/api/v1/scenario/calls/" + id + "/evaluation", []string{"supervisor", "leader", "admin"}, nil},
		{"GET", "/api/v1/scenario/calls/" + id + "/objections", []string{"supervisor", "leader", "admin"}, nil},
		{"PUT", "/api/v1/scenario/calls/" + id + "/rules", []string{"supervisor"}, scenario.Rules{Criteria: scenario.DefaultCriteria}},
		{"GET", "/api/v1/scenario/assignments", []string{"reviewer"}, nil},
		{"GET", "/scenario-reviews", []string{"reviewer"}, nil},
	}
	for _, c := range cases {
		for _, who := range []string{"admin", "leader", "supervisor", "unit", "enterprise", "reviewer", ""} {
			cl := w.Anon()
			if who != "" {
				cl = w.As(who)
			}
			r := cl.Do(c.method, c.path, c.body)
			ok := false
			for _, a := range c.allowed {
				ok = ok || a == who
			}
			switch {
			case ok && r.Code != 200:
				t.Errorf("%s %s as %s: %d %.200s", c.method, c.path, who, r.Code, r.Body)
			case !ok && who == "" && r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther:
				t.Errorf("%s %s anonymously: %d", c.method, c.path, r.Code)
			case !ok && who != "" && r.Code != http.StatusForbidden:
				t.Errorf("%s %s as %s: %d, want 403", c.method, c.path, who, r.Code)
			}
		}
	}
	// Writes: only supervisors decide, only reviewers score.
	want(t, w.As("leader").Form(w.callPath+"/winner", url.Values{"bid_id": {fmt.Sprint(w.joint)}}), http.StatusForbidden, "a leader chooses")
	want(t, w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/scenario/bids/%d/assignments", w.joint), map[string]int64{"reviewer_id": w.rev2}),
		http.StatusForbidden, "an enterprise assigns")
	want(t, w.As("supervisor").Do("PUT", "/api/v1/scenario/assignments/1/scores", map[string]any{"scores": []scenario.Score{}}), http.StatusForbidden, "staff score")
	want(t, w.Anon().Do("POST", "/api/v1/scenario/objections/1/decision", map[string]any{"upheld": true, "finding": "x"}), http.StatusUnauthorized, "anonymous decides")
	// No result before a winner is chosen; no objection either.
	want(t, w.Anon().Get(fmt.Sprintf("/api/v1/scenario/calls/%d/result", w.call)), http.StatusNotFound, "a result before any")
	want(t, w.Anon().Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/objections", w.call), scenario.NewObjection{Name: "王五", Contact: "1", Reason: "还没有结果就提异议。"}),
		http.StatusConflict, "an objection before a result")
}
