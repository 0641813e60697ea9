package award

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Round is one stored ranking of a programme.
type Round struct {
	ID          int64  `json:"id"`
	ProgrammeID int64  `json:"programme_id"`
	Round       int    `json:"round"`
	Cause       string `json:"cause"`
	Digest      string `json:"digest"`
	Result      Result `json:"result"`
	CreatedAt   int64  `json:"created_at"`
}

// Advance moves a programme one step along draft → open → review → notice →
// confirmed → closed. Opening checks the rules; publishing the notice needs a
// ranking and starts the notice period; confirming needs the period over and
// every objection decided, and makes the grants. Errors: NotFound, Invalid
// (rules), Conflict (wrong step, too early, objections pending, budget).
func (s *Service) Advance(ctx context.Context, id int64, to string) (Programme, error) {
	var known map[string]int
	var err error
	if to == StateOpen {
		if known, err = s.Indicators(ctx); err != nil {
			return Programme{}, err
		}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.programmeTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Historical {
			return errs.New(errs.Conflict, "历史记录不能变更", "a historical record cannot change")
		}
		if NextState(p.State) != to {
			zh, en := StateLabel(p.State)
			toZH, toEN := StateLabel(to)
			return errs.New(errs.Conflict, "项目当前为"+zh+"，不能转为"+toZH, "the programme is "+en+"; it cannot become "+toEN)
		}
		now := s.nowMS()
		if err := s.blocked(ctx, tx, p, to, now, known); err != nil {
			return err
		}
		from, until := p.NoticeFrom, p.NoticeUntil
		switch to {
		case StateNotice:
			from, until = now, now+int64(p.NoticeDays)*int64(24*time.Hour/time.Millisecond)
		case StateConfirmed:
			if err := s.grantWinners(ctx, tx, p); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_programmes SET state=$1, notice_from=$2, notice_until=$3, updated_at=$4 WHERE id=$5",
			to, from, until, now, id); err != nil {
			return fmt.Errorf("award: advance: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.programme." + to, ObjectType: "award_programme",
			ObjectID: idStr(id), Before: map[string]string{"state": p.State}, After: map[string]any{"state": to, "notice_until": until}})
	})
	if err != nil {
		return Programme{}, err
	}
	return s.Programme(ctx, id)
}

// AdvanceBlocked says why programme p cannot move to its next state now
// (a Conflict or Invalid error naming the reason and, for confirming, the
// time from which it can), or nil when Advance would be allowed: so a page
// shows the reason instead of a button that fails. Errors reading the
// database are returned as they are.
func (s *Service) AdvanceBlocked(ctx context.Context, p Programme) error {
	to := NextState(p.State)
	if to == "" || p.Historical {
		return errs.New(errs.Conflict, "项目没有下一步", "the programme has no next step")
	}
	var known map[string]int
	if to == StateOpen {
		var err error
		if known, err = s.Indicators(ctx); err != nil {
			return err
		}
	}
	return s.blocked(ctx, s.DB.R, p, to, s.nowMS(), known)
}

// blocked checks the conditions of moving p to the next state to at now:
// opening needs valid rules; publishing the notice a ranking that pays
// every winner; confirming the notice period over and every objection
// decided; closing no payment left pending or approved.
func (s *Service) blocked(ctx context.Context, q db.Querier, p Programme, to string, now int64, known map[string]int) error {
	switch to {
	case StateOpen:
		known, err := s.known(p.Rules, known)
		if err != nil {
			return err
		}
		return p.Rules.Validate(p.Kind, p.Quota, known)
	case StateNotice:
		r, err := s.latestRound(ctx, q, p.ID)
		if err != nil {
			return errs.New(errs.Conflict, "请先生成排名再发布公示", "rank the programme before publishing the notice")
		}
		return p.Rules.Money.unpaidError(r.Result, "发布公示", "publish the notice")
	case StateConfirmed:
		if now < p.NoticeUntil {
			at := time.UnixMilli(p.NoticeUntil).In(db.CST).Format("2006-01-02 15:04")
			return errs.New(errs.Conflict, "公示期至 "+at+" 结束，届时起可认定", "the notice period ends at "+at+"; the list can be confirmed from then")
		}
		var pending int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM award_objections WHERE programme_id=$1 AND state='filed'", p.ID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return errs.New(errs.Conflict, fmt.Sprintf("还有 %d 条异议未处理，处理后方可认定", pending), fmt.Sprintf("%d objections are not decided; decide them to confirm", pending))
		}
	case StateClosed:
		// Closing freezes the ledger: a payment still waiting for approval
		// or for the bank would be stuck, neither payable nor reversible.
		var open int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM award_payments pm JOIN award_grants g ON g.id = pm.grant_id
			WHERE g.programme_id=$1 AND pm.state IN ('pending','approved')`, p.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return errs.New(errs.Conflict, fmt.Sprintf("还有 %d 笔付款待审批或待支付，请先支付或撤回后再关闭项目", open),
				fmt.Sprintf("%d payments are still pending or approved; pay or withdraw them before closing", open))
		}
	}
	return nil
}

// RankProgramme ranks a programme in review and stores the result as a new
// round. Errors: NotFound, Conflict (not in review).
func (s *Service) RankProgramme(ctx context.Context, id int64) (Round, error) {
	var r Round
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.programmeTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.State != StateReview {
			return errs.New(errs.Conflict, "只有评审中的项目可以排名；公示后仅异议成立时重排", "only a programme in review can be ranked; on notice it re-ranks only on an upheld objection")
		}
		r, err = s.rankTx(ctx, tx, p, "评审排名 / ranking in review")
		return err
	})
	return r, err
}

// Compute ranks a programme from current data without storing anything.
func (s *Service) Compute(ctx context.Context, p Programme) (Result, error) {
	return s.compute(ctx, s.DB.R, p)
}

// compute ranks p from the data read through q: the registry's
// enterprises, or the subject's candidates.
func (s *Service) compute(ctx context.Context, q db.Querier, p Programme) (Result, error) {
	var cands []Candidate
	var sc []Scales
	if p.Rules.Subject != "" {
		var err error
		if cands, sc, err = s.subjectCandidates(ctx, q, p); err != nil {
			return Result{}, err
		}
	} else {
		scales, err := s.Registry.IndicatorScales(ctx, q)
		if err != nil {
			return Result{}, err
		}
		rg, err := s.loadRegistry(ctx, q, p)
		if err != nil {
			return Result{}, err
		}
		cands, sc = rg.candidates(p, scales)
	}
	res := Rank(p.Rules, p.Kind, p.Quota, sc, cands)
	res.Subject = p.Rules.Subject
	return res, nil
}

func (s *Service) rankTx(ctx context.Context, tx *sql.Tx, p Programme, cause string) (Round, error) {
	res, err := s.compute(ctx, tx, p)
	if err != nil {
		return Round{}, err
	}
	body, digest := res.JSON()
	r := Round{ProgrammeID: p.ID, Cause: cause, Digest: digest, Result: res, CreatedAt: s.nowMS()}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(round), 0) + 1 FROM award_rounds WHERE programme_id=$1", p.ID).Scan(&r.Round); err != nil {
		return r, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO award_rounds (programme_id, round, cause, digest, result_json, created_by, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, p.ID, r.Round, cause, digest, string(body), nullID(audit.ActorFrom(ctx).ID), r.CreatedAt).Scan(&r.ID)
	if err != nil {
		return r, fmt.Errorf("award: store round: %w", err)
	}
	return r, s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.rank", ObjectType: "award_programme", ObjectID: idStr(p.ID),
		After: map[string]any{"round": r.Round, "cause": cause, "digest": digest, "ranked": len(res.Entries), "excluded": len(res.Excluded)}})
}

func scanRound(sc interface{ Scan(...any) error }) (Round, error) {
	var r Round
	var body string
	if err := sc.Scan(&r.ID, &r.ProgrammeID, &r.Round, &r.Cause, &r.Digest, &body, &r.CreatedAt); err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(body), &r.Result)
}

const roundCols = "id, programme_id, round, cause, digest, result_json, created_at"

func (s *Service) latestRound(ctx context.Context, q db.Querier, id int64) (Round, error) {
	r, err := scanRound(q.QueryRowContext(ctx, "SELECT "+roundCols+" FROM award_rounds WHERE programme_id=$1 ORDER BY round DESC LIMIT 1", id))
	if err == sql.ErrNoRows {
		return r, errs.New(errs.NotFound, "尚未排名", "not ranked yet")
	}
	return r, err
}

// LatestRound is the current ranking of a programme. Errors: NotFound.
func (s *Service) LatestRound(ctx context.Context, id int64) (Round, error) {
	return s.latestRound(ctx, s.DB.R, id)
}

// RoundSummary is one line of a programme's ranking history.
type RoundSummary struct {
	Round     int    `json:"round"`
	Cause     string `json:"cause"`
	Digest    string `json:"digest"`
	Winners   []string
	CreatedAt int64 `json:"created_at"`
}

// Rounds lists every ranking of a programme, newest first, with its winners.
func (s *Service) Rounds(ctx context.Context, id int64) ([]RoundSummary, error) {
	var out []RoundSummary
	err := eachRow(ctx, s.DB.R, "SELECT "+roundCols+" FROM award_rounds WHERE programme_id=$1 ORDER BY round DESC LIMIT 100", []any{id},
		func(rows *sql.Rows) error {
			r, err := scanRound(rows)
			if err != nil {
				return err
			}
			sum := RoundSummary{Round: r.Round, Cause: r.Cause, Digest: r.Digest, CreatedAt: r.CreatedAt}
			for _, e := range r.Result.Entries {
				if e.Winner {
					sum.Winners = append(sum.Winners, e.Name)
				}
			}
			out = append(out, sum)
			return nil
		})
	return out, err
}
