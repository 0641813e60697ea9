package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/fixed"
	"gaoxin/internal/org"
	"gaoxin/internal/panel"
)

// The evaluation of a call (评审) runs on the shared review panel
// (internal/panel): each standing bid is a subject of kind panelKind,
// ranked within its call. This file keeps what is the module's own: the
// call's criteria and rules, who may assign and score and in which state
// of the call, and the audit entries. Choosing the winner, the notice and
// its objections are in result.go and notice.go.

// panelKind names a scenario bid among the panel's subjects.
const panelKind = "scenario_bid"

// panel is the review panel on this service's clock (a demo's copy of the
// service keeps its own clock).
func (s *Service) panel() *panel.Panel { return &panel.Panel{DB: s.DB, Now: s.Now} }

// Criterion is one thing the panel scores a call's bids on (评审指标),
// from 0 to Max points.
type Criterion panel.Criterion

// Score is one criterion's score with the expert's comment; Value has up
// to three decimals.
type Score panel.Score

// DefaultCriteria are a call's criteria until staff set others.
var DefaultCriteria = []Criterion{
	{Code: "solution", NameZH: "技术方案", NameEN: "Technical solution", Max: 40},
	{Code: "team", NameZH: "团队能力", NameEN: "Team", Max: 20},
	{Code: "price", NameZH: "报价", NameEN: "Price", Max: 20},
	{Code: "plan", NameZH: "实施计划", NameEN: "Delivery plan", Max: 20},
}

// Defaults of a call's rules.
const (
	DefaultTrimAt     = panel.DefaultTrimAt
	DefaultNoticeDays = 7
)

// Rules are how a call is evaluated: the criteria, from how many experts'
// totals on the highest and the lowest are dropped (TrimAt), and how many
// days its result stays on notice.
type Rules struct {
	Criteria   []Criterion `json:"criteria"`
	TrimAt     int         `json:"trim_at"`
	NoticeDays int         `json:"notice_days"`
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// checkRules validates r, filling defaults for a zero TrimAt or NoticeDays.
func checkRules(r *Rules) error {
	var ds []errs.Detail
	bad := func(row int, field, value, zh, en string) {
		ds = append(ds, errs.Detail{Row: row, Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	if r.TrimAt == 0 {
		r.TrimAt = DefaultTrimAt
	}
	if r.NoticeDays == 0 {
		r.NoticeDays = DefaultNoticeDays
	}
	if r.TrimAt < 3 || r.TrimAt > 50 {
		bad(0, "trim_at", fmt.Sprint(r.TrimAt), "去掉最高分和最低分的起始专家数应为 3–50", "trim_at must be 3 to 50")
	}
	if r.NoticeDays < 1 || r.NoticeDays > 30 {
		bad(0, "notice_days", fmt.Sprint(r.NoticeDays), "公示天数应为 1–30 天", "notice_days must be 1 to 30")
	}
	if len(r.Criteria) == 0 || len(r.Criteria) > 10 {
		bad(0, "criteria", "", "评审指标应为 1–10 项", "give 1 to 10 criteria")
	}
	seen := map[string]bool{}
	for i := range r.Criteria {
		c := &r.Criteria[i]
		row := i + 1
		c.Code, c.NameZH, c.NameEN = strings.TrimSpace(c.Code), strings.TrimSpace(c.NameZH), strings.TrimSpace(c.NameEN)
		switch {
		case !codeRE.MatchString(c.Code):
			bad(row, "criteria.code", c.Code, fmt.Sprintf("第 %d 项指标的代码应为小写字母开头的字母、数字或下划线（不超过 32 位）", row),
				fmt.Sprintf("criterion %d: the code must be lower-case letters, digits or _ (at most 32), starting with a letter", row))
		case seen[c.Code]:
			bad(row, "criteria.code", c.Code, fmt.Sprintf("第 %d 项指标的代码重复", row), fmt.Sprintf("criterion %d: the code is listed twice", row))
		}
		seen[c.Code] = true
		if c.NameZH == "" || utf8.RuneCountInString(c.NameZH) > 50 || utf8.RuneCountInString(c.NameEN) > 100 {
			bad(row, "criteria.name_zh", c.NameZH, fmt.Sprintf("第 %d 项指标须有名称（不超过 50 字）", row), fmt.Sprintf("criterion %d needs a name (at most 50 characters)", row))
		}
		if c.Max < 1 || c.Max > 100 {
			bad(row, "criteria.max", fmt.Sprint(c.Max), fmt.Sprintf("第 %d 项指标的满分应为 1–100", row), fmt.Sprintf("criterion %d: the maximum must be 1 to 100", row))
		}
	}
	if len(ds) > 0 {
		return errs.List("评审规则填写有误，未保存", "the evaluation rules have errors; nothing was saved", ds)
	}
	return nil
}

// rules reads a call's rules: its own, or the defaults.
func (s *Service) rules(ctx context.Context, q db.Querier, needID int64) (Rules, error) {
	r := Rules{TrimAt: DefaultTrimAt, NoticeDays: DefaultNoticeDays}
	err := q.QueryRowContext(ctx, "SELECT trim_at, notice_days FROM scenario_results WHERE need_id = $1", needID).Scan(&r.TrimAt, &r.NoticeDays)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("scenario: rules of %d: %w", needID, err)
	}
	rows, err := q.QueryContext(ctx, "SELECT code, name_zh, name_en, max_points FROM scenario_criteria WHERE need_id = $1 ORDER BY seq", needID)
	if err != nil {
		return r, fmt.Errorf("scenario: criteria of %d: %w", needID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Criterion
		if err := rows.Scan(&c.Code, &c.NameZH, &c.NameEN, &c.Max); err != nil {
			return r, err
		}
		r.Criteria = append(r.Criteria, c)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	if len(r.Criteria) == 0 {
		r.Criteria = append([]Criterion(nil), DefaultCriteria...)
	}
	return r, nil
}

// Rules reads a call's evaluation rules, to anyone who may read the call.
// Errors: NotFound.
func (s *Service) Rules(ctx context.Context, v Viewer, needID int64) (Rules, error) {
	if _, err := s.needFor(ctx, v, needID); err != nil {
		return Rules{}, err
	}
	return s.rules(ctx, s.DB.R, needID)
}

// lockNeed reads call id inside tx, holding its row until tx ends.
func (s *Service) lockNeed(ctx context.Context, tx *sql.Tx, id int64) (Need, error) {
	var state string
	err := tx.QueryRowContext(ctx, "SELECT state FROM scenario_needs WHERE id = $1"+s.DB.ForUpdate(), id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return Need{}, notFound()
	}
	if err != nil {
		return Need{}, fmt.Errorf("scenario: lock need %d: %w", id, err)
	}
	return s.need(ctx, tx, id)
}

// SetRules sets a call's criteria, trimAt and notice length while it is
// published or in evaluation. Once an expert has scored one of its bids
// the criteria stay as they are. Errors: Forbidden, NotFound, Conflict,
// Invalid naming each field (and row of the criteria).
func (s *Service) SetRules(ctx context.Context, v Viewer, needID int64, r Rules) (Rules, error) {
	if err := mustRun(v); err != nil {
		return Rules{}, err
	}
	if err := checkRules(&r); err != nil {
		return Rules{}, err
	}
	if _, err := s.needFor(ctx, v, needID); err != nil {
		return Rules{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.lockNeed(ctx, tx, needID)
		if err != nil {
			return err
		}
		if n.State != StatePublished && n.State != StateEvaluating {
			return errs.New(errs.Conflict, "只有揭榜中或评审中的场景可以设置评审规则", "the rules can be set only while the call is open for bids or in evaluation")
		}
		before, err := s.rules(ctx, tx, needID)
		if err != nil {
			return err
		}
		if !sameCriteria(before.Criteria, r.Criteria) {
			scored, err := s.panel().ContestScores(ctx, tx, panelKind, needID, 0)
			if err != nil {
				return err
			}
			if len(scored) > 0 {
				return errs.Field("criteria", "专家已开始评分，评审指标不能再修改", "experts have scored: the criteria can no longer change")
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM scenario_criteria WHERE need_id = $1", needID); err != nil {
			return fmt.Errorf("scenario: criteria of %d: %w", needID, err)
		}
		for i, c := range r.Criteria {
			if _, err := tx.ExecContext(ctx, "INSERT INTO scenario_criteria (need_id, seq, code, name_zh, name_en, max_points) VALUES ($1,$2,$3,$4,$5,$6)",
				needID, i+1, c.Code, c.NameZH, c.NameEN, c.Max); err != nil {
				return fmt.Errorf("scenario: criteria of %d: %w", needID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_results (need_id, trim_at, notice_days, updated_at) VALUES ($1,$2,$3,$4)
			ON CONFLICT (need_id) DO UPDATE SET trim_at = excluded.trim_at, notice_days = excluded.notice_days, updated_at = excluded.updated_at`,
			needID, r.TrimAt, r.NoticeDays, s.nowMS()); err != nil {
			return fmt.Errorf("scenario: rules of %d: %w", needID, err)
		}
		return s.record(ctx, tx, "scenario.rules", "scenario_need", needID, auditRules(before), auditRules(r))
	})
	if err != nil {
		return Rules{}, err
	}
	return s.rules(ctx, s.DB.R, needID)
}

func sameCriteria(a, b []Criterion) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func auditRules(r Rules) map[string]any {
	cs := make([]string, len(r.Criteria))
	for i, c := range r.Criteria {
		cs[i] = fmt.Sprintf("%s %d", c.NameZH, c.Max)
	}
	return map[string]any{"criteria": strings.Join(cs, "、"), "trim_at": r.TrimAt, "notice_days": r.NoticeDays}
}

func panelCriteria(cs []Criterion) []panel.Criterion {
	out := make([]panel.Criterion, len(cs))
	for i, c := range cs {
		out[i] = panel.Criterion(c)
	}
	return out
}

// Assignment is one bid given to one expert of the review panel.
type Assignment struct {
	ID         int64   `json:"id"`
	BidID      int64   `json:"bid_id"`
	NeedID     int64   `json:"need_id"`
	NeedTitle  string  `json:"need_title"`
	CallState  string  `json:"call_state"`
	Lead       string  `json:"lead"` // the bid's lead enterprise
	ReviewerID int64   `json:"reviewer_id"`
	Reviewer   string  `json:"reviewer"`
	State      string  `json:"state"` // assigned, scored, conflict, recused
	Reason     string  `json:"reason,omitempty"`
	Total      string  `json:"total,omitempty"`
	Scores     []Score `json:"scores,omitempty"`
	// Criteria and Bid are given with one assignment (Review): what the
	// expert scores, and the bid's content when they take part.
	Criteria []Criterion `json:"criteria,omitempty"`
	Bid      *Bid        `json:"bid,omitempty"`
}

// AssignmentStateLabel is an assignment state's Chinese and English name.
func AssignmentStateLabel(s string) (string, string) {
	switch s {
	case panel.Assigned:
		return "待评分", "to score"
	case panel.Scored:
		return "已评分", "scored"
	case panel.Conflict:
		return "利益冲突", "conflict of interest"
	case panel.Recused:
		return "已回避", "recused"
	}
	return s, s
}

// isReviewer reports whether v is an expert of the review panel.
func (v Viewer) isReviewer() bool { return v.Role == org.Reviewer && v.UserID != 0 }

// parties are the enterprises a bid's experts must not be linked to: the
// lead and every partner, with their former names and credit codes.
func (s *Service) parties(ctx context.Context, tx *sql.Tx, b Bid) ([]panel.Party, error) {
	ids := []int64{b.EnterpriseID}
	for _, p := range b.Partners {
		ids = append(ids, p.EnterpriseID)
	}
	briefs, err := s.Registry.Briefs(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]panel.Party, 0, len(ids))
	for _, id := range ids {
		e := briefs[id]
		names := append([]string{e.Name}, panel.SplitLines(strings.Join(e.FormerNames, "\n"))...)
		out = append(out, panel.Party{EnterpriseID: id, Names: names, CreditCode: e.CreditCode})
	}
	return out, nil
}

// rawBid reads a bid whoever asks, with its partners and milestones.
func (s *Service) rawBid(ctx context.Context, id int64) (Bid, error) {
	r, err := scanBid(s.DB.Read(ctx).QueryRowContext(ctx, bidCols+" WHERE b.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Bid{}, errs.New(errs.NotFound, "揭榜不存在", "bid not found")
	}
	if err != nil {
		return Bid{}, fmt.Errorf("scenario: bid %d: %w", id, err)
	}
	if err := s.fillBids(ctx, []*bidRow{&r}); err != nil {
		return Bid{}, err
	}
	return r.Bid, nil
}

// Assign gives a standing bid of a call in evaluation to an expert. An
// expert linked to the lead or a partner (their account's enterprise, or a
// declared affiliation matching a name, former name or credit code) is
// recorded as a conflict and never scores. Errors: Forbidden, NotFound,
// Invalid (reviewer_id: not an active expert), Conflict (the call is not
// in evaluation, the bid is withdrawn, the expert already has it).
func (s *Service) Assign(ctx context.Context, v Viewer, bidID, reviewerID int64) (Assignment, error) {
	if err := mustRun(v); err != nil {
		return Assignment{}, err
	}
	rev, err := s.Org.UserByID(ctx, reviewerID)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return Assignment{}, err
	}
	if err != nil || rev.Role != org.Reviewer || rev.Disabled {
		return Assignment{}, errs.Field("reviewer_id", "该用户不是评审专家", "this user is not a reviewer")
	}
	b, err := s.rawBid(ctx, bidID)
	if err != nil {
		return Assignment{}, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.lockNeed(ctx, tx, b.NeedID)
		if err != nil {
			return err
		}
		if n.State != StateEvaluating {
			return errs.New(errs.Conflict, "只有评审中的场景可以分配评审专家", "experts can be assigned only while the call is in evaluation")
		}
		var state string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM scenario_bids WHERE id = $1", bidID).Scan(&state); err != nil {
			return fmt.Errorf("scenario: assign bid %d: %w", bidID, err)
		}
		if state != BidSubmitted {
			return errs.New(errs.Conflict, "揭榜已撤回，不能分配评审专家", "the bid was withdrawn")
		}
		parties, err := s.parties(ctx, tx, b)
		if err != nil {
			return err
		}
		g, err := s.panel().Assign(ctx, tx, panel.Subject{Kind: panelKind, ID: bidID, Contest: b.NeedID},
			panel.Reviewer{ID: reviewerID, EnterpriseID: rev.EnterpriseID}, parties)
		if errors.Is(err, panel.ErrAssigned) {
			return errs.Field("reviewer_id", "该专家已分配此揭榜", "this expert already has this bid")
		}
		if err != nil {
			return fmt.Errorf("scenario: assign: %w", err)
		}
		id = g.ID
		return s.record(ctx, tx, "scenario.assign", "scenario_assignment", id, nil,
			map[string]any{"need": n.Title, "bid": b.EnterpriseName, "reviewer": reviewerName(rev.DisplayName, rev.Username), "state": g.State, "reason": g.Reason})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.assignment(ctx, id, false)
}

func reviewerName(display, username string) string {
	if display != "" {
		return display
	}
	return username
}

// assignment reads one assignment with its scores, named; with content,
// also the call's criteria and the bid.
func (s *Service) assignment(ctx context.Context, id int64, content bool) (Assignment, error) {
	pg, err := s.panel().Get(ctx, s.DB.R, panelKind, id)
	if err != nil {
		return Assignment{}, err
	}
	gs, err := s.assignments(ctx, []panel.Assignment{pg})
	if err != nil {
		return Assignment{}, err
	}
	if len(gs) == 0 {
		return Assignment{}, errs.New(errs.NotFound, "评审任务不存在", "assignment not found")
	}
	g := gs[0]
	for _, sc := range pg.Scores {
		g.Scores = append(g.Scores, Score(sc))
	}
	if content {
		r, err := s.rules(ctx, s.DB.R, g.NeedID)
		if err != nil {
			return g, err
		}
		g.Criteria = r.Criteria
		if pg.Live() {
			b, err := s.rawBid(ctx, g.BidID)
			if err != nil {
				return g, err
			}
			if b.Files, err = s.files(ctx, s.DB.R, b.NeedID, b.ID); err != nil {
				return g, err
			}
			g.Bid = &b
		}
	}
	return g, nil
}

// assignments completes the panel's rows with their bids' calls and lead
// enterprises and the experts' names, keeping their order.
func (s *Service) assignments(ctx context.Context, pgs []panel.Assignment) ([]Assignment, error) {
	if len(pgs) == 0 {
		return nil, nil
	}
	bids := map[int64]*bidRow{}
	var rs []*bidRow
	var revs []int64
	for _, g := range pgs {
		revs = append(revs, g.ReviewerID)
		if bids[g.Subject.ID] != nil {
			continue
		}
		r, err := scanBid(s.DB.Read(ctx).QueryRowContext(ctx, bidCols+" WHERE b.id = $1", g.Subject.ID))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("scenario: assignments: %w", err)
		}
		bids[g.Subject.ID] = &r
		rs = append(rs, &r)
	}
	if err := s.fillBids(ctx, rs); err != nil {
		return nil, err
	}
	users, err := s.Org.UsersByID(ctx, revs)
	if err != nil {
		return nil, err
	}
	states := map[int64]string{}
	out := make([]Assignment, 0, len(pgs))
	for _, g := range pgs {
		b := bids[g.Subject.ID]
		if b == nil {
			continue
		}
		st, ok := states[b.NeedID]
		if !ok {
			if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT state FROM scenario_needs WHERE id = $1", b.NeedID).Scan(&st); err != nil {
				return nil, fmt.Errorf("scenario: assignments: %w", err)
			}
			states[b.NeedID] = st
		}
		u := users[g.ReviewerID]
		a := Assignment{ID: g.ID, BidID: b.ID, NeedID: b.NeedID, NeedTitle: b.NeedTitle, CallState: st, Lead: b.EnterpriseName,
			ReviewerID: g.ReviewerID, Reviewer: reviewerName(u.DisplayName, u.Username), State: g.State, Reason: g.Reason}
		if g.State == panel.Scored {
			a.Total = g.Total.Trimmed()
		}
		out = append(out, a)
	}
	return out, nil
}

// MyAssignments lists the bids given to expert v, newest first; nobody
// else has any.
func (s *Service) MyAssignments(ctx context.Context, v Viewer) ([]Assignment, error) {
	if !v.isReviewer() {
		return nil, nil
	}
	pgs, err := s.panel().OfReviewer(ctx, s.DB.R, panelKind, v.UserID)
	if err != nil {
		return nil, fmt.Errorf("scenario: my assignments: %w", err)
	}
	return s.assignments(ctx, pgs)
}

// Review reads one assignment with the call's criteria and, while the
// expert takes part, the bid's content: for its own expert, and for staff.
// Errors: NotFound (another expert's, or anyone else asking).
func (s *Service) Review(ctx context.Context, v Viewer, id int64) (Assignment, error) {
	g, err := s.assignment(ctx, id, true)
	if err != nil {
		return Assignment{}, err
	}
	if !v.Staff() && !(v.isReviewer() && g.ReviewerID == v.UserID) {
		return Assignment{}, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	return g, nil
}

// mine locks expert v's assignment id and its call inside tx. Errors:
// NotFound (not theirs), Conflict (the call is not in evaluation).
func (s *Service) mine(ctx context.Context, tx *sql.Tx, v Viewer, id int64) (panel.Assignment, Need, error) {
	if !v.isReviewer() {
		return panel.Assignment{}, Need{}, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	g, err := s.panel().Lock(ctx, tx, panelKind, id, v.UserID)
	if err != nil {
		return g, Need{}, err
	}
	n, err := s.lockNeed(ctx, tx, g.Subject.Contest)
	if err != nil {
		return g, n, err
	}
	if n.State != StateEvaluating {
		return g, n, errs.New(errs.Conflict, "场景不在评审期", "the call is not in evaluation")
	}
	return g, n, nil
}

// Recuse withdraws expert v from an assignment, with a reason; their
// scores are deleted. Errors: Invalid (reason), NotFound, Conflict.
func (s *Service) Recuse(ctx context.Context, v Viewer, id int64, reason string) (Assignment, error) {
	reason, err := panel.RecusalReason(reason)
	if err != nil {
		return Assignment{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, _, err := s.mine(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if err := s.panel().Recuse(ctx, tx, g, reason); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.recuse", "scenario_assignment", id, map[string]any{"state": g.State},
			map[string]any{"state": panel.Recused, "reason": reason})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.assignment(ctx, id, true)
}

// SubmitScores records expert v's score on every criterion of the call,
// with comments, replacing earlier scores while the call is in
// evaluation. Errors: Invalid (scores.<code>), NotFound, Conflict.
func (s *Service) SubmitScores(ctx context.Context, v Viewer, id int64, scores []Score) (Assignment, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, n, err := s.mine(ctx, tx, v, id)
		if err != nil {
			return err
		}
		r, err := s.rules(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		ps := make([]panel.Score, len(scores))
		for i, sc := range scores {
			ps[i] = panel.Score(sc)
		}
		scored, err := s.panel().Submit(ctx, tx, g, panelCriteria(r.Criteria), ps)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.score", "scenario_assignment", id, map[string]any{"state": g.State},
			map[string]any{"state": panel.Scored, "total": scored.Total.Trimmed(), "scores": scores})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.assignment(ctx, id, true)
}

// noticeUntil is the end of a notice of days starting at from (Unix ms).
func noticeUntil(from int64, days int) int64 {
	return from + int64(days)*int64(24*time.Hour/time.Millisecond)
}

// scoreText is a panel score as shown, "" for none.
func scoreText(v fixed.Fixed, ok bool) string {
	if !ok {
		return ""
	}
	return v.Trimmed()
}

// reviews reports whether v is an expert taking part in assessing bid
// bidID (assigned or scored), who may read its evidence files.
func (s *Service) reviews(ctx context.Context, v Viewer, bidID int64) bool {
	if !v.isReviewer() {
		return false
	}
	ok, err := s.panel().Takes(ctx, s.DB.R, panelKind, bidID, v.UserID)
	return err == nil && ok
}
