package plan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

func TestChaseInboxAndWebhook(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	var mu sync.Mutex
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		w.Write([]byte(`{"errcode":0}`))
	}))
	defer srv.Close()
	st := plan.DefaultSettings
	st.WebhookURL = srv.URL
	if err := f.a.Plan.SaveSettings(f.ctx, f.sup, st); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Plan.IssueChase(f.ctx, f.sup, plan.ChaseInput{TaskID: a.ID, Subject: "请说明进度滞后原因", ReplyBy: "2023-06-01"}); fieldOf(err) != "reply_by" {
		t.Fatalf("reply-by in the past: %v", err)
	}
	c, err := f.a.Plan.IssueChase(f.ctx, f.sup, plan.ChaseInput{TaskID: a.ID, Subject: "请说明进度滞后原因", ReplyBy: "2023-06-15"})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := f.a.Plan.Inbox(f.ctx, f.jfj, 2023)
	hasChase := false
	for _, it := range items {
		hasChase = hasChase || (it.Kind == plan.KindChaseOpen && it.ChaseID == c.ID)
	}
	if !hasChase {
		t.Fatalf("unit inbox lacks the chase: %+v", items)
	}
	if _, err := f.a.Plan.ReplyChase(f.ctx, f.kcj, c.ID, "x"); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("co-unit replying to a chase addressed to the lead: %v", err)
	}
	if _, err := f.a.Plan.ReplyChase(f.ctx, f.jfj, c.ID, "已召开推进会，6 月底完成选址"); err != nil {
		t.Fatal(err)
	}
	sent, err := f.a.Plan.Deliver(f.ctx)
	if err != nil || sent != 2 {
		t.Fatalf("delivered %d, err %v", sent, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0]["msgtype"] != "text" {
		t.Fatalf("webhook got %+v", got)
	}
	text, _ := got[1]["text"].(map[string]any)
	if c, _ := text["content"].(string); !bytes.Contains([]byte(c), []byte("已召开推进会")) {
		t.Fatalf("reply message %q", c)
	}
	if again, _ := f.a.Plan.Deliver(f.ctx); again != 0 {
		t.Fatalf("redelivered %d", again)
	}
}

func TestBulletinAndXLSX(t *testing.T) {
	f := newFixture(t)
	_, action, a, _ := f.tree()
	f.node(plan.NodeInput{ParentID: action.ID, Title: "逾期任务", LeadUnit: "jfj", StartOn: "2023-01-01", DueOn: "2023-05-31", Deliverable: "x"})
	// jfj files May's report for A on 2023-06-10 (due 06-05: late) and it is accepted at 100 %.
	r, _ := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(100), Done: "完成", Submit: true})
	if _, err := f.a.Plan.Review(f.ctx, f.sup, r.ID, true, "", 0); err != nil {
		t.Fatal(err)
	}
	b, err := f.a.Plan.Bulletin(f.ctx, f.leader, 2023, 6)
	if err != nil {
		t.Fatal(err)
	}
	var jfj plan.UnitScore
	for _, u := range b.Units {
		if u.Unit.Code == "jfj" {
			jfj = u
		}
	}
	// As of 2023-06-10: jfj leads 2 tasks; A done early (on time), the other overdue (late, red).
	// Reports due by 06-10: A Jan–May (5, one late, four missing) + overdue task Jan–May (5) = 10, on time 0.
	// completion 1/(1 due + 1 early) = 500; on time 1/2 = 500; reports 0/10 = 0
	// score (40×500 + 30×500 + 0)/100 = 350 − 50 = 300
	if jfj.Tasks != 2 || jfj.Done != 1 || jfj.OnTime != 1 || jfj.Late != 1 || jfj.Red != 1 || jfj.ReportsDue != 10 ||
		jfj.ReportsOnTime != 0 || jfj.Score != 300 {
		t.Fatalf("jfj bulletin %+v", jfj)
	}
	if _, err := f.a.Plan.Bulletin(f.ctx, f.jfj, 2023, 6); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("unit reading the zone bulletin: %v", err)
	}
	var buf bytes.Buffer
	if err := f.a.Plan.BulletinXLSX(f.ctx, f.sup, 2023, 6, &buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("通报")
	if len(rows) < 4 || rows[1][1] != "单位" {
		t.Fatalf("xlsx rows %v", rows)
	}
}

func TestFlagJobTurnsRedOvernight(t *testing.T) {
	f := newFixture(t)
	_, action, _, _ := f.tree()
	due := f.node(plan.NodeInput{ParentID: action.ID, Title: "六月任务", LeadUnit: "jfj", StartOn: "2023-06-01", DueOn: "2023-06-10", Deliverable: "x"})
	st := plan.DefaultSettings
	st.WebhookURL = "http://127.0.0.1:9/unused"
	if err := f.a.Plan.SaveSettings(f.ctx, f.sup, st); err != nil {
		t.Fatal(err)
	}
	tr, _ := f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[due.ID].Flag == plan.Red {
		t.Fatal("red on its deadline day")
	}
	f.clock = f.clock.Add(24 * time.Hour) // 2023-06-11: nothing changed but the date
	if err := f.a.Plan.FlagJob(f.ctx); err != nil {
		t.Fatal(err)
	}
	tr, _ = f.a.Plan.Tree(f.ctx, f.leader, 2023)
	if tr.Index[due.ID].Flag != plan.Red || tr.AsOf != "2023-06-11" {
		t.Fatalf("after the daily job: %s as of %s", tr.Index[due.ID].Flag, tr.AsOf)
	}
	var n int
	f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_outbox WHERE event = 'task.red'").Scan(&n)
	if n != 1 {
		t.Fatalf("red notifications queued: %d", n)
	}
	// Two app servers claiming the same day: the work happens once.
	runs := 0
	job := func(context.Context) error { runs++; return f.a.Plan.FlagJob(f.ctx) }
	first, err1 := f.a.DB.RunJob(f.ctx, "plan.flags", "2023-06-11", "a", job)
	second, err2 := f.a.DB.RunJob(f.ctx, "plan.flags", "2023-06-11", "b", job)
	if !first || second || runs != 1 || err1 != nil || err2 != nil {
		t.Fatalf("claims: %v %v, %d runs (%v, %v)", first, second, runs, err1, err2)
	}
	f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_outbox WHERE event = 'task.red'").Scan(&n)
	if n != 1 {
		t.Fatalf("red notifications queued after the second server's turn: %d", n)
	}
}
