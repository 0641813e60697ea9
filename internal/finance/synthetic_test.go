package finance_test

import (
	"testing"

	"gaoxin/internal/finance"
)

// Synthesize writes the rows and the rollups a real history would: the
// overview counts every synthetic match at each of its four steps, and
// matching reads the synthetic institutions.
func TestSynthesizeKeepsTheRollups(t *testing.T) {
	f := newFixture(t)
	syn, err := f.S.Synthesize(f.ctx, finance.Scale{Institutions: 40, Needs: 120, Enterprises: []int64{f.entA.EnterpriseID, f.entB.EnterpriseID}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("SELECT COUNT(*) FROM finance_institutions WHERE synthetic"); n != 40 || syn.LastInstitution-syn.FirstInstitution != 39 {
		t.Fatalf("%d institutions, ids %d–%d", n, syn.FirstInstitution, syn.LastInstitution)
	}
	if n := f.count("SELECT COUNT(*) FROM finance_match_steps"); n != 480 {
		t.Fatalf("%d funnel events", n)
	}
	o, err := f.S.Overview(f.ctx, f.staff, 2023)
	if err != nil {
		t.Fatal(err)
	}
	reached := map[string]int{}
	for _, c := range o.Funnel {
		reached[c.Step] = c.Count
	}
	for _, st := range []string{finance.StepInterest, finance.StepMatched, finance.StepMeeting, finance.StepDiligence} {
		if reached[st] != 120 {
			t.Fatalf("the overview's funnel: %+v", o.Funnel)
		}
	}
	if _, err := f.S.MatchInstitutions(f.ctx, f.staff, syn.FirstNeed, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Synthesize(f.ctx, finance.Scale{Needs: 1}); err == nil {
		t.Fatal("synthesized needs without an enterprise")
	}
}
