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
}

// modules are the seven modules of DESIGN.md plus administration, in the
// order the navigation shows them.
var modules = []module{
	{"首页", "Home", "/", nil, false},
	{"目标指标", "Targets", "/kpi", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false},
	{"督查督办", "Supervision", "/plan", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false},
	{"企业库", "Enterprises", "/enterprises", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise}, false},
	{"评优奖补", "Awards", "/awards", nil, false},
	{"场景机会", "Scenarios", "/scenarios", nil, false},
	{"产业大脑", "Industry brain", "/insight", []org.Role{org.Admin, org.Leader, org.Supervisor, org.UnitStaff}, false},
	{"科技金融", "Tech finance", "/finance", nil, false},
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
