package plan_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"gaoxin/internal/plan"
)

// robot is a webhook receiver. Its first request can be made to hang until
// the sender gives up, standing in for a server that dies mid-send.
type robot struct {
	mu       sync.Mutex
	bodies   []string
	hangNext bool
	arrived  chan struct{}
	release  chan struct{}
}

func newRobot(t *testing.T, f *fixture) *robot {
	t.Helper()
	rb := &robot{arrived: make(chan struct{}, 1), release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rb.mu.Lock()
		rb.bodies = append(rb.bodies, string(b))
		hang := rb.hangNext
		rb.hangNext = false
		rb.mu.Unlock()
		if hang {
			rb.arrived <- struct{}{}
			select {
			case <-r.Context().Done():
			case <-rb.release:
			}
			return
		}
		w.Write([]byte(`{"errcode":0}`))
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(rb.release) })
	st := plan.DefaultSettings
	st.WebhookURL = srv.URL
	if err := f.a.Plan.SaveSettings(f.ctx, f.sup, st); err != nil {
		t.Fatal(err)
	}
	return rb
}

func (rb *robot) received() int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return len(rb.bodies)
}

type outboxRow struct {
	State    string
	Attempts int
}

func outbox(t *testing.T, f *fixture) []outboxRow {
	t.Helper()
	rows, err := f.a.DB.R.Query("SELECT state, attempts FROM plan_outbox ORDER BY id LIMIT 100")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.State, &r.Attempts); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestWebhookSendingLeaseExpires: a delivery run claims a notification and
// dies while posting it (its context ends mid-request; the row is left in
// "sending"). While the claim is fresh another run leaves it alone, as it
// would a live sender's. Once the claim is older than the lease, the next
// run sends it, counting the attempt.
func TestWebhookSendingLeaseExpires(t *testing.T) {
	f := newFixture(t)
	_, _, a, _ := f.tree()
	rb := newRobot(t, f)
	rb.hangNext = true
	if _, err := f.a.Plan.IssueChase(f.ctx, f.sup, plan.ChaseInput{TaskID: a.ID, Subject: "请说明进度滞后原因", ReplyBy: "2023-06-15"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() {
		_, err := f.a.Plan.Deliver(ctx)
		done <- err
	}()
	<-rb.arrived
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the interrupted run reported success")
	}
	if got := outbox(t, f); fmt.Sprint(got) != "[{sending 1}]" {
		t.Fatalf("outbox after the interrupted run: %v", got)
	}
	f.clock = f.clock.Add(plan.SendLease - time.Second)
	if sent, err := f.a.Plan.Deliver(f.ctx); err != nil || sent != 0 || rb.received() != 1 {
		t.Fatalf("within the lease: sent %d (%d posts), err %v", sent, rb.received(), err)
	}
	f.clock = f.clock.Add(2 * time.Second)
	if sent, err := f.a.Plan.Deliver(f.ctx); err != nil || sent != 1 || rb.received() != 2 {
		t.Fatalf("after the lease: sent %d (%d posts), err %v", sent, rb.received(), err)
	}
	if got := outbox(t, f); fmt.Sprint(got) != "[{sent 2}]" {
		t.Fatalf("outbox after the retry: %v", got)
	}
}

// TestWebhookAbandonedRows: rows left in "sending" before claims carried a
// time are due at once; one abandoned on its last allowed attempt fails
// rather than being sent a sixth time.
func TestWebhookAbandonedRows(t *testing.T) {
	f := newFixture(t)
	rb := newRobot(t, f)
	for _, attempts := range []int{1, 5} {
		if _, err := f.a.DB.W.Exec(`INSERT INTO plan_outbox (event, payload, state, attempts, created_at) VALUES ('x', '{"msgtype":"text"}', 'sending', $1, $2)`,
			attempts, f.clock.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	if sent, err := f.a.Plan.Deliver(f.ctx); err != nil || sent != 1 || rb.received() != 1 {
		t.Fatalf("sent %d (%d posts), err %v", sent, rb.received(), err)
	}
	if got := outbox(t, f); fmt.Sprint(got) != "[{sent 2} {failed 5}]" {
		t.Fatalf("outbox: %v", got)
	}
}

// TestWebhookConcurrentRunsSendOnce: two delivery runs at once (two app
// servers) send each notification exactly once.
func TestWebhookConcurrentRunsSendOnce(t *testing.T) {
	f := newFixture(t)
	rb := newRobot(t, f)
	const n = 30
	for i := 0; i < n; i++ {
		if _, err := f.a.DB.W.Exec(`INSERT INTO plan_outbox (event, payload, created_at) VALUES ('x', $1, $2)`,
			fmt.Sprintf(`{"msgtype":"text","text":{"content":"%d"}}`, i), f.clock.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	sent := make([]int, 2)
	for k := range sent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if sent[k], err = f.a.Plan.Deliver(f.ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	rb.mu.Lock()
	for _, b := range rb.bodies {
		seen[b]++
	}
	rb.mu.Unlock()
	if sent[0]+sent[1] != n || len(seen) != n || rb.received() != n {
		t.Fatalf("runs sent %v, robot got %d posts of %d messages, want %d once each", sent, rb.received(), len(seen), n)
	}
}
