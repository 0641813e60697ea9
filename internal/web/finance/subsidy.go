package finance

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Policy tools (政策工具): the financing subsidy rules, each with its policy
// fund in the awards ledger, the deals funded in its year that it covers,
// and the subsidies granted. Staff read them; supervisors record rules and
// grant; payment happens on the fund's page in the awards module, by the
// ledger's rules.

func (s *handlers) subsidyRoutes() {
	sup := web.Only(org.Supervisor)
	s.Handle("GET /finance/subsidies", "Financing subsidy rules (贴息, 担保费补贴) and their funds", web.Staff, s.handleSubsidies)
	s.Handle("POST /finance/subsidies", "Record a financing subsidy rule and open its policy fund", sup, s.handleSubsidyCreate)
	s.Handle("GET /finance/subsidies/{id}", "A subsidy rule: its fund, the deals it covers, the subsidies granted", web.Staff, s.handleSubsidy)
	s.Handle("POST /finance/subsidies/{id}/grants", "Grant a funded deal its subsidy under the rule", sup, s.handleSubsidyGrant)

	ruleEx := finance.SubsidyRuleInput{Year: 2023, NameZH: "2023 年科技贷款贴息", NameEN: "Tech loan interest subsidy 2023", Kind: finance.SubsidyInterest,
		Instruments: []string{"loan", "ip_pledge"}, RateBP: 345, SharePct: 50, Months: 12, CapFen: 50_000_000, BudgetFen: 1_000_000_000,
		Basis: "郑高管〔2023〕12 号"}
	s.Handle("GET /api/v1/finance/subsidies", "Financing subsidy rules with their funds (?year=)", web.Staff, s.apiSubsidies)
	s.HandleBody("POST /api/v1/finance/subsidies", "Record a financing subsidy rule and open its policy fund", sup, ruleEx, s.apiSubsidyCreate)
	s.Handle("GET /api/v1/finance/subsidies/{id}", "A subsidy rule with the subsidies granted and the deals it may still grant", web.Staff, s.apiSubsidy)
	s.HandleBody("POST /api/v1/finance/subsidies/{id}/grants", "Grant a funded deal its subsidy (never twice, within the fund)", sup,
		grantRequest{MatchID: 12}, s.apiSubsidyGrant)
}

type grantRequest struct {
	MatchID int64 `json:"match_id"`
}

// subsidyDetail is a rule with what it granted and what it may grant.
type subsidyDetail struct {
	Rule       finance.SubsidyRule        `json:"rule"`
	Subsidies  []finance.Subsidy          `json:"subsidies"`
	Candidates []finance.SubsidyCandidate `json:"candidates"`
}

func (s *handlers) subsidyDetail(r *http.Request, id int64) (subsidyDetail, error) {
	v := viewer(r)
	var d subsidyDetail
	var err error
	if d.Rule, err = s.Finance.SubsidyRule(r.Context(), v, id); err != nil {
		return d, err
	}
	if d.Subsidies, err = s.Finance.Subsidies(r.Context(), v, finance.SubsidyFilter{RuleID: id}); err != nil {
		return d, err
	}
	d.Candidates, err = s.Finance.SubsidyCandidates(r.Context(), v, id)
	return d, err
}

// subsidyForm holds a rule as typed: rates in percent, money in 万元.
type subsidyForm struct {
	Year, NameZH, NameEN, Kind, Rate, Share, Months, Cap, Budget, Basis string
	Instruments                                                         []string
}

type subsidiesPage struct {
	page
	Rules   []finance.SubsidyRule
	CanRun  bool
	F       subsidyForm
	Kinds   []option
	Instr   []option
	Details []errs.Detail
}

// KindName is a subsidy kind in words.
func (p page) KindName(c string) string { return p.L(finance.SubsidyKindLabel(c)) }

// Percent is basis points written as a percent.
func (p page) Percent(bp int) string {
	return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) + "%"
}

func (s *handlers) renderSubsidies(w http.ResponseWriter, r *http.Request, f subsidyForm, failure error) error {
	v := viewer(r)
	p := subsidiesPage{page: page{s.Page(r, "政策工具：融资补贴", "Policy tools: financing subsidies")}, CanRun: v.Runs(), F: f}
	if p.F.Kind == "" {
		p.F = subsidyForm{Year: strconv.Itoa(s.Finance.Now().Year()), Kind: finance.SubsidyInterest, Share: "50", Months: "12",
			Instruments: []string{"loan", "ip_pledge"}}
	}
	p.Kinds = labelOptions(p.page, finance.SubsidyKinds, p.F.Kind)
	p.Instr = labelOptions(p.page, finance.Instruments, p.F.Instruments...)
	var err error
	if p.Rules, err = s.Finance.SubsidyRules(r.Context(), v, 0); err != nil {
		return err
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/subsidies.html", p)
}

func (s *handlers) handleSubsidies(w http.ResponseWriter, r *http.Request) error {
	return s.renderSubsidies(w, r, subsidyForm{}, nil)
}

// readRule reads the rule form into the service's input.
func readRule(r *http.Request) (subsidyForm, finance.SubsidyRuleInput, error) {
	f := subsidyForm{Year: r.FormValue("year"), NameZH: r.FormValue("name_zh"), NameEN: r.FormValue("name_en"), Kind: r.FormValue("kind"),
		Rate: r.FormValue("rate"), Share: r.FormValue("share_pct"), Months: r.FormValue("months"), Cap: r.FormValue("cap"),
		Budget: r.FormValue("budget"), Basis: r.FormValue("basis"), Instruments: r.Form["instruments"]}
	in := finance.SubsidyRuleInput{NameZH: f.NameZH, NameEN: f.NameEN, Kind: f.Kind, Instruments: f.Instruments, Basis: f.Basis}
	var bad []errs.Detail
	whole := func(typed, field, zh, en string) int {
		n, err := strconv.Atoi(strings.TrimSpace(typed))
		if err != nil {
			bad = append(bad, errs.Detail{Field: field, Value: typed, Reason: zh + "应为整数", ReasonEN: en + " must be a whole number"})
		}
		return n
	}
	in.Year = whole(f.Year, "year", "年度", "the year")
	in.SharePct = whole(f.Share, "share_pct", "补贴比例", "the share")
	in.Months = whole(f.Months, "months", "补贴期限", "the months")
	// The rate is typed in percent with up to two decimals: 3.45 → 345 bp.
	if bp, ok := percentBP(f.Rate); ok {
		in.RateBP = bp
	} else {
		bad = append(bad, errs.Detail{Field: "rate_bp", Value: f.Rate, Reason: "年化利率/费率应为百分数，最多两位小数，如 3.45", ReasonEN: "the yearly rate is a percent with two decimals at most, e.g. 3.45"})
	}
	for _, a := range []struct {
		typed, field string
		dst          *int64
	}{{f.Cap, "cap_fen", &in.CapFen}, {f.Budget, "budget_fen", &in.BudgetFen}} {
		fen, err := amount(a.typed, true, a.field)
		if err != nil {
			e := errs.As(err)
			bad = append(bad, errs.Detail{Field: a.field, Value: a.typed, Reason: e.Msg, ReasonEN: e.MsgEN})
		}
		*a.dst = fen
	}
	if len(bad) > 0 {
		return f, in, errs.List("补贴政策填写有误，未保存", "the subsidy rule has errors; nothing was saved", bad)
	}
	return f, in, nil
}

// percentBP reads a percent with at most two decimals as basis points.
func percentBP(typed string) (int, bool) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(typed), "%"))
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || w > 100 || f < 0 {
		return 0, false
	}
	return w*100 + f, true
}

func (s *handlers) handleSubsidyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	f, in, err := readRule(r)
	if err == nil {
		var rule finance.SubsidyRule
		if rule, err = s.Finance.CreateSubsidyRule(r.Context(), viewer(r), in); err == nil {
			return web.SeeOther(w, r, subsidyPath(rule.ID)+"?ok=created")
		}
	}
	return s.renderSubsidies(w, r, f, err)
}

func subsidyPath(id int64) string { return "/finance/subsidies/" + strconv.FormatInt(id, 10) }

type subsidyPage struct {
	page
	subsidyDetail
	CanRun  bool
	Details []errs.Detail
}

// Left is what the rule's fund has not granted.
func (p subsidyPage) Left() int64 { return p.Rule.BudgetFen - p.Rule.GrantedFen }

// Formula is a quote's formula in the page's language.
func (p page) Formula(q finance.SubsidyQuote) string { return p.L(q.FormulaZH, q.FormulaEN) }

func (s *handlers) renderSubsidy(w http.ResponseWriter, r *http.Request, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.subsidyDetail(r, id)
	if err != nil {
		return err
	}
	p := subsidyPage{page: page{s.Page(r, d.Rule.NameZH, d.Rule.NameEN)}, subsidyDetail: d, CanRun: viewer(r).Runs()}
	if p.TitleEN == "" {
		p.TitleEN = d.Rule.NameZH
	}
	if r.URL.Query().Get("ok") == "granted" {
		p.Flash = p.L("已核定补贴，请到政策资金页面申请付款", "Granted: request its payment on the fund's page")
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/subsidy.html", p)
}

func (s *handlers) handleSubsidy(w http.ResponseWriter, r *http.Request) error {
	return s.renderSubsidy(w, r, nil)
}

func (s *handlers) handleSubsidyGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	match, err := strconv.ParseInt(r.FormValue("match_id"), 10, 64)
	if err != nil || match <= 0 {
		return s.renderSubsidy(w, r, errs.Field("match_id", "请选择一笔已到位的融资", "choose a funded deal"))
	}
	if _, err := s.Finance.GrantSubsidy(r.Context(), viewer(r), match, id); err != nil {
		return s.renderSubsidy(w, r, err)
	}
	return web.SeeOther(w, r, subsidyPath(id)+"?ok=granted")
}

func (s *handlers) apiSubsidies(w http.ResponseWriter, r *http.Request) error {
	year := 0
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return errs.Field("year", "年度应为 2000–2100 的整数", "year must be 2000–2100")
		}
		year = n
	}
	rules, err := s.Finance.SubsidyRules(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, subsidyRulesAnswer{Rules: rules})
	return nil
}

func (s *handlers) apiSubsidyCreate(w http.ResponseWriter, r *http.Request) error {
	var in finance.SubsidyRuleInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rule, err := s.Finance.CreateSubsidyRule(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, rule)
	return nil
}

func (s *handlers) apiSubsidy(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (subsidyDetail, error) { return s.subsidyDetail(r, id) })
}

func (s *handlers) apiSubsidyGrant(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusCreated, func(id int64, body grantRequest) (finance.Subsidy, error) {
		return s.Finance.GrantSubsidy(r.Context(), viewer(r), body.MatchID, id)
	})
}
