package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web/webtest"
)

// tcpCut forwards a local port to the database server until cut, which
// closes the port and every connection through it: the database, seen from
// the app, goes down. mend opens the same port again.
type tcpCut struct {
	t      *testing.T
	addr   string // local address the app dials
	target string // the database server
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newTCPCut(t *testing.T, target string) *tcpCut {
	c := &tcpCut{t: t, target: target}
	c.listen("127.0.0.1:0")
	t.Cleanup(c.cut)
	return c
}

func (c *tcpCut) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.ln, c.addr = ln, ln.Addr().String()
	c.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", c.target)
			if err != nil {
				in.Close()
				continue
			}
			c.mu.Lock()
			c.conns = append(c.conns, in, out)
			c.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

func (c *tcpCut) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ln != nil {
		c.ln.Close()
		c.ln = nil
	}
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *tcpCut) mend() { c.listen(c.addr) }

// newEnterprise is the JSON of an enterprise no other test made.
func newEnterprise(n int) map[string]string {
	return map[string]string{"credit_code": uscc.Complete(fmt.Sprintf("91410100DN%06d", n)), "name": "停机演练企业有限公司"}
}

// unavailable checks that r is the 503 of a database that is down: a
// Retry-After and, for the API, the error code "unavailable".
func unavailable(t *testing.T, what string, r *webtest.Resp, api bool) {
	t.Helper()
	if r.Code != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Fatalf("%s with the database down: %d (Retry-After %q) %.300s", what, r.Code, r.Header.Get("Retry-After"), r.Body)
	}
	if api && r.ErrCode() != "unavailable" {
		t.Errorf("%s: error code %q, want unavailable", what, r.ErrCode())
	}
	if !api && !strings.Contains(string(r.Body), "数据库暂时无法访问") {
		t.Errorf("%s: the page does not say the database is unreachable: %.300s", what, r.Body)
	}
}

// TestDatabaseDownAnswers503AndRecovers cuts the connection between the
// app and PostgreSQL: pages and the API answer 503 with a clear message
// and Retry-After, a write sent meanwhile leaves nothing behind, and once
// the database is reachable again the same server answers as before, with
// no restart.
func TestDatabaseDownAnswers503AndRecovers(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("a database server to cut off needs PostgreSQL; TestDiskFullAnswers503 covers SQLite")
	}
	h := webtest.New(t)
	u, err := url.Parse(h.App.DB.DSN)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPCut(t, u.Host)
	u.Host = proxy.addr
	d, err := db.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	via := webtest.Over(t, app.New(d, app.Options{Argon: &webtest.CheapArgon}))
	staff := via.As("supervisor")
	if r := staff.Get("/api/v1/enterprises"); r.Code != 200 {
		t.Fatalf("before the cut: %d %s", r.Code, r.Body)
	}

	proxy.cut()
	unavailable(t, "GET /api/v1/enterprises", staff.Get("/api/v1/enterprises"), true)
	unavailable(t, "GET /enterprises", staff.Get("/enterprises"), false)
	unavailable(t, "POST /api/v1/enterprises", staff.Do("POST", "/api/v1/enterprises", newEnterprise(1)), true)

	proxy.mend()
	r := staff.Get("/api/v1/enterprises?name=停机演练")
	if r.Code != 200 {
		t.Fatalf("after the database came back: %d %s", r.Code, r.Body)
	}
	var page struct{ Items []json.RawMessage }
	r.JSON(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("the write sent while the database was down left %d enterprises", len(page.Items))
	}
	if r := staff.Do("POST", "/api/v1/enterprises", newEnterprise(1)); r.Code != http.StatusCreated {
		t.Fatalf("the same write once the database is back: %d %s", r.Code, r.Body)
	}
}

// TestDiskFullAnswers503 fills SQLite's file to a cap (max_page_count, the
// way a full disk stops it): an import that needs more room answers 503,
// writes none of its rows, and once there is room again goes through.
func TestDiskFullAnswers503(t *testing.T) {
	if dbtest.Postgres() {
		t.Skip("the SQLite file's cap; TestDatabaseDownAnswers503AndRecovers covers PostgreSQL")
	}
	h := webtest.New(t)
	staff := h.As("supervisor")
	var csv strings.Builder
	csv.WriteString("统一社会信用代码,企业名称,年度,营业收入（万元）,地址\n")
	for i := range 400 {
		fmt.Fprintf(&csv, "%s,磁盘演练企业%d有限公司,2022,100,%s\n", uscc.Complete(fmt.Sprintf("91410100DF%06d", i)), i, strings.Repeat("高新区科学大道", 20))
	}
	importCSV := func() *webtest.Resp {
		return staff.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=full.csv", strings.NewReader(csv.String())))
	}
	ctx := context.Background()
	var pages int64
	if err := h.App.DB.W.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.DB.W.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	unavailable(t, "an import with the disk full", importCSV(), true)
	var n int
	if err := h.App.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM enterprises WHERE name LIKE '磁盘演练企业%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the refused import left %d enterprises (%v)", n, err)
	}
	if _, err := h.App.DB.W.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if r := importCSV(); r.Code != http.StatusOK {
		t.Fatalf("the import with room again: %d %.300s", r.Code, r.Body)
	}
	if err := h.App.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM enterprises WHERE name LIKE '磁盘演练企业%'").Scan(&n); err != nil || n != 400 {
		t.Fatalf("after the import with room: %d enterprises (%v)", n, err)
	}
}
