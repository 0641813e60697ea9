package site_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"
)

// apiDoc is what the role matrix reads of the OpenAPI document.
type apiDoc struct {
	Paths map[string]map[string]struct {
		Roles    *[]string `json:"x-roles"`
		Security *[]any    `json:"security"`
	} `json:"paths"`
}

var (
	pathParam = regexp.MustCompile(`\{[a-z_]+\}`)
	firstID   = regexp.MustCompile(`"id":\s*(\d+)`)
)

// TestRoleMatrixFromOpenAPI is the role × operation matrix, generated from
// the published OpenAPI document (each operation's x-roles) over the demo:
// every operation is called by a visitor and by one account of every
// role. Outside its rule the answer is 401 (a visitor) or 403; inside it a
// read answers 2xx, its path's object taken from the list the same caller
// reads (so it is one the caller may see). For enterprise and unit
// accounts, an object of the same kind that is not theirs (one staff see,
// missing from their own list) answers 403 or 404. Writes inside their
// rule are not sent (they would change the demo the matrix reads); their
// modules' tests send them.
func TestRoleMatrixFromOpenAPI(t *testing.T) {
	h, pw, accounts := newDemoHarnessAccounts(t)
	var doc apiDoc
	h.Anon().Get("/api/v1/openapi.json").JSON(t, &doc)
	clients := map[string]*webtest.Client{}
	for _, a := range accounts {
		if clients[string(a.Role)] == nil {
			clients[string(a.Role)] = h.AsWith(a.Username, pw[a.Username])
		}
	}
	roles := make([]string, 0, len(clients))
	for r := range clients {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	send := func(c *webtest.Client, method, path string) *webtest.Resp {
		req := httptest.NewRequest(strings.ToUpper(method), path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return c.Send(req)
	}
	// listOf is the list an object path's id comes from: the path up to
	// its first parameter.
	listOf := func(p string) string {
		i := strings.Index(p, "{")
		return strings.TrimSuffix(p[:i], "/")
	}
	ids := func(c *webtest.Client, list string) ([]string, bool) {
		r := c.Get(list)
		if r.Code != http.StatusOK {
			return nil, false
		}
		var out []string
		for _, m := range firstID.FindAllSubmatch(r.Body, -1) {
			out = append(out, string(m[1]))
		}
		return out, strings.Contains(string(r.Body), `"next":`)
	}
	// fill gives a list the query it cannot do without: staff read the
	// needs that fit an institution they name.
	fill := func(c *webtest.Client, path string) string {
		if path == "/api/v1/finance/fitting-needs" {
			if got, _ := ids(c, "/api/v1/finance/institutions"); len(got) > 0 {
				return "?institution=" + got[0]
			}
		}
		return "?"
	}
	var cells, reads, owned int
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		for method, op := range ops {
			if op.Security != nil && op.Roles == nil {
				continue // public
			}
			inside := map[string]bool{}
			for _, r := range roles {
				inside[r] = op.Roles == nil || len(*op.Roles) == 0
			}
			if op.Roles != nil {
				for _, r := range *op.Roles {
					inside[r] = true
				}
			}
			params := pathParam.FindAllString(path, -1)
			concrete := func(id string) string { return pathParam.ReplaceAllString(path, id) }
			if r := send(h.Anon(), method, concrete("1")); r.Code != http.StatusUnauthorized {
				t.Errorf("visitor %s %s = %d, want 401", method, path, r.Code)
			}
			cells++
			for _, role := range roles {
				c := clients[role]
				cells++
				if !inside[role] {
					if r := send(c, method, concrete("1")); r.Code != http.StatusForbidden {
						t.Errorf("%s %s %s = %d, want 403 (outside x-roles %v)", role, method, path, r.Code, *op.Roles)
					}
					continue
				}
				if method != "get" {
					continue
				}
				if len(params) == 0 {
					reads++
					r := c.Get(path + fill(c, path))
					if r.Code < 200 || r.Code > 299 {
						r = c.Get(path + fill(c, path) + "&year=2023")
					}
					if r.Code < 200 || r.Code > 299 {
						t.Errorf("%s GET %s = %d, want 2xx (inside its rule): %.200s", role, path, r.Code, r.Body)
					}
					continue
				}
				if len(params) > 1 {
					continue
				}
				mine, paged := ids(c, listOf(path))
				if len(mine) > 0 {
					reads++
					r := c.Get(concrete(mine[0]))
					sub := !strings.HasSuffix(path, "}")
					switch {
					case r.Code >= 200 && r.Code <= 299:
					case sub && (r.Code == http.StatusNotFound || r.Code == http.StatusConflict):
						// A part of the object that its state has not made
						// yet (a ranking before ranking, a delivery before
						// signing): an answer about the object, not a refusal.
					default:
						t.Errorf("%s GET %s = %d, want 2xx for an object in its own list %s: %.200s", role, concrete(mine[0]), r.Code, listOf(path), r.Body)
					}
				}
				if (role != "enterprise" && role != "unit") || paged {
					continue
				}
				theirs, _ := ids(clients["supervisor"], listOf(path))
				own := map[string]bool{}
				for _, id := range mine {
					own[id] = true
				}
				for _, id := range theirs {
					if own[id] {
						continue
					}
					owned++
					if r := c.Get(concrete(id)); r.Code != http.StatusForbidden && r.Code != http.StatusNotFound {
						t.Errorf("%s GET %s = %d, want 403 or 404 (not in its own list %s)", role, concrete(id), r.Code, listOf(path))
					}
					break
				}
			}
		}
	}
	t.Logf("%d cells, %d reads inside the rule, %d objects of others", cells, reads, owned)
	if cells < 1000 || reads < 100 || owned < 5 {
		t.Fatalf("the matrix is too thin: %d cells, %d reads, %d objects of others", cells, reads, owned)
	}
}
