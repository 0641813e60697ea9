package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strings"

	"gaoxin/internal/org"
)

//go:embed templates
var kitTemplates embed.FS

// Page is what every page template gets; page data structs embed it.
type Page struct {
	Lang    string
	User    *org.User
	TitleZH string
	TitleEN string
	Path    string
	URI     string
	Nav     []NavItem
	Flash   string // a one-line notice shown above the content
	Error   string // a form error shown above the content
	Version string
	// DemoAsOf is the demo's one date (Config.DemoAsOf), shown in the
	// banner; a page leaves out its own "as of" line when it is the same.
	DemoAsOf string
	// Screen draws the page bare and full-screen for a command centre's
	// display (the industry brain's 大屏): no navigation, its own dark
	// style and the script that reloads it when its data changes.
	Screen bool
	// Tabs is a module's tab bar, drawn by the "tabs" partial.
	Tabs []NavItem
}

// L picks the Chinese or English text for the page's language.
func (p Page) L(zh, en string) string { return L(p.Lang, zh, en) }

// Title is the page title in the page's language.
func (p Page) Title() string { return p.L(p.TitleZH, p.TitleEN) }

// OtherLang is the language the switch offers.
func (p Page) OtherLang() string {
	if p.Lang == "en" {
		return "zh"
	}
	return "en"
}

// Is reports whether the user has one of the roles.
func (p Page) Is(roles ...string) bool {
	if p.User == nil {
		return false
	}
	for _, r := range roles {
		if string(p.User.Role) == r {
			return true
		}
	}
	return false
}

// RoleLabel is the user's role in the page's language.
func (p Page) RoleLabel() string {
	if p.User == nil {
		return ""
	}
	zh, en := p.User.Role.Label()
	return p.L(zh, en)
}

// Page builds the common page data.
func (s *Server) Page(r *http.Request, zh, en string) Page {
	p := Page{Lang: LangOf(r), User: CurrentUser(r), TitleZH: zh, TitleEN: en, Path: r.URL.Path,
		URI: r.URL.RequestURI(), Version: s.Cfg.Version, DemoAsOf: s.Cfg.DemoAsOf}
	p.Nav = navFor(p.User, r.URL.Path)
	if strings.HasPrefix(r.URL.Path, "/admin/") {
		p.Tabs = s.adminTabs(p.User, r.URL.Path)
	}
	switch r.URL.Query().Get("ok") {
	case "saved":
		p.Flash = p.L("已保存", "Saved")
	case "created":
		p.Flash = p.L("已创建", "Created")
	}
	return p
}

// adminTabs are the administration pages u may open.
func (s *Server) adminTabs(u *org.User, path string) []NavItem {
	var out []NavItem
	for _, t := range []NavItem{{ZH: "用户", EN: "Users", Href: "/admin/users"}, {ZH: "单位", EN: "Units", Href: "/admin/units"},
		{ZH: "审计日志", EN: "Audit trail", Href: "/admin/audit"}} {
		if s.May(u, "GET "+t.Href) {
			t.Active = path == t.Href
			out = append(out, t)
		}
	}
	return out
}

// parseKit parses the layout and partials every page is drawn in, and the
// kit's own error page.
func (s *Server) parseKit() error {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(kitTemplates, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return fmt.Errorf("web: parse layout: %w", err)
	}
	s.base = base
	sub, err := fs.Sub(kitTemplates, "templates")
	if err != nil {
		return err
	}
	return s.AddPages("", sub)
}

// AddPages parses every .html file of fsys (a module's embedded templates
// directory) as a page drawn in the shared layout with the shared partials.
// A page is named by its path, after prefix and a slash when prefix is not
// empty: AddPages("kpi", …) makes dashboard.html the page "kpi/dashboard.html".
func (s *Server) AddPages(prefix string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		if prefix == "" && (path == "layout.html" || path == "partials.html") {
			return nil
		}
		name := path
		if prefix != "" {
			name = prefix + "/" + path
		}
		if _, dup := s.pages[name]; dup {
			return fmt.Errorf("web: page %s registered twice", name)
		}
		t, err := s.base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, path); err != nil {
			return fmt.Errorf("web: parse %s: %w", name, err)
		}
		s.pages[name] = t
		return nil
	})
}

// Execute runs the template called name of page into w, without the
// answer's headers: for a part of a page kept apart.
func (s *Server) Execute(w io.Writer, page, name string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	return t.ExecuteTemplate(w, name, data)
}

// Render writes a page with status 200. The page is rendered into a
// buffer first, so a template error answers an error page, not half a
// page.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, data errorPage) {
	t := s.pages["error.html"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := t.ExecuteTemplate(w, "layout.html", data); err != nil {
		s.Log.Error("render error page", "err", err)
	}
}

// SeeOther redirects after a successful form post.
func SeeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
