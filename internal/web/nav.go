package web

import (
	"html/template"
	"strings"

	"gaoxin/internal/org"
)

// NavItem is one entry of the main navigation.
type NavItem struct {
	ZH, EN string
	Href   string
	Active bool
	Soon   bool // module not yet available: shown, not linked
}

// module is a top-level section and who sees it in the navigation.
type module struct {
	zh, en, href string
	roles        []org.Role // nil: everyone, signed in or not
	soon         bool
}

// modules are the seven modules of DESIGN.md plus administration, in the
// order the navigation shows them.
var modules = []module{
	{"首页", "Home", "/", nil, false},
	{"目标指标", "Targets", "/kpi", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false},
	{"督查督办", "Supervision", "/plan", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false},
	{"企业库", "Enterprises", "/enterprises", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise}, false},
	{"评优奖补", "Awards", "/awards", nil, false},
	{"场景机会", "Scenarios", "/scenarios", nil, true},
	{"产业大脑", "Industry brain", "/insight", []org.Role{org.Admin, org.Leader, org.Supervisor}, true},
	{"科技金融", "Tech finance", "/finance", nil, true},
	{"系统管理", "Admin", "/admin/users", []org.Role{org.Admin}, false},
}

func navFor(u *org.User, path string) []NavItem {
	var out []NavItem
	for _, m := range modules {
		if m.roles != nil {
			if u == nil || !Only(m.roles...).Allows(u) {
				continue
			}
		}
		active := path == m.href || (m.href != "/" && strings.HasPrefix(path, strings.TrimSuffix(m.href, "/users")))
		out = append(out, NavItem{ZH: m.zh, EN: m.en, Href: m.href, Active: active, Soon: m.soon})
	}
	return out
}

// NavHTML is the main navigation's entries as HTML, escaped as the layout
// template escaped them. Written in Go because the template's range (per
// entry a test, an attribute and a word, each a call by reflection) was a
// tenth of a detail page's CPU, and every page shows it. Hrefs are the
// modules' plain paths.
func (p Page) NavHTML() template.HTML {
	var b strings.Builder
	b.Grow(128 * len(p.Nav))
	soon := htmlText(p.L("建设中", "Coming soon"))
	for _, n := range p.Nav {
		if n.Soon {
			b.WriteString(`<span class="soon" title="`)
			b.WriteString(soon)
			b.WriteString(`">`)
			b.WriteString(htmlText(p.L(n.ZH, n.EN)))
			b.WriteString(`</span>`)
			continue
		}
		b.WriteString(`<a href="`)
		b.WriteString(htmlText(n.Href))
		b.WriteString(`"`)
		if n.Active {
			b.WriteString(` class="active" aria-current="page"`)
		}
		b.WriteString(`>`)
		b.WriteString(htmlText(p.L(n.ZH, n.EN)))
		b.WriteString(`</a>`)
	}
	return template.HTML(b.String())
}

// htmlText escapes s as html/template escapes a string in text or in a
// quoted attribute (its htmlEscaper: NUL, quotes, &, +, < and >).
func htmlText(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
