package insight

import (
	"net/http"
	"strings"

	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Page is the kit's page with the module's tab bar: every view the
// reader may open, the one at hand marked.
func (h *handlers) Page(r *http.Request, zh, en string) web.Page {
	p := h.Server.Page(r, zh, en)
	p.Tabs = tabsFor(insight.ViewerOf(web.CurrentUser(r)), r.URL.Path)
	return p
}

func tabsFor(v insight.Viewer, path string) []web.NavItem {
	var tabs []web.NavItem
	add := func(zh, en, href string) { tabs = append(tabs, web.NavItem{ZH: zh, EN: en, Href: href}) }
	switch {
	case v.Zone() || v.AreaOnly:
		add("产业链图谱", "Chain map", "/insight")
		add("交叉分析", "Breakdowns", "/insight/breakdown")
		add("企业梯队", "Tier pipeline", "/insight/pipeline")
		add("运行监测", "Monitor", "/insight/warnings")
		add("监测规则", "Rules", "/insight/rules")
		if v.Staff() {
			add("亩均评价", "Per-mu", "/insight/mu")
			add("公开概览", "Public overview", "/insight/public")
		}
		if v.Zone() {
			add("数据来源", "Sources", "/insight/sources")
			add("数据冲突", "Conflicts", "/insight/conflicts")
			add("大屏", "Big screen", "/insight/screen")
		}
	case v.Role == org.Enterprise:
		add("本企业位置", "Our position", "/insight/me")
	}
	// The longest tab path the page's path starts with is the active one.
	best := -1
	for i, t := range tabs {
		if (path == t.Href || strings.HasPrefix(path, t.Href+"/") || (t.Href == "/insight" && strings.HasPrefix(path, "/insight/chains"))) &&
			(best < 0 || len(t.Href) > len(tabs[best].Href)) {
			best = i
		}
	}
	if best >= 0 {
		tabs[best].Active = true
	}
	return tabs
}
