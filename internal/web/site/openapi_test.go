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
// Go type of their answer (web.Doc), and be exercised below: every API route.
var documented = []string{"/api/"}

// The OpenAPI document is valid, and real answers over the demo data match
// it: a maintained validator (kin-openapi) checks every documented GET
// route's answer, as the supervisor, a unit, the admin, an enterprise and
// a reviewer see it, against the schema generated from the Go types; each
// route must answer at least one of them.
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
	admin := h.AsWith("admin", pw["admin"])
	firm := h.AsWith("qiye", pw["qiye"])
	reviewer := h.AsWith("zhuanjia1", pw["zhuanjia1"])
	investor := h.AsWith("touzi", pw["touzi"])
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
	ent := "/api/v1/enterprises/" + first(sup, "/api/v1/enterprises", "items")
	// Awards: the demo's finished 2023 programme of enterprises (not its
	// policy fund or its honour for institutions), and a 2022 one known by
	// its honour list.
	var progs struct {
		Programmes []struct {
			ID         int64  `json:"id"`
			Year       int    `json:"year"`
			Kind       string `json:"kind"`
			Historical bool   `json:"historical"`
			Rules      struct {
				Subject string `json:"subject"`
			} `json:"rules"`
		} `json:"programmes"`
	}
	sup.Get("/api/v1/award/programmes").JSON(t, &progs)
	var run, past string
	for _, p := range progs.Programmes {
		switch {
		case p.Historical && past == "":
			past = strconv.FormatInt(p.ID, 10)
		case !p.Historical && p.Year == 2023 && p.Kind != "policy" && p.Rules.Subject == "" && run == "":
			run = strconv.FormatInt(p.ID, 10)
		}
	}
	if run == "" || past == "" {
		t.Fatalf("the demo lacks a 2023 programme or a past one: %+v", progs)
	}
	prog := "/api/v1/award/programmes/" + run
	// The demo imports nothing: a dry run makes an import job to read.
	var job struct {
		ID int64 `json:"id"`
	}
	imp := admin.Send(httptest.NewRequest("POST", "/api/v1/enterprise-imports?filename=check.csv&dry_run=1",
		strings.NewReader("统一社会信用代码,企业名称,从业人员（人）,年度\n9144030071526726XG,好公司,12,2023\n")))
	if imp.JSON(t, &job); imp.Code != http.StatusOK || job.ID == 0 {
		t.Fatalf("dry-run import: %d %s", imp.Code, imp.Body)
	}
	call := "/api/v1/scenario/calls/" + first(sup, "/api/v1/scenario/calls?state=closed", "needs")
	// Concrete paths for routes with path parameters.
	samples := map[string]string{
		"/api/v1/scenario/calls/{id}":                call,
		"/api/v1/scenario/calls/{id}/bids":           call + "/bids",
		"/api/v1/scenario/calls/{id}/matches":        "/api/v1/scenario/calls/" + first(sup, "/api/v1/scenario/calls?state=published", "needs") + "/matches",
		"/api/v1/scenario/bids/{id}":                 "/api/v1/scenario/bids/" + first(firm, "/api/v1/scenario/bids", "bids"),
		"/api/v1/scenario/calls/{id}/result":         call + "/result",
		"/api/v1/scenario/calls/{id}/evaluation":     call + "/evaluation",
		"/api/v1/scenario/calls/{id}/objections":     call + "/objections",
		"/api/v1/scenario/calls/{id}/delivery":       call + "/delivery",
		"/api/v1/scenario/assignments/{id}":          "/api/v1/scenario/assignments/" + first(reviewer, "/api/v1/scenario/assignments", "assignments"),
		"/api/v1/plan/nodes/{id}":                    "/api/v1/plan/nodes/" + task,
		"/api/v1/plan/tasks/{id}/reports":            "/api/v1/plan/tasks/" + task + "/reports",
		"/api/v1/plan/reports/{id}":                  "/api/v1/plan/reports/" + report,
		"/api/v1/plan/bulletin/units/{id}":           "/api/v1/plan/bulletin/units/" + unitID(t, admin, "jfj"),
		"/api/v1/kpi/indicators/{id}":                "/api/v1/kpi/indicators/1",
		"/api/v1/kpi/indicators/{id}/actuals":        "/api/v1/kpi/indicators/1/actuals?year=2023",
		"/api/v1/kpi/settings/{year}":                "/api/v1/kpi/settings/2023",
		"/api/v1/enterprises/{id}":                   ent,
		"/api/v1/enterprises/{id}/figures":           ent + "/figures",
		"/api/v1/enterprises/{id}/tiers":             ent + "/tiers",
		"/api/v1/enterprises/{id}/history":           ent + "/history",
		"/api/v1/enterprises/{id}/bank":              ent + "/bank",
		"/api/v1/enterprise-imports/{id}":            "/api/v1/enterprise-imports/" + strconv.FormatInt(job.ID, 10),
		"/api/v1/award/programmes/{id}":              "/api/v1/award/programmes/" + past,
		"/api/v1/award/programmes/{id}/ranking":      prog + "/ranking",
		"/api/v1/award/programmes/{id}/rounds":       prog + "/rounds",
		"/api/v1/award/programmes/{id}/audit":        prog + "/audit",
		"/api/v1/award/programmes/{id}/applications": prog + "/applications",
		"/api/v1/award/programmes/{id}/objections":   prog + "/objections",
		"/api/v1/award/programmes/{id}/grants":       prog + "/grants",
		"/api/v1/award/applications/{id}":            "/api/v1/award/applications/" + first(sup, prog+"/applications", "applications"),
		"/api/v1/award/assignments/{id}":             "/api/v1/award/assignments/" + first(reviewer, "/api/v1/award/assignments", "assignments"),
		"/api/v1/award/grants/{id}/payments":         "/api/v1/award/grants/" + first(sup, prog+"/grants", "grants") + "/payments",
		"/api/v1/award/notices/{id}":                 "/api/v1/award/notices/" + run,
		"/api/v1/insight/warnings/{id}":              "/api/v1/insight/warnings/" + first(sup, "/api/v1/insight/warnings", "warnings"),
	}
	// Finance: the demo's government fund, a need with matches, and a match.
	var funds struct {
		Institutions []struct {
			ID int64 `json:"id"`
		} `json:"institutions"`
	}
	sup.Get("/api/v1/finance/institutions?kind=gov_fund").JSON(t, &funds)
	if len(funds.Institutions) == 0 {
		t.Fatal("the demo has no government fund")
	}
	fund := strconv.FormatInt(funds.Institutions[0].ID, 10)
	finMatch := first(sup, "/api/v1/finance/matches", "matches")
	var fm struct {
		NeedID int64 `json:"need_id"`
	}
	sup.Get("/api/v1/finance/matches/"+finMatch).JSON(t, &fm)
	finNeed := "/api/v1/finance/needs/" + strconv.FormatInt(fm.NeedID, 10)
	for k, v := range map[string]string{
		"/api/v1/finance/institutions/{id}":       "/api/v1/finance/institutions/" + fund,
		"/api/v1/finance/funds/{id}":              "/api/v1/finance/funds/" + fund,
		"/api/v1/finance/needs/{id}":              finNeed,
		"/api/v1/finance/needs/{id}/institutions": finNeed + "/institutions",
		"/api/v1/finance/matches/{id}":            "/api/v1/finance/matches/" + finMatch,
		"/api/v1/finance/matches/{id}/notes":      "/api/v1/finance/matches/" + finMatch + "/notes",
		"/api/v1/finance/subsidies/{id}":          "/api/v1/finance/subsidies/" + first(sup, "/api/v1/finance/subsidies", "rules"),
		"/api/v1/finance/roadshows/{id}":          "/api/v1/finance/roadshows/" + first(sup, "/api/v1/finance/roadshows", "roadshows"),
	} {
		samples[k] = v
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
		succeeded := false
		for _, c := range []*webtest.Client{sup, unit, admin, firm, reviewer, investor} {
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
			succeeded = succeeded || resp.Code < 300
		}
		if !succeeded {
			t.Errorf("GET %s: no role got an answer to check", path)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d answers checked", checked)
	}
}

// unitID is the id of the unit with the given code.
func unitID(t *testing.T, c *webtest.Client, code string) string {
	var v struct {
		Units []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"units"`
	}
	c.Get("/api/v1/units").JSON(t, &v)
	for _, u := range v.Units {
		if u.Code == code {
			return strconv.FormatInt(u.ID, 10)
		}
	}
	t.Fatalf("no unit %s", code)
	return ""
}

func under(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
