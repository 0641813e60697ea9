package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"

	"gaoxin/internal/db"
	"gaoxin/internal/memo"
)

// Scale is the size of a synthetic load for benchmarks: institutions
// (approved venture firms with random stages, instruments, chains and
// tickets), needs of the given enterprises, and one match per need that
// reached 尽调 (four dated steps each: Needs × 4 funnel events).
type Scale struct {
	Institutions int
	Needs        int
	Enterprises  []int64 // the needs' owners, in turn
	Seed         uint64
}

// Synthetic is what Synthesize wrote: the id ranges of its institutions
// and needs (in insertion order).
type Synthetic struct {
	FirstInstitution, LastInstitution int64
	FirstNeed, LastNeed               int64
}

// Synthesize writes sc straight into the module's tables in one
// transaction, every row marked synthetic, with the rollups its writes
// keep (monthly funnel counts, deals per institution and chain, the open
// needs by chain node), so that reads see what they would after the same
// history. It is for benchmarks (bench/finance, bench_test.go), not for
// demo data, which goes through the service.
func (s *Service) Synthesize(ctx context.Context, sc Scale) (Synthetic, error) {
	var out Synthetic
	if len(sc.Enterprises) == 0 {
		return out, errors.New("finance: synthesize: no enterprise to own the needs")
	}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return out, err
	}
	var nodes []int64
	parent := map[int64]int64{}
	for _, n := range tree {
		nodes = append(nodes, n.ID)
		parent[n.ID] = n.ParentID
	}
	if len(nodes) < 16 {
		return out, errors.New("finance: synthesize: the chain tree is too small")
	}
	r := rand.New(rand.NewPCG(sc.Seed, sc.Seed))
	type cell struct {
		node     int64
		step, ym string
	}
	rollup := map[cell]int{}
	type mapCell struct {
		stage string
		node  int64
	}
	stageMap := map[mapCell]int{}
	industry := func(n int64) int64 {
		for parent[n] != 0 && parent[parent[n]] != 0 {
			n = parent[n]
		}
		return n
	}
	stages := []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo", "ma"}
	instr := []string{"equity", "loan", "convertible", "guarantee", "ip_pledge", "leasing"}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("finance: synthesize: %w", err)
			}
			return nil
		}
		insts := make([]int64, 0, sc.Institutions)
		for i := 0; i < sc.Institutions; i++ {
			lo := int64(1+r.IntN(50)) * 1_000_000
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO finance_institutions (kind, name, credit_code, aum_fen, ticket_min_fen, ticket_max_fen,
				settled_on, state, synthetic, created_at, updated_at) VALUES ('vc_pe',$1,$2,$3,$4,$5,'2023-01-01','approved',TRUE,1,1) RETURNING id`,
				fmt.Sprintf("压测机构%05d（演示）", i), fmt.Sprintf("SYN%015d", i), int64(r.IntN(100))*10_000_000_000, lo, lo*int64(5+r.IntN(50))).Scan(&id); err != nil {
				return fmt.Errorf("finance: synthesize: %w", err)
			}
			insts = append(insts, id)
			var myStages []string
			for _, k := range r.Perm(len(stages))[:1+r.IntN(4)] {
				if err := exec("INSERT INTO finance_institution_stages (institution_id, stage) VALUES ($1,$2)", id, stages[k]); err != nil {
					return err
				}
				myStages = append(myStages, stages[k])
			}
			for _, k := range r.Perm(len(instr))[:1+r.IntN(2)] {
				if err := exec("INSERT INTO finance_institution_instruments (institution_id, instrument) VALUES ($1,$2)", id, instr[k]); err != nil {
					return err
				}
			}
			var inds []int64
			seen := map[int64]bool{}
			for _, k := range r.Perm(len(nodes))[:r.IntN(3)] {
				if err := exec("INSERT INTO finance_institution_chains (institution_id, node_id) VALUES ($1,$2)", id, nodes[k]); err != nil {
					return err
				}
				if ind := industry(nodes[k]); !seen[ind] {
					seen[ind] = true
					inds = append(inds, ind)
				}
			}
			if len(inds) == 0 {
				inds = []int64{0}
			}
			for _, st := range myStages {
				for _, ind := range inds {
					stageMap[mapCell{st, ind}]++
				}
			}
			if r.IntN(3) == 0 {
				if err := exec("INSERT INTO finance_institution_deals (institution_id, node_id, deals, funded_fen) VALUES ($1,$2,$3,$4)",
					id, nodes[3+r.IntN(12)], 1+r.IntN(6), 100_000_000); err != nil {
					return err
				}
			}
		}
		if len(insts) > 0 {
			out.FirstInstitution, out.LastInstitution = insts[0], insts[len(insts)-1]
		}
		for n := 0; n < sc.Needs; n++ {
			var need, match int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO finance_needs (enterprise_id, enterprise_name, title, amount_fen, instrument, stage, use_of_funds,
				synthetic, created_at, updated_at) VALUES ($1,'压测企业（演示）',$2,$3,$4,$5,'压测用途（演示）',TRUE,1,1) RETURNING id`,
				sc.Enterprises[n%len(sc.Enterprises)], fmt.Sprintf("压测融资需求%05d（演示）", n), int64(1+r.IntN(300))*1_000_000,
				instr[r.IntN(len(instr))], stages[r.IntN(len(stages))]).Scan(&need); err != nil {
				return fmt.Errorf("finance: synthesize: %w", err)
			}
			if n == 0 {
				out.FirstNeed = need
			}
			out.LastNeed = need
			node := nodes[r.IntN(len(nodes))]
			if err := exec("INSERT INTO finance_need_chains (need_id, node_id) VALUES ($1,$2)", need, node); err != nil {
				return err
			}
			if err := refitNeed(ctx, tx, need); err != nil {
				return err
			}
			if len(insts) == 0 {
				continue
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO finance_matches (need_id, institution_id, step, state, step_on, funded_fen, funded_on,
				synthetic, created_at, updated_at) VALUES ($1,$2,'diligence','open','2023-05-01',0,'',TRUE,1,1) RETURNING id`,
				need, insts[r.IntN(len(insts))]).Scan(&match); err != nil {
				return fmt.Errorf("finance: synthesize: %w", err)
			}
			for k, st := range []string{StepInterest, StepMatched, StepMeeting, StepDiligence} {
				on := fmt.Sprintf("2023-%02d-%02d", 1+r.IntN(10), 1+k)
				if err := exec("INSERT INTO finance_match_steps (match_id, step, on_date, at) VALUES ($1,$2,$3,1)", match, st, on); err != nil {
					return err
				}
				for x := node; ; x = parent[x] {
					rollup[cell{x, st, on[:7]}]++
					if x == 0 {
						break
					}
				}
			}
		}
		for c, k := range rollup {
			if err := exec(`INSERT INTO finance_step_months (node_id, step, ym, n, fen) VALUES ($1,$2,$3,$4,0)
				ON CONFLICT (node_id, step, ym) DO UPDATE SET n = finance_step_months.n + excluded.n`, c.node, c.step, c.ym, k); err != nil {
				return err
			}
		}
		for c, k := range stageMap {
			if err := exec(`INSERT INTO finance_stage_map (stage, node_id, n) VALUES ($1,$2,$3)
				ON CONFLICT (stage, node_id) DO UPDATE SET n = finance_stage_map.n + excluded.n`, c.stage, c.node, k); err != nil {
				return err
			}
		}
		return memo.Bump(ctx, tx, Module)
	})
	if err != nil {
		return out, err
	}
	// The planner's statistics of the grown tables. On PostgreSQL, also
	// the visibility map autovacuum would soon write after so many
	// inserts: without it matching cannot read its candidates from the
	// fit index alone and visits every need's row (55 ms instead of
	// 16 ms for a broad institution at 50,000 needs), which a benchmark
	// run straight after seeding would wrongly charge to the query.
	q := "ANALYZE"
	if s.DB.Dialect == db.Postgres {
		q = "VACUUM ANALYZE finance_needs, finance_need_chains, finance_need_nodes, finance_need_audience, finance_matches, finance_institutions, finance_institution_stages, finance_institution_instruments, finance_institution_chains, finance_institution_deals, finance_step_months"
	}
	if _, err := s.DB.W.ExecContext(ctx, q); err != nil {
		return out, fmt.Errorf("finance: synthesize: analyze: %w", err)
	}
	return out, nil
}
