package enterprise

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

type formPage struct {
	page
	ID       int64
	In       enterprise.Input
	Capital  string // 万元
	Areas    []org.Unit
	Chains   []enterprise.ChainNode
	Statuses []enterprise.Status
	SelfOnly bool // an enterprise account edits only some fields
	Details  []errs.Detail
}

// HasChain reports whether the form has node code selected.
func (p formPage) HasChain(code string) bool {
	for _, c := range p.In.Chains {
		if c == code {
			return true
		}
	}
	return false
}

// Indent pads a chain node's name by its depth.
func (p formPage) Indent(n enterprise.ChainNode) string {
	return strings.Repeat("　", n.Depth) + p.L(n.NameZH, n.NameEN)
}

func (s *handlers) form(r *http.Request, id int64, in enterprise.Input) (formPage, error) {
	zh, en := "新建企业", "New enterprise"
	if id != 0 {
		zh, en = "编辑企业信息", "Edit enterprise"
	}
	p := formPage{page: s.page(r, zh, en), ID: id, In: in, Statuses: enterprise.Statuses}
	v := viewer(r)
	p.SelfOnly = !v.Writes()
	if in.CapitalFen != 0 {
		p.Capital = enterprise.FormatScaled(in.CapitalFen, 6)
	}
	units, err := s.Org.Units(r.Context())
	if err != nil {
		return p, err
	}
	for _, u := range units {
		if u.Kind == "办事处" || u.Kind == "园区" {
			p.Areas = append(p.Areas, u)
		}
	}
	p.Chains, err = s.Enterprise.ChainTree(r.Context())
	return p, err
}

func (s *handlers) handleNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.form(r, 0, enterprise.Input{Status: enterprise.Operating})
	if err != nil {
		return err
	}
	return s.Render(w, r, "enterprise/form.html", p)
}

func (s *handlers) handleEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.Enterprise.Get(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	in := enterprise.Input{CreditCode: e.CreditCode, CodeException: e.CodeException, Name: e.Name, FormerNames: e.FormerNames,
		LegalForm: e.LegalForm, RegisteredOn: e.RegisteredOn, CapitalFen: e.CapitalFen, Area: e.AreaCode, Address: e.Address,
		IndustryCode: e.IndustryCode, Status: e.Status, Version: e.Version}
	for _, c := range e.Chains {
		in.Chains = append(in.Chains, c.Code)
	}
	p, err := s.form(r, id, in)
	if err != nil {
		return err
	}
	return s.Render(w, r, "enterprise/form.html", p)
}

// formInput reads the enterprise form; the capital is typed in 万元.
func formInput(r *http.Request) (enterprise.Input, string, error) {
	if err := r.ParseForm(); err != nil {
		return enterprise.Input{}, "", errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	in := enterprise.Input{CreditCode: r.FormValue("credit_code"), CodeException: r.FormValue("code_exception"), Name: r.FormValue("name"),
		LegalForm: r.FormValue("legal_form"), RegisteredOn: r.FormValue("registered_on"), Area: r.FormValue("area"), Address: r.FormValue("address"),
		IndustryCode: r.FormValue("industry_code"), Status: enterprise.Status(r.FormValue("status")), Chains: r.Form["chains"]}
	in.Version, _ = strconv.Atoi(r.FormValue("version"))
	for _, n := range strings.Split(r.FormValue("former_names"), "\n") {
		if n = strings.TrimSpace(n); n != "" {
			in.FormerNames = append(in.FormerNames, n)
		}
	}
	if in.Chains == nil {
		in.Chains = []string{}
	}
	capital := strings.TrimSpace(r.FormValue("capital"))
	if capital != "" {
		v, err := enterprise.ParseScaled(capital, 6)
		if err != nil {
			e := errs.Field("capital", "注册资本不是数字", "registered capital is not a number")
			e.Details[0].Value = capital
			return in, capital, e
		}
		in.CapitalFen = v
	}
	return in, capital, nil
}

func (s *handlers) formFailed(w http.ResponseWriter, r *http.Request, id int64, in enterprise.Input, capital string, err error) error {
	e := errs.As(err)
	if e.Code != errs.Invalid && e.Code != errs.Conflict {
		return err
	}
	p, perr := s.form(r, id, in)
	if perr != nil {
		return perr
	}
	p.Capital, p.Error, p.Details = capital, e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "enterprise/form.html", p)
}

func (s *handlers) handleCreate(w http.ResponseWriter, r *http.Request) error {
	in, capital, err := formInput(r)
	if err != nil {
		return s.formFailed(w, r, 0, in, capital, err)
	}
	e, err := s.Enterprise.Create(r.Context(), viewer(r), in)
	if err != nil {
		return s.formFailed(w, r, 0, in, capital, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(e.ID, 10)+"?ok=created")
}

func (s *handlers) handleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	// The object check comes first: a bad form for a record one may not
	// see or change is refused, not re-rendered.
	if _, err := s.Enterprise.Get(r.Context(), viewer(r), id); err != nil {
		return err
	}
	in, capital, err := formInput(r)
	if err != nil {
		return s.formFailed(w, r, id, in, capital, err)
	}
	if _, err := s.Enterprise.Update(r.Context(), viewer(r), id, in); err != nil {
		return s.formFailed(w, r, id, in, capital, err)
	}
	return web.SeeOther(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?ok=saved")
}
