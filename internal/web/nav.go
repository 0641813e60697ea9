package web

import (
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
	// own is where a role enters the module instead of href (an
	// enterprise's own page, say).
	own map[org.Role]string
}

// modules are the seven modules of DESIGN.md plus administration, in the
// order the navigation shows them.
var modules = []module{
	{"首页", "Home", "/", nil, false, nil},
	{"目标指标", "Targets", "/kpi", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false, nil},
	{"督查督办", "Supervision", "/plan", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false, nil},
	{"企业库", "Enterprises", "/enterprises", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise}, false, nil},
	{"评优奖补", "Awards", "/awards", nil, false, nil},
	{"场景机会", "Scenarios", "/scenarios", nil, false, nil},
	{"产业大脑", "Industry brain", "/insight", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise}, false,
		map[org.Role]string{org.Enterprise: "/insight/me"}},
	{"科技金融", "Tech finance", "/finance", nil, false, nil},
	{"系统管理", "Admin", "/admin/users", []org.Role{org.Admin, org.SecAdmin, org.Auditor}, false,
		map[org.Role]string{org.Auditor: "/admin/audit"}},
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
		href := m.href
		if u != nil && m.own[u.Role] != "" {
			href = m.own[u.Role]
		}
		out = append(out, NavItem{ZH: m.zh, EN: m.en, Href: href, Active: active, Soon: m.soon})
	}
	return out
}
