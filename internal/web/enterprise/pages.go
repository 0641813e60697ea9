package enterprise

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/chart"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// page carries what every enterprise page shows and the helpers its
// templates call.
type page struct {
	web.Page
	CanWrite bool
}

// StatusName is a status in the page's language.
func (p page) StatusName(s enterprise.Status) string { return p.L(s.Label()) }

// TierName is a tier in the page's language.
func (p page) TierName(code string) string { return p.L(enterprise.TierName(code)) }

// LevelName is a certificate level in the page's language.
func (p page) LevelName(l string) string { return p.L(enterprise.LevelName(l)) }

// SourceName is a figure source in the page's language.
func (p page) SourceName(s enterprise.Source) string { return p.L(s.Label()) }

// Fen formats an amount of fen.
func (p page) Fen(v int64) string { return enterprise.FormatFen(v) }

// EntNav is the registry's tab bar (the "enttabs" template draws it);
// the write tabs show to writers only.
func (p page) EntNav() []web.NavItem {
	tabs := []web.NavItem{{ZH: "企业列表", EN: "Enterprises", Href: "/enterprises"}}
	if p.CanWrite {
		tabs = append(tabs, web.NavItem{ZH: "新建企业", EN: "New enterprise", Href: "/enterprises/new"},
			web.NavItem{ZH: "导入", EN: "Import", Href: "/enterprises/import"},
			web.NavItem{ZH: "待确认数据", EN: "To confirm", Href: "/enterprises/pending"})
	}
	for i := range tabs {
		tabs[i].Active = p.Path == tabs[i].Href
	}
	return tabs
}

func (s *handlers) page(r *http.Request, zh, en string) page {
	return page{Page: s.Page(r, zh, en), CanWrite: viewer(r).Writes()}
}

type listPage struct {
	page
	Q          url.Values
	Rows       []listRow
	DemoTag    string // the tag beside a synthetic enterprise, in the page's language
	NextURL    string
	ExportURL  string
	ExportCSV  string
	Areas      []org.Unit
	Chains     []enterprise.ChainNode
	Indicators []enterprise.Indicator
	Expiring   []enterprise.Tier
	// The filters' selects after their first option (all, or none): each
	// option in the page's language, the filter's chosen value selected
	// (filterOptions).
	AreaOptions, ChainOptions, TierOptions, StatusOptions, IndicatorOptions []selectOption
}

// listRow is one enterprise of the list with its words worked out in Go:
// the template reads fields, with no method call or inner range per row
// (a page has fifty rows, and html/template calls each reflectively).
type listRow struct {
	ID                                                     int64
	Name, CreditCode, AreaName, IndustryCode, IndustryName string
	Chains, Status                                         string
	Synthetic                                              bool
}

func (p *listPage) listRows(items []enterprise.Enterprise) []listRow {
	p.DemoTag = p.L("演示", "demo")
	rows := make([]listRow, len(items))
	var chains strings.Builder
	for i, e := range items {
		chains.Reset()
		for k, c := range e.Chains {
			if k > 0 {
				chains.WriteString("、")
			}
			chains.WriteString(c.NameZH)
		}
		rows[i] = listRow{ID: e.ID, Name: e.Name, CreditCode: e.CreditCode, AreaName: e.AreaName, IndustryCode: e.IndustryCode,
			IndustryName: e.IndustryName, Chains: chains.String(), Status: p.StatusName(e.Status), Synthetic: e.Synthetic}
	}
	return rows
}

// selectOption is one option of a select.
type selectOption struct {
	Value, Label string
	Selected     bool
}

func (s *handlers) handleList(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	if v.Role == org.Enterprise && v.EnterpriseID != 0 {
		return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(v.EnterpriseID, 10))
	}
	p := listPage{page: s.page(r, "企业库", "Enterprise registry"), Q: r.URL.Query()}
	ctx := r.Context()
	var err error
	if p.Chains, err = s.Enterprise.ChainTree(ctx); err != nil {
		return err
	}
	if p.Indicators, err = s.Enterprise.Indicators(ctx); err != nil {
		return err
	}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Kind == "办事处" || u.Kind == "园区" {
			p.Areas = append(p.Areas, u)
		}
	}
	f, err := s.filter(r)
	if err == nil {
		var page enterprise.Page
		page, err = s.Enterprise.List(ctx, v, f)
		p.Rows = p.listRows(page.Items)
		if page.Next != 0 {
			q := r.URL.Query()
			q.Set("after", strconv.FormatInt(page.Next, 10))
			p.NextURL = "/enterprises?" + q.Encode()
		}
	}
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Invalid {
			return err
		}
		p.Error = e.Message(p.Lang)
		for _, d := range e.Details {
			p.Error += " " + d.Field + ": " + p.L(d.Reason, d.ReasonEN)
		}
		w.WriteHeader(http.StatusBadRequest)
	}
	q := r.URL.Query()
	q.Del("after")
	p.ExportURL = "/enterprises/export.xlsx?" + q.Encode()
	p.ExportCSV = "/enterprises/export.csv?" + q.Encode()
	if p.Expiring, err = s.Enterprise.Expiring(ctx, v, 10); err != nil {
		return err
	}
	p.filterOptions()
	return s.Render(w, r, "enterprise/list.html", p)
}

// yearRow is one year of the figures table.
type yearRow struct {
	Year  int
	Cells []figCell
}

type figCell struct {
	Text   string
	Source string // the source's name, in the page's language
	Has    bool
}

type detailPage struct {
	page
	E          enterprise.Enterprise
	Tiers      []enterprise.Tier
	Indicators []enterprise.Indicator
	Years      []yearRow
	Figures    []enterprise.Figure // every value
	Sources    []figureRow         // the sources table (figureRows)
	AllSources bool                // the sources table shows every value
	Chart      template.HTML
	History    []enterprise.HistoryRow
	Changes    []historyView // History, in words
	IsSelf     bool
	FormYear   int
	TierKinds  []enterprise.TierKind
	Details    []errs.Detail
	// Bank is the enterprise's bank account, loaded for registry staff
	// only (nil for every other viewer, so no template can show it).
	Bank      *enterprise.BankAccount
	indByCode map[string]enterprise.Indicator
	who       web.People // who entered a value or made a change, by name
}

// Value formats a stored value of an indicator with its unit.
func (p detailPage) Value(f enterprise.Figure) string {
	return figureText(p.indByCode[f.Indicator], f.Value)
}

// figureText is how pages show a value: money the Chinese way (元, 万元 or
// 亿元 with two decimals), anything else in its unit.
func figureText(ind enterprise.Indicator, v int64) string {
	if ind.Money() {
		return enterprise.FormatFen(v)
	}
	return enterprise.FormatDisplay(ind, v) + " " + enterprise.DisplayUnit(ind)
}

// HeadUnit is the unit under an indicator's column head: none for money,
// whose cells carry their own (元, 万元 or 亿元).
func (p detailPage) HeadUnit(i enterprise.Indicator) string {
	if i.Money() {
		return ""
	}
	return enterprise.DisplayUnit(i)
}

// IndName names an indicator code.
func (p detailPage) IndName(code string) string {
	i := p.indByCode[code]
	return p.L(i.NameZH, i.NameEN)
}

// Unit is an indicator's display unit.
func (p detailPage) Unit(i enterprise.Indicator) string { return enterprise.DisplayUnit(i) }

// StatusText names a figure status.
func (p detailPage) StatusText(s string) string {
	switch s {
	case enterprise.Pending:
		return p.L("待确认", "pending")
	case enterprise.Rejected:
		return p.L("已退回", "rejected")
	}
	return p.L("已确认", "confirmed")
}

func (s *handlers) detail(r *http.Request, id int64) (detailPage, error) {
	v := viewer(r)
	ctx := r.Context()
	d, err := s.Enterprise.DetailWithHistory(ctx, v, id, 50)
	if err != nil {
		return detailPage{}, err
	}
	e := d.Enterprise
	p := detailPage{page: s.page(r, e.Name, e.Name), E: e, IsSelf: v.Role == org.Enterprise && v.EnterpriseID == id,
		TierKinds: enterprise.Tiers, indByCode: map[string]enterprise.Indicator{}}
	p.FormYear, _ = strconv.Atoi(s.Enterprise.Today()[:4])
	p.FormYear--
	p.Tiers, p.Figures, p.History, p.Indicators = d.Tiers, d.Figures, d.History, d.Indicators
	for _, i := range p.Indicators {
		p.indByCode[i.Code] = i
	}
	p.Years, p.Chart = figureTable(p.Indicators, p.Figures, p.L)
	p.AllSources = r.URL.Query().Get("figures") == "all"
	var people []string
	for _, f := range p.Figures {
		people = append(people, f.EnteredByName)
	}
	for _, h := range p.History {
		people = append(people, h.Actor)
	}
	if p.who, err = s.People(ctx, p.Page, people...); err != nil {
		return detailPage{}, err
	}
	p.Sources = p.figureRows(p.AllSources)
	p.Changes = p.historyViews()
	if v.Staff() {
		b, err := s.Enterprise.BankAccount(ctx, v, id)
		if err != nil {
			return detailPage{}, err
		}
		p.Bank = &b
	}
	return p, nil
}

// figureTable lays out the effective whole-year values by year (newest
// first) and draws the money indicators over the years in 万元. The
// values sit in a grid of years by indicators (no maps: a page has a
// hundred of them).
func figureTable(inds []enterprise.Indicator, figs []enterprise.Figure, L func(string, string) string) ([]yearRow, template.HTML) {
	var years []int // ascending
	for _, f := range figs {
		if f.Effective && f.Month == 0 {
			if i, found := slices.BinarySearch(years, f.Year); !found {
				years = slices.Insert(years, i, f.Year)
			}
		}
	}
	if len(years) == 0 {
		return nil, ""
	}
	grid := make([]*enterprise.Figure, len(years)*len(inds)) // [year][indicator]
	for k := range figs {
		f := &figs[k]
		if !f.Effective || f.Month != 0 {
			continue
		}
		y, _ := slices.BinarySearch(years, f.Year)
		for j := range inds {
			if inds[j].Code == f.Indicator {
				grid[y*len(inds)+j] = f
				break
			}
		}
	}
	rows := make([]yearRow, 0, len(years))
	cells := make([]figCell, len(years)*len(inds))
	for y := len(years) - 1; y >= 0; y-- {
		row := yearRow{Year: years[y], Cells: cells[:len(inds):len(inds)]}
		cells = cells[len(inds):]
		for j, ind := range inds {
			f := grid[y*len(inds)+j]
			if f == nil {
				continue
			}
			c := figCell{Has: true, Source: L(f.Source.Label())}
			if ind.Money() {
				c.Text = enterprise.FormatFen(f.Value)
			} else {
				c.Text = enterprise.FormatDisplay(ind, f.Value)
			}
			row.Cells[j] = c
		}
		rows = append(rows, row)
	}
	line := chart.Line{Title: L("主要经济指标（万元）", "Main figures (10k yuan)"), YUnit: "", XLabels: make([]string, len(years))}
	for i, y := range years {
		line.XLabels[i] = strconv.Itoa(y)
	}
	for j, ind := range inds {
		if !ind.Money() || len(line.Series) == 4 {
			continue
		}
		sr := chart.Series{Name: L(ind.NameZH, ind.NameEN), Values: make([]float64, len(years))}
		any := false
		for y := range years {
			if f := grid[y*len(inds)+j]; f != nil {
				any = true
				sr.Values[y] = float64(f.Value) / 1e6
			} else {
				sr.Values[y] = math.NaN()
			}
		}
		if any {
			line.Series = append(line.Series, sr)
		}
	}
	return rows, line.SVG()
}

func (s *handlers) handleDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.detail(r, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, "enterprise/detail.html", p)
}

// formError re-renders the detail page with the error and its details.
func (s *handlers) formError(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	e := errs.As(err)
	if e.Code != errs.Invalid && e.Code != errs.Conflict {
		return err
	}
	p, perr := s.detail(r, id)
	if perr != nil {
		return perr
	}
	p.Error, p.Details = e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "enterprise/detail.html", p)
}

func (s *handlers) handleFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	inds, err := s.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	year, yerr := strconv.Atoi(strings.TrimSpace(r.FormValue("year")))
	var in []enterprise.FigureInput
	var bad []errs.Detail
	if yerr != nil {
		bad = append(bad, errs.Detail{Field: "year", Value: r.FormValue("year"), Reason: "年度无效", ReasonEN: "invalid year"})
	}
	for _, ind := range inds {
		raw := strings.TrimSpace(r.FormValue("v_" + ind.Code))
		if raw == "" {
			continue
		}
		v, err := enterprise.ParseDisplay(ind, raw)
		if err != nil {
			bad = append(bad, errs.As(err).Details...)
			continue
		}
		in = append(in, enterprise.FigureInput{Indicator: ind.Code, Year: year, Value: v, Source: enterprise.Source(r.FormValue("source"))})
	}
	if len(bad) > 0 {
		return s.formError(w, r, id, errs.List("数据有误", "some figures are invalid", bad))
	}
	if err := s.Enterprise.SetFigures(r.Context(), viewer(r), id, in); err != nil {
		return s.formError(w, r, id, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved#figures")
}

func (s *handlers) handleReview(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.FormValue("year"))
	month, _ := strconv.Atoi(r.FormValue("month"))
	if err := s.Enterprise.Review(r.Context(), viewer(r), id, r.FormValue("indicator"), year, month, r.FormValue("decision") == "confirm", r.FormValue("reason")); err != nil {
		return err
	}
	if back := r.FormValue("back"); back == "pending" {
		return web.SeeOther(w, r, "/enterprises/pending?ok=saved")
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved#figures")
}

func (s *handlers) handleTier(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	t := enterprise.Tier{Tier: r.FormValue("tier"), Level: r.FormValue("level"), CertNo: r.FormValue("cert_no"), ValidFrom: r.FormValue("valid_from"),
		ValidTo: r.FormValue("valid_to"), Board: r.FormValue("board"), StockCode: r.FormValue("stock_code"), Note: r.FormValue("note")}
	if _, err := s.Enterprise.AddTier(r.Context(), viewer(r), id, t); err != nil {
		return s.formError(w, r, id, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved#tiers")
}

func (s *handlers) handleBank(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b := enterprise.BankAccount{BankName: r.FormValue("bank_name"), Account: r.FormValue("bank_account")}
	if _, err := s.Enterprise.SetBankAccount(r.Context(), viewer(r), id, b); err != nil {
		return s.formError(w, r, id, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved#bank")
}

func (s *handlers) handleLink(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Enterprise.LinkAccount(r.Context(), viewer(r), id, r.FormValue("username")); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			err = errs.Field("username", "账号不存在", "no such account")
		}
		return s.formError(w, r, id, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved")
}

type pendingPage struct {
	page
	Who       web.People // who reported each value, by name
	Items     []enterprise.PendingFigure
	indByCode map[string]enterprise.Indicator
}

// Value formats a pending value with its unit.
func (p pendingPage) Value(f enterprise.Figure) string {
	return figureText(p.indByCode[f.Indicator], f.Value)
}

// OfficialValue formats the value in force for a pending value's period.
func (p pendingPage) OfficialValue(f enterprise.PendingFigure) string {
	return figureText(p.indByCode[f.Indicator], f.Official)
}

// IndName names an indicator code.
func (p pendingPage) IndName(code string) string {
	i := p.indByCode[code]
	return p.L(i.NameZH, i.NameEN)
}

func (s *handlers) handlePending(w http.ResponseWriter, r *http.Request) error {
	p := pendingPage{page: s.page(r, "待确认的企业自报数据", "Self-reported figures to confirm"), indByCode: map[string]enterprise.Indicator{}}
	var err error
	if p.Items, err = s.Enterprise.Pending(r.Context(), viewer(r), 200); err != nil {
		return err
	}
	var people []string
	for _, f := range p.Items {
		people = append(people, f.EnteredByName)
	}
	if p.Who, err = s.People(r.Context(), p.Page, people...); err != nil {
		return err
	}
	inds, err := s.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	for _, i := range inds {
		p.indByCode[i.Code] = i
	}
	return s.Render(w, r, "enterprise/pending.html", p)
}
