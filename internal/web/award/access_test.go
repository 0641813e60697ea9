package award_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"

	"gaoxin/internal/award"
)

// TestAwardAccess walks the awards endpoints with every role: allowed roles
// get through the role check, anonymous callers get 401 (or the login
// redirect) and other roles 403.
func TestAwardAccess(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	all := []string{"admin", "leader", "supervisor", "unit", "enterprise", "reviewer"}
	staff := []string{"admin", "leader", "supervisor"}
	readers := all
	p := func(f string) string { return fmt.Sprintf(f, id) }
	cases := []struct {
		method, path string
		allowed      []string // nil: public
	}{
		{"GET", "/awards", nil},
		{"GET", p("/notices/%d"), nil},
		{"GET", "/api/v1/award/notices", nil},
		{"GET", p("/api/v1/award/notices/%d"), nil},
		{"GET", "/awards/new", []string{"supervisor"}},
		{"POST", "/awards", []string{"supervisor"}},
		{"GET", p("/awards/programmes/%d"), readers},
		{"POST", p("/awards/programmes/%d/state"), []string{"supervisor"}},
		{"GET", p("/awards/programmes/%d/edit"), []string{"supervisor"}},
		{"POST", p("/awards/programmes/%d/rank"), []string{"supervisor"}},
		{"POST", p("/awards/programmes/%d/apply"), []string{"enterprise"}},
		{"GET", p("/awards/programmes/%d/payments.xlsx"), staff},
		{"GET", "/awards/reviews", []string{"reviewer"}},
		{"GET", "/awards/totals", staff},
		{"GET", "/awards/flags", staff},
		{"POST", "/awards/flags", []string{"supervisor"}},
		{"GET", "/api/v1/award/programmes", readers},
		{"POST", "/api/v1/award/programmes", []string{"supervisor"}},
		{"GET", p("/api/v1/award/programmes/%d/ranking"), staff},
		{"GET", p("/api/v1/award/programmes/%d/rounds"), staff},
		{"GET", p("/api/v1/award/programmes/%d/audit"), staff},
		{"GET", p("/api/v1/award/programmes/%d/applications"), staff},
		{"POST", p("/api/v1/award/programmes/%d/applications"), []string{"enterprise"}},
		{"GET", "/api/v1/award/applications", []string{"enterprise"}},
		{"GET", "/api/v1/award/assignments", []string{"reviewer"}},
		{"GET", p("/api/v1/award/programmes/%d/objections"), staff},
		{"GET", p("/api/v1/award/programmes/%d/grants"), staff},
		{"POST", p("/api/v1/award/programmes/%d/grants"), []string{"supervisor"}},
		{"POST", "/api/v1/award/grants/1/payments", []string{"supervisor"}},
		{"POST", "/api/v1/award/payments/1/approve", []string{"supervisor", "leader"}},
		{"POST", "/api/v1/award/payments/1/paid", []string{"supervisor"}},
		{"GET", "/api/v1/award/totals", staff},
		{"GET", "/api/v1/award/flags", staff},
		{"POST", "/api/v1/award/flags", []string{"supervisor"}},
	}
	clients := map[string]*webtest.Client{}
	for _, u := range all {
		clients[u] = w.As(u)
	}
	for _, tc := range cases {
		if tc.allowed == nil {
			if r := w.Anon().Do(tc.method, tc.path, nil); r.Code != http.StatusOK {
				t.Errorf("anonymous %s %s = %d, want 200", tc.method, tc.path, r.Code)
			}
			continue
		}
		if r := w.Anon().Do(tc.method, tc.path, nil); r.Code != http.StatusUnauthorized && r.Code != http.StatusSeeOther {
			t.Errorf("anonymous %s %s = %d, want 401", tc.method, tc.path, r.Code)
		}
		for _, u := range all {
			allowed := false
			for _, a := range tc.allowed {
				allowed = allowed || a == u
			}
			r := clients[u].Do(tc.method, tc.path, nil)
			if allowed && (r.Code == http.StatusUnauthorized || r.Code == http.StatusForbidden) {
				t.Errorf("%s %s %s = %d, want through the role check: %s", u, tc.method, tc.path, r.Code, r.Body)
			}
			if !allowed && r.Code != http.StatusForbidden {
				t.Errorf("%s %s %s = %d, want 403", u, tc.method, tc.path, r.Code)
			}
		}
	}
}

// TestAwardObjectAccess proves the object checks: an enterprise sees only
// its own application, a reviewer only what is assigned to them.
func TestAwardObjectAccess(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	var apps struct{ Applications []award.Application }
	w.As("supervisor").Get(fmt.Sprintf("/api/v1/award/programmes/%d/applications", id)).JSON(t, &apps)
	byEnt := map[int64]award.Application{}
	for _, a := range apps.Applications {
		full, _ := w.App.Award.Application(t.Context(), a.ID)
		byEnt[a.EnterpriseID] = full
	}
	a1, a2 := byEnt[w.e1], byEnt[w.e2]
	asgOf := func(reviewer string, app int64) award.Assignment {
		gs, _ := w.App.Award.Assignments(t.Context(), w.userID(reviewer), 0)
		for _, g := range gs {
			if g.ApplicationID == app {
				return g
			}
		}
		t.Fatalf("no assignment of %s on %d", reviewer, app)
		return award.Assignment{}
	}
	ev := fmt.Sprintf("/api/v1/award/evidence/%d", a1.Evidence[0].ID)
	cases := []struct {
		user, method, path string
		body               any
		code               int
	}{
		{"enterprise", "GET", fmt.Sprintf("/api/v1/award/applications/%d", a1.ID), nil, 200},
		{"enterprise2", "GET", fmt.Sprintf("/api/v1/award/applications/%d", a1.ID), nil, 404},
		{"enterprise2", "GET", fmt.Sprintf("/awards/applications/%d", a1.ID), nil, 404},
		{"enterprise", "GET", ev, nil, 200},
		{"enterprise2", "GET", ev, nil, 404},
		{"reviewer", "GET", ev, nil, 200},
		{"reviewer", "GET", fmt.Sprintf("/api/v1/award/applications/%d", a2.ID), nil, 200},
		{"reviewer3", "GET", fmt.Sprintf("/api/v1/award/applications/%d", a2.ID), nil, 404}, // in conflict
		{"unit", "GET", fmt.Sprintf("/api/v1/award/applications/%d", a1.ID), nil, 404},
		{"reviewer2", "GET", fmt.Sprintf("/api/v1/award/assignments/%d", asgOf("reviewer", a1.ID).ID), nil, 404},
		{"reviewer2", "GET", fmt.Sprintf("/awards/assignments/%d", asgOf("reviewer", a1.ID).ID), nil, 404},
		{"reviewer", "GET", fmt.Sprintf("/api/v1/award/assignments/%d", asgOf("reviewer", a1.ID).ID), nil, 200},
		{"reviewer2", "PUT", fmt.Sprintf("/api/v1/award/assignments/%d/scores", asgOf("reviewer", a1.ID).ID),
			webaward.ScoresRequest{Scores: []award.Score{{Criterion: "inno", Value: "1"}, {Criterion: "mgmt", Value: "1"}}}, 404},
		{"reviewer2", "PUT", fmt.Sprintf("/api/v1/award/reviewers/%d/affiliations", w.userID("reviewer")), webaward.AffiliationsRequest{Affiliations: "x"}, 403},
	}
	for _, c := range cases {
		r := w.As(c.user).Do(c.method, c.path, c.body)
		if r.Code != c.code {
			t.Errorf("%s %s %s = %d, want %d: %s", c.user, c.method, c.path, r.Code, c.code, r.Body)
		}
	}
	// A draft programme is unknown to non-staff.
	var d award.Programme
	w.As("supervisor").Do("POST", "/api/v1/award/programmes", programmeBody()).JSON(t, &d)
	for _, u := range []string{"enterprise", "reviewer", "unit"} {
		if r := w.As(u).Get(fmt.Sprintf("/api/v1/award/programmes/%d", d.ID)); r.Code != 404 {
			t.Errorf("%s sees a draft: %d", u, r.Code)
		}
	}
	if r := w.Anon().Get(fmt.Sprintf("/notices/%d", d.ID)); r.Code != 404 {
		t.Errorf("public sees a draft notice: %d", r.Code)
	}
	// Every API route of the module is in the OpenAPI document.
	doc := string(w.Anon().Get("/api/v1/openapi.json").Body)
	for _, path := range []string{"/api/v1/award/programmes", "/api/v1/award/grants/{id}/payments", "/api/v1/award/notices/{id}/objections"} {
		if !strings.Contains(doc, path) {
			t.Errorf("openapi.json lacks %s", path)
		}
	}
}
