// Package webtest is the test harness of the web packages: the whole
// product's server over a fresh database (SQLite, or PostgreSQL when
// GAOXIN_TEST_POSTGRES is set) with one account per role, clients that sign
// in by cookie or token and send JSON, forms or uploads through the real
// router, and a headless browser (browser.go).
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

// Password is every harness account's password.
const Password = "correct-horse-battery"

// CheapArgon keeps tests fast; production uses org.DefaultArgon2.
var CheapArgon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

// harness is a Server on a fresh database with one account per role:
// admin, leader, supervisor, unit (unit jfj), unit2 (unit kcj), enterprise,
// reviewer. Module tests add their own fixtures through h.App.
type Harness struct {
	T   testing.TB
	App *app.App
	Srv *web.Server
}

// New is the product's server on a fresh database with the harness's units
// and accounts.
func New(t testing.TB) *Harness {
	t.Helper()
	d := dbtest.Open(t)
	a := app.New(d, app.Options{Argon: &CheapArgon})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, u := range []org.Unit{
		{Code: "gwh", NameZH: "管委会", Kind: "党工委管委会"},
		{Code: "jfj", NameZH: "经济发展局", Kind: "内设机构"},
		{Code: "kcj", NameZH: "科技创新局", Kind: "内设机构"},
	} {
		if _, err := a.Org.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, nu := range []org.NewUser{
		{Username: "admin", Role: org.Admin, UnitCode: "gwh"},
		{Username: "leader", Role: org.Leader, UnitCode: "gwh"},
		{Username: "supervisor", Role: org.Supervisor},
		{Username: "unit", Role: org.UnitStaff, UnitCode: "jfj"},
		{Username: "unit2", Role: org.UnitStaff, UnitCode: "kcj"},
		{Username: "enterprise", Role: org.Enterprise},
		{Username: "reviewer", Role: org.Reviewer},
	} {
		nu.Password = Password
		if _, err := a.Org.CreateUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	return Over(t, a)
}

// Over is the product's server over a, whose data the caller made (the
// demo, say).
func Over(t testing.TB, a *app.App) *Harness {
	t.Helper()
	return OverConfig(t, a, web.Config{Version: "test"})
}

// OverConfig is Over with the server's configuration (a demo server's
// DemoAsOf, say).
func OverConfig(t testing.TB, a *app.App, cfg web.Config) *Harness {
	t.Helper()
	srv, err := site.New(cfg, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &Harness{T: t, App: a, Srv: srv}
}

// resp is a recorded answer.
type Resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r *Resp) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.Body)
	}
}

// ErrCode is the error code of a JSON error answer.
func (r *Resp) ErrCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// client is a caller: anonymous, signed in by cookie, or by bearer token.
type Client struct {
	H      *Harness
	Cookie string
	Bearer string
	IP     string
	Header http.Header // extra headers on every request
}

// Anon is a client that has not signed in.
func (h *Harness) Anon() *Client { return &Client{H: h, IP: "192.0.2.1"} }

// As returns a client signed in as username (with the harness's password)
// through POST /api/v1/session.
func (h *Harness) As(username string) *Client {
	h.T.Helper()
	return h.AsWith(username, Password)
}

// AsWith returns a client signed in with username and password.
func (h *Harness) AsWith(username, password string) *Client {
	h.T.Helper()
	c := h.Anon()
	r := c.Do("POST", "/api/v1/session", map[string]string{"username": username, "password": password})
	if r.Code != http.StatusOK {
		h.T.Fatalf("login %s: %d %s", username, r.Code, r.Body)
	}
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == web.SessionCookie {
			c.Cookie = ck.Value
		}
	}
	if c.Cookie == "" {
		h.T.Fatalf("login %s: no session cookie", username)
	}
	return c
}

// Send sends req from the client's address with its credentials.
func (c *Client) Send(req *http.Request) *Resp {
	req.RemoteAddr = c.IP + ":40000"
	if c.Cookie != "" {
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.Cookie})
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	c.H.Srv.ServeHTTP(rec, req)
	return &Resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Do sends a JSON request (body nil for none).
func (c *Client) Do(method, path string, body any) *Resp {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.H.T.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Send(req)
}

// Form posts an HTML form the way a same-origin browser does.
func (c *Client) Form(path string, vals url.Values) *Resp {
	req := httptest.NewRequest("POST", path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Send(req)
}

// Get fetches a page.
func (c *Client) Get(path string) *Resp { return c.Do("GET", path, nil) }
