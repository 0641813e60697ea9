package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
)

// Match reads a match with its steps: the need's enterprise, the
// institution and staff. Errors: NotFound.
func (s *Service) Match(ctx context.Context, v Viewer, id int64) (Match, error) {
	m, err := s.match(ctx, s.DB.R, id, "")
	if err != nil {
		return Match{}, err
	}
	p, err := s.partyTo(ctx, s.DB.R, v, m)
	if err != nil {
		return Match{}, err
	}
	if !p.reads() {
		return Match{}, errNoMatch
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT step, on_date, amount_fen, note, actor, at FROM finance_match_steps WHERE match_id = $1 ORDER BY id", id)
	if err != nil {
		return Match{}, fmt.Errorf("finance: steps of match %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e StepEvent
		if err := rows.Scan(&e.Step, &e.On, &e.AmountFen, &e.Note, &e.Actor, &e.At); err != nil {
			return Match{}, err
		}
		m.Steps = append(m.Steps, e)
	}
	return m, rows.Err()
}

// MatchFilter narrows a list of matches.
type MatchFilter struct {
	NeedID        int64
	InstitutionID int64 // staff only; an investor reads its own
	Step          string
	State         string
	Limit         int   // default 100, at most 500
	below         int64 // exports page by id, newest first: only ids below this
}

// Matches lists matches newest first: an enterprise those on its needs,
// an investor account its institution's, staff every one. Errors:
// Forbidden (anyone else), Invalid (a bad filter).
func (s *Service) Matches(ctx context.Context, v Viewer, f MatchFilter) ([]Match, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	var conds []string
	switch {
	case v.Staff():
		if f.InstitutionID != 0 {
			conds = append(conds, "m.institution_id = "+arg(f.InstitutionID))
		}
	case v.enterprise():
		conds = append(conds, "n.enterprise_id = "+arg(v.EnterpriseID))
	case v.investor():
		id, _, err := s.member(ctx, s.DB.R, v)
		if err != nil {
			return nil, err
		}
		conds = append(conds, "m.institution_id = "+arg(id))
	default:
		return nil, errs.New(errs.Forbidden, "您无权查看融资对接", "you may not read matches")
	}
	if f.NeedID != 0 {
		conds = append(conds, "m.need_id = "+arg(f.NeedID))
	}
	if f.Step != "" {
		if stepIndex(f.Step) < 0 {
			return nil, errs.Field("step", "环节无效："+f.Step, "unknown step: "+f.Step)
		}
		conds = append(conds, "m.step = "+arg(f.Step))
	}
	if f.State != "" {
		if f.State != MatchOpen && f.State != MatchClosed {
			return nil, errs.Field("state", "状态无效："+f.State, "unknown state: "+f.State)
		}
		conds = append(conds, "m.state = "+arg(f.State))
	}
	if f.below != 0 {
		conds = append(conds, "m.id < "+arg(f.below))
	}
	return s.listMatches(ctx, conds, args, f.Limit)
}

// listMatches reads the matches meeting conds (with their args), newest
// first, at most limit.
func (s *Service) listMatches(ctx context.Context, conds []string, args []any, limit int) ([]Match, error) {
	q := matchCols
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" ORDER BY m.id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("finance: matches: %w", err)
	}
	return scanAll(rows, scanMatch)
}

// Dashboard is an institution's working page: the institution with its
// contacts, the needs that fit it once approved (nil before), and its
// matches, newest first (at most 500).
type Dashboard struct {
	Institution Institution
	Fits        []RankedNeed
	Matches     []Match
}

// Dashboard reads an institution's dashboard: an investor account its
// own institution (whatever instID says), staff institution instID, with
// the fitting needs' top fits (MatchNeeds). It is Institution, MatchNeeds
// and Matches for one page, reading the account's institution and the
// profile once for all three. An investor account acting for no
// institution gets a zero Dashboard. Errors: Unauthorized, NotFound
// (also another role, or staff naming no institution).
func (s *Service) Dashboard(ctx context.Context, v Viewer, instID int64, fits int) (Dashboard, error) {
	if v.UserID == 0 {
		return Dashboard{}, errSignIn
	}
	var row *sql.Row
	switch {
	case v.investor(): // the account's institution, in the query that reads it
		row = s.DB.Read(ctx).QueryRowContext(ctx, instCols+" WHERE id = (SELECT institution_id FROM finance_members WHERE user_id = $1)", v.UserID)
	case v.Staff() && instID != 0:
		row = s.DB.Read(ctx).QueryRowContext(ctx, instCols+" WHERE id = $1", instID)
	default:
		return Dashboard{}, errNoInstitution
	}
	i, err := scanInst(row)
	switch {
	case errors.Is(err, sql.ErrNoRows) && v.investor():
		return Dashboard{}, nil
	case errors.Is(err, sql.ErrNoRows):
		return Dashboard{}, errNoInstitution
	case err != nil:
		return Dashboard{}, fmt.Errorf("finance: dashboard of institution %d: %w", instID, err)
	}
	// The chain tree once for the page: the profile's chains, the ranking
	// and the ranked needs' chains.
	t, err := s.chainTree(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	// The profile, with the past deals the ranking scores, in one query.
	deals := map[int64]int{}
	if err := s.readProfiles(ctx, s.DB.R, t.nodes, []*Institution{&i}, true, deals); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Institution: i}
	if i.State == InstApproved {
		if d.Fits, err = s.rankNeeds(ctx, t, i, deals, fits); err != nil {
			return Dashboard{}, err
		}
	}
	if d.Matches, err = s.listMatches(ctx, []string{"m.institution_id = $1"}, []any{i.ID}, 500); err != nil {
		return Dashboard{}, err
	}
	return d, nil
}
