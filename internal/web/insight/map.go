package insight

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/chart"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// The chain map (产业链图谱): every chain node drawn as a tree with its
// figures for a year, the same figures as a table, and a node's page with
// its sub-fields and top enterprises, linking on to the registry's list
// already filtered to the node. The breakdowns are in breakdown.go, the
// downloads in export.go.

// The module's JSON answers for the chain map and breakdowns.
type (
	chainsAnswer    = insight.ChainMap
	breakdownAnswer = insight.Breakdown
)

var yearQuery = web.Query("year:integer 年度（2000–2100，默认有数据的最近一年）/ year (2000–2100, default the latest with figures)")

// mapDocs describes the chain map's and breakdowns' API routes.
var mapDocs = map[string]web.Doc{
	"GET /api/v1/insight/chains": {Query: yearQuery, Response: chainsAnswer{}},
	"GET /api/v1/insight/breakdown": {Query: web.Query(
		"a:string(chain|area|section|division|size|cohort|tier) 行维度（默认 chain）/ row dimension (default chain)",
		"b:string(chain|area|section|division|size|cohort|tier) 列维度（交叉，可空）/ column dimension (crossed, optional)",
		"year:integer 年度（0 为当前企业库，2000–2100；默认有数据的最近一年）/ year (0: the registry now; default the latest with figures)",
		"measure:string 统计量：n（企业数）、指标代码（合计）或 tier:<梯队代码> / measure: n, an indicator code (sum) or tier:<code>",
	), Response: breakdownAnswer{}},
}

// readers are those who read the industry brain; the service refuses an
// office area's unit what lies outside its area.
var readers = web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)

// mapRoutes registers the chain map and the breakdowns.
func (h *handlers) mapRoutes() {
	h.Handle("GET /insight", "The chain map of a year (?year=): every chain node's enterprises, revenue, tax, R&D, growth, tiers and top enterprises", readers, h.handleMap)
	h.Handle("GET /insight/chains/{code}", "A chain node of the map (?year=): its sub-fields' figures and top enterprises", readers, h.handleChain)
	h.Handle("GET /api/v1/insight/chains", "Every chain node's figures for a year (?year=)", readers, h.apiChains)
	h.breakdownRoutes()
	h.exportRoutes()
}

func insightViewer(r *http.Request) insight.Viewer { return insight.ViewerOf(web.CurrentUser(r)) }

// year reads ?year= (2000–2100, or 0 when now is allowed); absent, the
// latest year with figures.
func (h *handlers) year(r *http.Request, now bool) (int, error) {
	y := r.URL.Query().Get("year")
	if y == "" {
		return h.Insight.DefaultYear(r.Context())
	}
	n, err := strconv.Atoi(y)
	if err != nil || (n != 0 || !now) && (n < 2000 || n > 2100) {
		return 0, errs.Field("year", "年度应为 2000–2100 的整数", "year must be a whole number 2000–2100")
	}
	return n, nil
}

// page is the base of the module's map pages: the words for its figures.
type page struct {
	web.Page
	Years    []int  // years with figures, newest first
	AreaName string // an office area's reader: its area
}

// Pct is a share as a percent with one decimal; "—" when there is none.
func (p page) Pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// Growth is a growth rate signed, "—" when there is none.
func (p page) Growth(v *float64) string {
	if v == nil {
		return "—"
	}
	s := p.Pct(v)
	if *v > 0 {
		s = "+" + s
	}
	return s
}

// Wan is fen in 万元 with two decimals.
func (p page) Wan(fen int64) string {
	return strconv.FormatFloat(float64(fen)/1e6, 'f', 2, 64) + p.L(" 万元", " (10k yuan)")
}

// Tier is a tier code in words.
func (p page) Tier(code string) string { return p.L(enterprise.TierName(code)) }

// TierCount is a node's count of holders of a tier.
func (p page) TierCount(n insight.NodeFigures, code string) int64 { return n.Tiers[code] }

// MapTiers are the tiers the map counts.
func (p page) MapTiers() []string { return insight.MapTiers }

// Source says where the figures come from.
func (p page) Source() string { return p.L(insight.SourceZH, insight.SourceEN) }

// Indent is a node's name indented by its depth.
func (p page) Indent(n enterprise.ChainNode) string {
	return strings.Repeat("　", n.Depth) + p.L(n.NameZH, n.NameEN)
}

// basePage is a page of the module for year: the years to choose from
// (year among them even when it has no figures yet) and an office area's
// name.
func (h *handlers) basePage(r *http.Request, v insight.Viewer, year int, zh, en string) (page, error) {
	p := page{Page: h.Page(r, zh, en)}
	var err error
	if p.Years, err = h.Insight.Years(r.Context()); err != nil {
		return p, err
	}
	if year != 0 && !slices.Contains(p.Years, year) {
		p.Years = append(p.Years, year)
		slices.SortFunc(p.Years, func(a, b int) int { return b - a })
	}
	if v.AreaOnly && v.UnitID != 0 {
		u, err := h.Org.UnitByID(r.Context(), v.UnitID)
		if err != nil {
			return p, err
		}
		p.AreaName = p.L(u.NameZH, cmpOr(u.NameEN, u.NameZH))
	}
	return p, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type mapPage struct {
	page
	M    insight.ChainMap
	Tree template.HTML
}

// mapTree draws the chain map: each node's name and year, its
// enterprises, revenue with growth, tax and R&D with intensity, tier
// holders and first enterprise, shaded by its enterprises now.
func mapTree(p page, m insight.ChainMap, nodes []insight.NodeFigures, year string) chart.Tree {
	t := chart.Tree{Title: p.L("产业链图谱 "+strconv.Itoa(m.Year)+" 年（"+insight.SourceZH+"）", "Industry chain map "+strconv.Itoa(m.Year)+" ("+insight.SourceEN+")"), BoxWidth: 270}
	index := map[int64]int{}
	most := int64(0)
	for _, n := range nodes {
		most = max(most, n.Now)
	}
	for i, n := range nodes {
		index[n.Node.ID] = i
		parent := -1
		if at, ok := index[n.Node.ParentID]; ok {
			parent = at
		}
		tiers := make([]string, 0, len(insight.MapTiers))
		for _, c := range insight.MapTiers {
			zh, en := enterprise.TierName(c)
			tiers = append(tiers, p.L(shortTier(zh), en)+" "+strconv.FormatInt(n.Tiers[c], 10))
		}
		lines := []string{
			p.L("企业 "+strconv.FormatInt(n.Now, 10)+" 家（"+strconv.Itoa(m.Year)+" 年填报 "+strconv.FormatInt(n.Reporting, 10)+"）",
				strconv.FormatInt(n.Now, 10)+" firms ("+strconv.FormatInt(n.Reporting, 10)+" reporting "+strconv.Itoa(m.Year)+")"),
			p.L("营收 ", "Revenue ") + p.Wan(n.Revenue) + p.L(" 增长 ", " growth ") + p.Growth(n.Growth),
			p.L("税收 ", "Tax ") + p.Wan(n.Taxes) + p.L(" 研发 ", " R&D ") + p.Wan(n.RDSpend) + " (" + p.Pct(n.RDIntensity) + ")",
			strings.Join(tiers, " · "),
		}
		if len(n.Top) > 0 {
			lines = append(lines, p.L("首位：", "Top: ")+n.Top[0].Name)
		} else {
			lines = append(lines, p.L("首位：—", "Top: —"))
		}
		shade := 0.0
		if most > 0 {
			shade = float64(n.Now) / float64(most)
		}
		t.Nodes = append(t.Nodes, chart.TreeNode{ID: "node-" + n.Node.Code, Label: p.L(n.Node.NameZH, n.Node.NameEN),
			Lines: lines, Href: "/insight/chains/" + n.Node.Code + "?year=" + year, Parent: parent, Shade: shade})
	}
	return t
}

// shortTier is a tier's short Chinese name for the map's boxes.
func shortTier(zh string) string {
	switch zh {
	case "高新技术企业":
		return "高新"
	case "瞪羚企业":
		return "瞪羚"
	case "专精特新中小企业":
		return "专精特新"
	case "专精特新“小巨人”":
		return "小巨人"
	}
	return zh
}

func (h *handlers) handleMap(w http.ResponseWriter, r *http.Request) error {
	v := insightViewer(r)
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	m, err := h.Insight.ChainMap(r.Context(), v, year)
	if err != nil {
		return err
	}
	base, err := h.basePage(r, v, year, "产业大脑：产业链图谱", "Industry brain: chain map")
	if err != nil {
		return err
	}
	p := mapPage{page: base, M: m}
	p.Tree = mapTree(base, m, m.Nodes, strconv.Itoa(year)).SVG()
	return h.Render(w, r, "insight/map.html", p)
}

type chainPage struct {
	page
	M         insight.ChainMap
	N         insight.NodeFigures
	Path      []insight.NodeFigures // ancestors, root first
	Children  []insight.NodeFigures
	Tree      template.HTML
	Registry  string // the registry's list filtered to the node
	Breakdown string // the node's crossing by area
}

func (h *handlers) handleChain(w http.ResponseWriter, r *http.Request) error {
	v := insightViewer(r)
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	m, err := h.Insight.ChainMap(r.Context(), v, year)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	n, ok := m.Node(code)
	if !ok {
		return errs.New(errs.NotFound, "没有该产业链节点："+code, "no such chain node: "+code)
	}
	base, err := h.basePage(r, v, year, "产业链："+n.Node.NameZH, "Chain: "+n.Node.NameEN)
	if err != nil {
		return err
	}
	p := chainPage{page: base, M: m, N: n, Children: m.Children(n.Node.ID),
		Registry:  "/enterprises?chain=" + n.Node.Code,
		Breakdown: "/insight/breakdown?a=chain&b=area&year=" + strconv.Itoa(year)}
	for at := n.Node.ParentID; at != 0; {
		found := false
		for _, x := range m.Nodes {
			if x.Node.ID == at {
				p.Path = append([]insight.NodeFigures{x}, p.Path...)
				at, found = x.Node.ParentID, true
				break
			}
		}
		if !found {
			break
		}
	}
	sub := append([]insight.NodeFigures{n}, p.Children...)
	p.Tree = mapTree(base, m, sub, strconv.Itoa(year)).SVG()
	return h.Render(w, r, "insight/chain.html", p)
}

func (h *handlers) apiChains(w http.ResponseWriter, r *http.Request) error {
	year, err := h.year(r, false)
	if err != nil {
		return err
	}
	m, err := h.Insight.ChainMap(r.Context(), insightViewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m)
	return nil
}
