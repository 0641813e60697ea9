package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// apiClient is a signed-in HTTP client of one app server.
type apiClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func signIn(t *testing.T, base, username, password string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	if code, body := c.call("POST", "/api/v1/session", map[string]string{"username": username, "password": password}, nil); code != 200 {
		t.Fatalf("login %s at %s: %d %s", username, base, code, body)
	}
	return c
}

// reversePaid reverses every paid payment of grant id, with reason, so
// that its whole amount may be paid again.
func reversePaid(t *testing.T, c *apiClient, id int64, reason string) {
	t.Helper()
	var pays struct{ Payments []e2ePayment }
	c.get(fmt.Sprintf("/api/v1/award/grants/%d/payments", id), &pays)
	for _, p := range pays.Payments {
		if p.State == "paid" {
			if code, body := c.call("POST", fmt.Sprintf("/api/v1/award/payments/%d/reversal", p.ID), map[string]string{"reason": reason, "date": "2023-04-01"}, nil); code != 200 {
				t.Fatalf("reverse payment %d: %d %s", p.ID, code, body)
			}
		}
	}
}

func (c *apiClient) call(method, path string, body any, header map[string]string) (int, []byte) {
	code, b := c.try(method, path, body, header)
	if code == 0 {
		c.t.Errorf("%s %s: %s", method, path, b)
	}
	return code, b
}

func (c *apiClient) get(path string, v any) {
	c.t.Helper()
	code, body := c.call("GET", path, nil, nil)
	if code != 200 {
		c.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatal(err)
	}
}

// demoProgramme is the id of the demo's 2023 award programme, which the
// demo confirmed; the finance module's policy fund (贴息) and its honour
// for institutions are listed beside it.
func demoProgramme(t *testing.T, c *apiClient) int64 {
	t.Helper()
	var listed struct {
		Programmes []struct {
			ID    int64  `json:"id"`
			Kind  string `json:"kind"`
			State string `json:"state"`
			Rules struct {
				Subject string `json:"subject"`
			} `json:"rules"`
		} `json:"programmes"`
	}
	c.get("/api/v1/award/programmes?year=2023", &listed)
	var ids []int64
	for _, p := range listed.Programmes {
		if p.Kind != "policy" && p.Rules.Subject == "" {
			if p.State != "confirmed" {
				t.Fatalf("demo 2023 programme %d is %s, want confirmed", p.ID, p.State)
			}
			ids = append(ids, p.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("demo 2023 programmes = %+v", listed)
	}
	return ids[0]
}

type e2eGrant struct {
	ID           int64 `json:"id"`
	AmountFen    int64 `json:"amount_fen"`
	RemainingFen int64 `json:"remaining_fen"`
}

type e2ePayment struct {
	ID    int64  `json:"id"`
	State string `json:"state"`
}

// TestAwardPaymentsOnTwoServers runs two `gaoxin serve` processes on one
// PostgreSQL schema and fires concurrent payment requests at both: with one
// idempotency key exactly one payment exists; with different keys exactly
// one succeeds for a grant that allows one.
func TestAwardPaymentsOnTwoServers(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("two app servers need PostgreSQL (set GAOXIN_TEST_POSTGRES)")
	}
	dsn := dbtest.DSN(t)
	a := startServe(t, dsn, "--demo")
	b := startServe(t, dsn)
	pw := map[string]string{}
	for _, m := range accountRe.FindAllStringSubmatch(a.printed(), -1) {
		pw[m[1]] = m[2]
	}
	supA, supB := signIn(t, a.URL, "supervisor", pw["supervisor"]), signIn(t, b.URL, "supervisor", pw["supervisor"])
	leader := signIn(t, b.URL, "leader", pw["leader"])
	prog := demoProgramme(t, supA)
	var grants struct{ Grants []e2eGrant }
	supB.get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", prog), &grants)
	// Free two grants by reversing their (demo) payments, on server B.
	for _, g := range grants.Grants[:2] {
		reversePaid(t, supB, g.ID, "端到端测试冲正")
	}
	fire := func(g e2eGrant, key func(i int) string) (ids map[int64]int, codes map[int]int) {
		ids, codes = map[int64]int{}, map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c := supA
				if i%2 == 1 {
					c = supB
				}
				code, body := c.call("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), map[string]any{"amount_fen": g.AmountFen, "note": "e2e"},
					map[string]string{"Idempotency-Key": key(i)})
				var p e2ePayment
				json.Unmarshal(body, &p)
				mu.Lock()
				defer mu.Unlock()
				codes[code]++
				if code == 200 || code == 201 {
					ids[p.ID]++
				}
			}(i)
		}
		wg.Wait()
		return
	}
	ids, codes := fire(grants.Grants[0], func(int) string { return "e2e-same-key" })
	if len(ids) != 1 || codes[201] != 1 || codes[200] != 199 {
		t.Fatalf("same key on two servers: payments %v, statuses %v", ids, codes)
	}
	ids, codes = fire(grants.Grants[1], func(i int) string { return fmt.Sprint("e2e-key-", i) })
	if len(ids) != 1 || codes[201] != 1 || codes[409] != 199 {
		t.Fatalf("different keys on two servers: payments %v, statuses %v", ids, codes)
	}
	// The one payment goes through approval (by someone else) and is paid once.
	for id := range ids {
		if code, body := leader.call("POST", fmt.Sprintf("/api/v1/award/payments/%d/approve", id), nil, nil); code != 200 {
			t.Fatalf("approve: %d %s", code, body)
		}
		if code, body := supA.call("POST", fmt.Sprintf("/api/v1/award/payments/%d/paid", id), map[string]string{"voucher_no": "E2E-1", "paid_on": "2023-04-02"}, nil); code != 200 {
			t.Fatalf("paid: %d %s", code, body)
		}
	}
	var g e2eGrant
	var all struct{ Grants []e2eGrant }
	supA.get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", prog), &all)
	for _, x := range all.Grants {
		if x.ID == grants.Grants[1].ID {
			g = x
		}
	}
	if g.RemainingFen != 0 {
		t.Fatalf("grant after one payment: %+v", g)
	}
	if !strings.Contains(a.printed()+b.printed(), "listening") {
		t.Fatal("servers did not report listening")
	}
}

// TestAwardGrantsOnTwoServersStayInBudget confirms a prize programme with a
// manual money rule (set up through the service, with its clock moved past
// the notice period) and has both servers grant every winner at once: the
// grants never sum above the budget.
func TestAwardGrantsOnTwoServersStayInBudget(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("two app servers need PostgreSQL (set GAOXIN_TEST_POSTGRES)")
	}
	dsn := dbtest.DSN(t)
	a := startServe(t, dsn, "--demo")
	b := startServe(t, dsn)
	pw := map[string]string{}
	for _, m := range accountRe.FindAllStringSubmatch(a.printed(), -1) {
		pw[m[1]] = m[2]
	}
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "e2e"})
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := dbtest.UseCrypto(ctx, d); err != nil {
		t.Fatal(err)
	}
	al := audit.New(d)
	og := org.New(d, al)
	svc := award.New(d, al, enterprise.New(d, al, og, enterprise.Options{}), og)
	later := time.Now().Add(30 * 24 * time.Hour)
	p, err := svc.CreateProgramme(ctx, award.NewProgramme{Year: 2023, NameZH: "上市之星奖（端到端）", Kind: award.KindPrize, BudgetFen: 10 * 300_000_00,
		NoticeDays: 1, Rules: award.Rules{DataYear: 2022, Money: award.MoneyRule{Kind: "manual"},
			Terms: []award.Term{{Code: "taxes", NameZH: "税收", Source: award.SourceFigure, Indicator: "taxes", Transform: award.TransformMinMax, Weight: 100}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{award.StateOpen, award.StateReview} {
		if _, err := svc.Advance(ctx, p.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.RankProgramme(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Advance(ctx, p.ID, award.StateNotice); err != nil {
		t.Fatal(err)
	}
	svc.Now = func() time.Time { return later }
	if _, err := svc.Advance(ctx, p.ID, award.StateConfirmed); err != nil {
		t.Fatal(err)
	}
	r, err := svc.LatestRound(ctx, p.ID)
	if err != nil || len(r.Result.Entries) < 20 {
		t.Fatalf("winners: %d %v", len(r.Result.Entries), err)
	}
	supA, supB := signIn(t, a.URL, "supervisor", pw["supervisor"]), signIn(t, b.URL, "supervisor", pw["supervisor"])
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for _, e := range r.Result.Entries {
		for _, c := range []*apiClient{supA, supB} {
			wg.Add(1)
			go func(c *apiClient, ent int64) {
				defer wg.Done()
				code, _ := c.call("POST", fmt.Sprintf("/api/v1/award/programmes/%d/grants", p.ID), map[string]any{"enterprise_id": ent, "amount_fen": 300_000_00, "basis": "e2e"}, nil)
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}(c, e.EnterpriseID)
		}
	}
	wg.Wait()
	gs, err := svc.Grants(ctx, p.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, g := range gs {
		sum += g.AmountFen
	}
	if len(gs) != 10 || sum != p.BudgetFen || codes[201] != 10 || codes[409] != 2*len(r.Result.Entries)-10 {
		t.Fatalf("%d grants summing %d (budget %d), statuses %v", len(gs), sum, p.BudgetFen, codes)
	}
}
