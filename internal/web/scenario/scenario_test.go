package scenario_test

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

	"gaoxin/internal/db"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// world is the harness with two registry enterprises linked to the
// "enterprise" and "enterprise2" accounts.
type world struct {
	*webtest.Harness
	e1, e2 int64
	code2  string
}

func newWorld(t *testing.T) *world {
	w := &world{Harness: webtest.New(t), code2: "91330100716105852F"}
	ins := func(code, name string) int64 {
		var id int64
		if err := w.App.DB.W.QueryRowContext(context.Background(), `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at)
			VALUES ($1,$2,TRUE,1,1) RETURNING id`, code, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.e1, w.e2 = ins("914403001922038216", "甲科技有限公司"), ins(w.code2, "乙数据有限公司")
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise'", w.e1)
	w.exec(`INSERT INTO users (username, role, password_hash, created_at, updated_at) SELECT 'enterprise2', 'enterprise', password_hash, 1, 1 FROM users WHERE username='admin'`)
	w.exec("UPDATE users SET enterprise_id=$1 WHERE username='enterprise2'", w.e2)
	w.App.Scenario.Now = func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, db.CST) }
	return w
}

func (w *world) exec(q string, args ...any) {
	w.T.Helper()
	if _, err := w.App.DB.W.ExecContext(context.Background(), q, args...); err != nil {
		w.T.Fatalf("%s: %v", q, err)
	}
}

// multipartForm posts fields (repeated keys allowed) and files as a
// same-origin browser form does.
func multipartForm(c *webtest.Client, path string, vals url.Values, files map[string][]byte) *webtest.Resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

func needForm() url.Values {
	return url.Values{"title": {"城市道路积水智能监测"}, "category": {"service"}, "chains": {"iot", "iot_sensor"},
		"problem": {"汛期道路积水无法及时发现"}, "capabilities": {"物联网传感"}, "budget": {"50"}, "budget_unit": {"wan"}, "price_cap": {"1"},
		"deadline": {"2027-03-31"}, "ends_on": {"2027-12-31"}, "contact_name": {"王工"}, "contact_phone": {"0371-67581234"}}
}

func bidForm(price string, partner string) url.Values {
	return url.Values{"solution": {"布设液位传感器，接入城市运行平台"}, "team": {"工程师 6 名"}, "price": {price}, "price_unit": {"wan"},
		"ms_title": {"签约", "验收", ""}, "ms_due": {"2027-04-15", "2027-11-30", ""}, "ms_share": {"30", "70", ""},
		"partner_code": {partner, ""}, "partner_role": {"数据平台", ""}}
}

func want(t *testing.T, r *webtest.Resp, code int, what string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("%s: want %d, got %d: %.400s", what, code, r.Code, r.Body)
	}
}

func idFrom(t *testing.T, r *webtest.Resp, prefix string) string {
	t.Helper()
	loc := r.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, prefix)
	if !ok {
		t.Fatalf("redirected to %q, not under %s", loc, prefix)
	}
	id, _, _ := strings.Cut(rest, "?")
	return id
}

func TestFromNeedToBidsThroughThePages(t *testing.T) {
	w := newWorld(t)
	unit, sup, anon := w.As("unit"), w.As("supervisor"), w.Anon()
	ent, ent2 := w.As("enterprise"), w.As("enterprise2")

	r := multipartForm(unit, "/scenarios", needForm(), map[string][]byte{"点位.pdf": []byte("%PDF-1.4 points")})
	want(t, r, http.StatusSeeOther, "submit the need")
	call := "/scenarios/" + idFrom(t, r, "/scenarios/")
	if page := unit.Get(call); page.Code != 200 || !strings.Contains(string(page.Body), "征集中") || !strings.Contains(string(page.Body), "点位.pdf") {
		t.Fatalf("the owner's page: %d %.300s", page.Code, page.Body)
	}
	want(t, anon.Get(call), http.StatusNotFound, "anonymous reads a need being collected")
	want(t, ent.Get(call), http.StatusNotFound, "an enterprise reads a need being collected")

	want(t, sup.Form("/scenarios/batches", url.Values{"title": {"2027 年第一批场景机会清单"}}), http.StatusSeeOther, "create a batch")
	review := sup.Get("/scenarios/review")
	if !strings.Contains(string(review.Body), "城市道路积水智能监测") || !strings.Contains(string(review.Body), "2027 年第一批场景机会清单") {
		t.Fatalf("review page: %.500s", review.Body)
	}
	var batches struct {
		Batches []scenario.Batch `json:"batches"`
	}
	sup.Get("/api/v1/scenario/batches").JSON(t, &batches)
	batch := fmt.Sprint(batches.Batches[0].ID)
	want(t, w.As("unit2").Form(call+"/approve", url.Values{"batch_id": {batch}}), http.StatusForbidden, "a unit approves")
	want(t, sup.Form(call+"/approve", url.Values{"batch_id": {batch}}), http.StatusSeeOther, "approve")
	want(t, sup.Form("/scenarios/batches/"+batch+"/publish", nil), http.StatusSeeOther, "publish")

	list := anon.Get("/scenarios?category=service&chain=iot")
	if list.Code != 200 || !strings.Contains(string(list.Body), "城市道路积水智能监测") || !strings.Contains(string(list.Body), "揭榜中") {
		t.Fatalf("public portal: %d %.600s", list.Code, list.Body)
	}
	public := string(anon.Get(call).Body)
	if !strings.Contains(public, "登录后可见") || strings.Contains(public, "0371-67581234") {
		t.Fatal("the public call page shows the contact")
	}
	if budget := web.Money(50_000_000); !strings.Contains(public, budget) {
		t.Fatalf("the public call page lacks the budget %s", budget)
	}

	// A bid over the budget comes back with what was typed and the reason.
	bad := multipartForm(ent, call+"/bids", bidForm("60", w.code2), nil)
	if bad.Code != http.StatusBadRequest || !strings.Contains(string(bad.Body), "报价超过该场景的预算") || !strings.Contains(string(bad.Body), "布设液位传感器") {
		t.Fatalf("over-budget bid: %d %.600s", bad.Code, bad.Body)
	}
	r = multipartForm(ent, call+"/bids", bidForm("45", w.code2), map[string][]byte{"资质.pdf": []byte("%PDF-1.4 cert")})
	want(t, r, http.StatusSeeOther, "bid")
	var mine struct {
		Bids []scenario.Bid `json:"bids"`
	}
	ent.Get("/api/v1/scenario/bids").JSON(t, &mine)
	if len(mine.Bids) != 1 || mine.Bids[0].PriceFen != 45_000_000 || len(mine.Bids[0].Milestones) != 2 || len(mine.Bids[0].Partners) != 1 {
		t.Fatalf("my bids: %+v", mine.Bids)
	}
	bid := fmt.Sprintf("/scenario-bids/%d", mine.Bids[0].ID)
	// The partner confirms from its own account; the owner unit and
	// another unit cannot read the bid before the deadline.
	if page := ent2.Get(bid); page.Code != 200 || !strings.Contains(string(page.Body), "确认参与联合揭榜") {
		t.Fatalf("the partner's bid page: %d %.400s", page.Code, page.Body)
	}
	want(t, ent2.Form(bid+"/confirm", nil), http.StatusSeeOther, "confirm")
	want(t, ent2.Form(bid+"/withdraw", url.Values{"reason": {"x"}}), http.StatusForbidden, "a partner withdraws")
	want(t, unit.Get(bid), http.StatusNotFound, "the owner reads a bid before the deadline")
	want(t, w.As("unit2").Get(bid), http.StatusNotFound, "another unit reads a bid")
	want(t, anon.Get(fmt.Sprintf("/api/v1/scenario/bids/%d", mine.Bids[0].ID)), http.StatusUnauthorized, "anonymous reads a bid")

	// After the deadline: the owner sees the bids, staff close and fail the call.
	w.App.Scenario.Now = func() time.Time { return time.Date(2027, 4, 2, 9, 0, 0, 0, db.CST) }
	if page := unit.Get(call); !strings.Contains(string(page.Body), "甲科技有限公司") {
		t.Fatalf("the owner does not see the bids after the deadline: %.600s", page.Body)
	}
	want(t, unit.Get(bid), http.StatusOK, "the owner reads a bid after the deadline")
	want(t, sup.Form(call+"/close", nil), http.StatusSeeOther, "close bidding")
	want(t, sup.Form(call+"/fail", url.Values{"reason": {"方案未达到精度要求"}}), http.StatusSeeOther, "fail")
	if page := string(anon.Get(call).Body); !strings.Contains(page, "方案未达到精度要求") || !strings.Contains(page, "未成交") {
		t.Fatalf("the failed call's public page: %.600s", page)
	}
}

func TestBadNeedFormKeepsWhatWasTyped(t *testing.T) {
	w := newWorld(t)
	f := needForm()
	f.Set("budget", "五十万")
	f.Set("chains", "no_such_chain")
	r := multipartForm(w.As("unit"), "/scenarios", f, nil)
	body := string(r.Body)
	if r.Code != http.StatusBadRequest || !strings.Contains(body, "预算金额格式不对") || !strings.Contains(body, `value="城市道路积水智能监测"`) {
		t.Fatalf("bad budget: %d %.600s", r.Code, body)
	}
	f.Set("budget", "50")
	r = multipartForm(w.As("unit"), "/scenarios", f, nil)
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "没有这条产业链：no_such_chain") {
		t.Fatalf("unknown chain: %d %.600s", r.Code, r.Body)
	}
	var n int
	w.App.DB.R.QueryRow("SELECT COUNT(*) FROM scenario_needs").Scan(&n)
	if n != 0 {
		t.Fatalf("%d needs written by refused forms", n)
	}
	// Roles: an enterprise cannot run batches, the anonymous cannot submit.
	want(t, w.As("enterprise").Form("/scenarios/batches", url.Values{"title": {"x"}}), http.StatusForbidden, "an enterprise creates a batch")
	want(t, w.Anon().Do("POST", "/api/v1/scenario/needs", map[string]any{"title": "x"}), http.StatusUnauthorized, "anonymous submits")
	want(t, w.As("leader").Get("/scenarios/new"), http.StatusForbidden, "a leader opens the need form")
}

func TestNeedAndBidThroughTheAPI(t *testing.T) {
	w := newWorld(t)
	in := scenario.NeedInput{Title: "园区无人配送", Category: "urban", Chains: []string{"bd"}, Problem: "园区物流效率低", BudgetFen: 80_000_000,
		PriceCap: true, Deadline: "2027-03-20", EndsOn: "2027-09-30", ContactName: "李工", ContactPhone: "13800000000"}
	r := w.As("enterprise2").Do("POST", "/api/v1/scenario/needs", in)
	want(t, r, http.StatusCreated, "an enterprise submits a need")
	var n scenario.Need
	r.JSON(t, &n)
	sup := w.As("supervisor")
	var b scenario.Batch
	sup.Do("POST", "/api/v1/scenario/batches", map[string]string{"title": "第一批"}).JSON(t, &b)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/scenario/needs/%d/approval", n.ID), map[string]int64{"batch_id": b.ID}), 200, "approve")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/scenario/batches/%d/publish", b.ID), nil), 200, "publish")
	bid := scenario.BidInput{Solution: "北斗定位无人车", Team: "8 人", PriceFen: 70_000_000,
		Milestones: []scenario.Milestone{{Title: "验收", DueOn: "2027-10-30", SharePct: 100}}}
	r = w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/bids", n.ID), bid)
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "milestones.due_on") {
		t.Fatalf("a milestone past the call's end: %d %s", r.Code, r.Body)
	}
	// The owner enterprise cannot bid on its own call.
	bid.Milestones[0].DueOn = "2027-09-01"
	want(t, w.As("enterprise2").Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/bids", n.ID), bid), http.StatusForbidden, "bid on one's own call")
	want(t, w.As("enterprise").Do("POST", fmt.Sprintf("/api/v1/scenario/calls/%d/bids", n.ID), bid), http.StatusCreated, "bid")
	var bids struct {
		Bids []scenario.Bid `json:"bids"`
	}
	w.As("enterprise2").Get(fmt.Sprintf("/api/v1/scenario/calls/%d/bids", n.ID)).JSON(t, &bids)
	if len(bids.Bids) != 0 {
		t.Fatalf("the owner enterprise lists %d bids before the deadline", len(bids.Bids))
	}
	var page scenario.Page
	w.Anon().Get("/api/v1/scenario/calls?category=urban").JSON(t, &page)
	if page.Total != 1 || page.Needs[0].ContactPhone != "" || page.Needs[0].Bids != 1 {
		t.Fatalf("public list: %+v", page)
	}
}
