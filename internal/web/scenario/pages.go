package scenario

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// page is the base of the module's pages: the words for its codes.
type page struct{ web.Page }

// State is a call state in words.
func (p page) State(s string) string { return p.L(scenario.StateLabel(s)) }

// StateTag is the colour of a state's tag.
func (p page) StateTag(s string) string {
	switch s {
	case scenario.StatePublished:
		return "green"
	case scenario.StateEvaluating, scenario.StateApproved, scenario.StateNotice:
		return "blue"
	case scenario.StateImplementing, scenario.StateAccepted, scenario.StateClosed:
		return "green"
	case scenario.StateRejected, scenario.StateFailed:
		return "red"
	}
	return "gray"
}

// Category is a category in words.
func (p page) Category(c string) string { return p.L(scenario.CategoryLabel(c)) }

// Phase is a phase in words.
func (p page) Phase(c string) string { return p.L(scenario.PhaseLabel(c)) }

// BidState is a bid state in words.
func (p page) BidState(s string) string { return p.L(scenario.BidStateLabel(s)) }

// BatchState is a batch state in words.
func (p page) BatchState(s string) string { return p.L(scenario.BatchStateLabel(s)) }

// ChainNames joins the names of a call's chains.
func (p page) ChainNames(cs []scenario.ChainRef) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = p.L(c.NameZH, c.NameEN)
	}
	return strings.Join(names, "、")
}

// Owner says who raised a need.
func (p page) Owner(n scenario.Need) string {
	if n.OwnerKind == scenario.OwnerUnit {
		return n.OwnerName + p.L("（单位）", " (unit)")
	}
	return n.OwnerName + p.L("（企业）", " (enterprise)")
}

// choice is an option of a select: its value, its words (a chain node's
// indented by its depth) and whether it is chosen.
type choice struct {
	Code, Label string
	Selected    bool
}

func (s *handlers) chainOptions(ctx context.Context, p page, chosen []string) ([]choice, error) {
	tree, err := s.Enterprise.ChainTree(ctx)
	if err != nil {
		return nil, err
	}
	sel := map[string]bool{}
	for _, c := range chosen {
		sel[c] = true
	}
	out := make([]choice, 0, len(tree))
	for _, n := range tree {
		out = append(out, choice{Code: n.Code, Label: strings.Repeat("　", n.Depth) + p.L(n.NameZH, n.NameEN), Selected: sel[n.Code]})
	}
	return out, nil
}

type callPage struct {
	page
	N        scenario.Need
	Bids     []scenario.Bid
	MyBid    *scenario.Bid // the bid the viewer's enterprise leads or joins
	Drafts   []scenario.Batch
	Phases   []phaseRow
	Staff    bool
	CanRun   bool
	Own      bool
	CanBid   bool
	Closable bool // the deadline has passed and bids can close
	Today    string
	Who      web.People       // the people who moved the call on
	Result   *scenario.Result // the published result: winner, panel scores, notice
	// Delivery: the contract and its stages, for those who may see them.
	Delivery *scenario.Contract
	CanSign  bool       // staff may sign the contract now
	Units    []org.Unit // to choose the unit that leads delivery
	Approver bool       // a leader or supervisor: may approve payments
}

// PayState is a stage payment's state in words.
func (p callPage) PayState(s string) string {
	if s == "" {
		return p.L("未申请", "not requested")
	}
	return p.L(award.Label(s))
}

// phaseRow is one step of the call's timeline.
type phaseRow struct {
	Code, On, Actor string
	Done            bool
}

func (s *handlers) handleCall(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	n, err := s.Scenario.Need(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := callPage{page: page{s.Page(r, n.Title, n.Title)}, N: n, Staff: v.Staff(), CanRun: v.Runs(), Today: s.Scenario.Today()}
	if n.OwnerKind == scenario.OwnerUnit {
		p.Own = v.Role == org.UnitStaff && v.UnitID == n.OwnerUnitID
	} else {
		p.Own = v.Role == org.Enterprise && v.EnterpriseID == n.OwnerEnterpriseID
	}
	open := n.State == scenario.StatePublished && p.Today <= n.Deadline
	p.Closable = n.State == scenario.StatePublished && p.Today > n.Deadline
	if v.UserID != 0 {
		if p.Bids, err = s.Scenario.Bids(r.Context(), v, id); err != nil {
			return err
		}
	}
	if v.Role == org.Enterprise {
		for i, b := range p.Bids {
			in := b.EnterpriseID == v.EnterpriseID
			for _, pt := range b.Partners {
				in = in || pt.EnterpriseID == v.EnterpriseID
			}
			if in {
				p.MyBid = &p.Bids[i]
			}
		}
		p.CanBid = open && !p.Own && p.MyBid == nil
		if p.MyBid != nil && p.MyBid.State == scenario.BidWithdrawn && open {
			p.CanBid = true
		}
	}
	if p.CanRun && n.State == scenario.StateCollecting {
		bs, err := s.Scenario.Batches(r.Context(), v)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if b.State == scenario.BatchDraft {
				p.Drafts = append(p.Drafts, b)
			}
		}
	}
	reached := map[string]scenario.PhaseDate{}
	for _, ph := range n.Phases {
		reached[ph.Phase] = ph
	}
	for _, ph := range scenario.Phases {
		d, ok := reached[ph.Code]
		row := phaseRow{Code: ph.Code, On: d.On, Actor: d.Actor, Done: ok}
		if ph.Code == scenario.PhaseBid && !ok && n.State == scenario.StatePublished {
			row.On = n.Deadline // bids close on the deadline
		}
		p.Phases = append(p.Phases, row)
	}
	for _, end := range []string{scenario.PhaseRejected, scenario.PhaseFailed} {
		if d, ok := reached[end]; ok {
			p.Phases = append(p.Phases, phaseRow{Code: end, On: d.On, Actor: d.Actor, Done: true})
		}
	}
	actors := make([]string, len(n.Phases))
	for i, ph := range n.Phases {
		actors[i] = ph.Actor
	}
	if p.Who, err = s.People(r.Context(), p.Page, actors...); err != nil {
		return err
	}
	if err := s.fillDelivery(r, v, &p); err != nil {
		return err
	}
	if p.Result, err = s.callResult(r, v, n); err != nil {
		return err
	}
	switch r.URL.Query().Get("ok") {
	case "confirmed":
		p.Flash = p.L("中标已确认，场景进入实施", "Result confirmed: delivery starts")
	case "submitted":
		p.Flash = p.L("需求已提交，等待管委会审核", "Need submitted; it awaits review")
	case "bid":
		p.Flash = p.L("揭榜材料已提交", "Bid submitted")
	}
	return s.Render(w, r, "scenario/call.html", p)
}

// needForm is the need form's page, holding what was typed.
type needForm struct {
	page
	F          scenario.NeedInput
	Budget     string // as typed
	BudgetUnit string // "yuan" or "wan"
	Categories []scenario.Category
	Chains     []choice
	Editing    int64
	Details    []errs.Detail
}

func (s *handlers) renderNeedForm(w http.ResponseWriter, r *http.Request, f needForm, err error) error {
	if f.BudgetUnit == "" {
		f.BudgetUnit = "wan"
	}
	f.Categories = scenario.Categories
	var cerr error
	if f.Chains, cerr = s.chainOptions(r.Context(), f.page, f.F.Chains); cerr != nil {
		return cerr
	}
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return err
		}
		f.Error, f.Details = e.Message(f.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	return s.Render(w, r, "scenario/need_form.html", f)
}

func (s *handlers) handleNew(w http.ResponseWriter, r *http.Request) error {
	f := needForm{page: page{s.Page(r, "提交场景需求", "Submit a scenario need")}, F: scenario.NeedInput{PriceCap: true}}
	return s.renderNeedForm(w, r, f, nil)
}

// readNeed reads the need form; the budget's problem comes back as an
// error naming budget_fen, with the form kept.
func readNeed(r *http.Request) (scenario.NeedInput, string, string, error) {
	in := scenario.NeedInput{Title: r.FormValue("title"), Category: r.FormValue("category"), Chains: r.Form["chains"],
		Problem: r.FormValue("problem"), Capabilities: r.FormValue("capabilities"), Site: r.FormValue("site"), DataOpen: r.FormValue("data_open"),
		PriceCap: r.FormValue("price_cap") == "1", Deadline: r.FormValue("deadline"), EndsOn: r.FormValue("ends_on"),
		ContactName: r.FormValue("contact_name"), ContactPhone: r.FormValue("contact_phone")}
	typed, unit := r.FormValue("budget"), r.FormValue("budget_unit")
	fen, ok := money.ParseAmount(typed, unit == "wan")
	if !ok {
		return in, typed, unit, errs.Field("budget_fen", "预算金额格式不对：元最多两位小数，万元最多六位小数", "the budget must be an amount in yuan (two decimals) or 10,000 yuan (six)")
	}
	in.BudgetFen = fen
	return in, typed, unit, nil
}

func (s *handlers) handleSubmit(w http.ResponseWriter, r *http.Request) error {
	files, err := web.ReadFiles(w, r, "files", s.Scenario.MaxFile, s.Cfg.MaxUpload)
	if err != nil {
		return err
	}
	in, typed, unit, err := readNeed(r)
	f := needForm{page: page{s.Page(r, "提交场景需求", "Submit a scenario need")}, F: in, Budget: typed, BudgetUnit: unit}
	if err != nil {
		return s.renderNeedForm(w, r, f, err)
	}
	n, err := s.Scenario.Submit(r.Context(), viewer(r), in, uploads(files))
	if err != nil {
		return s.renderNeedForm(w, r, f, err)
	}
	return web.SeeOther(w, r, callPath(n.ID)+"?ok=submitted")
}

func callPath(id int64) string { return "/scenarios/" + strconv.FormatInt(id, 10) }

func (s *handlers) handleEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	in := scenario.NeedInput{Title: n.Title, Category: n.Category, Problem: n.Problem, Capabilities: n.Capabilities, Site: n.Site,
		DataOpen: n.DataOpen, BudgetFen: n.BudgetFen, PriceCap: n.PriceCap, Deadline: n.Deadline, EndsOn: n.EndsOn,
		ContactName: n.ContactName, ContactPhone: n.ContactPhone}
	for _, c := range n.Chains {
		in.Chains = append(in.Chains, c.Code)
	}
	f := needForm{page: page{s.Page(r, "修改场景需求", "Edit the need")}, F: in, Editing: id, BudgetUnit: "wan",
		Budget: strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(n.BudgetFen)/1_000_000, 'f', 6, 64), "0"), ".")}
	return s.renderNeedForm(w, r, f, nil)
}

func (s *handlers) handleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	in, typed, unit, err := readNeed(r)
	f := needForm{page: page{s.Page(r, "修改场景需求", "Edit the need")}, F: in, Budget: typed, BudgetUnit: unit, Editing: id}
	if err != nil {
		return s.renderNeedForm(w, r, f, err)
	}
	if _, err := s.Scenario.Update(r.Context(), viewer(r), id, in); err != nil {
		return s.renderNeedForm(w, r, f, err)
	}
	return web.SeeOther(w, r, callPath(id)+"?ok=saved")
}

type minePage struct {
	page
	Needs []scenario.Need
	Bids  []scenario.Bid
}

func (s *handlers) handleMine(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	p := minePage{page: page{s.Page(r, "我的场景需求与揭榜", "My needs and bids")}}
	res, err := s.Scenario.List(r.Context(), v, scenario.Filter{Mine: true, Limit: 100})
	if err != nil {
		return err
	}
	p.Needs = res.Needs
	if p.Bids, err = s.Scenario.MyBids(r.Context(), v); err != nil {
		return err
	}
	return s.Render(w, r, "scenario/mine.html", p)
}

type reviewPage struct {
	page
	Collecting []scenario.Need
	Batches    []scenario.Batch
	Drafts     []scenario.Batch
	InBatch    map[int64][]scenario.Need
	CanRun     bool
	Details    []errs.Detail
}

func (s *handlers) handleReview(w http.ResponseWriter, r *http.Request) error {
	return s.renderReview(w, r, nil)
}

func (s *handlers) renderReview(w http.ResponseWriter, r *http.Request, failure error) error {
	v := viewer(r)
	p := reviewPage{page: page{s.Page(r, "场景需求审核与批次", "Review needs into batches")}, CanRun: v.Runs(), InBatch: map[int64][]scenario.Need{}}
	res, err := s.Scenario.List(r.Context(), v, scenario.Filter{State: scenario.StateCollecting, Limit: 100})
	if err != nil {
		return err
	}
	p.Collecting = res.Needs
	if p.Batches, err = s.Scenario.Batches(r.Context(), v); err != nil {
		return err
	}
	for _, b := range p.Batches {
		if b.State != scenario.BatchDraft {
			continue
		}
		p.Drafts = append(p.Drafts, b)
		in, err := s.Scenario.List(r.Context(), v, scenario.Filter{BatchID: b.ID, Limit: 100})
		if err != nil {
			return err
		}
		p.InBatch[b.ID] = in.Needs
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	if r.URL.Query().Get("ok") == "published" {
		p.Flash = p.L("批次已发布，其中的场景开始揭榜", "Batch published: its calls are open for bids")
	}
	if r.URL.Query().Get("ok") == "imported" {
		p.Flash = p.L("已从表格导入 "+r.URL.Query().Get("n")+" 个场景，编入批次", r.URL.Query().Get("n")+" calls imported into the batch")
	}
	return s.Render(w, r, "scenario/review.html", p)
}

func (s *handlers) handleBatchCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Scenario.CreateBatch(r.Context(), viewer(r), r.FormValue("title")); err != nil {
		return s.renderReview(w, r, err)
	}
	return web.SeeOther(w, r, "/scenarios/review?ok=created")
}

func (s *handlers) handleBatchPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Scenario.PublishBatch(r.Context(), viewer(r), id); err != nil {
		return s.renderReview(w, r, err)
	}
	return web.SeeOther(w, r, "/scenarios/review?ok=published")
}

// decide runs a staff decision from a call's page and goes back to it.
func (s *handlers) decide(w http.ResponseWriter, r *http.Request, act func(id int64) (scenario.Need, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := act(id); err != nil {
		return err
	}
	return web.SeeOther(w, r, callPath(id)+"?ok=saved")
}

func (s *handlers) handleApprove(w http.ResponseWriter, r *http.Request) error {
	batch, _ := strconv.ParseInt(r.FormValue("batch_id"), 10, 64)
	return s.decide(w, r, func(id int64) (scenario.Need, error) { return s.Scenario.Approve(r.Context(), viewer(r), id, batch) })
}

func (s *handlers) handleReject(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, func(id int64) (scenario.Need, error) {
		return s.Scenario.Reject(r.Context(), viewer(r), id, r.FormValue("reason"))
	})
}

func (s *handlers) handleClose(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, func(id int64) (scenario.Need, error) { return s.Scenario.CloseBids(r.Context(), viewer(r), id) })
}

func (s *handlers) handleFail(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, func(id int64) (scenario.Need, error) {
		return s.Scenario.Fail(r.Context(), viewer(r), id, r.FormValue("reason"))
	})
}

// bidForm is the bid form's page, holding what was typed.
type bidForm struct {
	page
	N          scenario.Need
	F          scenario.BidInput
	Price      string
	PriceUnit  string
	Partners   []scenario.PartnerInput // with blank rows to fill
	Milestones []milestoneRow
	Editing    int64
	Details    []errs.Detail
}

// milestoneRow is a milestone as typed.
type milestoneRow struct{ Title, DueOn, Share string }

func (s *handlers) renderBidForm(w http.ResponseWriter, r *http.Request, f bidForm, err error) error {
	if f.PriceUnit == "" {
		f.PriceUnit = "wan"
	}
	for len(f.Partners) < 3 {
		f.Partners = append(f.Partners, scenario.PartnerInput{})
	}
	for len(f.Milestones) < 4 {
		f.Milestones = append(f.Milestones, milestoneRow{})
	}
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return err
		}
		f.Error, f.Details = e.Message(f.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	return s.Render(w, r, "scenario/bid_form.html", f)
}

func (s *handlers) handleBidForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	f := bidForm{page: page{s.Page(r, "揭榜："+n.Title, "Bid: "+n.Title)}, N: n}
	return s.renderBidForm(w, r, f, nil)
}

// readBid reads the bid form: rows of partners and milestones, blank rows
// left out.
func readBid(r *http.Request) (scenario.BidInput, bidForm, error) {
	in := scenario.BidInput{Solution: r.FormValue("solution"), Team: r.FormValue("team")}
	f := bidForm{Price: r.FormValue("price"), PriceUnit: r.FormValue("price_unit")}
	codes, roles := r.Form["partner_code"], r.Form["partner_role"]
	for i, c := range codes {
		p := scenario.PartnerInput{CreditCode: c}
		if i < len(roles) {
			p.Role = roles[i]
		}
		f.Partners = append(f.Partners, p)
		if strings.TrimSpace(c) != "" {
			in.Partners = append(in.Partners, p)
		}
	}
	titles, dues, shares := r.Form["ms_title"], r.Form["ms_due"], r.Form["ms_share"]
	var bad []errs.Detail
	for i, t := range titles {
		row := milestoneRow{Title: t}
		if i < len(dues) {
			row.DueOn = dues[i]
		}
		if i < len(shares) {
			row.Share = shares[i]
		}
		f.Milestones = append(f.Milestones, row)
		if strings.TrimSpace(row.Title+row.DueOn+row.Share) == "" {
			continue
		}
		share, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(row.Share), "%")))
		if err != nil {
			bad = append(bad, errs.Detail{Row: len(in.Milestones) + 1, Field: "milestones.share_pct", Value: row.Share,
				Reason: "付款比例应为 0–100 的整数", ReasonEN: "the share must be a whole number from 0 to 100"})
		}
		in.Milestones = append(in.Milestones, scenario.Milestone{Title: row.Title, DueOn: strings.TrimSpace(row.DueOn), SharePct: share})
	}
	fen, ok := money.ParseAmount(f.Price, f.PriceUnit == "wan")
	if !ok {
		bad = append(bad, errs.Detail{Field: "price_fen", Value: f.Price, Reason: "报价金额格式不对：元最多两位小数，万元最多六位小数",
			ReasonEN: "the price must be an amount in yuan (two decimals) or 10,000 yuan (six)"})
	}
	in.PriceFen = fen
	f.F = in
	if len(bad) > 0 {
		return in, f, errs.List("揭榜材料填写有误，未保存", "the bid has errors; nothing was saved", bad)
	}
	return in, f, nil
}

func (s *handlers) handleBidSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	files, err := web.ReadFiles(w, r, "files", s.Scenario.MaxFile, s.Cfg.MaxUpload)
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	in, f, err := readBid(r)
	f.page, f.N = page{s.Page(r, "揭榜："+n.Title, "Bid: "+n.Title)}, n
	if err == nil {
		_, err = s.Scenario.SubmitBid(r.Context(), viewer(r), id, in, uploads(files))
	}
	if err != nil {
		return s.renderBidForm(w, r, f, err)
	}
	return web.SeeOther(w, r, callPath(id)+"?ok=bid")
}

type bidPage struct {
	page
	B         scenario.Bid
	N         scenario.Need
	Lead      bool
	Partner   bool
	Confirmed bool // the viewer's enterprise has confirmed
	Open      bool
}

// Share is a milestone's amount: its share of the price.
func (p bidPage) Share(m scenario.Milestone) string {
	return enterprise.FormatFen(p.B.PriceFen * int64(m.SharePct) / 100)
}

func (s *handlers) handleBid(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	b, err := s.Scenario.Bid(r.Context(), v, id)
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), v, b.NeedID)
	if err != nil {
		return err
	}
	p := bidPage{page: page{s.Page(r, "揭榜："+n.Title, "Bid: "+n.Title)}, B: b, N: n,
		Open: n.State == scenario.StatePublished && s.Scenario.Today() <= n.Deadline && b.State == scenario.BidSubmitted}
	p.Lead = v.Role == org.Enterprise && b.EnterpriseID == v.EnterpriseID
	for _, pt := range b.Partners {
		if v.Role == org.Enterprise && pt.EnterpriseID == v.EnterpriseID {
			p.Partner, p.Confirmed = true, pt.ConfirmedAt != 0
		}
	}
	return s.Render(w, r, "scenario/bid.html", p)
}

func (s *handlers) handleBidEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Scenario.Bid(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), b.NeedID)
	if err != nil {
		return err
	}
	f := bidForm{page: page{s.Page(r, "修改揭榜："+n.Title, "Edit bid: "+n.Title)}, N: n, Editing: id, PriceUnit: "yuan",
		Price: strings.TrimSuffix(strings.TrimSuffix(strconv.FormatFloat(float64(b.PriceFen)/100, 'f', 2, 64), "00"), "."),
		F:     scenario.BidInput{Solution: b.Solution, Team: b.Team}}
	for _, pt := range b.Partners {
		f.Partners = append(f.Partners, scenario.PartnerInput{CreditCode: pt.CreditCode, Role: pt.Role})
	}
	for _, m := range b.Milestones {
		f.Milestones = append(f.Milestones, milestoneRow{Title: m.Title, DueOn: m.DueOn, Share: strconv.Itoa(m.SharePct)})
	}
	return s.renderBidForm(w, r, f, nil)
}

func (s *handlers) handleBidUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	b, err := s.Scenario.Bid(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), b.NeedID)
	if err != nil {
		return err
	}
	in, f, err := readBid(r)
	f.page, f.N, f.Editing = page{s.Page(r, "修改揭榜："+n.Title, "Edit bid: "+n.Title)}, n, id
	if err == nil {
		_, err = s.Scenario.UpdateBid(r.Context(), viewer(r), id, in)
	}
	if err != nil {
		return s.renderBidForm(w, r, f, err)
	}
	return web.SeeOther(w, r, bidPath(id)+"?ok=saved")
}

func bidPath(id int64) string { return "/scenario-bids/" + strconv.FormatInt(id, 10) }

func (s *handlers) handleBidWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Scenario.WithdrawBid(r.Context(), viewer(r), id, r.FormValue("reason")); err != nil {
		return err
	}
	return web.SeeOther(w, r, bidPath(id)+"?ok=saved")
}

func (s *handlers) handleBidConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Scenario.ConfirmPartner(r.Context(), viewer(r), id); err != nil {
		return err
	}
	return web.SeeOther(w, r, bidPath(id)+"?ok=saved")
}
