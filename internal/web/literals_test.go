package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
)

// A literal L call resolved when the pages are parsed prints exactly what
// the call printed, escaped for its place: text, a quoted attribute, a
// title; in a URL, a script or an unquoted attribute (other escapers) it
// stays a call.
func TestResolvedLiteralsEscapeAsTheCall(t *testing.T) {
	esc, err := newLiteralEscapers()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper"} {
		if esc[name] == nil {
			t.Errorf("no resolving escaper %s (have %d)", name, len(esc))
		}
	}
	const src = `{{define "layout.html"}}<title>{{.L "标题<&>\"'+" "Title <&> \"'+ \x00"}}</title>` +
		`<p title="{{.L "提示 \"'<&>+" "hint \"'<&>+"}}">{{.L "正文 <b>&amp;</b> '\"+" "body <b>&amp;</b> '\"+"}}</p>` +
		`{{range .Items}}<i>{{$.L "行<" "row<"}}{{.}}</i>{{end}}` +
		`<a href="/x?q={{.L "中 文&" "a b&"}}">{{.L "链接" "link"}}</a>` +
		`<a href="{{.L "/zh?a=1&b" "javascript:alert(1)"}}">x</a>` +
		`<input value={{.L "无引号 值" "unquoted value"}}>` +
		`<script>var s = {{.L "脚本</script>" "script</script>"}};</script>` +
		`<textarea>{{.L "文本<" "text<"}}</textarea>{{end}}`
	type data struct {
		Page
		Items []string
	}
	for _, lang := range []string{"zh", "en"} {
		plain := template.Must(template.New("p").Parse(src))
		resolved := template.Must(template.New("p").Parse(src))
		n, err := resolveLiterals(resolved, "layout.html", lang, esc)
		if err != nil {
			t.Fatal(err)
		}
		if n != 6 { // title, attribute, text, range, link text, textarea
			t.Errorf("%s: resolved %d calls, want 6", lang, n)
		}
		d := data{Page: Page{Lang: lang}, Items: []string{"a<", "b"}}
		var want, got bytes.Buffer
		if err := plain.ExecuteTemplate(&want, "layout.html", d); err != nil {
			t.Fatal(err)
		}
		if err := resolved.ExecuteTemplate(&got, "layout.html", d); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: resolved page differs\n got %s\nwant %s", lang, got.String(), want.String())
		}
		if lang == "en" && !strings.Contains(got.String(), "Title &lt;&amp;&gt; &#34;&#39;&#43; \uFFFD") {
			t.Errorf("en: title not escaped as text: %s", got.String())
		}
	}
}

// Every page a person opens renders byte for byte the same from the sets
// with resolved literals as from the plain set, in both languages, for
// staff, a unit and an enterprise, with content on the detail page
// (certificates, figures from several sources, a pending value, history).
func TestResolvedPagesAreByteIdentical(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	svc := h.App.Enterprise
	if _, err := svc.AddTier(ctx, enterprise.System, fx.A.ID, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR<2023>&'1", ValidFrom: "2023-01-01", ValidTo: "2099-12-31", Note: `"quoted" <note>`}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetFigures(ctx, enterprise.System, fx.A.ID, []enterprise.FigureInput{
		{Indicator: "revenue", Year: 2022, Value: 1200_0000_00, Source: enterprise.FromStats},
		{Indicator: "revenue", Year: 2022, Value: 1100_0000_00, Source: enterprise.FromStaff},
		{Indicator: "employees", Year: 2023, Value: 80, Source: enterprise.FromTax}}); err != nil {
		t.Fatal(err)
	}
	self := enterprise.Viewer{Role: "enterprise", EnterpriseID: fx.A.ID}
	if err := svc.SetFigures(ctx, self, fx.A.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 1500_0000_00}}); err != nil {
		t.Fatal(err)
	}
	detail := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	paths := []string{detail, detail + "?figures=all", detail + "?ok=saved", detail + "/edit"}
	for _, rt := range h.Srv.Routes() {
		if rt.Method == "GET" && !strings.HasPrefix(rt.Path, "/api/") && !strings.Contains(rt.Path, "{") && !strings.Contains(rt.Path, ".") &&
			rt.Path != "/lang" && rt.Path != "/logout" && !strings.HasPrefix(rt.Path, "/static") && rt.Path != "/metrics" {
			paths = append(paths, rt.Path)
		}
	}
	langPages := h.Srv.langPages
	compared := 0
	for _, user := range []string{"admin", "leader", "unit", "enterprise"} {
		c := h.as(user)
		for _, lang := range []string{"zh", "en"} {
			c.header = http.Header{"Cookie": {sessionCookie + "=" + c.cookie + "; " + langCookie + "=" + lang}}
			for _, p := range paths {
				h.Srv.langPages = langPages
				got := c.get(p)
				h.Srv.langPages = nil
				want := c.get(p)
				if got.Code != want.Code || !bytes.Equal(got.Body, want.Body) {
					t.Errorf("%s %s %s: resolved %d (%d bytes), plain %d (%d bytes)\n%s", user, lang, p, got.Code, len(got.Body), want.Code, len(want.Body), firstDiff(got.Body, want.Body))
					continue
				}
				if strings.HasPrefix(got.Header.Get("Content-Type"), "text/html") {
					compared++
				}
			}
		}
	}
	h.Srv.langPages = langPages
	t.Logf("compared %d HTML pages", compared)
	if compared < 40 {
		t.Errorf("compared only %d HTML pages", compared)
	}
	// The page did print its words in the chosen language.
	c := h.as("leader")
	c.header = http.Header{"Cookie": {sessionCookie + "=" + c.cookie + "; " + langCookie + "=en"}}
	if body := string(c.get(detail).Body); !strings.Contains(body, "Tiers and certificates") || !strings.Contains(body, "GR&lt;2023&gt;&amp;&#39;1") {
		t.Errorf("English detail page lacks its words or escaped certificate")
	}
}

// firstDiff shows where two pages part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "resolved: …" + string(a[lo:min(len(a), i+80)]) + "\nplain:    …" + string(b[lo:min(len(b), i+80)])
}
