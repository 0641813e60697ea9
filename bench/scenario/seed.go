package main

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
)

// seed writes, as of the time at, nCalls calls in batches of 500 and nBids bids on the public
// ones straight into the module's tables, in one transaction of multi-row
// inserts (the service would take an audit row and a version bump per
// write, which is not what is measured). The calls: 60 % open for bids
// (deadlines ahead), 25 % in evaluation, 10 % failed, 5 % still being
// collected; one or two chain nodes each; unit owners, one in ten an
// enterprise. The bids: spread over the public calls, one per enterprise
// per call, one in ten with a partner, two milestones each, one in
// twenty withdrawn.
func seed(ctx context.Context, d *db.DB, at time.Time, nCalls, nBids int) error {
	r := mrand.New(mrand.NewPCG(2023, 10))
	var units []int64
	var unitNames []string
	rows, err := d.R.QueryContext(ctx, "SELECT id, name_zh FROM units ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n string
		rows.Scan(&id, &n)
		units, unitNames = append(units, id), append(unitNames, n)
	}
	rows.Close()
	var nodes []int64
	if err := ids(ctx, d, "SELECT id FROM chain_nodes ORDER BY id", &nodes); err != nil {
		return err
	}
	var lo, hi int64
	if err := d.R.QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM enterprises").Scan(&lo, &hi); err != nil {
		return err
	}
	var seq int
	d.R.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM scenario_batches").Scan(&seq)
	today := at.In(db.CST)
	date := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	now := at.UnixMilli()
	ent := func() int64 { return lo + r.Int64N(hi-lo+1) }

	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Batches.
	nBatches := (nCalls + 499) / 500
	var batchRows [][]any
	for b := 0; b < nBatches; b++ {
		batchRows = append(batchRows, []any{seq + b + 1, fmt.Sprintf("压测第 %d 批场景机会清单", seq+b+1), "published", date(-200 + b*5), true, now, now})
	}
	if err := insert(ctx, tx, "INSERT INTO scenario_batches (seq, title, state, published_on, synthetic, created_at, updated_at)", batchRows); err != nil {
		return err
	}
	var batches []int64
	if err := txIDs(ctx, tx, fmt.Sprintf("SELECT id FROM scenario_batches WHERE seq > %d ORDER BY seq", seq), &batches); err != nil {
		return err
	}
	// Calls.
	cats := []string{"project", "digital", "urban", "service"}
	type call struct {
		state string
		ends  string
	}
	calls := make([]call, nCalls)
	var needRows [][]any
	for i := 0; i < nCalls; i++ {
		state, deadline, reason := "published", date(10+r.IntN(120)), ""
		switch x := r.IntN(100); {
		case x < 25:
			state, deadline = "evaluating", date(-1-r.IntN(150))
		case x < 35:
			state, deadline, reason = "failed", date(-1-r.IntN(150)), "揭榜方案未达到技术要求（压测）"
		case x < 40:
			state = "collecting"
		}
		ends := deadline[:4] + "-12-31"
		if ends <= deadline {
			ends = strconv.Itoa(mustAtoi(deadline[:4])+1) + "-12-31"
		}
		calls[i] = call{state, ends}
		kind, unit, entID, owner := "unit", any(nil), any(nil), ""
		if r.IntN(10) == 0 {
			e := ent()
			kind, entID, owner = "enterprise", e, fmt.Sprintf("压测企业 %d", e)
		} else {
			k := r.IntN(len(units))
			unit, owner = units[k], unitNames[k]
		}
		var batch any
		if state != "collecting" {
			batch = batches[i/500]
		}
		needRows = append(needRows, []any{
			fmt.Sprintf("%s%s场景（压测%05d）", places[r.IntN(len(places))], things[r.IntN(len(things))], i),
			cats[r.IntN(len(cats))], kind, unit, entID, owner, "需要解决的问题说明（压测）", "所需能力（压测）", "", "",
			int64(10+r.IntN(990)) * 1_000_000, true, deadline, ends, "联系人", "0371-6758 0000", state, reason, batch, true, now, now,
		})
	}
	if err := insert(ctx, tx, `INSERT INTO scenario_needs (title, category, owner_kind, owner_unit_id, owner_enterprise_id, owner_name, problem,
		capabilities, site, data_open, budget_fen, price_cap, deadline, ends_on, contact_name, contact_phone, state, reason, batch_id, synthetic,
		created_at, updated_at)`, needRows); err != nil {
		return err
	}
	needIDs := make([]int64, nCalls)
	rows2, err := tx.QueryContext(ctx, "SELECT id, title FROM scenario_needs WHERE title LIKE '%（压测%'")
	if err != nil {
		return err
	}
	for rows2.Next() {
		var id int64
		var t string
		rows2.Scan(&id, &t)
		k := strings.Index(t, "（压测")
		n, _ := strconv.Atoi(strings.TrimSuffix(t[k+len("（压测"):], "）"))
		needIDs[n] = id
	}
	rows2.Close()
	// Chains and phases.
	var chainRows, phaseRows [][]any
	var public []int
	for i, c := range calls {
		first := nodes[3+r.IntN(len(nodes)-3)] // a chain under the three roots, mostly
		if r.IntN(20) == 0 {
			first = nodes[r.IntN(3)]
		}
		chainRows = append(chainRows, []any{needIDs[i], first})
		if second := nodes[3+r.IntN(len(nodes)-3)]; r.IntN(4) == 0 && second != first {
			chainRows = append(chainRows, []any{needIDs[i], second})
		}
		ph := []string{"collect"}
		switch c.state {
		case "published":
			ph = append(ph, "review", "publish")
		case "evaluating":
			ph = append(ph, "review", "publish", "bid")
		case "failed":
			ph = append(ph, "review", "publish", "bid", "failed")
		}
		for k, p := range ph {
			phaseRows = append(phaseRows, []any{needIDs[i], p, date(-220 + k*20), now, "督查室（压测）"})
		}
		if c.state != "collecting" {
			public = append(public, i)
		}
	}
	if err := insert(ctx, tx, "INSERT INTO scenario_need_chains (need_id, node_id)", chainRows); err != nil {
		return err
	}
	if err := insert(ctx, tx, "INSERT INTO scenario_phases (need_id, phase, on_date, at, actor)", phaseRows); err != nil {
		return err
	}
	// Bids.
	taken := map[[2]int64]bool{}
	type bid struct{ need, lead, partner int64 }
	var bs []bid
	var bidRows [][]any
	for k := 0; k < nBids && len(public) > 0; k++ {
		i := public[k%len(public)]
		n := needIDs[i]
		var e int64
		for e = ent(); taken[[2]int64{n, e}]; e = ent() {
		}
		taken[[2]int64{n, e}] = true
		b := bid{need: n, lead: e}
		if r.IntN(10) == 0 {
			for p := ent(); ; p = ent() {
				if !taken[[2]int64{n, p}] {
					taken[[2]int64{n, p}], b.partner = true, p
					break
				}
			}
		}
		bs = append(bs, b)
		state, why := "submitted", ""
		if r.IntN(20) == 0 {
			state, why = "withdrawn", "团队调整（压测）"
		}
		bidRows = append(bidRows, []any{n, e, state, "解决方案（压测）", "团队（压测）", int64(5+r.IntN(900)) * 1_000_000, why, true, now, now})
	}
	if err := insert(ctx, tx, `INSERT INTO scenario_bids (need_id, enterprise_id, state, solution, team, price_fen, withdraw_reason, synthetic,
		created_at, updated_at)`, bidRows); err != nil {
		return err
	}
	bidIDs := map[[2]int64]int64{}
	rows3, err := tx.QueryContext(ctx, "SELECT id, need_id, enterprise_id FROM scenario_bids")
	if err != nil {
		return err
	}
	for rows3.Next() {
		var id, n, e int64
		rows3.Scan(&id, &n, &e)
		bidIDs[[2]int64{n, e}] = id
	}
	rows3.Close()
	var partnerRows, msRows [][]any
	due := func(i int) string { return date(20 + i*30) }
	for _, b := range bs {
		id := bidIDs[[2]int64{b.need, b.lead}]
		if b.partner != 0 {
			partnerRows = append(partnerRows, []any{id, b.partner, "合作方", now})
		}
		msRows = append(msRows, []any{id, 1, "签约进场", due(0), 30}, []any{id, 2, "验收", due(1), 70})
	}
	if err := insert(ctx, tx, "INSERT INTO scenario_bid_partners (bid_id, enterprise_id, role, confirmed_at)", partnerRows); err != nil {
		return err
	}
	if err := insert(ctx, tx, "INSERT INTO scenario_bid_milestones (bid_id, seq, title, due_on, share_pct)", msRows); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if d.Dialect == db.Postgres {
		_, err = d.W.ExecContext(ctx, "ANALYZE scenario_batches, scenario_needs, scenario_need_chains, scenario_phases, scenario_bids, scenario_bid_partners, scenario_bid_milestones")
	} else {
		_, err = d.W.ExecContext(ctx, "ANALYZE")
	}
	return err
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// insert writes rows with multi-row INSERTs of at most 500 rows.
func insert(ctx context.Context, tx *sql.Tx, head string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(500, len(rows))
		var b strings.Builder
		b.WriteString(head + " VALUES ")
		var args []any
		for i, row := range rows[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteByte(',')
				}
				args = append(args, v)
				b.WriteString("$" + strconv.Itoa(len(args)))
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("%.60s: %w", head, err)
		}
		rows = rows[n:]
	}
	return nil
}

func txIDs(ctx context.Context, tx *sql.Tx, q string, out *[]int64) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		*out = append(*out, id)
	}
	return rows.Err()
}
