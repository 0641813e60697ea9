package scenario_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/scenario"
	"gaoxin/internal/web/webtest"
)

// openCall puts the world's two enterprises on 物联网 and takes a unit's
// need through a batch to an open call, returning its API path.
func (w *world) openCall(t *testing.T, title, category string) string {
	t.Helper()
	w.exec("UPDATE enterprises SET industry_code = '6513'")
	w.exec("INSERT INTO enterprise_chains (enterprise_id, node_id) SELECT e.id, c.id FROM enterprises e, chain_nodes c WHERE c.code = 'iot' AND e.id IN ($1, $2)"+
		" AND NOT EXISTS (SELECT 1 FROM enterprise_chains x WHERE x.enterprise_id = e.id)", w.e1, w.e2)
	sup := w.As("supervisor")
	in := scenario.NeedInput{Title: title, Category: category, Chains: []string{"iot"}, Problem: "汛期道路积水无法及时发现",
		BudgetFen: 50_000_000, PriceCap: true, Deadline: "2027-03-31", EndsOn: "2027-12-31", ContactName: "王工", ContactPhone: "0371-67581234"}
	var n scenario.Need
	r := w.As("unit").Do("POST", "/api/v1/scenario/needs", in)
	want(t, r, http.StatusCreated, "submit")
	r.JSON(t, &n)
	var b scenario.Batch
	r = sup.Do("POST", "/api/v1/scenario/batches", map[string]string{"title": "第 N 批"})
	want(t, r, http.StatusCreated, "batch")
	r.JSON(t, &b)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/scenario/needs/%d/approval", n.ID), map[string]int64{"batch_id": b.ID}), http.StatusOK, "approve")
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/scenario/batches/%d/publish", b.ID), nil), http.StatusOK, "publish")
	return fmt.Sprintf("/api/v1/scenario/calls/%d", n.ID)
}

// robot is a webhook receiver that records what it was sent.
type robot struct {
	mu     sync.Mutex
	bodies []string
	status int
}

func (rb *robot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rb.mu.Lock()
	defer rb.mu.Unlock()
	rb.bodies = append(rb.bodies, string(b))
	w.WriteHeader(rb.status)
}

func TestMatchesInvitationsWebhookAndInbox(t *testing.T) {
	w := newWorld(t)
	call := w.openCall(t, "城市道路积水智能监测", scenario.CatService)
	sup, ent, ent2, anon := w.As("supervisor"), w.As("enterprise"), w.As("enterprise2"), w.Anon()

	var m scenario.Matches
	r := sup.Get(call + "/matches")
	want(t, r, http.StatusOK, "matches")
	r.JSON(t, &m)
	if len(m.Suggestions) != 2 || len(m.Suggestions[0].Reasons) == 0 || !strings.Contains(m.Suggestions[0].Reasons[0].ZH, "物联网") {
		t.Fatalf("matches: %+v", m)
	}
	want(t, anon.Get(call+"/matches"), http.StatusUnauthorized, "anonymous matches")
	want(t, ent.Get(call+"/matches"), http.StatusForbidden, "an enterprise's matches")
	want(t, w.As("unit").Get(call+"/matches"), http.StatusForbidden, "a unit's matches")
	want(t, sup.Get(call+"/matches?limit=0"), http.StatusBadRequest, "limit 0")

	// The webhook: set in the supervision settings; the invitation is
	// queued with it and sent by the delivery job, recorded as sent.
	rb := &robot{status: http.StatusOK}
	hook := httptest.NewServer(rb)
	defer hook.Close()
	w.exec("INSERT INTO plan_settings (key, value, updated_at) VALUES ('webhook_url', $1, 1)", hook.URL)
	want(t, ent.Do("POST", call+"/invitations", map[string]any{"enterprise_ids": []int64{w.e1}}), http.StatusForbidden, "an enterprise invites")
	var res scenario.InviteResult
	r = sup.Do("POST", call+"/invitations", map[string]any{"enterprise_ids": []int64{w.e1}})
	want(t, r, http.StatusOK, "invite")
	r.JSON(t, &res)
	if len(res.Invited) != 1 || res.Invited[0] != "甲科技有限公司" {
		t.Fatalf("invite: %+v", res)
	}
	if len(rb.bodies) != 0 {
		t.Fatal("the webhook was posted inside the request")
	}
	if sent, err := w.App.Plan.Deliver(context.Background()); err != nil || sent != 1 {
		t.Fatalf("deliver: %d %v", sent, err)
	}
	var msg struct {
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.Unmarshal([]byte(rb.bodies[0]), &msg); err != nil || msg.MsgType != "text" ||
		!strings.Contains(msg.Text.Content, "甲科技有限公司") || !strings.Contains(msg.Text.Content, "城市道路积水智能监测") {
		t.Fatalf("webhook body %s (%v)", rb.bodies[0], err)
	}
	var state string
	w.App.DB.R.QueryRow("SELECT state FROM plan_outbox WHERE event = 'scenario.invite'").Scan(&state)
	if state != "sent" {
		t.Fatalf("outbox state %q", state)
	}
	// Again: nothing new is sent; a failing robot is recorded, the
	// request still succeeds.
	r = sup.Do("POST", call+"/invitations", map[string]any{"enterprise_ids": []int64{w.e1}})
	r.JSON(t, &res)
	if len(res.Invited) != 0 || len(res.Already) != 1 {
		t.Fatalf("second invite: %+v", res)
	}
	rb.status = http.StatusBadGateway
	want(t, sup.Form(strings.Replace(call, "/api/v1/scenario/calls", "/scenarios", 1)+"/invitations", url.Values{"enterprise_id": {fmt.Sprint(w.e2)}}),
		http.StatusSeeOther, "invite through the page")
	if sent, _ := w.App.Plan.Deliver(context.Background()); sent != 0 {
		t.Fatalf("a failed post counted as sent: %d", sent)
	}
	var lastErr string
	w.App.DB.R.QueryRow("SELECT last_error FROM plan_outbox WHERE event = 'scenario.invite' AND state <> 'sent'").Scan(&lastErr)
	if !strings.Contains(lastErr, "502") {
		t.Fatalf("failed post recorded as %q", lastErr)
	}

	// The enterprise's inbox, as JSON and as a page.
	var box struct {
		Items   []scenario.InboxItem `json:"items"`
		Follows []string             `json:"follows"`
	}
	r = ent.Get("/api/v1/scenario/inbox")
	want(t, r, http.StatusOK, "inbox")
	r.JSON(t, &box)
	if len(box.Items) != 1 || box.Items[0].Kind != scenario.InboxInvitation {
		t.Fatalf("inbox %+v", box)
	}
	page := string(ent.Get("/scenarios/inbox").Body)
	if !strings.Contains(page, "揭榜邀请") || !strings.Contains(page, "推荐理由") || !strings.Contains(page, "城市道路积水智能监测") {
		t.Fatalf("inbox page: %.800s", page)
	}
	want(t, sup.Get("/api/v1/scenario/inbox"), http.StatusForbidden, "a supervisor's enterprise inbox")
	want(t, anon.Get("/api/v1/scenario/inbox"), http.StatusUnauthorized, "anonymous inbox")

	// Following a category brings the next batch's call of it.
	want(t, ent2.Do("PUT", "/api/v1/scenario/follows", map[string]any{"categories": []string{"roads"}}), http.StatusBadRequest, "unknown category")
	want(t, ent2.Form("/scenarios/follows", url.Values{"category": {scenario.CatDigital}}), http.StatusSeeOther, "follow")
	next := w.openCall(t, "园区设备联网改造", scenario.CatDigital)
	ent2.Get("/api/v1/scenario/inbox").JSON(t, &box)
	var kinds []string
	for _, it := range box.Items {
		kinds = append(kinds, it.Kind+fmt.Sprint(it.NeedID))
	}
	if len(box.Follows) != 1 || !strings.Contains(strings.Join(kinds, " "), scenario.InboxNewCall+strings.TrimPrefix(next, "/api/v1/scenario/calls/")) {
		t.Fatalf("enterprise2's inbox %+v", box)
	}

	// The matches page: reasons, checkboxes, a link from the call page.
	html := strings.Replace(call, "/api/v1/scenario/calls", "/scenarios", 1)
	mp := string(sup.Get(html + "/matches").Body)
	if !strings.Contains(mp, "推荐理由") || !strings.Contains(mp, "已邀请") || !strings.Contains(mp, "属于该场景的产业链") {
		t.Fatalf("matches page: %.800s", mp)
	}
	if !strings.Contains(string(sup.Get(html).Body), html+"/matches") {
		t.Fatal("the call page does not link to its matches")
	}
	want(t, w.As("unit").Get(html+"/matches"), http.StatusForbidden, "a unit's matches page")
}

// upload posts a file as the import form does.
func upload(c *webtest.Client, path string, vals url.Values, name string, data []byte) *webtest.Resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

func TestBatchSpreadsheetInAndCallsAndBidsOut(t *testing.T) {
	w := newWorld(t)
	sup, ent, anon := w.As("supervisor"), w.As("enterprise"), w.Anon()
	tpl := sup.Get("/scenarios/template.xlsx")
	want(t, tpl, http.StatusOK, "template")
	want(t, ent.Get("/scenarios/template.xlsx"), http.StatusForbidden, "an enterprise's template")
	var b scenario.Batch
	sup.Do("POST", "/api/v1/scenario/batches", map[string]string{"title": "2027 年第一批"}).JSON(t, &b)
	fill := func(rows ...[]any) []byte {
		x, err := excelize.OpenReader(bytes.NewReader(tpl.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			x.SetSheetRow("场景清单", cell, &r)
		}
		var out bytes.Buffer
		x.Write(&out)
		return out.Bytes()
	}
	row := func(title string, budget any) []any {
		return []any{title, "产业数字化转型", "物联网", "unit-a", "设备缺少在线监测", "", "", "", budget, "", "2027-03-20", "2027-10-31", "李工", "0371-67580000"}
	}
	// Which unit code the world's "unit" account has.
	var code string
	w.App.DB.R.QueryRow("SELECT u.code FROM units u JOIN users x ON x.unit_id = u.id WHERE x.username = 'unit'").Scan(&code)
	good, bad := row("超硬材料产线数字化改造", 1200000), row("第二个", "一百万")
	good[3], bad[3] = code, code
	batch := url.Values{"batch_id": {fmt.Sprint(b.ID)}}
	r := upload(sup, "/scenarios/import", batch, "清单.xlsx", fill(good, bad))
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "I 列「预算（元）」") || !strings.Contains(string(r.Body), "未导入任何场景") {
		t.Fatalf("bad sheet: %d %.800s", r.Code, r.Body)
	}
	want(t, upload(w.As("unit"), "/scenarios/import", batch, "清单.xlsx", fill(good)), http.StatusForbidden, "a unit imports")
	want(t, upload(sup, "/scenarios/import", batch, "清单.xlsx", fill(good)), http.StatusSeeOther, "import")
	var imp scenario.BatchImport
	api := row("接口导入", 5000)
	api[3] = code
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/scenario/batches/%d/import?filename=api.xlsx", b.ID), bytes.NewReader(fill(api)))
	r = sup.Send(req)
	want(t, r, http.StatusCreated, "import through the API")
	r.JSON(t, &imp)
	if imp.Rows != 1 || len(imp.NeedIDs) != 1 {
		t.Fatalf("api import %+v", imp)
	}
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/scenario/batches/%d/publish", b.ID), nil), http.StatusOK, "publish")

	xl := anon.Get("/scenarios/calls.xlsx?category=digital")
	want(t, xl, http.StatusOK, "calls export")
	x, err := excelize.OpenReader(bytes.NewReader(xl.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("场景清单")
	x.Close()
	if len(rows) != 3 || rows[2][2] != "超硬材料产线数字化改造" || rows[2][3] != "产业数字化转型" || rows[2][10] != "揭榜中" {
		t.Fatalf("calls export %q", rows)
	}
	want(t, anon.Get("/scenarios/bids.xlsx"), http.StatusSeeOther, "anonymous bids export: to the sign-in")
	want(t, ent.Get("/scenarios/bids.xlsx"), http.StatusForbidden, "an enterprise's bids export")
	want(t, sup.Get("/scenarios/bids.xlsx"), http.StatusOK, "bids export")
	if page := string(anon.Get("/scenarios?category=digital").Body); !strings.Contains(page, "/scenarios/calls.xlsx?category=digital") {
		t.Fatal("the list does not link its export")
	}
}
