package award

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

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

func (s *Service) nameAsgs(ctx context.Context, gs []Assignment) error {
	if err := withEnterprises(ctx, s, gs, func(g *Assignment) int64 { return g.enterpriseID },
		func(g *Assignment, e enterprise.Brief) { g.EnterpriseName = e.Name }); err != nil {
		return err
	}
	return s.withReviewers(ctx, gs)
}

// Score is one criterion's score with the expert's comment; Value has up to
// three decimals.
type Score struct {
	Criterion string `json:"criterion"`
	Value     string `json:"value"`
	Comment   string `json:"comment"`
}

// SetAffiliations records what a reviewer declares they are linked to (one
// enterprise name or credit code per line), used to exclude conflicts.
func (s *Service) SetAffiliations(ctx context.Context, reviewerID int64, text string) error {
	lines := splitLines(text)
	if u, err := s.Org.UserByID(ctx, reviewerID); err != nil || u.Role != org.Reviewer {
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return err
		}
		return errs.New(errs.NotFound, "评审专家不存在", "reviewer not found")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		joined := strings.Join(lines, "\n")
		res, err := tx.ExecContext(ctx, "UPDATE award_reviewer_profiles SET affiliations=$1, updated_at=$2 WHERE user_id=$3", joined, s.nowMS(), reviewerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO award_reviewer_profiles (user_id, affiliations, updated_at) VALUES ($1,$2,$3)", reviewerID, joined, s.nowMS()); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.reviewer.affiliations", ObjectType: "user", ObjectID: idStr(reviewerID), After: lines})
	})
}

// Affiliations returns a reviewer's declared affiliations.
func (s *Service) Affiliations(ctx context.Context, reviewerID int64) (string, error) {
	var a string
	err := s.DB.R.QueryRowContext(ctx, "SELECT affiliations FROM award_reviewer_profiles WHERE user_id=$1", reviewerID).Scan(&a)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return a, err
}

func splitLines(t string) []string {
	var out []string
	for _, l := range strings.Split(t, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// conflict says why a reviewer is linked to an enterprise, or "".
func conflict(affil []string, revEnt, ent int64, name, credit, former string) string {
	if revEnt != 0 && revEnt == ent {
		return "专家账号属于该企业 / the reviewer's account belongs to the enterprise"
	}
	names := append([]string{name}, splitLines(former)...)
	for _, a := range affil {
		if strings.EqualFold(a, credit) {
			return "专家申报关联：" + a + " / declared affiliation: " + a
		}
		for _, n := range names {
			if n != "" && (a == n || (len([]rune(a)) >= 4 && strings.Contains(n, a))) {
				return "专家申报关联：" + a + " / declared affiliation: " + a
			}
		}
	}
	return ""
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
		var ent int64
		err := tx.QueryRowContext(ctx, `SELECT a.state, p.state, a.enterprise_id FROM award_applications a
			JOIN award_programmes p ON p.id=a.programme_id WHERE a.id=$1`, appID).
			Scan(&state, &pstate, &ent)
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
		name, credit, former := e.Name, e.CreditCode, strings.Join(e.FormerNames, "\n")
		revEnt := sql.NullInt64{Int64: rev.EnterpriseID, Valid: rev.EnterpriseID != 0}
		var affil string
		_ = tx.QueryRowContext(ctx, "SELECT affiliations FROM award_reviewer_profiles WHERE user_id=$1", reviewerID).Scan(&affil)
		why := conflict(splitLines(affil), revEnt.Int64, ent, name, credit, former)
		st := "assigned"
		if why != "" {
			st = "conflict"
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO award_assignments (application_id, reviewer_id, state, reason, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$5) RETURNING id`, appID, reviewerID, st, why, s.nowMS()).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "该专家已分配此申报", "this reviewer is already assigned")
		}
		if err != nil {
			return fmt.Errorf("award: assign: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.assign", ObjectType: "award_assignment", ObjectID: idStr(id),
			After: map[string]any{"application_id": appID, "reviewer_id": reviewerID, "state": st, "reason": why}})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

// asgCols reads the award's own rows; the enterprise's name comes from the
// registry and the reviewer's username from org (nameAsgs).
const asgCols = `g.id, g.application_id, a.programme_id, p.name_zh, a.enterprise_id, g.reviewer_id, g.state, g.reason, g.total_milli
	FROM award_assignments g JOIN award_applications a ON a.id=g.application_id JOIN award_programmes p ON p.id=a.programme_id`

func scanAsg(sc interface{ Scan(...any) error }) (Assignment, error) {
	var g Assignment
	var total int64
	err := sc.Scan(&g.ID, &g.ApplicationID, &g.ProgrammeID, &g.ProgrammeName, &g.enterpriseID, &g.ReviewerID, &g.State, &g.Reason, &total)
	if g.State == "scored" {
		g.Total = milliString(total)
	}
	return g, err
}

// Assignment returns one assignment with its scores. Errors: NotFound.
func (s *Service) Assignment(ctx context.Context, id int64) (Assignment, error) {
	g, err := scanAsg(s.DB.R.QueryRowContext(ctx, "SELECT "+asgCols+" WHERE g.id=$1", id))
	if err == sql.ErrNoRows {
		return g, errs.New(errs.NotFound, "评审任务不存在", "assignment not found")
	}
	if err != nil {
		return g, err
	}
	one := []Assignment{g}
	if err := s.nameAsgs(ctx, one); err != nil {
		return g, err
	}
	g = one[0]
	err = eachRow(ctx, s.DB.R, "SELECT criterion, score_milli, comment FROM award_scores WHERE assignment_id=$1 ORDER BY criterion LIMIT 100",
		[]any{id}, func(r *sql.Rows) error {
			var sc Score
			var v int64
			err := r.Scan(&sc.Criterion, &v, &sc.Comment)
			sc.Value = milliString(v)
			g.Scores = append(g.Scores, sc)
			return err
		})
	return g, err
}

// Assignments lists assignments of one reviewer (reviewerID ≠ 0) or of one
// application.
func (s *Service) Assignments(ctx context.Context, reviewerID, appID int64) ([]Assignment, error) {
	q, arg := "SELECT "+asgCols+" WHERE g.reviewer_id=$1 ORDER BY g.id DESC LIMIT 500", reviewerID
	if reviewerID == 0 {
		q, arg = "SELECT "+asgCols+" WHERE g.application_id=$1 ORDER BY g.id LIMIT 500", appID
	}
	var out []Assignment
	err := eachRow(ctx, s.DB.R, q, []any{arg}, func(r *sql.Rows) error {
		g, err := scanAsg(r)
		out = append(out, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.nameAsgs(ctx, out)
}

// mine loads an assignment for its reviewer; another reviewer's is NotFound.
func (s *Service) mine(ctx context.Context, tx *sql.Tx, id, reviewerID int64) (state, pstate string, progID int64, err error) {
	var owner int64
	err = tx.QueryRowContext(ctx, `SELECT g.reviewer_id, g.state, p.state, p.id FROM award_assignments g JOIN award_applications a ON a.id=g.application_id
		JOIN award_programmes p ON p.id=a.programme_id WHERE g.id=$1`+s.DB.ForUpdate(), id).Scan(&owner, &state, &pstate, &progID)
	if err == sql.ErrNoRows || (err == nil && owner != reviewerID) {
		return "", "", 0, errs.New(errs.NotFound, "评审任务不存在或未分配给您", "assignment not found or not assigned to you")
	}
	return state, pstate, progID, err
}

// Recuse withdraws a reviewer from an assignment, with a reason. Errors:
// Invalid, NotFound (not theirs), Conflict.
func (s *Service) Recuse(ctx context.Context, id, reviewerID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errs.Field("reason", "回避须写明原因", "a recusal needs a reason")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		state, pstate, _, err := s.mine(ctx, tx, id, reviewerID)
		if err != nil {
			return err
		}
		if (state != "assigned" && state != "scored") || pstate != StateReview && pstate != StateOpen {
			return errs.New(errs.Conflict, "该评审任务不能回避", "this assignment cannot be recused")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM award_scores WHERE assignment_id=$1", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_assignments SET state='recused', reason=$1, total_milli=0, updated_at=$2 WHERE id=$3", reason, s.nowMS(), id); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.recuse", ObjectType: "award_assignment", ObjectID: idStr(id),
			Before: map[string]string{"state": state}, After: map[string]string{"state": "recused", "reason": reason}})
	})
}

// SubmitScores records a reviewer's score on every criterion, replacing
// earlier scores while the programme is in review. Errors: Invalid (missing
// or out-of-range criterion), NotFound (not assigned to them), Conflict.
func (s *Service) SubmitScores(ctx context.Context, id, reviewerID int64, scores []Score) (Assignment, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		state, pstate, progID, err := s.mine(ctx, tx, id, reviewerID)
		if err != nil {
			return err
		}
		if state != "assigned" && state != "scored" {
			return errs.New(errs.Conflict, "已回避或存在利益冲突，不能评分", "recused or in conflict: cannot score")
		}
		if pstate != StateReview {
			return errs.New(errs.Conflict, "项目不在评审期", "the programme is not in review")
		}
		p, err := s.programmeTx(ctx, tx, progID)
		if err != nil {
			return err
		}
		vals, total, err := checkScores(p.Rules.Criteria, scores)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM award_scores WHERE assignment_id=$1", id); err != nil {
			return err
		}
		for i, c := range p.Rules.Criteria {
			if _, err := tx.ExecContext(ctx, "INSERT INTO award_scores (assignment_id, criterion, score_milli, comment) VALUES ($1,$2,$3,$4)",
				id, c.Code, vals[i], strings.TrimSpace(byCode(scores, c.Code).Comment)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE award_assignments SET state='scored', total_milli=$1, updated_at=$2 WHERE id=$3", total, s.nowMS(), id); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.score", ObjectType: "award_assignment", ObjectID: idStr(id), After: scores})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

func byCode(ss []Score, code string) Score {
	for _, s := range ss {
		if s.Criterion == code {
			return s
		}
	}
	return Score{}
}

func checkScores(crit []Criterion, scores []Score) ([]int64, int64, error) {
	var ds []errs.Detail
	vals := make([]int64, len(crit))
	var total int64
	for _, s := range scores {
		found := false
		for _, c := range crit {
			found = found || c.Code == s.Criterion
		}
		if !found {
			ds = append(ds, bad("scores."+s.Criterion, "没有这个评审指标", "no such criterion"))
		}
	}
	for i, c := range crit {
		sc := byCode(scores, c.Code)
		v, ok := ParseFixed(sc.Value)
		if sc.Value == "" || !ok || v%1000 != 0 {
			ds = append(ds, bad("scores."+c.Code, c.NameZH+"：请填写分数（最多三位小数）", firstOf(c.NameEN, c.NameZH)+": enter a score (up to three decimals)"))
			continue
		}
		if v < 0 || v > Fixed(c.Max)*One {
			ds = append(ds, errs.Detail{Field: "scores." + c.Code, Value: sc.Value, Reason: c.NameZH + "：分数应在 0–" + strconv.Itoa(c.Max) + " 之间",
				ReasonEN: c.Code + ": score must be 0–" + strconv.Itoa(c.Max)})
			continue
		}
		vals[i] = int64(v) / 1000
		total += vals[i]
	}
	if len(ds) > 0 {
		return nil, 0, errs.List("评分有误", "the scores are not valid", ds)
	}
	return vals, total, nil
}

// milliString renders thousandths with only the decimals needed: 50, 35.5.
func milliString(v int64) string {
	s := Fixed(v * 1000).String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// PanelScore is the panel's score from experts' totals (in thousandths):
// the mean of all, or, when at least trimAt scored, the mean after dropping
// one highest and one lowest. It is rounded by the one rule to millionths.
func PanelScore(totals []int64, trimAt int) (Fixed, bool) {
	if len(totals) == 0 {
		return 0, false
	}
	t := append([]int64(nil), totals...)
	sort.Slice(t, func(a, b int) bool { return t[a] < t[b] })
	if len(t) >= trimAt && len(t) >= 3 {
		t = t[1 : len(t)-1]
	}
	var sum int64
	for _, v := range t {
		sum += v
	}
	q, ok := mulDiv(sum, 1000, int64(len(t)))
	return Fixed(q), ok
}

func (s *Service) loadPanelScores(ctx context.Context, q db.Querier, p Programme, out map[int64]Fixed) error {
	per := map[int64][]int64{}
	if err := eachRow(ctx, q, `SELECT a.enterprise_id, g.total_milli FROM award_assignments g JOIN award_applications a ON a.id=g.application_id
		WHERE a.programme_id=$1 AND g.state='scored' ORDER BY a.enterprise_id, g.id`, []any{p.ID}, func(r *sql.Rows) error {
		var e, v int64
		err := r.Scan(&e, &v)
		per[e] = append(per[e], v)
		return err
	}); err != nil {
		return err
	}
	for e, ts := range per {
		if v, ok := PanelScore(ts, p.Rules.trimAt()); ok {
			out[e] = v
		}
	}
	return nil
}
