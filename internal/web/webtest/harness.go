package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
)

// testPassword is every harness account's password.
const testPassword = "correct-horse-battery"

// cheapArgon keeps tests fast; production uses org.DefaultArgon2.
var cheapArgon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

// harness is a Server on a fresh database with one account per role:
// admin, leader, supervisor, unit (unit jfj), unit2 (unit kcj), enterprise,
// reviewer. Module tests add their own fixtures through h.App.
type harness struct {
	t   testing.TB
	App *app.App
	Srv *Server
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	d := dbtest.Open(t)
	a := app.New(d, app.Options{Argon: &cheapArgon})
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
		nu.Password = testPassword
		if _, err := a.Org.CreateUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Version: "test"}, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, App: a, Srv: srv}
}

// resp is a recorded answer.
type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r *resp) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.Body)
	}
}

// ErrCode is the error code of a JSON error answer.
func (r *resp) ErrCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// client is a caller: anonymous, signed in by cookie, or by bearer token.
type client struct {
	h      *harness
	cookie string
	bearer string
	ip     string
	header http.Header // extra headers on every request
}

func (h *harness) anon() *client { return &client{h: h, ip: "192.0.2.1"} }

// as returns a client signed in as username through POST /api/v1/session.
func (h *harness) as(username string) *client {
	h.t.Helper()
	c := h.anon()
	r := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": testPassword})
	if r.Code != http.StatusOK {
		h.t.Fatalf("login %s: %d %s", username, r.Code, r.Body)
	}
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == sessionCookie {
			c.cookie = ck.Value
		}
	}
	if c.cookie == "" {
		h.t.Fatalf("login %s: no session cookie", username)
	}
	return c
}

func (c *client) send(req *http.Request) *resp {
	req.RemoteAddr = c.ip + ":40000"
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	c.h.Srv.ServeHTTP(rec, req)
	return &resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// do sends a JSON request (body nil for none).
func (c *client) do(method, path string, body any) *resp {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req)
}

// form posts an HTML form the way a same-origin browser does.
func (c *client) form(path string, vals url.Values) *resp {
	req := httptest.NewRequest("POST", path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.send(req)
}

// get fetches a page.
func (c *client) get(path string) *resp { return c.do("GET", path, nil) }

func auditFilterRefusals() audit.Filter { return audit.Filter{ObjectType: "route", Limit: 500} }

// A handler that fails after its answer started (a client gone while a
// page was written) adds nothing to the answer.
func TestErrorAfterAnswerStartedWritesNothingMore(t *testing.T) {
	h := newHarness(t)
	rec := httptest.NewRecorder()
	sw := &statusWriter{ResponseWriter: rec}
	sw.WriteHeader(http.StatusOK)
	sw.Write([]byte("partial"))
	h.Srv.writeError(sw, httptest.NewRequest("GET", "/enterprises/1", nil), errors.New("write: broken pipe"))
	if rec.Code != http.StatusOK || rec.Body.String() != "partial" {
		t.Fatalf("after the answer started: %d %q", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.Srv.writeError(&statusWriter{ResponseWriter: rec}, httptest.NewRequest("GET", "/api/v1/enterprises/1", nil), errors.New("boom"))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("an error before any answer: %d", rec.Code)
	}
}
