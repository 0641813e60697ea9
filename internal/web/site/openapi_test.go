package site_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"gaoxin/internal/web/webtest"
)

// documented are the path prefixes whose GET routes must each declare the
// Go type of their answer (web.Doc), and be exercised below.
var documented = []string{"/api/v1/plan", "/api/v1/inbox", "/api/v1/kpi/"}

// The OpenAPI document is valid, and real answers over the demo data match
// it: a maintained validator (kin-openapi) checks every documented GET
// route's answer, as the supervisor and a unit see it, against the schema
// generated from the Go types.
func TestAPIAnswersMatchTheDocument(t *testing.T) {
	h, pw := newDemoHarness(t)
	raw := h.Anon().Get("/api/v1/openapi.json")
	if raw.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", raw.Code)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	sup := h.AsWith("supervisor", pw["supervisor"])
	unit := h.AsWith("jfj", pw["jfj"])
	first := func(c *webtest.Client, path, list string) string {
		var v map[string]json.RawMessage
		c.Get(path).JSON(t, &v)
		var items []struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(v[list], &items); err != nil || len(items) == 0 {
			t.Fatalf("%s has no %s to try the routes on (%v)", path, list, err)
		}
		return strconv.FormatInt(items[0].ID, 10)
	}
	task := first(sup, "/api/v1/plan/tasks?year=2023", "tasks")
	report := first(sup, "/api/v1/plan/tasks/"+task+"/reports", "reports")
	// Concrete paths for routes with path parameters.
	samples := map[string]string{
		"/api/v1/plan/nodes/{id}":             "/api/v1/plan/nodes/" + task,
		"/api/v1/plan/tasks/{id}/reports":     "/api/v1/plan/tasks/" + task + "/reports",
		"/api/v1/plan/reports/{id}":           "/api/v1/plan/reports/" + report,
		"/api/v1/plan/bulletin/units/{id}":    "/api/v1/plan/bulletin/units/" + first(h.AsWith("admin", pw["admin"]), "/api/v1/units", "units"),
		"/api/v1/kpi/indicators/{id}":         "/api/v1/kpi/indicators/1",
		"/api/v1/kpi/indicators/{id}/actuals": "/api/v1/kpi/indicators/1/actuals?year=2023",
		"/api/v1/kpi/settings/{year}":         "/api/v1/kpi/settings/2023",
	}
	checked := 0
	for _, rt := range h.Srv.Routes() {
		if rt.Method != http.MethodGet || !rt.API || !under(rt.Path, documented) {
			continue
		}
		if rt.Doc == nil || (rt.Doc.Response == nil && rt.Doc.File == "") {
			t.Errorf("GET %s does not declare its answer (web.Doc)", rt.Path)
			continue
		}
		if rt.Doc.File != "" {
			continue
		}
		path := rt.Path
		if strings.Contains(path, "{") {
			if path = samples[rt.Path]; path == "" {
				t.Errorf("GET %s: no sample path to try it on", rt.Path)
				continue
			}
		}
		for _, c := range []*webtest.Client{sup, unit} {
			req := httptest.NewRequest("GET", path, nil)
			resp := c.Send(req)
			if resp.Code >= 500 {
				t.Errorf("GET %s = %d", path, resp.Code)
				continue
			}
			req.URL.Scheme, req.URL.Host = "http", "example.com"
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Errorf("GET %s: not in the document: %v", path, err)
				continue
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("GET %s: the request does not match the document: %v", path, err)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.Code, Header: resp.Header,
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes(resp.Body)
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("GET %s (%d): the answer does not match the document: %v", path, resp.Code, err)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d answers checked", checked)
	}
}

func under(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
