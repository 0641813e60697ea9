package award

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/panel"
)

// The expert review of applications runs on the shared review panel
// (internal/panel): an application is its subject, of this kind, ranked
// within its programme. This file keeps what is the awards module's own:
// who may assign or score, in which states of the application and the
// programme, the audit entries and how an assignment reads on pages.

// panelKind names an award application among the panel's subjects.
const panelKind = "award_application"

// Assignment is an application given to one expert of the review panel.
type Assignment struct {
	ID             int64   `json:"id"`
	ApplicationID  int64   `json:"application_id"`
	ProgrammeID    int64   `json:"programme_id"`
	ProgrammeName  string  `json:"programme_name"`
	EnterpriseName string  `json:"enterprise_name"`
	ReviewerID     int64   `json:"reviewer_id"`
	Reviewer       string  `json:"reviewer"`
	State          string  `json:"state"` // assigned, scored, conflict, recused
	Reason         string  `json:"reason,omitempty"`
	Total          string  `json:"total,omitempty"`
	Scores         []Score `json:"scores,omitempty"`

	enterpriseID int64
}

// Score is one criterion's score with the expert's comment; Value has up to
// three decimals. It is the review panel's score, named here so that the
// API document keeps the awards module's name for it.
type Score panel.Score

// panelScores and awardScores convert between the two names of a score.
func panelScores(ss []Score) []panel.Score {
	out := make([]panel.Score, len(ss))
	for i, s := range ss {
		out[i] = panel.Score(s)
	}
	return out
}

func awardScores(ss []panel.Score) []Score {
	if ss == nil {
		return nil
	}
	out := make([]Score, len(ss))
	for i, s := range ss {
		out[i] = Score(s)
	}
	return out
}

// panelCriteria is the programme's criteria as the panel takes them.
func panelCriteria(cs []Criterion) []panel.Criterion {
	out := make([]panel.Criterion, len(cs))
	for i, c := range cs {
		out[i] = panel.Criterion(c)
	}
	return out
}

// SetAffiliations records what a reviewer declares they are linked to (one
// enterprise name or credit code per line), used to exclude conflicts.
func (s *Service) SetAffiliations(ctx context.Context, reviewerID int64, text string) error {
	lines := panel.SplitLines(text)
	if u, err := s.Org.UserByID(ctx, reviewerID); err != nil || u.Role != org.Reviewer {
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return err
		}
		return errs.New(errs.NotFound, "评审专家不存在", "reviewer not found")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.Panel.SetAffiliations(ctx, tx, reviewerID, lines); err != nil {
			return fmt.Errorf("award: affiliations of %d: %w", reviewerID, err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.reviewer.affiliations", ObjectType: "user", ObjectID: idStr(reviewerID), After: lines})
	})
}

// Affiliations returns a reviewer's declared affiliations.
func (s *Service) Affiliations(ctx context.Context, reviewerID int64) (string, error) {
	return s.Panel.Affiliations(ctx, s.DB.R, reviewerID)
}

// partiesOf is the enterprise an application's reviewers must not be
// linked to, with its former names.
func partiesOf(e enterprise.Brief) []panel.Party {
	names := append([]string{e.Name}, panel.SplitLines(strings.Join(e.FormerNames, "\n"))...)
	return []panel.Party{{EnterpriseID: e.ID, Names: names, CreditCode: e.CreditCode}}
}

// Assign gives an accepted application to a reviewer. A reviewer linked to
// the enterprise (their account's enterprise, or a declared affiliation that
// matches its name or credit code) is recorded as a conflict and never
// scores. Errors: NotFound, Invalid (not a reviewer), Conflict (not
// accepted, not in review, already assigned).
func (s *Service) Assign(ctx context.Context, appID, reviewerID int64) (Assignment, error) {
	// Who the reviewer is and what the enterprise is called come from
	// their owners, read before the transaction: an account's role and an
	// enterprise's names change rarely, and the assignment records the
	// conflict reason it found.
	rev, err := s.Org.UserByID(ctx, reviewerID)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return Assignment{}, err
	}
	if err != nil || rev.Role != org.Reviewer || rev.Disabled {
		return Assignment{}, errs.Field("reviewer_id", "该用户不是评审专家", "this user is not a reviewer")
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var state, pstate string
		var ent, progID int64
		err := tx.QueryRowContext(ctx, `SELECT a.state, p.state, a.enterprise_id, p.id FROM award_applications a
			JOIN award_programmes p ON p.id=a.programme_id WHERE a.id=$1`, appID).
			Scan(&state, &pstate, &ent, &progID)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "申报不存在", "application not found")
		}
		if err != nil {
			return err
		}
		if state != AppAccepted || (pstate != StateOpen && pstate != StateReview) {
			return errs.New(errs.Conflict, "只有形式审查通过、项目在评审期的申报可分配专家", "only accepted applications of a programme open or in review can be assigned")
		}
		briefs, err := s.Registry.Briefs(ctx, tx, []int64{ent})
		if err != nil {
			return err
		}
		e := briefs[ent]
		e.ID = ent
		g, err := s.Panel.Assign(ctx, tx, panel.Subject{Kind: panelKind, ID: appID, Contest: progID},
			panel.Reviewer{ID: reviewerID, EnterpriseID: rev.EnterpriseID}, partiesOf(e))
		if errors.Is(err, panel.ErrAssigned) {
			return errs.New(errs.Conflict, "该专家已分配此申报", "this reviewer is already assigned")
		}
		if err != nil {
			return fmt.Errorf("award: assign: %w", err)
		}
		id = g.ID
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.assign", ObjectType: "award_assignment", ObjectID: idStr(id),
			After: map[string]any{"application_id": appID, "reviewer_id": reviewerID, "state": g.State, "reason": g.Reason}})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

// Assignment returns one assignment with its scores. Errors: NotFound.
func (s *Service) Assignment(ctx context.Context, id int64) (Assignment, error) {
	pg, err := s.Panel.Get(ctx, s.DB.R, panelKind, id)
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
	gs[0].Scores = awardScores(pg.Scores)
	return gs[0], nil
}

// Assignments lists assignments of one reviewer (reviewerID ≠ 0), newest
// first, or of one application, oldest first (at most 500).
func (s *Service) Assignments(ctx context.Context, reviewerID, appID int64) ([]Assignment, error) {
	var pgs []panel.Assignment
	var err error
	if reviewerID != 0 {
		pgs, err = s.Panel.OfReviewer(ctx, s.DB.R, panelKind, reviewerID)
	} else {
		pgs, err = s.Panel.OfSubject(ctx, s.DB.R, panelKind, appID)
	}
	if err != nil {
		return nil, fmt.Errorf("award: assignments: %w", err)
	}
	return s.assignments(ctx, pgs)
}

// assignments completes the panel's rows with their applications'
// programmes and enterprises, and the reviewers' names, keeping their
// order; a row whose application is gone is left out.
func (s *Service) assignments(ctx context.Context, pgs []panel.Assignment) ([]Assignment, error) {
	if len(pgs) == 0 {
		return nil, nil
	}
	type app struct {
		prog int64
		name string
		ent  int64
	}
	apps := map[int64]app{}
	var ids []any
	var ph []string
	for _, g := range pgs {
		if _, dup := apps[g.Subject.ID]; !dup {
			apps[g.Subject.ID] = app{}
			ids = append(ids, g.Subject.ID)
			ph = append(ph, fmt.Sprintf("$%d", len(ids)))
		}
	}
	clear(apps)
	err := eachRow(ctx, s.DB.R, `SELECT a.id, a.programme_id, p.name_zh, a.enterprise_id FROM award_applications a
		JOIN award_programmes p ON p.id=a.programme_id WHERE a.id IN (`+strings.Join(ph, ",")+`) ORDER BY a.id`, ids,
		func(r *sql.Rows) error {
			var id int64
			var a app
			err := r.Scan(&id, &a.prog, &a.name, &a.ent)
			apps[id] = a
			return err
		})
	if err != nil {
		return nil, err
	}
	out := make([]Assignment, 0, len(pgs))
	for _, g := range pgs {
		a, ok := apps[g.Subject.ID]
		if !ok {
			continue
		}
		row := Assignment{ID: g.ID, ApplicationID: g.Subject.ID, ProgrammeID: a.prog, ProgrammeName: a.name, enterpriseID: a.ent,
			ReviewerID: g.ReviewerID, State: g.State, Reason: g.Reason}
		if g.State == panel.Scored {
			row.Total = g.Total.Trimmed()
		}
		out = append(out, row)
	}
	return out, s.nameAsgs(ctx, out)
}

func (s *Service) nameAsgs(ctx context.Context, gs []Assignment) error {
	if err := withEnterprises(ctx, s, gs, func(g *Assignment) int64 { return g.enterpriseID },
		func(g *Assignment, e enterprise.Brief) { g.EnterpriseName = e.Name }); err != nil {
		return err
	}
	return s.withReviewers(ctx, gs)
}

// mine locks an assignment for its reviewer, with its programme's state
// and id; another reviewer's is NotFound.
func (s *Service) mine(ctx context.Context, tx *sql.Tx, id, reviewerID int64) (g panel.Assignment, pstate string, progID int64, err error) {
	if g, err = s.Panel.Lock(ctx, tx, panelKind, id, reviewerID); err != nil {
		return g, "", 0, err
	}
	err = tx.QueryRowContext(ctx, `SELECT p.state, p.id FROM award_applications a JOIN award_programmes p ON p.id=a.programme_id
		WHERE a.id=$1`+s.DB.ForUpdate(), g.Subject.ID).Scan(&pstate, &progID)
	if err == sql.ErrNoRows {
		return g, "", 0, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	return g, pstate, progID, err
}

// Recuse withdraws a reviewer from an assignment, with a reason. Errors:
// Invalid, NotFound (not theirs), Conflict.
func (s *Service) Recuse(ctx context.Context, id, reviewerID int64, reason string) error {
	reason, err := panel.RecusalReason(reason)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, pstate, _, err := s.mine(ctx, tx, id, reviewerID)
		if err != nil {
			return err
		}
		if pstate != StateReview && pstate != StateOpen {
			return panel.ErrNotRecusable()
		}
		if err := s.Panel.Recuse(ctx, tx, g, reason); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.recuse", ObjectType: "award_assignment", ObjectID: idStr(id),
			Before: map[string]string{"state": g.State}, After: map[string]string{"state": panel.Recused, "reason": reason}})
	})
}

// SubmitScores records a reviewer's score on every criterion, replacing
// earlier scores while the programme is in review. Errors: Invalid (missing
// or out-of-range criterion), NotFound (not assigned to them), Conflict.
func (s *Service) SubmitScores(ctx context.Context, id, reviewerID int64, scores []Score) (Assignment, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, pstate, progID, err := s.mine(ctx, tx, id, reviewerID)
		if err != nil {
			return err
		}
		if err := g.Scorable(); err != nil {
			return err
		}
		if pstate != StateReview {
			return errs.New(errs.Conflict, "项目不在评审期", "the programme is not in review")
		}
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		if _, err := s.Panel.Submit(ctx, tx, g, panelCriteria(p.Rules.Criteria), panelScores(scores)); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.score", ObjectType: "award_assignment", ObjectID: idStr(id), After: scores})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

// loadPanelScores puts the panel's score of each application of p that
// experts scored under its enterprise.
func (s *Service) loadPanelScores(ctx context.Context, q db.Querier, p Programme, out map[int64]Fixed) error {
	scores, err := s.Panel.ContestScores(ctx, q, panelKind, p.ID, p.Rules.trimAt())
	if err != nil || len(scores) == 0 {
		return err
	}
	return eachRow(ctx, q, "SELECT id, enterprise_id FROM award_applications WHERE programme_id=$1 ORDER BY id", []any{p.ID}, func(r *sql.Rows) error {
		var app, ent int64
		if err := r.Scan(&app, &ent); err != nil {
			return err
		}
		if v, ok := scores[app]; ok {
			out[ent] = v
		}
		return nil
	})
}
