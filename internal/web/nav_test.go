package web

import (
	"bytes"
	"html/template"
	"testing"

	"gaoxin/internal/org"
)

// NavHTML writes exactly what the layout's range over Nav wrote, for every
// role (and no one signed in), every module's page and one below it, in
// both languages; and htmlText escapes as html/template does.
func TestNavHTMLAsTheTemplate(t *testing.T) {
	const old = `{{range .Nav}}{{if .Soon}}<span class="soon" title="{{$.L "建设中" "Coming soon"}}">{{$.L .ZH .EN}}</span>{{else}}<a href="{{.Href}}"{{if .Active}} class="active" aria-current="page"{{end}}>{{$.L .ZH .EN}}</a>{{end}}{{end}}`
	tmpl := template.Must(template.New("nav").Parse(`<nav class="main">` + old + `</nav>`))
	users := []*org.User{nil}
	for _, r := range []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise, org.Reviewer} {
		users = append(users, &org.User{Username: "u", Role: r})
	}
	paths := []string{"/", "/login", "/enterprises/12"}
	for _, m := range modules {
		paths = append(paths, m.href, m.href+"/x")
	}
	n := 0
	for _, u := range users {
		for _, path := range paths {
			for _, lang := range []string{"zh", "en"} {
				p := Page{Lang: lang, User: u, Nav: navFor(u, path)}
				var want bytes.Buffer
				if err := tmpl.Execute(&want, p); err != nil {
					t.Fatal(err)
				}
				if got := `<nav class="main">` + string(p.NavHTML()) + `</nav>`; got != want.String() {
					t.Errorf("%v %s %s:\n got %s\nwant %s", u, path, lang, got, want.String())
				}
				n++
			}
		}
	}
	// The escaping itself, on every character it touches.
	text := template.Must(template.New("t").Parse(`{{.}}|<a title="{{.}}">`))
	for _, s := range []string{"plain 中文", `a"b'c&d+e<f>g` + "\x00h", "&amp;", ""} {
		var want bytes.Buffer
		text.Execute(&want, s)
		if got := htmlText(s) + `|<a title="` + htmlText(s) + `">`; got != want.String() {
			t.Errorf("htmlText(%q) = %q, template wrote %q", s, got, want.String())
		}
	}
}
