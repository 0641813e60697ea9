package kpi

import (
	"context"
	"slices"
	"time"

	"gaoxin/internal/org"
)

// ScopeOf is the Scope of a signed-in user: a supervisor writes every
// indicator, unit staff their own unit's, anyone else none.
func ScopeOf(u *org.User) Scope {
	if u == nil {
		return Scope{}
	}
	switch u.Role {
	case org.Supervisor:
		return Scope{All: true}
	case org.UnitStaff:
		return Scope{UnitID: u.UnitID}
	}
	return Scope{}
}

// OverdueFor lists the figures overdue at asOf that sc may see: unit staff
// only their own unit's, whatever unitID asks; others unitID's, or every
// unit's when unitID is 0.
func (s *Service) OverdueFor(ctx context.Context, sc Scope, unitID int64, asOf time.Time) ([]Overdue, error) {
	if !sc.All && sc.UnitID != 0 {
		unitID = sc.UnitID
	}
	return s.OverdueFigures(ctx, unitID, asOf)
}

// OverdueOwed lists the figures that sc owes as of the latest target year's
// as-of date: a unit's for unit staff, every unit's for a supervisor, none
// for anyone who does not enter figures.
func (s *Service) OverdueOwed(ctx context.Context, sc Scope) ([]Overdue, error) {
	if !sc.All && sc.UnitID == 0 {
		return nil, nil
	}
	years, err := s.Years(ctx)
	if err != nil || len(years) == 0 {
		return nil, err
	}
	st, err := s.Settings(ctx, slices.Max(years))
	if err != nil {
		return nil, err
	}
	return s.OverdueFigures(ctx, sc.UnitID, s.AsOfDate(st))
}
