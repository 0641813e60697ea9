package award

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// Outcomes of an application, as the enterprise reads them.
const (
	OutcomeSubmitted  = "submitted"  // waiting for the formal check
	OutcomeReturned   = "returned"   // sent back, with the reason
	OutcomeWithdrawn  = "withdrawn"  // withdrawn by the enterprise
	OutcomeAccepted   = "accepted"   // passed the formal check, not ranked yet
	OutcomeIneligible = "ineligible" // left out of the ranking, with the rule it failed
	OutcomeRanked     = "ranked"     // ranked, the ranking not yet public
	OutcomeShortlist  = "shortlist"  // among the provisional winners on notice
	OutcomeWon        = "won"        // confirmed winner, with the amount granted
	OutcomeLost       = "lost"       // ranked below the winners
)

// Outcome is what became of an application: its real state in words, and
// the reason (the return reason, the eligibility rule it failed, its rank).
type Outcome struct {
	Code      string `json:"code"`
	ZH        string `json:"zh"`
	EN        string `json:"en"`
	ReasonZH  string `json:"reason_zh,omitempty"`
	ReasonEN  string `json:"reason_en,omitempty"`
	Rank      int    `json:"rank,omitempty"`
	AmountFen int64  `json:"amount_fen,omitempty"`
}

// outcome decides an application's outcome from its programme, the latest
// ranking the caller may see (nil for none) and the enterprise's grant in
// the programme (nil for none). It reads nothing itself.
func outcome(a Application, p Programme, rd *Round, g *Grant) Outcome {
	switch a.State {
	case AppWithdrawn:
		return Outcome{Code: OutcomeWithdrawn, ZH: "已撤回申报", EN: "withdrawn", ReasonZH: a.ReturnReason, ReasonEN: a.ReturnReason}
	case AppReturned:
		return Outcome{Code: OutcomeReturned, ZH: "已退回，可修改后重新提交", EN: "returned; it may be corrected and submitted again",
			ReasonZH: a.ReturnReason, ReasonEN: a.ReturnReason}
	case AppSubmitted:
		if p.State == StateOpen || p.State == StateReview {
			return Outcome{Code: OutcomeSubmitted, ZH: "已提交，等待形式审查", EN: "submitted; waiting for the formal check"}
		}
		return Outcome{Code: OutcomeIneligible, ZH: "未纳入评审", EN: "not reviewed",
			ReasonZH: "申报未在评审前通过形式审查", ReasonEN: "the application was not checked before the review"}
	}
	accepted := Outcome{Code: OutcomeAccepted, ZH: "形式审查通过，等待评审排名", EN: "accepted; waiting for the review and ranking"}
	if rd == nil {
		return accepted
	}
	for _, x := range rd.Result.Excluded {
		if x.EnterpriseID == a.EnterpriseID {
			return Outcome{Code: OutcomeIneligible, ZH: "不符合条件，未纳入排名", EN: "not eligible; not ranked", ReasonZH: x.Reason.ZH, ReasonEN: x.Reason.EN}
		}
	}
	winners := 0
	var mine *Entry
	for i, e := range rd.Result.Entries {
		if e.Winner {
			winners++
		}
		if e.EnterpriseID == a.EnterpriseID {
			mine = &rd.Result.Entries[i]
		}
	}
	if mine == nil {
		return accepted
	}
	place := fmt.Sprintf("第 %d 名，总分 %s", mine.Rank, mine.Total.Short())
	placeEN := fmt.Sprintf("rank %d, %s points", mine.Rank, mine.Total.Short())
	switch {
	case p.State == StateReview:
		return Outcome{Code: OutcomeRanked, ZH: "已排名，结果尚未公示", EN: "ranked; the result is not public yet", ReasonZH: place, ReasonEN: placeEN, Rank: mine.Rank}
	case !mine.Winner:
		return Outcome{Code: OutcomeLost, ZH: "未入选", EN: "not selected", Rank: mine.Rank,
			ReasonZH: fmt.Sprintf("%s；入选 %d 家", place, winners), ReasonEN: fmt.Sprintf("%s; %d selected", placeEN, winners)}
	case p.State == StateNotice:
		return Outcome{Code: OutcomeShortlist, ZH: "拟入选，公示中", EN: "provisionally selected; on public notice", ReasonZH: place, ReasonEN: placeEN, Rank: mine.Rank}
	}
	o := Outcome{Code: OutcomeWon, ZH: "获奖", EN: "won", ReasonZH: place, ReasonEN: placeEN, Rank: mine.Rank}
	if g != nil {
		o.AmountFen = g.AmountFen
		o.ZH, o.EN = "获奖，奖补 "+enterprise.FormatFen(g.AmountFen), "won, granted "+enterprise.FormatFen(g.AmountFen)
	} else if p.Rules.Money.Kind == "manual" {
		o.ZH, o.EN = "获奖，奖补金额待核定", "won; the amount is still to be set"
	}
	return o
}

// OutcomeOf is the outcome of application a as v may know it: the ranking
// counts once it is public, or for staff at once.
func (s *Service) OutcomeOf(ctx context.Context, v Viewer, a Application) (Outcome, error) {
	os, err := s.OutcomesOf(ctx, v, []Application{a})
	return os[a.ID], err
}

// OutcomesOf is OutcomeOf for a list of applications, keyed by
// application id, reading each programme, its latest round and its grants
// once however many of its applications the list holds.
func (s *Service) OutcomesOf(ctx context.Context, v Viewer, as []Application) (map[int64]Outcome, error) {
	type facts struct {
		p      Programme
		rd     *Round
		grants map[int64]*Grant // by enterprise
	}
	byProg := map[int64]*facts{}
	out := make(map[int64]Outcome, len(as))
	for _, a := range as {
		f, ok := byProg[a.ProgrammeID]
		if !ok {
			p, err := s.Programme(ctx, a.ProgrammeID)
			if err != nil {
				return nil, err
			}
			f = &facts{p: p, grants: map[int64]*Grant{}}
			if v.Staff() || PublicState(p.State) {
				if r, err := s.LatestRound(ctx, p.ID); err == nil {
					f.rd = &r
				} else if errs.CodeOf(err) != errs.NotFound {
					return nil, err
				}
			}
			if p.State == StateConfirmed || p.State == StateClosed {
				gs, err := s.Grants(ctx, p.ID, 0)
				if err != nil {
					return nil, err
				}
				for i := range gs {
					f.grants[gs[i].EnterpriseID] = &gs[i]
				}
			}
			byProg[a.ProgrammeID] = f
		}
		out[a.ID] = outcome(a, f.p, f.rd, f.grants[a.EnterpriseID])
	}
	return out, nil
}

// WithdrawApplication withdraws v's own enterprise's application while the
// programme takes applications or is in review, keeping the reason given;
// a withdrawn application is not ranked and may be submitted again while
// the programme is open. Errors: Invalid (no reason), NotFound, Conflict
// (already withdrawn, programme past review).
func (s *Service) WithdrawApplication(ctx context.Context, v Viewer, appID int64, reason string) (Application, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return Application{}, errs.Field("reason", "请写明撤回原因（500 字以内）", "a reason to withdraw is required (at most 500 characters)")
	}
	ent, err := s.MyEnterprise(ctx, v)
	if err != nil {
		return Application{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var state, pstate string
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT a.state, a.enterprise_id, p.state FROM award_applications a JOIN award_programmes p ON p.id=a.programme_id
			WHERE a.id=$1`+s.DB.ForUpdate(), appID).Scan(&state, &owner, &pstate)
		if err == sql.ErrNoRows || (err == nil && owner != ent) {
			return errs.New(errs.NotFound, "申报不存在", "application not found")
		}
		if err != nil {
			return err
		}
		if err := applications.may(state, AppWithdrawn); err != nil {
			return err
		}
		if pstate != StateOpen && pstate != StateReview {
			return errs.New(errs.Conflict, "项目已进入公示或认定，申报不能再撤回", "the programme is past review; the application cannot be withdrawn")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_applications SET state=$1, return_reason=$2, updated_at=$3 WHERE id=$4",
			AppWithdrawn, reason, s.nowMS(), appID); err != nil {
			return fmt.Errorf("award: withdraw application: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.withdraw", ObjectType: "award_application", ObjectID: idStr(appID),
			Before: map[string]string{"state": state}, After: map[string]string{"state": AppWithdrawn, "reason": reason}})
	})
	if err != nil {
		return Application{}, err
	}
	return s.Application(ctx, appID)
}
