package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
)

// Access rules of the finance module. Routes admit a role; the service
// decides per object. Objects one may not know of answer NotFound, so their
// existence does not leak.
//
//   - Staff (admin, leader, supervisor) read everything; supervisors
//     approve institutions, run roadshows and may record a match's steps.
//   - An investor account acts for the one institution it is linked to
//     (finance_members). Until the institution is approved it sees no
//     need.
//   - A need is read by its enterprise, by staff, and by an approved
//     institution that has a match on it, or, while the need is open,
//     whose profile fits it (fit.go) and whom the need's audience lets
//     in (all fitting but the excluded, or only the chosen). Nobody else:
//     not another enterprise, not the public, not an institution outside
//     the fit.
//   - A match is read by the need's enterprise, the institution and
//     staff; its notes only by the institution and staff.
//   - Approved institutions are listed to every signed-in account; their
//     contacts only to staff, their own accounts and enterprises that
//     accepted their interest.

// Viewer is who asks.
type Viewer struct {
	UserID       int64
	Role         org.Role
	EnterpriseID int64 // enterprise accounts: their enterprise
	Name         string
}

// ViewerOf makes a Viewer of a signed-in user; nil gives the anonymous
// Viewer, which reads nothing in this module.
func ViewerOf(u *org.User) Viewer {
	if u == nil {
		return Viewer{}
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	return Viewer{UserID: u.ID, Role: u.Role, EnterpriseID: u.EnterpriseID, Name: name}
}

// Staff reports whether v reads the whole module.
func (v Viewer) Staff() bool {
	return v.Role == org.Admin || v.Role == org.Leader || v.Role == org.Supervisor
}

// Runs reports whether v approves institutions, runs roadshows and records
// steps for anyone.
func (v Viewer) Runs() bool { return v.Role == org.Supervisor }

// enterprise reports whether v is an enterprise account of an enterprise.
func (v Viewer) enterprise() bool { return v.Role == org.Enterprise && v.EnterpriseID != 0 }

// investor reports whether v is an investor account.
func (v Viewer) investor() bool { return v.Role == org.Investor && v.UserID != 0 }

var (
	errNoInstitution = errs.New(errs.NotFound, "金融机构不存在", "institution not found")
	errNoNeed        = errs.New(errs.NotFound, "融资需求不存在", "financing need not found")
	errNoMatch       = errs.New(errs.NotFound, "对接记录不存在", "match not found")
	errSignIn        = errs.New(errs.Unauthorized, "请先登录", "please sign in")
)

func mustRun(v Viewer) error {
	if !v.Runs() {
		return errs.New(errs.Forbidden, "只有督查室（经发局）工作人员可以办理", "only supervisors may do this")
	}
	return nil
}

// member is the institution an investor account acts for: its id and
// state; 0 when v is not linked to one.
func (s *Service) member(ctx context.Context, q db.Querier, v Viewer) (int64, string, error) {
	if !v.investor() {
		return 0, "", nil
	}
	var id int64
	var state string
	err := q.QueryRowContext(ctx, `SELECT m.institution_id, i.state FROM finance_members m
		JOIN finance_institutions i ON i.id = m.institution_id WHERE m.user_id = $1`, v.UserID).Scan(&id, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("finance: member %d: %w", v.UserID, err)
	}
	return id, state, nil
}

// MemberOf is the institution an investor account acts for (0 when none),
// for pages that choose what to show.
func (s *Service) MemberOf(ctx context.Context, v Viewer) (int64, error) {
	id, _, err := s.member(ctx, s.DB.R, v)
	return id, err
}

// record appends an audit entry and bumps the module's version, the last
// statements of a write.
func (s *Service) record(ctx context.Context, tx *sql.Tx, action, objType string, id int64, before, after any) error {
	if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: action, ObjectType: objType, ObjectID: strconv.FormatInt(id, 10),
		Before: before, After: after}); err != nil {
		return err
	}
	return memo.Bump(ctx, tx, Module)
}
