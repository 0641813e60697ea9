package plan_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

// TestReportPeriodNotBegun: on 2023-06-10 the June report may be filed
// (its period has begun) but not December's; accepted, a December report
// would outrank every later report of an earlier month and freeze progress.
func TestReportPeriodNotBegun(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	for _, tc := range []struct {
		period string
		ok     bool
	}{{"2023-12", false}, {"2023-07", false}, {"2023-06", true}, {"2023-05", true}} {
		_, err := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: tc.period, Pct: ip(90), Done: "x", Submit: true})
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.period, err)
		}
		if !tc.ok && fieldOf(err) != "period" {
			t.Errorf("%s: want a period error, got %v", tc.period, err)
		}
	}
}

// TestOutboxStaysBounded: delivered and failed notifications older than 30
// days are purged on every delivery run, whether or not a webhook is still
// configured, and the pending queue stops growing at its cap.
func TestOutboxStaysBounded(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	st := plan.DefaultSettings
	st.WebhookURL = srv.URL
	if err := f.a.Plan.SaveSettings(f.ctx, f.sup, st); err != nil {
		t.Fatal(err)
	}
	old := f.clock.Add(-31 * 24 * time.Hour).UnixMilli()
	recent := f.clock.Add(-29 * 24 * time.Hour).UnixMilli()
	for _, row := range []struct {
		state string
		at    int64
	}{{"sent", old}, {"failed", old}, {"sent", recent}, {"failed", recent}} {
		if _, err := f.a.DB.W.Exec("INSERT INTO plan_outbox (event, payload, state, created_at) VALUES ('x', '{}', $1, $2)", row.state, row.at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.a.Plan.Deliver(f.ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_outbox").Scan(&n)
	if n != 2 {
		t.Fatalf("outbox rows after purge: %d, want the 2 recent ones", n)
	}
	// Fill the queue to its cap: a further event is not queued.
	if _, err := f.a.DB.W.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1)
		INSERT INTO plan_outbox (event, payload, created_at) SELECT 'x', '{}', $2 FROM seq`, plan.MaxPendingNotifications, recent); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Plan.IssueChase(f.ctx, f.sup, plan.ChaseInput{TaskID: a.ID, Subject: "请说明进度", ReplyBy: "2023-06-20"}); err != nil {
		t.Fatal(err)
	}
	f.a.DB.R.QueryRow("SELECT COUNT(*) FROM plan_outbox WHERE state = 'pending'").Scan(&n)
	if n != plan.MaxPendingNotifications {
		t.Fatalf("pending notifications: %d, want the cap %d", n, plan.MaxPendingNotifications)
	}
}

// TestWebhookURLScheme: only absolute http(s) URLs with a host are accepted.
func TestWebhookURLScheme(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", true},
		{"http://127.0.0.1:8080/hook", true},
		{"file:///etc/passwd", false},
		{"gopher://127.0.0.1:25/", false},
		{"javascript:alert(1)", false},
		{"http:///nohost", false},
		{"//example.com/hook", false},
		{"https://exa mple.com/\n", false},
	} {
		st := plan.DefaultSettings
		st.WebhookURL = tc.url
		if err := st.Validate(); (err == nil) != tc.ok {
			t.Errorf("%q: %v", tc.url, err)
		}
	}
}

// TestConcurrentReportEditsOneConflict: two editors saving the same version
// at the same moment: exactly one wins, the other gets 409.
func TestConcurrentReportEditsOneConflict(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	r, err := f.a.Plan.CreateReport(f.ctx, f.jfj, plan.ReportInput{TaskID: a.ID, Period: "2023-05", Pct: ip(10)})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 2)
	for i, v := range []plan.Viewer{f.jfj, f.kcj} {
		go func() {
			_, err := f.a.Plan.UpdateReport(f.ctx, v, r.ID, plan.ReportInput{Pct: ip(20 + i), Done: "x", Version: r.Version})
			errc <- err
		}()
	}
	e1, e2 := <-errc, <-errc
	if (e1 == nil) == (e2 == nil) || errs.CodeOf(e1)+errs.CodeOf(e2) == "" {
		t.Fatalf("two concurrent saves: %v / %v", e1, e2)
	}
	for _, e := range []error{e1, e2} {
		if e != nil && errs.CodeOf(e) != errs.Conflict {
			t.Fatalf("loser: %v", e)
		}
	}
}
