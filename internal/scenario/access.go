package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Access rules of the scenario module. Routes admit a role; the service
// decides which call, bid or file a caller may know of. Objects one may not
// know of answer NotFound, so their existence does not leak.
//
//   - Everyone, signed in or not, reads published calls (and those past
//     publishing), their results and winners.
//   - A need's owner (its unit, or its enterprise) reads it in every state
//     and edits it while it is being collected.
//   - Staff (admin, leader, supervisor) read everything; supervisors
//     review needs, run batches and decide calls.
//   - A bid is read by its lead and partner enterprises and by staff; the
//     call's owner reads its bids only after the deadline. No other
//     enterprise ever sees a bid.
//   - A reviewer (expert) reads only the bids assigned to them, with
//     their evidence, while they take part; never another expert's
//     assignment nor any other bid.
//   - Once a winner is chosen, everyone reads the result: the winner and
//     each standing bid's lead and panel score, not the bids' contents;
//     anyone may object during the notice, and look the decision up by
//     the receipt number. Supervisors decide objections.

// Viewer is who asks.
type Viewer struct {
	UserID       int64
	Role         org.Role
	UnitID       int64
	UnitName     string
	EnterpriseID int64
	Name         string
}

// ViewerOf makes a Viewer of a signed-in user; nil gives the anonymous
// Viewer, which reads the public portal only.
func ViewerOf(u *org.User) Viewer {
	if u == nil {
		return Viewer{}
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	return Viewer{UserID: u.ID, Role: u.Role, UnitID: u.UnitID, UnitName: u.UnitName, EnterpriseID: u.EnterpriseID, Name: name}
}

// Staff reports whether v reads the whole module.
func (v Viewer) Staff() bool {
	return v.Role == org.Admin || v.Role == org.Leader || v.Role == org.Supervisor
}

// Runs reports whether v reviews needs, runs batches and decides calls.
func (v Viewer) Runs() bool { return v.Role == org.Supervisor }

// owns reports whether v is the owner of n.
func (v Viewer) owns(n Need) bool {
	switch n.OwnerKind {
	case OwnerUnit:
		return v.Role == org.UnitStaff && v.UnitID != 0 && v.UnitID == n.OwnerUnitID
	case OwnerEnterprise:
		return v.Role == org.Enterprise && v.EnterpriseID != 0 && v.EnterpriseID == n.OwnerEnterpriseID
	}
	return false
}

// canRead reports whether v may know of n.
func (v Viewer) canRead(n Need) bool {
	return PublicState(n.State) || v.Staff() || v.owns(n)
}

// readable checks that v may know of call id, reading only what canRead
// looks at (its state and owner): for reads of what hangs under a call
// (its bids) that need not load the call itself. Errors: NotFound.
func (s *Service) readable(ctx context.Context, v Viewer, id int64) error {
	var n Need
	err := s.DB.R.QueryRowContext(ctx, "SELECT state, owner_kind, COALESCE(owner_unit_id, 0), COALESCE(owner_enterprise_id, 0) FROM scenario_needs WHERE id = $1",
		id).Scan(&n.State, &n.OwnerKind, &n.OwnerUnitID, &n.OwnerEnterpriseID)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound()
	}
	if err != nil {
		return fmt.Errorf("scenario: need %d: %w", id, err)
	}
	if !v.canRead(n) {
		return notFound()
	}
	return nil
}

func notFound() error { return errs.New(errs.NotFound, "场景不存在", "call not found") }

func mustRun(v Viewer) error {
	if !v.Runs() {
		return errs.New(errs.Forbidden, "只有督查室（经发局）工作人员可以办理", "only supervisors may do this")
	}
	return nil
}
