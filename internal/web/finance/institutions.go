package finance

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/web"
)

// Institution pages: the list, registration (an investor account) and
// recording (staff), the approval queue, an institution's profile, and a
// government fund with its sub-funds and investments.

type institutionsPage struct {
	page
	Institutions []finance.Institution
	Filter       finance.InstitutionFilter
	Kinds        []option
	States       []option
	Staff        bool
	CanAdd       bool
}

func (s *handlers) handleInstitutions(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	q := r.URL.Query()
	p := institutionsPage{page: page{s.Page(r, "金融机构", "Financial institutions")}, Staff: v.Staff(), CanAdd: v.Runs(),
		Filter: finance.InstitutionFilter{State: q.Get("state"), Kind: q.Get("kind")}}
	p.Kinds = labelOptions(p.page, finance.Kinds, p.Filter.Kind)
	p.States = labelOptions(p.page, finance.InstStates, p.Filter.State)
	is, err := s.Finance.Institutions(r.Context(), v, p.Filter)
	if err != nil {
		return err
	}
	p.Institutions = is
	return s.Render(w, r, "finance/institutions.html", p)
}

// institutionForm is the registration form, holding what was typed.
type institutionForm struct {
	page
	F                         finance.InstitutionInput
	AUM, TicketMin, TicketMax string // 万元, as typed
	Committed, PaidIn         string
	Contacts                  []finance.Contact // with blank rows to fill
	Kinds, Stages, Instr      []option
	Chains                    []option
	Funds                     []finance.Institution // parents a sub-fund may name
	Staff                     bool
	Details                   []errs.Detail
}

func (s *handlers) renderInstitutionForm(w http.ResponseWriter, r *http.Request, f institutionForm, failure error) error {
	v := viewer(r)
	f.Staff = v.Runs()
	if f.Staff {
		f.TitleZH, f.TitleEN = "录入金融机构", "Record an institution"
	}
	f.Kinds = labelOptions(f.page, finance.Kinds, f.F.Kind)
	f.Stages = labelOptions(f.page, finance.Stages, f.F.Stages...)
	f.Instr = labelOptions(f.page, finance.Instruments, f.F.Instruments...)
	var err error
	if f.Chains, err = s.chainOptions(r.Context(), f.page, f.F.Chains); err != nil {
		return err
	}
	funds, err := s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{Kind: finance.KindGovFund, State: stateFor(v)})
	if err != nil {
		return err
	}
	for _, i := range funds {
		if i.ParentID == 0 {
			f.Funds = append(f.Funds, i)
		}
	}
	for len(f.Contacts) < 3 {
		f.Contacts = append(f.Contacts, finance.Contact{})
	}
	if err := failed(w, &f.Page, &f.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/institution_form.html", f)
}

// stateFor is the state filter a list of parent funds uses: approved ones
// for staff too, who would otherwise see every state.
func stateFor(v finance.Viewer) string {
	if v.Staff() {
		return finance.InstApproved
	}
	return ""
}

func (s *handlers) handleInstitutionNew(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	if !v.Runs() {
		if id, err := s.Finance.MemberOf(r.Context(), v); err != nil {
			return err
		} else if id != 0 {
			return web.SeeOther(w, r, instPath(id))
		}
	}
	f := institutionForm{page: page{s.Page(r, "登记金融机构", "Register your institution")}, F: finance.InstitutionInput{Kind: finance.KindVCPE}}
	return s.renderInstitutionForm(w, r, f, nil)
}

// readInstitution reads the form; amounts are typed in 万元.
func readInstitution(r *http.Request) (finance.InstitutionInput, institutionForm, error) {
	f := institutionForm{AUM: r.FormValue("aum"), TicketMin: r.FormValue("ticket_min"), TicketMax: r.FormValue("ticket_max"),
		Committed: r.FormValue("committed"), PaidIn: r.FormValue("paid_in")}
	in := finance.InstitutionInput{Kind: r.FormValue("kind"), Name: r.FormValue("name"), CreditCode: strings.TrimSpace(r.FormValue("credit_code")),
		SettledOn: r.FormValue("settled_on"), Intro: r.FormValue("intro"), Stages: r.Form["stages"], Instruments: r.Form["instruments"],
		Chains: r.Form["chains"]}
	names, titles, phones, emails := r.Form["contact_name"], r.Form["contact_title"], r.Form["contact_phone"], r.Form["contact_email"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return ""
	}
	for i, n := range names {
		c := finance.Contact{Name: n, Title: at(titles, i), Phone: at(phones, i), Email: at(emails, i)}
		f.Contacts = append(f.Contacts, c)
		if strings.TrimSpace(c.Name+c.Title+c.Phone+c.Email) != "" {
			in.Contacts = append(in.Contacts, c)
		}
	}
	var bad []errs.Detail
	for _, a := range []struct {
		typed, field string
		dst          *int64
	}{{f.AUM, "aum_fen", &in.AUMFen}, {f.TicketMin, "ticket_min_fen", &in.TicketMinFen}, {f.TicketMax, "ticket_max_fen", &in.TicketMaxFen},
		{f.Committed, "committed_fen", &in.CommittedFen}, {f.PaidIn, "paid_in_fen", &in.PaidInFen}} {
		fen, err := amount(a.typed, true, a.field)
		if err != nil {
			e := errs.As(err)
			bad = append(bad, errs.Detail{Field: a.field, Value: a.typed, Reason: e.Msg, ReasonEN: e.MsgEN})
		}
		*a.dst = fen
	}
	if p := r.FormValue("parent_id"); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			bad = append(bad, errs.Detail{Field: "parent_id", Value: p, Reason: "母基金选择无效", ReasonEN: "not a parent fund"})
		}
		in.ParentID = id
	}
	f.F = in
	if len(bad) > 0 {
		return in, f, errs.List("金融机构信息填写有误，未保存", "the institution has errors; nothing was saved", bad)
	}
	return in, f, nil
}

func (s *handlers) handleInstitutionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	in, f, err := readInstitution(r)
	f.page = page{s.Page(r, "登记金融机构", "Register your institution")}
	var i finance.Institution
	if err == nil {
		i, err = s.createInstitution(r, in)
	}
	if err != nil {
		return s.renderInstitutionForm(w, r, f, err)
	}
	return web.SeeOther(w, r, instPath(i.ID)+"?ok=created")
}

func instPath(id int64) string { return "/finance/institutions/" + strconv.FormatInt(id, 10) }

type reviewPage struct {
	page
	Pending []finance.Institution
	Recent  []finance.Institution // decided lately: rejected ones with their reasons
	CanRun  bool
	Details []errs.Detail
}

func (s *handlers) handleReview(w http.ResponseWriter, r *http.Request) error {
	return s.renderReview(w, r, nil)
}

func (s *handlers) renderReview(w http.ResponseWriter, r *http.Request, failure error) error {
	v := viewer(r)
	p := reviewPage{page: page{s.Page(r, "金融机构入库审核", "Institutions awaiting approval")}, CanRun: v.Runs()}
	var err error
	if p.Pending, err = s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{State: finance.InstPending}); err != nil {
		return err
	}
	if p.Recent, err = s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{State: finance.InstRejected, Limit: 50}); err != nil {
		return err
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	switch r.URL.Query().Get("ok") {
	case "approved":
		p.Flash = p.L("已审核通过，机构入库", "Approved: the institution is in")
	case "rejected":
		p.Flash = p.L("已退回，理由已告知机构", "Rejected with the reason given")
	}
	return s.Render(w, r, "finance/review.html", p)
}

func (s *handlers) handleApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Finance.Approve(r.Context(), viewer(r), id); err != nil {
		return s.renderReview(w, r, err)
	}
	return web.SeeOther(w, r, "/finance/institutions/review?ok=approved")
}

func (s *handlers) handleReject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Finance.Reject(r.Context(), viewer(r), id, r.FormValue("reason")); err != nil {
		return s.renderReview(w, r, err)
	}
	return web.SeeOther(w, r, "/finance/institutions/review?ok=rejected")
}

type institutionPage struct {
	page
	I        finance.Institution
	Own      bool // the viewer's own institution
	Staff    bool
	CanRun   bool
	Contacts bool // the service let the viewer see its contacts
	Fund     bool
}

func (s *handlers) handleInstitution(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	i, err := s.Finance.Institution(r.Context(), v, id)
	if err != nil {
		return err
	}
	mine, err := s.Finance.MemberOf(r.Context(), v)
	if err != nil {
		return err
	}
	p := institutionPage{page: page{s.Page(r, i.Name, i.Name)}, I: i, Own: mine == id && mine != 0, Staff: v.Staff(), CanRun: v.Runs(),
		Contacts: i.Contacts != nil, Fund: i.Kind == finance.KindGovFund || i.ParentID != 0}
	if r.URL.Query().Get("ok") == "created" {
		if i.State == finance.InstPending {
			p.Flash = p.L("已提交登记，等待管委会审核入库", "Registered: it awaits staff approval")
		} else {
			p.Flash = p.L("已录入并入库", "Recorded and approved")
		}
	}
	return s.Render(w, r, "finance/institution.html", p)
}

type fundPage struct {
	page
	F       finance.Fund
	CanAdd  bool // staff or the fund itself may record investments
	Today   string
	Code    string // as typed
	Amount  string
	On      string
	Details []errs.Detail
}

func (s *handlers) handleFund(w http.ResponseWriter, r *http.Request) error {
	return s.renderFund(w, r, fundPage{}, nil)
}

func (s *handlers) renderFund(w http.ResponseWriter, r *http.Request, p fundPage, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	f, err := s.Finance.Fund(r.Context(), v, id)
	if err != nil {
		return err
	}
	mine, err := s.Finance.MemberOf(r.Context(), v)
	if err != nil {
		return err
	}
	p.page, p.F, p.Today = page{s.Page(r, f.Fund.Name, f.Fund.Name)}, f, s.Finance.Today()
	p.CanAdd = v.Runs() || (mine == id && mine != 0)
	if p.On == "" {
		p.On = p.Today
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/fund.html", p)
}

func (s *handlers) handleInvest(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := fundPage{Code: r.FormValue("credit_code"), Amount: r.FormValue("amount"), On: r.FormValue("on")}
	fen, err := amount(p.Amount, true, "amount_fen")
	if err == nil {
		_, err = s.Finance.AddInvestment(r.Context(), viewer(r), id, finance.FundInvestmentInput{CreditCode: p.Code, AmountFen: fen, On: p.On})
	}
	if err != nil {
		return s.renderFund(w, r, p, err)
	}
	return web.SeeOther(w, r, "/finance/funds/"+strconv.FormatInt(id, 10)+"?ok=saved")
}
