package insight

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gaoxin/internal/chart"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// The tier pipeline (梯度培育): the funnel, who moved up, who is close to
// the next tier with the gap per criterion, certificates ending soon; a
// supervisor turns chosen enterprises of the close list into plan tasks.
// Staff and zone-wide units read the zone, an office area's unit its own
// area (the service decides); enterprises and the public are refused.

// pipelineDocs describes the tier pipeline's API routes.
var pipelineDocs = map[string]web.Doc{
	"GET /api/v1/insight/pipeline": {Query: web.Query(
		"year:integer 年度（2000–2100；不填或 0 为当前）/ year (none or 0: now)",
		"tier:string(tsme|hnte|gazelle|srdi|little_giant) 只列接近该梯队的企业 / list only those close to this tier",
		"limit:integer 各名单最多列出几项（1–500，默认 50）/ at most this many per list (1–500, default 50)",
	), Response: insight.Pipeline{}},
	"POST /api/v1/insight/pipeline/outreach": {Response: insight.Outreach{}, Status: http.StatusCreated},
}

// pipelineRoutes registers the tier pipeline.
func (h *handlers) pipelineRoutes() {
	readers := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)
	sup := web.Only(org.Supervisor)
	h.Handle("GET /insight/pipeline", "The tier pipeline: funnel, who moved up, who is close to the next tier, certificates ending soon", readers, h.handlePipeline)
	h.Handle("GET /insight/pipeline.xlsx", "Export the tier pipeline (?year=, ?tier=) as .xlsx: funnel, movers, close to the next tier with gaps, certificates ending soon", readers, h.exportPipeline)
	h.Handle("POST /insight/pipeline/outreach", "Turn chosen enterprises close to a tier into outreach tasks of the work plan", sup, h.handleOutreach)
	h.Handle("GET /api/v1/insight/pipeline", "The tier pipeline of a year (?year=, ?tier=)", readers, h.apiPipeline)
	h.HandleBody("POST /api/v1/insight/pipeline/outreach", "Make outreach tasks in the work plan for enterprises close to a tier", sup,
		insight.OutreachInput{ParentID: 12, LeadUnit: "jfj", Picks: []insight.OutreachPick{{EnterpriseID: 42, Tier: "hnte"}}}, h.apiOutreach)
}

// pipelineQuery reads ?year=, ?tier= and ?limit= (a form's fields too).
func pipelineQuery(r *http.Request) (insight.PipelineQuery, error) {
	var q insight.PipelineQuery
	if y := strings.TrimSpace(r.FormValue("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return q, errs.Field("year", "年度应为整数", "the year must be a whole number")
		}
		q.Year = n
	}
	q.Tier = strings.TrimSpace(r.FormValue("tier"))
	if l := r.FormValue("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return q, errs.Field("limit", "数量应为整数", "limit must be a whole number")
		}
		q.Limit = n
	}
	return q, nil
}

func (h *handlers) apiPipeline(w http.ResponseWriter, r *http.Request) error {
	q, err := pipelineQuery(r)
	if err != nil {
		return err
	}
	p, err := h.Insight.Pipeline(r.Context(), insightViewer(r), q)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (h *handlers) apiOutreach(w http.ResponseWriter, r *http.Request) error {
	var in insight.OutreachInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.Insight.MakeOutreach(r.Context(), insightViewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, out)
	return nil
}

// option is a choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// outreachForm is the outreach form as typed.
type outreachForm struct {
	ParentID, LeadUnit, DueOn string
	Picks                     map[string]bool // "enterprise:tier"
}

type pipelinePage struct {
	web.Page
	P           insight.Pipeline
	Funnel      template.HTML
	Years       []option
	Tiers       []option
	Rules       []insight.TierRule
	CanOutreach bool
	Actions     []option
	Units       []option
	F           outreachForm
	Details     []errs.Detail
}

// Pct writes basis points as a percent with one decimal.
func (p pipelinePage) Pct(bp int64) string {
	return strconv.FormatFloat(float64(bp)/100, 'f', 1, 64) + "%"
}

// Gap is a gap in the page's language.
func (p pipelinePage) Gap(g insight.Gap) string { return p.L(g.TextZH, g.TextEN) }

// Tier is a tier's name in the page's language.
func (p pipelinePage) Tier(zh, en string) string { return p.L(zh, en) }

// TierOf is a tier code's name in the page's language.
func (p pipelinePage) TierOf(code string) string { return p.L(enterprise.TierName(code)) }

// PickKey names a candidate in the outreach form.
func (p pipelinePage) PickKey(c insight.Candidate) string {
	return strconv.FormatInt(c.EnterpriseID, 10) + ":" + c.Tier
}

// YearLabel is a year of the select ("当前" for 0).
func (p pipelinePage) YearLabel(y int) string {
	if y == 0 {
		return p.L("当前", "Now")
	}
	return strconv.Itoa(y)
}

// exportPipeline writes the pipeline as .xlsx: the funnel, the year's
// movers, those close to the next tier with their gaps, and the
// certificates ending soon, a sheet each.
func (h *handlers) exportPipeline(w http.ResponseWriter, r *http.Request) error {
	q, err := pipelineQuery(r)
	if err != nil {
		return err
	}
	pp, err := h.Insight.Pipeline(r.Context(), insightViewer(r), q)
	if err != nil {
		return err
	}
	b, err := newBook("梯队漏斗")
	if err != nil {
		return err
	}
	if err := b.head(1, "梯队", "企业数", "占上一级"); err != nil {
		return err
	}
	for i, st := range pp.Funnel {
		var names []string
		for _, t := range st.Tiers {
			names = append(names, t.NameZH)
		}
		share := any("")
		if i > 0 {
			v := float64(st.OfPrevious) / 10000
			share = b.share(&v)
		}
		if err := b.row(i+2, strings.Join(names, "/"), st.Count, share); err != nil {
			return err
		}
	}
	if err := b.sw.Flush(); err != nil {
		return err
	}
	sheets := []struct {
		name string
		head []string
		rows [][]any
	}{{name: "本年晋级", head: []string{"企业", "晋级为", "此前", "证书起始日", "级别", "证书编号"}},
		{name: "接近下一梯队", head: []string{"企业", "目标梯队", "比对数据年度", "未达条件数", "差距"}},
		{name: "90天内到期", head: []string{"企业", "资质", "证书编号", "有效期至"}}}
	for _, m := range pp.Movers {
		sheets[0].rows = append(sheets[0].rows, []any{typed(m.Name), m.TierZH, m.FromZH, m.On, m.Level, typed(m.CertNo)})
	}
	for _, c := range pp.Close {
		var gaps []string
		for _, g := range c.Gaps {
			gaps = append(gaps, g.TextZH)
		}
		sheets[1].rows = append(sheets[1].rows, []any{typed(c.Name), c.TierZH, c.FiguresYear, c.Unmet, typed(strings.Join(gaps, "；"))})
	}
	for _, t := range pp.Expiring {
		zh, _ := enterprise.TierName(t.Tier)
		sheets[2].rows = append(sheets[2].rows, []any{typed(t.Name), zh, typed(t.CertNo), t.ValidTo})
	}
	for _, sh := range sheets {
		if _, err := b.f.NewSheet(sh.name); err != nil {
			return err
		}
		head := make([]any, len(sh.head))
		for i, h := range sh.head {
			head[i] = h
		}
		if err := b.f.SetSheetRow(sh.name, "A1", &head); err != nil {
			return err
		}
		for i, row := range sh.rows {
			if err := b.f.SetSheetRow(sh.name, "A"+strconv.Itoa(i+2), &row); err != nil {
				return err
			}
		}
		if err := b.f.SetColWidth(sh.name, "A", "E", 22); err != nil {
			return err
		}
	}
	return b.send(w, "企业梯度培育.xlsx")
}

func (h *handlers) handlePipeline(w http.ResponseWriter, r *http.Request) error {
	return h.renderPipeline(w, r, outreachForm{}, nil)
}

func (h *handlers) renderPipeline(w http.ResponseWriter, r *http.Request, f outreachForm, failure error) error {
	q, err := pipelineQuery(r)
	if err != nil {
		return err
	}
	v := insightViewer(r)
	pp, err := h.Insight.Pipeline(r.Context(), v, q)
	if err != nil {
		return err
	}
	p := pipelinePage{Page: h.Page(r, "企业梯度培育", "Tier pipeline"), P: pp, Rules: insight.TierRules, F: f, CanOutreach: v.Role == org.Supervisor}
	if r.URL.Query().Get("ok") == "outreach" {
		p.Flash = p.L("已生成走访任务："+r.URL.Query().Get("n")+" 项，见督查督办", "Outreach tasks made: "+r.URL.Query().Get("n")+"; see the work plan")
	}
	bands := make([]chart.Band, len(pp.Funnel))
	for i, st := range pp.Funnel {
		names := make([]string, len(st.Tiers))
		for j, t := range st.Tiers {
			names[j] = p.L(t.NameZH, t.NameEN)
		}
		bands[i] = chart.Band{Label: strings.Join(names, "/"), Value: st.Count}
		if i > 0 && pp.Funnel[i-1].Count > 0 {
			bands[i].Note = p.L("占上一级 ", "of the stage above ") + p.Pct(st.OfPrevious)
		}
	}
	title := p.L("企业梯度培育漏斗", "Tier funnel") + "（" + p.YearLabel(pp.Year) + "）"
	p.Funnel = chart.Funnel{Title: title, Bands: bands}.SVG()
	for _, y := range pp.Years {
		p.Years = append(p.Years, option{strconv.Itoa(y), p.YearLabel(y), y == pp.Year})
	}
	if len(pp.Years) == 0 {
		p.Years = []option{{"0", p.YearLabel(0), true}}
	}
	p.Tiers = []option{{"", p.L("全部梯队", "Every tier"), pp.Tier == ""}}
	for _, rule := range insight.TierRules {
		zh, en := tierNames(pp, rule.Tier)
		p.Tiers = append(p.Tiers, option{rule.Tier, p.L(zh, en), rule.Tier == pp.Tier})
	}
	if p.CanOutreach {
		actions, err := h.Insight.OutreachActions(r.Context(), v, pp.PlanYear)
		if err != nil && errs.As(err).Code != errs.NotFound {
			return err
		}
		for i, a := range actions {
			p.Actions = append(p.Actions, option{strconv.FormatInt(a.ID, 10), a.Title, f.ParentID == strconv.FormatInt(a.ID, 10) || (f.ParentID == "" && i == 0)})
		}
		units, err := h.Org.Units(r.Context())
		if err != nil {
			return err
		}
		p.Units = []option{{"", p.L("企业所属办事处", "The enterprise's office area"), f.LeadUnit == ""}}
		for _, u := range units {
			if !u.Disabled {
				p.Units = append(p.Units, option{u.Code, p.L(u.NameZH, u.NameEN), u.Code == f.LeadUnit})
			}
		}
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal || e.Code == errs.Unauthorized {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	return h.Render(w, r, "insight/pipeline.html", p)
}

// tierNames names a tier from the funnel (which carries every name).
func tierNames(pp insight.Pipeline, code string) (string, string) {
	for _, st := range pp.Funnel {
		for _, t := range st.Tiers {
			if t.Tier == code {
				return t.NameZH, t.NameEN
			}
		}
	}
	return code, code
}

func (h *handlers) handleOutreach(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	f := outreachForm{ParentID: r.FormValue("parent_id"), LeadUnit: r.FormValue("lead_unit"), DueOn: strings.TrimSpace(r.FormValue("due_on")), Picks: map[string]bool{}}
	q, err := pipelineQuery(r)
	if err != nil {
		return err
	}
	in := insight.OutreachInput{LeadUnit: f.LeadUnit, DueOn: f.DueOn}
	in.ParentID, _ = strconv.ParseInt(f.ParentID, 10, 64)
	for _, k := range r.Form["pick"] {
		id, tier, ok := strings.Cut(k, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			return errs.Field("pick", "所选企业无效", "invalid pick")
		}
		f.Picks[k] = true
		in.Picks = append(in.Picks, insight.OutreachPick{EnterpriseID: n, Tier: tier})
	}
	out, err := h.Insight.MakeOutreach(r.Context(), insightViewer(r), in)
	if err != nil {
		// The list the form was on (its year and tier are form fields), with the error.
		return h.renderPipeline(w, r, f, err)
	}
	back := url.Values{"year": {strconv.Itoa(q.Year)}, "tier": {q.Tier}, "ok": {"outreach"}, "n": {strconv.Itoa(len(out.Tasks))}}
	return web.SeeOther(w, r, "/insight/pipeline?"+back.Encode())
}
