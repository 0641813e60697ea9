package finance_test

import (
	"context"
	"testing"

	"gaoxin/internal/finance"
	"gaoxin/internal/kpi"
)

// The scale of the benchmark: 5,000 institutions, 50,000 needs
// and 200,000 funnel events (50,000 matches of four steps each), seeded
// straight into the tables. Run with
//
//	go test ./internal/finance/ -run '^$' -bench . -benchtime 20x
//
// (GAOXIN_TEST_POSTGRES for PostgreSQL). Targets: matching one need
// ≤ 100 ms.

func seedScale(b *testing.B) (*fixture, finance.Viewer, int64) {
	f := newFixture(b)
	syn, err := f.S.Synthesize(context.Background(), finance.Scale{Institutions: 5000, Needs: 50_000, Enterprises: []int64{f.entA.EnterpriseID}, Seed: 13})
	if err != nil {
		b.Fatal(err)
	}
	// An institution with an account.
	v := f.investor("bench")
	if _, err := f.DB.W.ExecContext(context.Background(), "INSERT INTO finance_members (user_id, institution_id, created_at) VALUES ($1,$2,1)",
		v.UserID, syn.FirstInstitution); err != nil {
		b.Fatal(err)
	}
	return f, v, (syn.FirstNeed + syn.LastNeed) / 2
}

func BenchmarkMatchInstitutions(b *testing.B) {
	f, _, need := seedScale(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.S.MatchInstitutions(f.ctx, f.staff, need, 50); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatchNeeds(b *testing.B) {
	f, v, _ := seedScale(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.S.MatchNeeds(f.ctx, v, 0, 50); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeasures(b *testing.B) {
	f, _, _ := seedScale(b)
	src := f.S.KPISource()
	var qs []kpi.Query
	for _, m := range src.Measures() {
		qs = append(qs, kpi.Query{Measure: m.Code}, kpi.Query{Measure: m.Code, Filter: kpi.Filter{Chain: "iot"}})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := src.Values(f.ctx, kpi.Request{Queries: qs[2:], From: 2022, To: 2023, UpTo: "2023-11-20"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOverview(b *testing.B) {
	f, _, _ := seedScale(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.S.Overview(f.ctx, f.staff, 2023); err != nil {
			b.Fatal(err)
		}
	}
}
