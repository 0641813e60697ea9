package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

//go:embed templates static
var assets embed.FS

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
}

// L picks the Chinese or English text for the page's language.
func (p Page) L(zh, en string) string {
	if p.Lang == "en" {
		return en
	}
	return zh
}

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

// page builds the common page data.
func (s *Server) page(r *http.Request, zh, en string) Page {
	p := Page{Lang: langOf(r), User: currentUser(r), TitleZH: zh, TitleEN: en, Path: r.URL.Path,
		URI: r.URL.RequestURI(), Version: s.Cfg.Version}
	p.Nav = navFor(p.User, r.URL.Path)
	switch r.URL.Query().Get("ok") {
	case "saved":
		p.Flash = p.L("已保存", "Saved")
	case "created":
		p.Flash = p.L("已创建", "Created")
	}
	return p
}

var cst = time.FixedZone("CST", 8*3600)

// fmtDateTime formats Unix milliseconds in China time.
func fmtDateTime(ms int64) string {
	if ms == 0 {
		return "—"
	}
	return time.UnixMilli(ms).In(cst).Format("2006-01-02 15:04")
}

var funcs = template.FuncMap{
	"datetime": fmtDateTime,
	// money formats fen the Chinese way: 元 below 万, 万元 below 亿, else 亿元.
	"money": enterprise.FormatFen,
	"add":   func(a, b int) int { return a + b },
	"pct":   func(v float64) string { return fmt.Sprintf("%.1f%%", v*100) },
	"join":  strings.Join,
}

// parsePages parses every page under templates/ with the layout and partials.
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	pages := map[string]*template.Template{}
	err = fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		name := strings.TrimPrefix(path, "templates/")
		if name == "layout.html" || name == "partials.html" {
			return nil
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(assets, path); err != nil {
			return fmt.Errorf("web: parse %s: %w", name, err)
		}
		pages[name] = t
		return nil
	})
	return pages, err
}

// render writes a page with status 200. The page is rendered into a
// buffer first, so a template error answers an error page, not half a
// page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) error {
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

// seeOther redirects after a successful form post.
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
