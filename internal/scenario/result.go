package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/fixed"
	"gaoxin/internal/panel"
)

// A call's result: the panel ranks its standing bids by their panel score
// (the trimmed mean of the experts' totals); staff choose the winner,
// normally the top bid, another only with a reason; the result goes on
// public notice (结果公示) for the call's notice days, during which anyone
// may object (notice.go); after the period, with no objection open, staff
// confirm it and the call moves to delivery (实施).

// Standing is one standing bid of a call as the panel ranks it.
type Standing struct {
	BidID    int64    `json:"bid_id"`
	Lead     string   `json:"lead"`
	Partners []string `json:"partners,omitempty"`
	Score    string   `json:"score,omitempty"` // the panel's score; "" until an expert has scored
	Experts  int      `json:"experts"`         // experts whose totals count
	Rank     int      `json:"rank,omitempty"`  // 1 for the best; ties share a rank; 0 unscored
	Winner   bool     `json:"winner,omitempty"`
	// For staff only: the price and the panel's assignments.
	PriceFen    int64        `json:"price_fen,omitempty"`
	Assignments []Assignment `json:"assignments,omitempty"`

	score  fixed.Fixed
	scored bool
}

// Result is a call's published result: the winner and every standing
// bid's panel score, never the bids' contents.
type Result struct {
	NeedID      int64       `json:"need_id"`
	State       string      `json:"state"`
	WinnerBidID int64       `json:"winner_bid_id"`
	Winner      string      `json:"winner"` // the winning lead enterprise
	Partners    []string    `json:"partners,omitempty"`
	PriceFen    int64       `json:"price_fen"`        // the winning price
	Reason      string      `json:"reason,omitempty"` // why a bid other than the top one won
	ChosenOn    string      `json:"chosen_on"`
	NoticeFrom  int64       `json:"notice_from"`
	NoticeUntil int64       `json:"notice_until"`
	NoticeOpen  bool        `json:"notice_open"` // objections are accepted now
	Confirmed   bool        `json:"confirmed"`
	Criteria    []Criterion `json:"criteria"`
	TrimAt      int         `json:"trim_at"`
	Ranking     []Standing  `json:"ranking"`
	Objections  int         `json:"objections"` // filed against this call's results in all
}

// Evaluation is staff's view of a call's evaluation.
type Evaluation struct {
	NeedID     int64       `json:"need_id"`
	State      string      `json:"state"`
	Rules      Rules       `json:"rules"`
	Bids       []Standing  `json:"bids"`
	Pending    int         `json:"pending"` // assignments neither scored nor ended (conflict, recused)
	Result     *Result     `json:"result,omitempty"`
	Objections []Objection `json:"objections"`
}

type resultRow struct {
	winner                           int64
	reason, chosenOn, actor          string
	chosenBy, from, until, confirmed int64
}

func (s *Service) resultRow(ctx context.Context, q db.Querier, needID int64) (resultRow, error) {
	var r resultRow
	err := q.QueryRowContext(ctx, `SELECT COALESCE(winner_bid_id, 0), winner_reason, chosen_on, COALESCE(chosen_by, 0), chosen_actor,
		notice_from, notice_until, confirmed_at FROM scenario_results WHERE need_id = $1`, needID).
		Scan(&r.winner, &r.reason, &r.chosenOn, &r.chosenBy, &r.actor, &r.from, &r.until, &r.confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("scenario: result of %d: %w", needID, err)
	}
	return r, nil
}

// published reports whether call n's result r is on notice or confirmed.
func (r resultRow) published(n Need) bool {
	return r.winner != 0 && (n.State == StateNotice || (r.confirmed != 0 && n.State != StateFailed && n.State != StateEvaluating))
}

// ranking ranks the standing bids of call needID by their panel scores,
// best first; with staff, each with its price and assignments.
func (s *Service) ranking(ctx context.Context, q db.Querier, needID int64, trimAt int, staff bool) ([]Standing, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, bidCols+" WHERE b.need_id = $1 AND b.state = $2 ORDER BY b.id", needID, BidSubmitted)
	if err != nil {
		return nil, fmt.Errorf("scenario: ranking of %d: %w", needID, err)
	}
	var rs []*bidRow
	for rows.Next() {
		r, err := scanBid(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillBids(ctx, rs); err != nil {
		return nil, err
	}
	scores, err := s.panel().ContestScores(ctx, q, panelKind, needID, trimAt)
	if err != nil {
		return nil, err
	}
	out := make([]Standing, 0, len(rs))
	for _, r := range rs {
		st := Standing{BidID: r.ID, Lead: r.EnterpriseName}
		for _, p := range r.Partners {
			st.Partners = append(st.Partners, p.Name)
		}
		st.score, st.scored = scores[r.ID]
		st.Score = scoreText(st.score, st.scored)
		pgs, err := s.panel().OfSubject(ctx, q, panelKind, r.ID)
		if err != nil {
			return nil, err
		}
		for _, g := range pgs {
			if g.State == panel.Scored {
				st.Experts++
			}
		}
		if staff {
			st.PriceFen = r.PriceFen
			if st.Assignments, err = s.assignments(ctx, pgs); err != nil {
				return nil, err
			}
		}
		out = append(out, st)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.scored != b.scored {
			return a.scored
		}
		return a.score > b.score
	})
	for i := range out {
		switch {
		case !out[i].scored:
		case i > 0 && out[i-1].scored && out[i-1].score == out[i].score:
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out, nil
}

// result builds call n's result from its row, whoever asks.
func (s *Service) result(ctx context.Context, q db.Querier, n Need, r resultRow) (Result, error) {
	rules, err := s.rules(ctx, q, n.ID)
	if err != nil {
		return Result{}, err
	}
	out := Result{NeedID: n.ID, State: n.State, WinnerBidID: r.winner, Reason: r.reason, ChosenOn: r.chosenOn,
		NoticeFrom: r.from, NoticeUntil: r.until, Confirmed: r.confirmed != 0, Criteria: rules.Criteria, TrimAt: rules.TrimAt}
	out.NoticeOpen = n.State == StateNotice && s.nowMS() <= r.until
	if out.Ranking, err = s.ranking(ctx, q, n.ID, rules.TrimAt, false); err != nil {
		return out, err
	}
	for i := range out.Ranking {
		if out.Ranking[i].BidID == r.winner {
			out.Ranking[i].Winner = true
			out.Winner, out.Partners = out.Ranking[i].Lead, out.Ranking[i].Partners
		}
	}
	if err := q.QueryRowContext(ctx, "SELECT price_fen FROM scenario_bids WHERE id = $1", r.winner).Scan(&out.PriceFen); err != nil {
		return out, fmt.Errorf("scenario: result of %d: %w", n.ID, err)
	}
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM scenario_objections WHERE need_id = $1", n.ID).Scan(&out.Objections); err != nil {
		return out, fmt.Errorf("scenario: objections of %d: %w", n.ID, err)
	}
	return out, nil
}

func errNoResult() error {
	return errs.New(errs.NotFound, "该场景的评审结果尚未公示", "the call's result is not published")
}

// Result reads a call's published result (on notice, or confirmed), to
// anyone who may read the call. Errors: NotFound (no such call, or no
// result published).
func (s *Service) Result(ctx context.Context, v Viewer, needID int64) (Result, error) {
	n, err := s.needFor(ctx, v, needID)
	if err != nil {
		return Result{}, err
	}
	r, err := s.resultRow(ctx, s.DB.R, needID)
	if err != nil {
		return Result{}, err
	}
	if !r.published(n) {
		return Result{}, errNoResult()
	}
	return s.result(ctx, s.DB.R, n, r)
}

// Evaluation reads staff's view of a call's evaluation: its rules, every
// standing bid with its price, assignments and panel score, the result
// and the objections. Errors: Forbidden (not staff), NotFound.
func (s *Service) Evaluation(ctx context.Context, v Viewer, needID int64) (Evaluation, error) {
	if !v.Staff() {
		return Evaluation{}, errs.New(errs.Forbidden, "只有管委会工作人员可以查看评审情况", "only staff may read the evaluation")
	}
	n, err := s.needFor(ctx, v, needID)
	if err != nil {
		return Evaluation{}, err
	}
	e := Evaluation{NeedID: n.ID, State: n.State}
	if e.Rules, err = s.rules(ctx, s.DB.R, needID); err != nil {
		return e, err
	}
	if e.Bids, err = s.ranking(ctx, s.DB.R, needID, e.Rules.TrimAt, true); err != nil {
		return e, err
	}
	for _, b := range e.Bids {
		for _, g := range b.Assignments {
			if g.State == panel.Assigned {
				e.Pending++
			}
		}
	}
	r, err := s.resultRow(ctx, s.DB.R, needID)
	if err != nil {
		return e, err
	}
	if r.published(n) {
		res, err := s.result(ctx, s.DB.R, n, r)
		if err != nil {
			return e, err
		}
		e.Result = &res
		for i := range e.Bids {
			e.Bids[i].Winner = e.Bids[i].BidID == r.winner
		}
	}
	if e.Objections, err = s.objections(ctx, needID); err != nil {
		return e, err
	}
	return e, nil
}

// ChooseWinner chooses the winning bid of a call in evaluation and puts
// the result on public notice for the call's notice days. The bid must
// stand, have every partner's confirmation and a panel score, and every
// assignment must be scored or ended; a bid other than the top one needs a
// reason, published with the result. Errors: Forbidden, NotFound,
// Conflict, Invalid (bid_id, reason).
func (s *Service) ChooseWinner(ctx context.Context, v Viewer, needID, bidID int64, reason string) (Result, error) {
	if err := mustRun(v); err != nil {
		return Result{}, err
	}
	reason = strings.TrimSpace(reason)
	if utf8Len(reason) > 2000 {
		return Result{}, errs.Field("reason", "理由不超过 2000 字", "the reason: at most 2000 characters")
	}
	if _, err := s.needFor(ctx, v, needID); err != nil {
		return Result{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.lockNeed(ctx, tx, needID)
		if err != nil {
			return err
		}
		if err := may(n.State, StateNotice); err != nil {
			return err
		}
		rules, err := s.rules(ctx, tx, needID)
		if err != nil {
			return err
		}
		ranked, err := s.ranking(ctx, tx, needID, rules.TrimAt, true)
		if err != nil {
			return err
		}
		var win *Standing
		pending := 0
		for i := range ranked {
			if ranked[i].BidID == bidID {
				win = &ranked[i]
			}
			for _, g := range ranked[i].Assignments {
				if g.State == panel.Assigned {
					pending++
				}
			}
		}
		switch {
		case win == nil:
			return errs.Field("bid_id", "该揭榜不是本场景的有效揭榜", "this is not a standing bid on the call")
		case pending > 0:
			return errs.New(errs.Conflict, fmt.Sprintf("还有 %d 个评审任务未评分，评分或回避后才能确定中标方", pending),
				fmt.Sprintf("%d assignments are not scored yet; they must be scored or recused first", pending))
		case !win.scored:
			return errs.Field("bid_id", "该揭榜还没有专家评分", "no expert has scored this bid")
		case win.Rank != 1 && reason == "":
			return errs.Field("reason", fmt.Sprintf("所选揭榜评审排名第 %d，不是最高分，须写明理由", win.Rank),
				fmt.Sprintf("the bid chosen ranks %d, not first: a reason is required", win.Rank))
		}
		bid, err := s.rawBid(ctx, bidID)
		if err != nil {
			return err
		}
		if !bid.Confirmed() {
			return errs.Field("bid_id", "联合揭榜的伙伴尚未全部确认，不能中标", "not every partner of this joint bid has confirmed")
		}
		if win.Rank == 1 {
			reason = ""
		}
		a, now := s.actor(ctx), s.nowMS()
		until := noticeUntil(now, rules.NoticeDays)
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_results (need_id, trim_at, notice_days, winner_bid_id, winner_reason, chosen_on, chosen_by,
			chosen_actor, notice_from, notice_until, confirmed_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,0,$9)
			ON CONFLICT (need_id) DO UPDATE SET winner_bid_id = excluded.winner_bid_id, winner_reason = excluded.winner_reason,
			chosen_on = excluded.chosen_on, chosen_by = excluded.chosen_by, chosen_actor = excluded.chosen_actor, notice_from = excluded.notice_from,
			notice_until = excluded.notice_until, confirmed_at = 0, updated_at = excluded.updated_at`,
			needID, rules.TrimAt, rules.NoticeDays, bidID, reason, s.Today(), nullID(a.ID), a.Name, now, until); err != nil {
			return fmt.Errorf("scenario: choose the winner of %d: %w", needID, err)
		}
		if err := s.move(ctx, tx, n, StateNotice, "", "", ""); err != nil {
			return err
		}
		after := map[string]any{"winner": win.Lead, "score": win.Score, "rank": win.Rank, "notice_from": now, "notice_until": until}
		if reason != "" {
			after["reason"] = reason
		}
		return s.record(ctx, tx, "scenario.winner", "scenario_need", needID, nil, after)
	})
	if err != nil {
		return Result{}, err
	}
	return s.Result(ctx, v, needID)
}

// Confirm confirms a call's result once its notice period has ended with
// no objection open: the winner delivers. The call reaches the phases 评审
// (on the day the winner was chosen, by who chose it) and 实施 (today).
// Errors: Forbidden, NotFound, Conflict (not on notice, the period not
// over, an objection open).
func (s *Service) Confirm(ctx context.Context, v Viewer, needID int64) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	if _, err := s.needFor(ctx, v, needID); err != nil {
		return Need{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.lockNeed(ctx, tx, needID)
		if err != nil {
			return err
		}
		if err := may(n.State, StateImplementing); err != nil {
			return err
		}
		r, err := s.resultRow(ctx, tx, needID)
		if err != nil {
			return err
		}
		if s.nowMS() <= r.until {
			day := dateOf(r.until)
			return errs.New(errs.Conflict, "公示期至 "+day+" 结束，结束后才能确认中标", "the notice runs until "+day+"; confirm after it ends")
		}
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM scenario_objections WHERE need_id = $1 AND state = $2", needID, ObjectionFiled).Scan(&open); err != nil {
			return fmt.Errorf("scenario: objections of %d: %w", needID, err)
		}
		if open > 0 {
			return errs.New(errs.Conflict, fmt.Sprintf("还有 %d 件异议未处理，处理后才能确认中标", open), fmt.Sprintf("%d objections are still open; decide them first", open))
		}
		now := s.nowMS()
		if _, err := tx.ExecContext(ctx, "UPDATE scenario_results SET confirmed_at = $1, updated_at = $1 WHERE need_id = $2", now, needID); err != nil {
			return fmt.Errorf("scenario: confirm %d: %w", needID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_phases (need_id, phase, on_date, at, actor_id, actor) VALUES ($1,$2,$3,$4,$5,$6)`,
			needID, PhaseEvaluate, r.chosenOn, r.from, nullID(r.chosenBy), r.actor); err != nil {
			return fmt.Errorf("scenario: phase %s of %d: %w", PhaseEvaluate, needID, err)
		}
		return s.move(ctx, tx, n, StateImplementing, PhaseImplement, "", "")
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, needID)
}

// Winner is the winning bid of a call whose result is confirmed, with its
// partners and milestones: what delivery (plan tasks, acceptance,
// payments) is built on. It checks no viewer: the caller decides who may
// act on it. Errors: NotFound (no such call), Conflict (no confirmed
// winner).
func (s *Service) Winner(ctx context.Context, needID int64) (Bid, error) {
	n, err := s.need(ctx, s.DB.R, needID)
	if err != nil {
		return Bid{}, err
	}
	r, err := s.resultRow(ctx, s.DB.R, needID)
	if err != nil {
		return Bid{}, err
	}
	if r.winner == 0 || r.confirmed == 0 || !r.published(n) {
		return Bid{}, errs.New(errs.Conflict, "该场景尚未确认中标方", "the call has no confirmed winner")
	}
	b, err := s.rawBid(ctx, r.winner)
	if err != nil {
		return Bid{}, err
	}
	b.Files, err = s.files(ctx, s.DB.R, b.NeedID, b.ID)
	return b, err
}

func utf8Len(s string) int { return len([]rune(s)) }

// dateOf is the China-time date of a Unix-millisecond instant.
func dateOf(ms int64) string { return time.UnixMilli(ms).In(db.CST).Format("2006-01-02 15:04") }
