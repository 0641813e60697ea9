package finance

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Roadshows (路演): the list of events each party takes part in, a
// supervisor's form to record one, and a roadshow's page with its invited
// needs, attending institutions and outcome; supervisors invite needs and
// record attendance there. The service decides who reads which roadshow
// and which of its needs.

func (s *handlers) roadshowRoutes() {
	sup := web.Only(org.Supervisor)
	parties := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise, org.Investor)
	s.Handle("GET /finance/roadshows", "Roadshows: staff every one, others those they take part in", parties, s.handleRoadshows)
	s.Handle("POST /finance/roadshows", "Record a roadshow (title, date, place)", sup, s.handleRoadshowCreate)
	s.Handle("GET /finance/roadshows/{id}", "A roadshow: invited needs, attending institutions and the outcome", parties, s.handleRoadshow)
	s.Handle("POST /finance/roadshows/{id}/needs", "Invite open needs to present at a roadshow", sup, s.handleRoadshowInvite)
	s.Handle("POST /finance/roadshows/{id}/institutions", "Record institutions attending a roadshow", sup, s.handleRoadshowAttend)

	s.Handle("GET /api/v1/finance/roadshows", "Roadshows: staff every one, others those they take part in (?limit=)", parties, s.apiRoadshows)
	s.HandleBody("POST /api/v1/finance/roadshows", "Record a roadshow", sup,
		finance.RoadshowInput{Title: "2023 年第三期科技金融路演", On: "2023-09-20", Place: "科技金融广场路演厅"}, s.apiRoadshowCreate)
	s.Handle("GET /api/v1/finance/roadshows/{id}", "A roadshow with the needs the reader may see, the institutions attending and the outcome", parties, s.apiRoadshow)
	s.HandleBody("POST /api/v1/finance/roadshows/{id}/needs", "Invite open needs to present", sup, inviteRequest{Needs: []int64{7, 9}}, s.apiRoadshowInvite)
	s.HandleBody("POST /api/v1/finance/roadshows/{id}/institutions", "Record approved institutions attending", sup,
		attendRequest{Institutions: []int64{3, 5}}, s.apiRoadshowAttend)
}

type (
	inviteRequest struct {
		Needs []int64 `json:"needs"`
	}
	attendRequest struct {
		Institutions []int64 `json:"institutions"`
	}
)

func roadshowPath(id int64) string { return "/finance/roadshows/" + strconv.FormatInt(id, 10) }

type roadshowsPage struct {
	page
	Roadshows []finance.Roadshow
	CanRun    bool
	Staff     bool
	F         finance.RoadshowInput
	Details   []errs.Detail
}

func (s *handlers) renderRoadshows(w http.ResponseWriter, r *http.Request, f finance.RoadshowInput, failure error) error {
	v := viewer(r)
	p := roadshowsPage{page: page{s.Page(r, "路演活动", "Roadshows")}, CanRun: v.Runs(), Staff: v.Staff(), F: f}
	var err error
	if p.Roadshows, err = s.Finance.Roadshows(r.Context(), v, 0); err != nil {
		return err
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/roadshows.html", p)
}

func (s *handlers) handleRoadshows(w http.ResponseWriter, r *http.Request) error {
	return s.renderRoadshows(w, r, finance.RoadshowInput{}, nil)
}

func (s *handlers) handleRoadshowCreate(w http.ResponseWriter, r *http.Request) error {
	f := finance.RoadshowInput{Title: r.FormValue("title"), On: r.FormValue("on"), Place: r.FormValue("place")}
	rs, err := s.Finance.CreateRoadshow(r.Context(), viewer(r), f)
	if err != nil {
		return s.renderRoadshows(w, r, f, err)
	}
	return web.SeeOther(w, r, roadshowPath(rs.ID)+"?ok=created")
}

type roadshowPage struct {
	page
	R       finance.Roadshow
	CanRun  bool
	Open    []finance.Need        // supervisors: open needs not invited yet
	Others  []finance.Institution // supervisors: approved institutions not attending
	Details []errs.Detail
}

// Reached is how many of the roadshow's matches reached a step.
func (p roadshowPage) Reached(step string) int { return p.R.Outcome.Reached[step] }

// Steps are the funnel's steps in order, for the outcome's table.
func (p roadshowPage) Steps() []finance.Label { return finance.Steps }

func (s *handlers) renderRoadshow(w http.ResponseWriter, r *http.Request, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	rs, err := s.Finance.Roadshow(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := roadshowPage{page: page{s.Page(r, rs.Title, rs.Title)}, R: rs, CanRun: v.Runs()}
	switch r.URL.Query().Get("ok") {
	case "invited":
		p.Flash = p.L("已邀请路演项目", "Needs invited")
	case "attended":
		p.Flash = p.L("已登记参会机构", "Attendance recorded")
	}
	if p.CanRun {
		if p.Open, p.Others, err = s.roadshowChoices(r, rs); err != nil {
			return err
		}
	}
	if err := failed(w, &p.Page, &p.Details, failure); err != nil {
		return err
	}
	return s.Render(w, r, "finance/roadshow.html", p)
}

// roadshowChoices are the open needs a supervisor may still invite and
// the approved institutions not yet attending.
func (s *handlers) roadshowChoices(r *http.Request, rs finance.Roadshow) ([]finance.Need, []finance.Institution, error) {
	v := viewer(r)
	needs, err := s.Finance.Needs(r.Context(), v, finance.NeedFilter{State: finance.NeedOpen, Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	invited := map[int64]bool{}
	for _, n := range rs.Needs {
		invited[n.ID] = true
	}
	var open []finance.Need
	for _, n := range needs {
		if !invited[n.ID] {
			open = append(open, n)
		}
	}
	insts, err := s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{State: finance.InstApproved, Limit: 1000})
	if err != nil {
		return nil, nil, err
	}
	attending := map[int64]bool{}
	for _, i := range rs.Institutions {
		attending[i.ID] = true
	}
	var others []finance.Institution
	for _, i := range insts {
		if !attending[i.ID] {
			others = append(others, i)
		}
	}
	return open, others, nil
}

func (s *handlers) handleRoadshow(w http.ResponseWriter, r *http.Request) error {
	return s.renderRoadshow(w, r, nil)
}

// ids reads the checked ids of a form's field; none is an error naming it.
func ids(r *http.Request, field, zh, en string) ([]int64, error) {
	if err := r.ParseForm(); err != nil {
		return nil, errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	var out []int64
	for _, v := range r.Form[field] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.Field(field, "编号无效："+v, "bad id: "+v)
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, errs.Field(field, zh, en)
	}
	return out, nil
}

func (s *handlers) handleRoadshowInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	needs, err := ids(r, "needs", "请至少选择一项融资需求", "choose at least one need")
	if err == nil {
		_, err = s.Finance.Invite(r.Context(), viewer(r), id, needs)
	}
	if err != nil {
		return s.renderRoadshow(w, r, err)
	}
	return web.SeeOther(w, r, roadshowPath(id)+"?ok=invited")
}

func (s *handlers) handleRoadshowAttend(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	insts, err := ids(r, "institutions", "请至少选择一家机构", "choose at least one institution")
	if err == nil {
		_, err = s.Finance.Attend(r.Context(), viewer(r), id, insts)
	}
	if err != nil {
		return s.renderRoadshow(w, r, err)
	}
	return web.SeeOther(w, r, roadshowPath(id)+"?ok=attended")
}

func (s *handlers) apiRoadshows(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	rs, err := s.Finance.Roadshows(r.Context(), viewer(r), n)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, roadshowsAnswer{Roadshows: rs})
	return nil
}

func (s *handlers) apiRoadshowCreate(w http.ResponseWriter, r *http.Request) error {
	var in finance.RoadshowInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rs, err := s.Finance.CreateRoadshow(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, rs)
	return nil
}

func (s *handlers) apiRoadshow(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Roadshow, error) { return s.Finance.Roadshow(r.Context(), viewer(r), id) })
}

func (s *handlers) apiRoadshowInvite(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, body inviteRequest) (finance.Roadshow, error) {
		if len(body.Needs) == 0 {
			return finance.Roadshow{}, errs.Field("needs", "请至少选择一项融资需求", "choose at least one need")
		}
		return s.Finance.Invite(r.Context(), viewer(r), id, body.Needs)
	})
}

func (s *handlers) apiRoadshowAttend(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, body attendRequest) (finance.Roadshow, error) {
		if len(body.Institutions) == 0 {
			return finance.Roadshow{}, errs.Field("institutions", "请至少选择一家机构", "choose at least one institution")
		}
		return s.Finance.Attend(r.Context(), viewer(r), id, body.Institutions)
	})
}
