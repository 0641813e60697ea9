package enterprise_test

import (
	"fmt"
	"slices"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/uscc"
)

// Candidates come in id order, each with the asked-for nodes it sits on,
// however the index they are read through orders them: here the node
// index gives the enterprise of the higher node first.
func TestCandidatesInIDOrder(t *testing.T) {
	f := newFixture(t)
	tree, err := f.svc.ChainTree(f.ctx)
	if err != nil || len(tree) < 2 {
		t.Fatalf("tree: %d nodes (%v)", len(tree), err)
	}
	low, high := tree[0], tree[1]
	if low.ID > high.ID {
		low, high = high, low
	}
	mk := func(i int, status enterprise.Status, chains ...string) int64 {
		return f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100CD%06d", i)), Name: fmt.Sprintf("候选企业%d", i),
			IndustryCode: "3911", Chains: chains, Status: status}).ID
	}
	first := mk(1, "", high.Code)
	both := mk(2, "", high.Code, low.Code)
	last := mk(3, "", low.Code)
	mk(4, enterprise.MovedOut, low.Code)
	got, err := f.svc.Candidates(f.ctx, nil, enterprise.CandidateQuery{Nodes: []int64{low.ID, high.ID}, Day: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		slices.Sort(got[i].Nodes) // in no particular order
	}
	want := fmt.Sprintf("[{%d 3911 [%d] []} {%d 3911 [%d %d] []} {%d 3911 [%d] []}]", first, high.ID, both, low.ID, high.ID, last, low.ID)
	if s := fmt.Sprint(got); s != want {
		t.Fatalf("candidates = %s, want %s", s, want)
	}
	got, err = f.svc.Candidates(f.ctx, nil, enterprise.CandidateQuery{Industries: []string{"39"}, Except: map[int64]bool{both: true}, Day: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("[{%d 3911 [] []} {%d 3911 [] []}]", first, last)
	if s := fmt.Sprint(got); s != want {
		t.Fatalf("candidates by industry = %s, want %s", s, want)
	}
}

// A candidate's tiers are the certificates valid on the day asked, each
// once and in the pipeline's order, whatever order they were recorded in.
func TestCandidatesTiersValidOnTheDayInPipelineOrder(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("91410100EF000001"), Name: "梯队企业", IndustryCode: "3911"})
	for _, tr := range []enterprise.Tier{
		{Tier: "little_giant", CertNo: "L1", ValidFrom: "2025-01-01", ValidTo: "2027-12-31"},
		{Tier: "hnte", CertNo: "GR1", ValidFrom: "2023-01-01", ValidTo: "2025-12-31"},
		{Tier: "hnte", CertNo: "GR2", ValidFrom: "2026-01-01", ValidTo: "2028-12-31"},
		{Tier: "gazelle", CertNo: "G1", ValidFrom: "2022-01-01", ValidTo: "2025-06-30"}, // lapsed
		{Tier: "srdi", CertNo: "S1", ValidFrom: "2026-07-01"},                           // not yet
		{Tier: "tsme", CertNo: "T1"}, // no dates
	} {
		if _, err := f.svc.AddTier(f.ctx, staff, a.ID, tr); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.svc.Candidates(f.ctx, nil, enterprise.CandidateQuery{Industries: []string{"39"}, Day: "2026-03-01"})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[{%d 3911 [] [tsme hnte little_giant]}]", a.ID)
	if s := fmt.Sprint(got); s != want {
		t.Fatalf("candidates = %s, want %s", s, want)
	}
}
