package finance

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Need pages: an enterprise's needs with the interest they received, the
// form to post one, a need's page for each party, and the institutions
// that fit it.

type needsPage struct {
	page
	Needs    []finance.Need
	Interest map[int64][]finance.Match // each need's matches
	Staff    bool
	Ent      bool
	State    string
}

// Waiting counts the interests a need has yet to answer.
func (p needsPage) Waiting(id int64) int {
	n := 0
	for _, m := range p.Interest[id] {
		if m.State == finance.MatchOpen && m.Step == finance.StepInterest {
			n++
		}
	}
	return n
}

func (s *handlers) handleNeeds(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	p := needsPage{page: page{s.Page(r, "融资需求", "Financing needs")}, Staff: v.Staff(), Ent: v.Role == org.Enterprise,
		State: r.URL.Query().Get("state"), Interest: map[int64][]finance.Match{}}
	if p.Ent {
		p.TitleZH, p.TitleEN = "我的融资需求", "My financing needs"
	}
	var err error
	if p.Needs, err = s.Finance.Needs(r.Context(), v, finance.NeedFilter{State: p.State}); err != nil {
		return err
	}
	ms, err := s.Finance.Matches(r.Context(), v, finance.MatchFilter{Limit: 500})
	if err != nil {
		return err
	}
	for _, m := range ms {
		p.Interest[m.NeedID] = append(p.Interest[m.NeedID], m)
	}
	return s.Render(w, r, "finance/needs.html", p)
}

// needForm is the need form's page, holding what was typed.
type needForm struct {
	page
	F            finance.NeedInput
	Amount, Unit string // as typed; unit "wan" or "yuan"
	Instruments  []option
	Stages       []option
	Chains       []option
	Figures      []option
	Audiences    []option
	Institutions []option // to exclude or choose
	Details      []errs.Detail
}

func (s *handlers) renderNeedForm(w http.ResponseWriter, r *http.Request, f needForm, failure error) error {
	v := viewer(r)
	if f.Unit == "" {
		f.Unit = "wan"
	}
	f.Instruments = labelOptions(f.page, finance.Instruments, f.F.Instrument)
	f.Stages = labelOptions(f.page, finance.Stages, f.F.Stage)
	if f.F.Audience == "" {
		f.F.Audience = finance.AudienceFit
	}
	f.Audiences = labelOptions(f.page, finance.Audiences, f.F.Audience)
	var err error
	if f.Chains, err = s.chainOptions(r.Context(), f.page, f.F.Chains); err != nil {
		return err
	}
	inds, err := s.Enterprise.Indicators(r.Context())
	if err != nil {
		return err
	}
	shared := map[string]bool{}
	for _, c := range f.F.SharedFigures {
		shared[c] = true
	}
	for _, i := range inds {
		f.Figures = append(f.Figures, option{Value: i.Code, Label: f.L(i.NameZH, i.NameEN), Selected: shared[i.Code]})
	}
	is, err := s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{})
	if err != nil {
		return err
	}
	listed := map[int64]bool{}
	for _, id := range f.F.Listed {
		listed[id] = true
	}
	for _, i := range is {
		f.Institutions = append(f.Institutions, option{Value: strconv.FormatInt(i.ID, 10), Label: i.Name, Selected: listed[i.ID]})
	}
	if err := failed(w, &f.Page, &f.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/need_form.html", f)
}

func (s *handlers) handleNeedNew(w http.ResponseWriter, r *http.Request) error {
	f := needForm{page: page{s.Page(r, "发布融资需求", "Post a financing need")}, F: finance.NeedInput{Instrument: "equity", Stage: "a"}}
	return s.renderNeedForm(w, r, f, nil)
}

// readNeed reads the need form; the amount is typed in 元 or 万元.
func readNeed(r *http.Request) (finance.NeedInput, needForm, error) {
	f := needForm{Amount: r.FormValue("amount"), Unit: r.FormValue("amount_unit")}
	in := finance.NeedInput{Title: r.FormValue("title"), Instrument: r.FormValue("instrument"), Stage: r.FormValue("stage"),
		UseOfFunds: r.FormValue("use_of_funds"), Chains: r.Form["chains"], SharedFigures: r.Form["shared_figures"], Audience: r.FormValue("audience")}
	var err error
	for _, l := range r.Form["listed"] {
		id, perr := strconv.ParseInt(l, 10, 64)
		if perr != nil || id <= 0 {
			err = errs.Field("listed", "所选机构无效", "not an institution")
			continue
		}
		in.Listed = append(in.Listed, id)
	}
	fen, aerr := amount(f.Amount, f.Unit != "yuan", "amount_fen")
	if aerr != nil {
		err = aerr
	}
	in.AmountFen = fen
	f.F = in
	return in, f, err
}

func (s *handlers) handleNeedPost(w http.ResponseWriter, r *http.Request) error {
	files, err := web.ReadFiles(w, r, "files", s.Finance.MaxFile, s.Cfg.MaxUpload)
	if err != nil {
		return err
	}
	in, f, err := readNeed(r)
	f.page = page{s.Page(r, "发布融资需求", "Post a financing need")}
	var n finance.Need
	if err == nil {
		n, err = s.Finance.Post(r.Context(), viewer(r), in, uploads(files))
	}
	if err != nil {
		return s.renderNeedForm(w, r, f, err)
	}
	return web.SeeOther(w, r, needPath(n.ID)+"?ok=posted")
}

func needPath(id int64) string { return "/finance/needs/" + strconv.FormatInt(id, 10) }

type needPage struct {
	page
	N            finance.Need
	Matches      []finance.Match // the interest received (owner, staff); the viewer's own (an institution)
	Own          bool
	Staff        bool
	CanRun       bool
	Investor     bool
	CanInterest  bool // an institution that sees it and has not answered
	Audiences    []option
	Institutions []option
	Details      []errs.Detail
}

// Listed names the institutions on the need's list.
func (p needPage) Listed() []string {
	var out []string
	for _, o := range p.Institutions {
		if o.Selected {
			out = append(out, o.Label)
		}
	}
	return out
}

func (s *handlers) handleNeed(w http.ResponseWriter, r *http.Request) error {
	return s.renderNeed(w, r, nil)
}

func (s *handlers) renderNeed(w http.ResponseWriter, r *http.Request, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	n, err := s.Finance.Need(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := needPage{page: page{s.Page(r, n.Title, n.Title)}, N: n, Staff: v.Staff(), CanRun: v.Runs(), Investor: v.Role == org.Investor,
		Own: v.Role == org.Enterprise && v.EnterpriseID == n.EnterpriseID}
	if p.Matches, err = s.Finance.Matches(r.Context(), v, finance.MatchFilter{NeedID: id, Limit: 500}); err != nil {
		return err
	}
	p.CanInterest = p.Investor && len(p.Matches) == 0 && n.State == finance.NeedOpen
	if p.Own {
		p.Audiences = labelOptions(p.page, finance.Audiences, n.Audience)
		is, err := s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{})
		if err != nil {
			return err
		}
		listed := map[int64]bool{}
		for _, l := range n.Listed {
			listed[l] = true
		}
		for _, i := range is {
			p.Institutions = append(p.Institutions, option{Value: strconv.FormatInt(i.ID, 10), Label: i.Name, Selected: listed[i.ID]})
		}
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	switch r.URL.Query().Get("ok") {
	case "posted":
		p.Flash = p.L("融资需求已发布，匹配的机构可以看到", "Posted: the institutions that fit it can see it")
	case "interest":
		p.Flash = p.L("已表达对接意向，等待企业回应", "Interest expressed: the enterprise will answer")
	case "closed":
		p.Flash = p.L("需求已关闭，已有的对接继续进行", "Closed: matches under way go on")
	}
	return s.Render(w, r, "finance/need.html", p)
}

func (s *handlers) handleAudience(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	var listed []int64
	for _, l := range r.Form["listed"] {
		n, err := strconv.ParseInt(l, 10, 64)
		if err != nil || n <= 0 {
			return s.renderNeed(w, r, errs.Field("listed", "所选机构无效", "not an institution"))
		}
		listed = append(listed, n)
	}
	if _, err := s.Finance.SetAudience(r.Context(), viewer(r), id, r.FormValue("audience"), listed); err != nil {
		return s.renderNeed(w, r, err)
	}
	return web.SeeOther(w, r, needPath(id)+"?ok=saved")
}

func (s *handlers) handleNeedClose(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Finance.CloseNeed(r.Context(), viewer(r), id); err != nil {
		return s.renderNeed(w, r, err)
	}
	return web.SeeOther(w, r, needPath(id)+"?ok=closed")
}

func (s *handlers) handleInterest(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.Finance.ExpressInterest(r.Context(), viewer(r), id, r.FormValue("note"))
	if err != nil {
		return s.renderNeed(w, r, err)
	}
	return web.SeeOther(w, r, matchPath(m.ID)+"?ok=interest")
}

type matchingPage struct {
	page
	N       finance.Need
	Ranked  []finance.RankedInstitution
	Answers map[int64]*finance.Match // institutions that already answered
}

func (s *handlers) handleMatching(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	n, err := s.Finance.Need(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := matchingPage{page: page{s.Page(r, "匹配机构 · "+n.Title, "Institutions that fit · "+n.Title)}, N: n, Answers: map[int64]*finance.Match{}}
	if p.Ranked, err = s.Finance.MatchInstitutions(r.Context(), v, id, 50); err != nil {
		return err
	}
	ms, err := s.Finance.Matches(r.Context(), v, finance.MatchFilter{NeedID: id, Limit: 500})
	if err != nil {
		return err
	}
	for i := range ms {
		p.Answers[ms[i].InstitutionID] = &ms[i]
	}
	return s.Render(w, r, "finance/matching.html", p)
}

func (s *handlers) handleFile(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, data, err := s.Finance.FileData(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", web.Attachment(f.Filename))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store") // a need's papers are confidential
	_, err = w.Write(data)
	return err
}
