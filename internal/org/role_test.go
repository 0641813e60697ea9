package org_test

import (
	"context"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/org"
)

// The investor role (金融机构) is a known role with its own label, and an
// account of it is created without a unit, like an enterprise account.
func TestInvestorRole(t *testing.T) {
	if !org.Investor.Valid() {
		t.Fatal("investor is not a valid role")
	}
	if zh, en := org.Investor.Label(); zh != "金融机构" || en != "Investor" {
		t.Fatalf("label %q %q", zh, en)
	}
	if org.Role("banker").Valid() {
		t.Fatal("an unknown role is valid")
	}
	d := dbtest.Open(t)
	s := org.New(d, audit.New(d))
	s.Argon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "test"})
	u, err := s.CreateUser(ctx, org.NewUser{Username: "vc1", Role: org.Investor, Password: "a long enough pass phrase 42"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || got.Role != org.Investor || got.UnitID != 0 {
		t.Fatalf("%+v %v", got, err)
	}
}
