package site_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"gaoxin/internal/demo"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// walkLimit bounds the pages fetched per role, and perRoute the pages of
// one route (one enterprise page stands for the demo's thousands): every
// kind of page is seen, with up to perRoute of its objects, in the order
// the pages link them. Reaching walkLimit is itself reported.
const (
	walkLimit = 600
	perRoute  = 12
)

// found is a link or form target and the page that showed it.
type found struct{ target, on string }

// pageLinks are the same-site targets a page offers: GET links and forms
// (with the values their fields carry as shown), and POST form actions.
type pageLinks struct {
	gets, posts []string
}

// TestEveryLinkAndButtonWorks walks, for every role's demo account and for
// a visitor, the pages a person can reach from the home page: it follows
// every same-site <a href> and submits every GET form as shown,
// breadth-first, and counts answers of 400 or more. A page links no JSON
// API route, and shows no date of the real year (the demo has one date). POST buttons are not
// pressed (they change the demo); each POST form's action must be a route
// that the route table lets this role call, so a button the role cannot
// use is not shown. The test fails listing each bad URL with the page it
// was found on.
func TestEveryLinkAndButtonWorks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole demo")
	}
	h, pw, accounts := newDemoHarnessAccounts(t)
	routes := h.Srv.Routes()
	for _, w := range walkers(t, h, pw, accounts) {
		res := walk(t, w.c, routeMux(routes, "GET", nil), routeMux(routes, "POST", w.user()), oneDemoDate, perRoute)
		t.Logf("%s: %d pages", w.name, res.pages)
		for _, b := range res.bad {
			t.Errorf("%s: %s", w.name, b)
		}
	}
}

// walker is one account the walks read the demo as ("" role: a visitor).
type walker struct {
	name string
	c    *webtest.Client
	role org.Role
}

// user is the walker as the route table sees it (nil: a visitor).
func (w walker) user() *org.User {
	if w.role == "" {
		return nil
	}
	return &org.User{Role: w.role}
}

// walkers are a visitor and one demo account per role, with the
// sub-district office beside the bureau: units see different tasks by kind.
func walkers(t *testing.T, h *webtest.Harness, pw map[string]string, accounts []demo.Account) []walker {
	t.Helper()
	seen := map[org.Role]bool{}
	out := []walker{{name: "(visitor)", c: h.Anon()}}
	for _, a := range accounts {
		if seen[a.Role] && a.Username != "shifo" {
			continue
		}
		seen[a.Role] = true
		out = append(out, walker{name: a.Username, c: h.AsWith(a.Username, pw[a.Username]), role: a.Role})
	}
	for _, role := range []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise, org.Reviewer} {
		if !seen[role] {
			t.Errorf("the demo has no %s account to walk as", role)
		}
	}
	return out
}

// routeMux is a mux of the routes of a method, to match a URL against
// without calling it: every GET route, or the POST routes u may call (nil:
// a visitor).
func routeMux(routes []web.Route, method string, u *org.User) *http.ServeMux {
	mux := http.NewServeMux()
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, rt := range routes {
		if rt.Method == method && (method == "GET" || rt.Access.Allows(u)) {
			mux.Handle(rt.Method+" "+rt.Path, ok)
		}
	}
	return mux
}

// walked is what a walk found: how many pages it fetched, a line for
// each failure, and the HTML pages it read, in the order it read them.
type walked struct {
	pages int
	bad   []string
	html  []found
}

// walk fetches pages breadth-first from "/", up to max pages of one route
// with one set of query fields.
func walk(t *testing.T, c *webtest.Client, gets, posts *http.ServeMux, check func(body []byte) string, max int) walked {
	t.Helper()
	queue := []found{{target: "/", on: "(start)"}}
	visited := map[string]bool{"/": true}
	perPattern := map[string]int{}
	checkedPost := map[string]bool{}
	var bad []string
	var html []found
	pages := 0
	for len(queue) > 0 {
		if pages == walkLimit {
			bad = append(bad, fmt.Sprintf("more than %d pages; next %s (on %s)", walkLimit, queue[0].target, queue[0].on))
			break
		}
		f := queue[0]
		queue = queue[1:]
		r := c.Get(f.target)
		pages++
		if r.Code >= 400 {
			bad = append(bad, fmt.Sprintf("GET %s = %d (linked from %s)", f.target, r.Code, f.on))
			continue
		}
		if r.Code >= 300 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		html = append(html, f)
		if fault := check(r.Body); fault != "" {
			bad = append(bad, fmt.Sprintf("GET %s: %s", f.target, fault))
		}
		links := parseLinks(r.Body, f.target)
		for _, g := range links.gets {
			if visited[g] {
				continue
			}
			visited[g] = true
			// Pages are for people: the JSON API is described by its
			// OpenAPI document, not linked from the pages.
			if strings.HasPrefix(g, "/api/") && !strings.HasPrefix(g, "/api/v1/openapi.json") {
				bad = append(bad, fmt.Sprintf("links to the JSON API %s (on %s)", g, f.target))
				continue
			}
			// Pages of one route with one set of query fields count
			// together; a URL no route serves is followed (it will 404).
			_, pattern := gets.Handler(httptest.NewRequest("GET", g, nil))
			key := pattern + "?" + queryKeys(g)
			if pattern != "" && perPattern[key] == max {
				continue
			}
			perPattern[key]++
			queue = append(queue, found{target: g, on: f.target})
		}
		for _, p := range links.posts {
			if checkedPost[p] {
				continue
			}
			checkedPost[p] = true
			req := httptest.NewRequest("POST", p, nil)
			if _, pattern := posts.Handler(req); pattern == "" {
				bad = append(bad, fmt.Sprintf("POST form to %s, a route this role may not call (on %s)", p, f.target))
			}
		}
	}
	sort.Strings(bad)
	return walked{pages: pages, bad: bad, html: html}
}

// realYearDate matches a date of the year the test runs in.
var realYearDate = regexp.MustCompile(strconv.Itoa(time.Now().Year()) + `-[01]\d-[0-3]\d`)

// oneDemoDate finds a page that shows the real date where the demo has
// one date of its own (demo.AsOf, in 2023): a record stamped today, or a
// module reading today. The demo's records run to 2025 at the latest (the
// certificates it issues), so the check holds from 2026 on.
func oneDemoDate(body []byte) string {
	if time.Now().Year() <= 2025 {
		return ""
	}
	if m := realYearDate.Find(body); m != nil {
		return fmt.Sprintf("shows %s, a date of the real year, not of the demo's date %s", m, demo.AsOf)
	}
	return ""
}

// queryKeys are the names of a URL's query fields, sorted.
func queryKeys(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, "&")
}

// skipped are same-site targets the walk does not follow: signing out
// would end the walk, and switching language only sets a cookie.
func skipped(path string) bool {
	return path == "/logout" || path == "/lang" || strings.HasPrefix(path, "/static/")
}

// parseLinks returns the same-site targets of a page at base.
func parseLinks(body []byte, base string) pageLinks {
	var out pageLinks
	baseURL, _ := url.Parse(base)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return out
	}
	resolve := func(ref string) (string, bool) {
		ref = strings.TrimSpace(ref)
		if ref == "" || strings.HasPrefix(ref, "#") {
			return "", false
		}
		u, err := baseURL.Parse(ref)
		if err != nil || u.Host != "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || skipped(u.Path) {
			return "", false
		}
		u.Fragment = ""
		return u.RequestURI(), true
	}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a":
				// Downloads are followed too: a spreadsheet link must work.
				if target, ok := resolve(attr(n, "href")); ok {
					out.gets = append(out.gets, target)
				}
			case "form":
				action := attr(n, "action")
				if action == "" {
					action = base
				}
				target, ok := resolve(action)
				if !ok {
					break
				}
				if strings.EqualFold(attr(n, "method"), "post") {
					// A form without a submit button (a table laid out
					// inside one, read-only) offers nothing to press.
					if hasSubmit(n) {
						p, _, _ := strings.Cut(target, "?")
						out.posts = append(out.posts, p)
					}
				} else {
					out.gets = append(out.gets, withFields(target, n))
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
	}
	visit(doc)
	return out
}

// withFields is a GET form's action with the values its fields carry as
// shown: what pressing its button sends.
func withFields(action string, form *html.Node) string {
	path, _, _ := strings.Cut(action, "?")
	q := url.Values{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			switch {
			case name == "" || hasAttr(n, "disabled"):
			case n.Data == "input":
				switch strings.ToLower(attr(n, "type")) {
				case "submit", "button", "reset", "file", "image":
				case "checkbox", "radio":
					if hasAttr(n, "checked") {
						v := attr(n, "value")
						if v == "" {
							v = "on"
						}
						q.Add(name, v)
					}
				default:
					q.Add(name, attr(n, "value"))
				}
			case n.Data == "select":
				q.Add(name, selected(n))
			case n.Data == "textarea":
				if n.FirstChild != nil {
					q.Add(name, n.FirstChild.Data)
				} else {
					q.Add(name, "")
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
	}
	visit(form)
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// selected is a select's value as shown: the selected option, else the
// first.
func selected(sel *html.Node) string {
	var first, chosen *html.Node
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "option" {
			if first == nil {
				first = n
			}
			if chosen == nil && hasAttr(n, "selected") {
				chosen = n
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
	}
	visit(sel)
	if chosen == nil {
		chosen = first
	}
	if chosen == nil {
		return ""
	}
	if hasAttr(chosen, "value") {
		return attr(chosen, "value")
	}
	if chosen.FirstChild != nil {
		return strings.TrimSpace(chosen.FirstChild.Data)
	}
	return ""
}

// hasSubmit reports whether a form shows a button that submits it.
func hasSubmit(form *html.Node) bool {
	if form.Type == html.ElementNode {
		typ := strings.ToLower(attr(form, "type"))
		if (form.Data == "button" && (typ == "" || typ == "submit")) || (form.Data == "input" && (typ == "submit" || typ == "image")) {
			return true
		}
	}
	for ch := form.FirstChild; ch != nil; ch = ch.NextSibling {
		if hasSubmit(ch) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// The 通报 tab of the plan: a leader gets the zone-wide bulletin (the
// ranking), and a unit that leads no task is told so, not shown an error.
func TestBulletinForEveryRole(t *testing.T) {
	h, pw := newDemoHarness(t)
	r := h.AsWith("leader", pw["leader"]).Get("/plan/bulletin?year=2023")
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/plan/ranking?year=2023") {
		t.Errorf("leader's /plan/bulletin = %d → %q, want the zone-wide ranking", r.Code, r.Header.Get("Location"))
	}
	r = h.AsWith("shifo", pw["shifo"]).Get("/plan/bulletin?year=2023")
	if r.Code != http.StatusOK || !strings.Contains(string(r.Body), `id="no-bulletin"`) {
		t.Errorf("a unit leading no task: /plan/bulletin = %d", r.Code)
	}
	if r := h.AsWith("jfj", pw["jfj"]).Get("/"); strings.Contains(string(r.Body), "/plan/ranking") {
		t.Error("a unit's home links to the ranking it may not read")
	}
}

// The demo has one date: the banner shows it once, and the targets and the
// plan read their year at it.
func TestDemoHasOneDate(t *testing.T) {
	h, pw := newDemoHarness(t)
	leader := h.AsWith("leader", pw["leader"])
	home := string(leader.Get("/").Body)
	if n := strings.Count(home, demo.AsOf); n != 1 || !strings.Contains(home, `id="demo-as-of"`) {
		t.Errorf("the home page shows the demo date %d times, want once, in the banner", n)
	}
	var kpiDash, planTree struct {
		AsOf string `json:"as_of"`
	}
	leader.Get("/api/v1/kpi/dashboard?year=2023").JSON(t, &kpiDash)
	leader.Get("/api/v1/plan?year=2023").JSON(t, &planTree)
	if kpiDash.AsOf != demo.AsOf || planTree.AsOf != demo.AsOf {
		t.Errorf("targets read as of %q, the plan as of %q; the demo's date is %s", kpiDash.AsOf, planTree.AsOf, demo.AsOf)
	}
	if got := h.App.Enterprise.Today(); got != demo.AsOf {
		t.Errorf("the registry's today is %s", got)
	}
	if got := h.App.Award.Now().Format("2006-01-02"); got != demo.AsOf {
		t.Errorf("the awards' today is %s", got)
	}
}

// A reviewer's home page leads to that reviewer's pending reviews, and
// only theirs.
func TestReviewerHomeLinksPendingReviews(t *testing.T) {
	h, pw := newDemoHarness(t)
	for _, name := range []string{"zhuanjia1", "zhuanjia2"} {
		c := h.AsWith(name, pw[name])
		home := string(c.Get("/").Body)
		if !strings.Contains(home, `id="home-reviews"`) || !strings.Contains(home, `href="/awards/reviews"`) {
			t.Fatalf("%s's home does not link the reviews", name)
		}
		var mine struct {
			Assignments []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"assignments"`
		}
		c.Get("/api/v1/award/assignments").JSON(t, &mine)
		for _, g := range mine.Assignments {
			link := fmt.Sprintf(`href="/awards/assignments/%d"`, g.ID)
			if (g.State == "assigned") != strings.Contains(home, link) {
				t.Errorf("%s: assignment %d (%s) linked = %v", name, g.ID, g.State, strings.Contains(home, link))
			}
		}
	}
}

// The walk reads a page the way a person's browser would: links resolved
// against the page (downloads too), outside links, anchors, static files
// and sign-out left alone, a GET
// form sent with the values it shows, a POST form counted only when it has
// a button to press.
func TestWalkReadsLinksAndForms(t *testing.T) {
	page := `<a href="/kpi?year=2023#top">k</a> <a href="nodes/7">rel</a> <a href="https://example.com/x">out</a> <a href="#x">anchor</a>
	<a href="/static/style.css">css</a> <a href="/x.xlsx" download>file</a>
	<form method="get" action="/plan/flags"><input name="year" value="2023"><select name="flag"><option value="red">r</option><option value="yellow" selected>y</option></select>
	<input type="checkbox" name="mine" value="1"><input name="off" value="x" disabled><button>go</button></form>
	<form method="post" action="/plan/nodes/7/weights"><table><tr><td>read only</td></tr></table></form>
	<form method="post" action="/plan/nodes/7/chases?x=1"><button type="submit">督办</button></form>
	<form method="post" action="/logout"><button>退出</button></form>`
	got := parseLinks([]byte(page), "/plan/tree")
	want := pageLinks{gets: []string{"/kpi?year=2023", "/plan/nodes/7", "/x.xlsx", "/plan/flags?flag=yellow&year=2023"}, posts: []string{"/plan/nodes/7/chases"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("parseLinks =\n%v\nwant\n%v", got, want)
	}
}
