package org_test

import (
	"context"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// A unit's registry scope defaults by its kind (bureaus and stationed
// agencies zone-wide, office areas and parks their area), may be given,
// changes only to a known scope, and reaches its users' accounts.
func TestUnitRegistryScope(t *testing.T) {
	d := dbtest.Open(t)
	a := audit.New(d)
	s := org.New(d, a)
	s.Argon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "test"})
	for _, c := range []struct {
		u    org.Unit
		want string
	}{
		{org.Unit{Code: "jfj", NameZH: "经济发展局", Kind: "内设机构"}, org.ScopeZone},
		{org.Unit{Code: "tjj", NameZH: "统计局", Kind: "派驻机构"}, org.ScopeZone},
		{org.Unit{Code: "sf", NameZH: "石佛办事处", Kind: "办事处"}, org.ScopeArea},
		{org.Unit{Code: "yq", NameZH: "电子信息产业园", Kind: "园区", RegistryScope: org.ScopeZone}, org.ScopeZone},
	} {
		got, err := s.CreateUnit(ctx, c.u)
		if err != nil || got.RegistryScope != c.want {
			t.Errorf("%s: scope %q, want %q (%v)", c.u.Code, got.RegistryScope, c.want, err)
		}
	}
	if _, err := s.CreateUnit(ctx, org.Unit{Code: "x", NameZH: "x", Kind: "办事处", RegistryScope: "world"}); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("unknown scope accepted: %v", err)
	}
	sf, _ := s.UnitByCode(ctx, "sf")
	if err := s.SetUnitScope(ctx, sf.ID, "everything"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("unknown scope set: %v", err)
	}
	if _, err := s.CreateUser(ctx, org.NewUser{Username: "shifo", Role: org.UnitStaff, UnitCode: "sf", Password: "correct-horse-battery"}); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByUsername(ctx, "shifo"); u.UnitScope != org.ScopeArea {
		t.Errorf("user's unit scope %q", u.UnitScope)
	}
	if err := s.SetUnitScope(ctx, sf.ID, org.ScopeZone); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByUsername(ctx, "shifo"); u.UnitScope != org.ScopeZone {
		t.Errorf("after the change the user's unit scope is %q", u.UnitScope)
	}
	if err := s.SetUnitScope(ctx, 99999, org.ScopeArea); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("missing unit: %v", err)
	}
}
