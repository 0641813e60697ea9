package award

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gaoxin/internal/db"
)

// BenchmarkRank100k ranks 100,000 eligible enterprises on a 12-term formula
// (every source and transform), producing the term-by-term explanation of
// every score. Compare with BenchmarkRankSQLite100k, the same scoring as
// one SQL query on SQLite.
func BenchmarkRank100k(b *testing.B) {
	rules, sc, cands := eligibleSet()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Rank(rules, KindRanking, 20, sc, cloneCands(cands))
		if len(res.Entries) != 100_000 || len(res.Entries[0].Terms) != 12 {
			b.Fatalf("ranked %d", len(res.Entries))
		}
	}
}

// BenchmarkRank100kJSON adds the canonical JSON and digest of the result
// (what a stored round keeps).
func BenchmarkRank100kJSON(b *testing.B) {
	rules, sc, cands := eligibleSet()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := Rank(rules, KindRanking, 20, sc, cloneCands(cands)).JSON()
		b.SetBytes(int64(len(body)))
	}
}

// BenchmarkRankSQLite100k is the equivalent single SQL query on SQLite:
// ratios and growth from the same integers, benchmark / min–max (window
// MIN/MAX) / percentile (PERCENT_RANK) transforms, caps, weights, the total
// and the ordering, reading every row. It computes in floating point and
// returns no explanation, so it is a lower bound for the work done in Go.
func BenchmarkRankSQLite100k(b *testing.B) {
	rules, sc, cands := eligibleSet()
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	var cols []string
	for j := range rules.Terms {
		cols = append(cols, fmt.Sprintf("n%d INTEGER, d%d INTEGER", j, j))
	}
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE bench (id INTEGER PRIMARY KEY, credit TEXT, "+strings.Join(cols, ", ")+")"); err != nil {
		b.Fatal(err)
	}
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		ph := make([]string, 2+2*len(rules.Terms))
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		st, err := tx.PrepareContext(ctx, "INSERT INTO bench VALUES ("+strings.Join(ph, ",")+")")
		if err != nil {
			return err
		}
		for _, c := range cands {
			args := []any{c.EnterpriseID, c.CreditCode}
			for _, in := range c.Inputs {
				var n any
				if in.HasNum {
					n = in.Num
				}
				args = append(args, n, in.Den)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	q := rankSQL(rules, sc)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := d.R.QueryContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id int64
			var total float64
			if err := rows.Scan(&id, &total); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		if n != 100_000 {
			b.Fatalf("sql ranked %d", n)
		}
	}
}

// eligibleSet is 100,000 candidates with every value present and usable.
func eligibleSet() (Rules, []Scales, []Candidate) {
	rules, sc, cands := syntheticSet(100_000, 12, 42)
	for i := range cands {
		for j := range cands[i].Inputs {
			in := &cands[i].Inputs[j]
			in.HasNum = true
			in.Den += 10_000
		}
	}
	return rules, sc, cands
}

// rankSQL writes the formula as one query over the bench table.
func rankSQL(r Rules, sc []Scales) string {
	var raw, tr, pts, where []string
	for j, t := range r.Terms {
		n := fmt.Sprintf("(n%d * 1.0 / %d)", j, pow10(sc[j].Num))
		dd := fmt.Sprintf("(d%d * 1.0 / %d)", j, pow10(sc[j].Den))
		where = append(where, fmt.Sprintf("n%d IS NOT NULL", j))
		switch t.Source {
		case SourceFigure:
			raw = append(raw, fmt.Sprintf("%s AS r%d", n, j))
		case SourceRatio:
			raw = append(raw, fmt.Sprintf("%s / %s AS r%d", n, dd, j))
			where = append(where, fmt.Sprintf("d%d > 0", j))
		case SourceGrowth:
			raw = append(raw, fmt.Sprintf("(n%d - d%d) * 1.0 / d%d AS r%d", j, j, j, j))
			where = append(where, fmt.Sprintf("d%d > 0", j))
		}
		var x string
		switch t.Transform {
		case TransformBenchmark:
			x = fmt.Sprintf("r%d / %s", j, t.Benchmark.String())
		case TransformMinMax:
			x = fmt.Sprintf("COALESCE((r%d - MIN(r%d) OVER ()) / NULLIF(MAX(r%d) OVER () - MIN(r%d) OVER (), 0), 1.0)", j, j, j, j)
		case TransformPercentile:
			x = fmt.Sprintf("PERCENT_RANK() OVER (ORDER BY r%d)", j)
		}
		if t.Cap > 0 {
			x = fmt.Sprintf("MIN(%s, %s)", x, t.Cap.String())
		}
		tr = append(tr, fmt.Sprintf("%s AS t%d", x, j))
		pts = append(pts, fmt.Sprintf("t%d * %d", j, t.Weight))
	}
	return "SELECT id, " + strings.Join(pts, " + ") + " AS total FROM (SELECT id, credit, " + strings.Join(tr, ", ") +
		" FROM (SELECT id, credit, " + strings.Join(raw, ", ") + " FROM bench WHERE " + strings.Join(where, " AND ") + ")) ORDER BY total DESC, credit"
}
