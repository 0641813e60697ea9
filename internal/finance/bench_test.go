package finance_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
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
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 13))
	var nodes []int64
	parent := map[int64]int64{}
	rows, err := f.DB.W.QueryContext(ctx, "SELECT id, COALESCE(parent_id, 0) FROM chain_nodes ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, p int64
		rows.Scan(&id, &p)
		nodes = append(nodes, id)
		parent[id] = p
	}
	rows.Close()
	type cell struct {
		node     int64
		step, ym string
	}
	rollup := map[cell]int{}
	stages := []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo", "ma"}
	instr := []string{"equity", "loan", "convertible", "guarantee", "ip_pledge", "leasing"}
	exec := func(tx *sql.Tx, q string, args ...any) {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	var memberInst int64
	err = f.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= 5000; i++ {
			lo := int64(1+r.IntN(50)) * 1_000_000
			exec(tx, `INSERT INTO finance_institutions (id, kind, name, credit_code, aum_fen, ticket_min_fen, ticket_max_fen, settled_on, state, created_at, updated_at)
				VALUES ($1,'vc_pe',$2,$3,$4,$5,$6,'2023-01-01','approved',1,1)`, i, fmt.Sprintf("机构%d", i), fmt.Sprintf("B%017d", i), int64(r.IntN(100))*10_000_000_000, lo, lo*int64(5+r.IntN(50)))
			for _, k := range r.Perm(len(stages))[:1+r.IntN(4)] {
				exec(tx, "INSERT INTO finance_institution_stages (institution_id, stage) VALUES ($1,$2)", i, stages[k])
			}
			for _, k := range r.Perm(len(instr))[:1+r.IntN(2)] {
				exec(tx, "INSERT INTO finance_institution_instruments (institution_id, instrument) VALUES ($1,$2)", i, instr[k])
			}
			for _, k := range r.Perm(len(nodes))[:r.IntN(3)] {
				exec(tx, "INSERT INTO finance_institution_chains (institution_id, node_id) VALUES ($1,$2)", i, nodes[k])
			}
			if r.IntN(3) == 0 {
				exec(tx, "INSERT INTO finance_institution_deals (institution_id, node_id, deals, funded_fen) VALUES ($1,$2,$3,$4)", i, nodes[3+r.IntN(12)], 1+r.IntN(6), 100_000_000)
			}
		}
		for n := 1; n <= 50_000; n++ {
			exec(tx, `INSERT INTO finance_needs (id, enterprise_id, enterprise_name, title, amount_fen, instrument, stage, use_of_funds, created_at, updated_at)
				VALUES ($1,$2,'企业','需求',$3,$4,$5,'用途',1,1)`, n, f.entA.EnterpriseID, int64(1+r.IntN(300))*1_000_000, instr[r.IntN(len(instr))], stages[r.IntN(len(stages))])
			node := nodes[r.IntN(len(nodes))]
			exec(tx, "INSERT INTO finance_need_chains (need_id, node_id) VALUES ($1,$2)", n, node)
			exec(tx, `INSERT INTO finance_matches (id, need_id, institution_id, step, state, step_on, funded_fen, funded_on, created_at, updated_at)
				VALUES ($1,$1,$2,'diligence','open','2023-05-01',0,'',1,1)`, n, 1+r.IntN(5000))
			for k, st := range []string{"interest", "matched", "meeting", "diligence"} {
				on := fmt.Sprintf("2023-%02d-%02d", 1+r.IntN(10), 1+k)
				exec(tx, "INSERT INTO finance_match_steps (match_id, step, on_date, at) VALUES ($1,$2,$3,1)", n, st, on)
				for x := node; ; x = parent[x] {
					rollup[cell{x, st, on[:7]}]++
					if x == 0 {
						break
					}
				}
			}
		}
		for c, k := range rollup {
			exec(tx, "INSERT INTO finance_step_months (node_id, step, ym, n, fen) VALUES ($1,$2,$3,$4,0)", c.node, c.step, c.ym, k)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if f.DB.Dialect == "postgres" {
		for _, t := range []string{"finance_institutions", "finance_needs", "finance_matches"} {
			f.DB.W.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), 100000)")
		}
		f.DB.W.ExecContext(ctx, "ANALYZE")
	} else {
		f.DB.W.ExecContext(ctx, "ANALYZE")
	}
	// An institution with an account, and a need of the enterprise.
	v := f.investor("bench")
	memberInst = 1
	if _, err := f.DB.W.ExecContext(ctx, "INSERT INTO finance_members (user_id, institution_id, created_at) VALUES ($1,$2,1)", v.UserID, memberInst); err != nil {
		b.Fatal(err)
	}
	return f, v, 25_000
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
