package scenario

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// The evaluation's pages: staff's page of a call's evaluation (rules,
// assignments, ranking, the winner, the notice's objections), the
// reviewer's list and scoring page, and the public objection form's
// receipt and look-up.

type evalPage struct {
	page
	N           scenario.Need
	E           scenario.Evaluation
	Reviewers   []org.User
	Criteria    []criterionInput // the rules form, with blank rows to fill
	CanRun      bool
	Confirmable bool // the notice has ended
	Details     []errs.Detail
}

// criterionInput is a criterion as typed.
type criterionInput struct{ Code, NameZH, NameEN, Max string }

// AsgState is an assignment state in words.
func (p page) AsgState(s string) string { return p.L(scenario.AssignmentStateLabel(s)) }

// ObjState is an objection state in words.
func (p page) ObjState(s string) string { return p.L(scenario.ObjectionStateLabel(s)) }

func (s *handlers) handleEvaluation(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderEvaluation(w, r, id, nil, nil)
}

// renderEvaluation draws staff's evaluation page; a refused form comes
// back with its reason (and, for the rules, what was typed).
func (s *handlers) renderEvaluation(w http.ResponseWriter, r *http.Request, id int64, typed []criterionInput, failure error) error {
	v := viewer(r)
	n, err := s.Scenario.Need(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := evalPage{page: page{s.Page(r, "评审："+n.Title, "Evaluation: "+n.Title)}, N: n, CanRun: v.Runs()}
	if p.E, err = s.Scenario.Evaluation(r.Context(), v, id); err != nil {
		return err
	}
	if p.E.Result != nil {
		p.Confirmable = s.Scenario.Now().UnixMilli() > p.E.Result.NoticeUntil
	}
	users, err := s.Org.Users(r.Context())
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role == org.Reviewer && !u.Disabled {
			p.Reviewers = append(p.Reviewers, u)
		}
	}
	p.Criteria = typed
	if p.Criteria == nil {
		for _, c := range p.E.Rules.Criteria {
			p.Criteria = append(p.Criteria, criterionInput{c.Code, c.NameZH, c.NameEN, strconv.Itoa(c.Max)})
		}
	}
	for len(p.Criteria) < 6 {
		p.Criteria = append(p.Criteria, criterionInput{})
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	switch r.URL.Query().Get("ok") {
	case "rules":
		p.Flash = p.L("评审规则已保存", "Rules saved")
	case "assigned":
		p.Flash = p.L("已分配评审专家", "Expert assigned")
	case "winner":
		p.Flash = p.L("已确定中标方，结果进入公示", "Winner chosen; the result is on notice")
	case "decided":
		p.Flash = p.L("异议处理结论已记录", "Finding recorded")
	}
	return s.Render(w, r, "scenario/evaluation.html", p)
}

func evalPath(id int64) string { return callPath(id) + "/evaluation" }

// readRules reads the rules form: rows of criteria, blank rows left out.
func readRules(r *http.Request) (scenario.Rules, []criterionInput, error) {
	var rules scenario.Rules
	var typed []criterionInput
	var bad []errs.Detail
	codes, zh, en, max := r.Form["code"], r.Form["name_zh"], r.Form["name_en"], r.Form["max"]
	at := func(vs []string, i int) string {
		if i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	for i := range codes {
		row := criterionInput{at(codes, i), at(zh, i), at(en, i), at(max, i)}
		typed = append(typed, row)
		if row.Code+row.NameZH+row.NameEN+row.Max == "" {
			continue
		}
		m, err := strconv.Atoi(row.Max)
		if err != nil {
			bad = append(bad, errs.Detail{Row: len(rules.Criteria) + 1, Field: "criteria.max", Value: row.Max, Reason: "满分应为整数", ReasonEN: "the maximum must be a whole number"})
		}
		rules.Criteria = append(rules.Criteria, scenario.Criterion{Code: row.Code, NameZH: row.NameZH, NameEN: row.NameEN, Max: m})
	}
	num := func(field, zh, en string) int {
		v := strings.TrimSpace(r.FormValue(field))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad = append(bad, errs.Detail{Field: field, Value: v, Reason: zh, ReasonEN: en})
		}
		return n
	}
	rules.TrimAt = num("trim_at", "去掉最高最低分的起始人数应为整数", "trim_at must be a whole number")
	rules.NoticeDays = num("notice_days", "公示天数应为整数", "notice_days must be a whole number")
	if len(bad) > 0 {
		return rules, typed, errs.List("评审规则填写有误，未保存", "the evaluation rules have errors; nothing was saved", bad)
	}
	return rules, typed, nil
}

func (s *handlers) handleRules(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	rules, typed, err := readRules(r)
	if err == nil {
		_, err = s.Scenario.SetRules(r.Context(), viewer(r), id, rules)
	}
	if err != nil {
		return s.renderEvaluation(w, r, id, typed, err)
	}
	return web.SeeOther(w, r, evalPath(id)+"?ok=rules")
}

func (s *handlers) handleAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rev, _ := strconv.ParseInt(r.FormValue("reviewer_id"), 10, 64)
	g, err := s.Scenario.Assign(r.Context(), viewer(r), id, rev)
	if err != nil {
		b, berr := s.Scenario.Bid(r.Context(), viewer(r), id)
		if berr != nil {
			return err
		}
		return s.renderEvaluation(w, r, b.NeedID, nil, err)
	}
	return web.SeeOther(w, r, evalPath(g.NeedID)+"?ok=assigned")
}

func (s *handlers) handleWinner(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	bid, _ := strconv.ParseInt(r.FormValue("bid_id"), 10, 64)
	if _, err := s.Scenario.ChooseWinner(r.Context(), viewer(r), id, bid, r.FormValue("reason")); err != nil {
		return s.renderEvaluation(w, r, id, nil, err)
	}
	return web.SeeOther(w, r, evalPath(id)+"?ok=winner")
}

func (s *handlers) handleConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Scenario.Confirm(r.Context(), viewer(r), id); err != nil {
		return s.renderEvaluation(w, r, id, nil, err)
	}
	return web.SeeOther(w, r, callPath(id)+"?ok=confirmed")
}

func (s *handlers) handleDecideObjection(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	need, _ := strconv.ParseInt(r.FormValue("need_id"), 10, 64)
	o, err := s.Scenario.DecideObjection(r.Context(), viewer(r), id, r.FormValue("upheld") == "1", r.FormValue("finding"))
	if err != nil {
		if need == 0 {
			return err
		}
		return s.renderEvaluation(w, r, need, nil, err)
	}
	return web.SeeOther(w, r, evalPath(o.NeedID)+"?ok=decided")
}

type reviewsPage struct {
	page
	G []scenario.Assignment
}

func (s *handlers) handleReviews(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.Scenario.MyAssignments(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	return s.Render(w, r, "scenario/reviews.html", reviewsPage{page: page{s.Page(r, "场景揭榜评审任务", "Bids to review")}, G: gs})
}

type reviewBidPage struct {
	page
	G       scenario.Assignment
	Rows    []scoreRow
	Mine    bool
	Open    bool // the call is in evaluation
	Details []errs.Detail
}

// scoreRow is a criterion with the score typed or given.
type scoreRow struct {
	scenario.Criterion
	Value, Comment string
}

// Share is a milestone's amount: its share of the price.
func (p reviewBidPage) Share(m scenario.Milestone) string {
	if p.G.Bid == nil {
		return ""
	}
	return web.Money(p.G.Bid.PriceFen * int64(m.SharePct) / 100)
}

func (s *handlers) handleReviewBid(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderReviewPage(w, r, id, nil, nil)
}

func (s *handlers) renderReviewPage(w http.ResponseWriter, r *http.Request, id int64, typed []scenario.Score, failure error) error {
	g, err := s.Scenario.Review(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	p := reviewBidPage{page: page{s.Page(r, "评审："+g.Lead, "Review: "+g.Lead)}, G: g, Open: g.CallState == scenario.StateEvaluating,
		Mine: g.ReviewerID == web.CurrentUser(r).ID}
	given := g.Scores
	if typed != nil {
		given = typed
	}
	for _, c := range g.Criteria {
		row := scoreRow{Criterion: c}
		for _, sc := range given {
			if sc.Criterion == c.Code {
				row.Value, row.Comment = sc.Value, sc.Comment
			}
		}
		p.Rows = append(p.Rows, row)
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	if r.URL.Query().Get("ok") == "scored" {
		p.Flash = p.L("评分已提交", "Scores submitted")
	}
	return s.Render(w, r, "scenario/review_bid.html", p)
}

func reviewPath(id int64) string { return "/scenario-reviews/" + strconv.FormatInt(id, 10) }

func (s *handlers) handleScores(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	var ss []scenario.Score
	for k := range r.PostForm {
		if code, ok := strings.CutPrefix(k, "score_"); ok {
			ss = append(ss, scenario.Score{Criterion: code, Value: strings.TrimSpace(r.PostFormValue(k)), Comment: r.PostFormValue("comment_" + code)})
		}
	}
	if _, err := s.Scenario.SubmitScores(r.Context(), viewer(r), id, ss); err != nil {
		return s.renderReviewPage(w, r, id, ss, err)
	}
	return web.SeeOther(w, r, reviewPath(id)+"?ok=scored")
}

func (s *handlers) handleRecuse(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Scenario.Recuse(r.Context(), viewer(r), id, r.FormValue("reason")); err != nil {
		return s.renderReviewPage(w, r, id, nil, err)
	}
	return web.SeeOther(w, r, reviewPath(id)+"?ok=recused")
}

// receiptPage is the objection's receipt, or the public look-up.
type receiptPage struct {
	page
	N       scenario.Need
	Receipt string
	Status  *scenario.ReceiptStatus
}

// handleObject files an objection from the call page's form and answers
// with the receipt, shown once.
func (s *handlers) handleObject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	bid, _ := strconv.ParseInt(r.FormValue("bid_id"), 10, 64)
	o, err := s.Scenario.FileObjection(r.Context(), id, scenario.NewObjection{BidID: bid, Name: r.FormValue("name"),
		Contact: r.FormValue("contact"), Reason: r.FormValue("reason")})
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	return s.Render(w, r, "scenario/receipt.html", receiptPage{page: page{s.Page(r, "异议已提交", "Objection filed")}, N: n, Receipt: o.Receipt})
}

func (s *handlers) handleReceiptForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "scenario/receipt.html", receiptPage{page: page{s.Page(r, "场景评审结果异议查询", "Look up an objection to a call's result")}})
}

// handleReceiptLookup answers a look-up posted from the form (a POST, so
// that receipts stay out of addresses and logs).
func (s *handlers) handleReceiptLookup(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Scenario.LookupReceipt(r.Context(), r.FormValue("receipt"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "scenario/receipt.html", receiptPage{page: page{s.Page(r, "场景评审结果异议查询", "Look up an objection to a call's result")}, Status: &st})
}

// callResult is a call's published result for its page, nil when there is
// none.
func (s *handlers) callResult(r *http.Request, v scenario.Viewer, n scenario.Need) (*scenario.Result, error) {
	switch n.State {
	case scenario.StateNotice, scenario.StateImplementing, scenario.StateAccepted, scenario.StateClosed:
	default:
		return nil, nil
	}
	res, err := s.Scenario.Result(r.Context(), v, n.ID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &res, nil
}
