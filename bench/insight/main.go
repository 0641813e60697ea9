// Command insight measures the industry brain (产业大脑) at scale: a
// synthetic registry of N enterprises × Y years (100,000 × 10 by default)
// on the demo, its rollups rebuilt from scratch (timed), then the chain
// map, a two-way breakdown (chain × area), the tier pipeline and the big
// screen under 16 clients on the cold path (nothing here is memoised:
// every request reads the rollups), and each answer beside the equivalent
// aggregate SQL run live over the registry's figures in the same run.
// SQLite by default; PostgreSQL when GAOXIN_BENCH_POSTGRES holds a DSN.
// See bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/demo"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

var onlyPhase, pgSchema, cpuProfile string

func main() {
	n := flag.Int("enterprises", 100000, "synthetic enterprises in the registry")
	years := flag.Int("years", 10, "years of figures per enterprise")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 8*time.Second, "duration of each load phase")
	keep := flag.String("db-file", "", "SQLite file to keep: seeded once, reused by later runs")
	rebuild := flag.Bool("rebuild", true, "time a full rollup rebuild before the load phases")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the rebuild to this file")
	flag.StringVar(&pgSchema, "pg-schema", "", "with GAOXIN_BENCH_POSTGRES: a schema to keep, seeded once and reused like -db-file")
	flag.StringVar(&onlyPhase, "phase", "", "run only the phases whose name contains this")
	flag.Parse()
	if err := run(*n, *years, *clients, *dur, *keep, *rebuild); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n, years, clients int, dur time.Duration, keep string, rebuild bool) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	d, cleanup, err := load.OpenDB(ctx, keep, pgSchema)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("database: %s · %d enterprises × %d years · %d clients · %s per phase · GOMAXPROCS %d\n",
		d.Dialect, n, years, clients, dur, runtime.GOMAXPROCS(0))
	a := app.New(d, app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}, Now: demo.Clock})
	empty, err := demo.Empty(ctx, a)
	if err != nil {
		return err
	}
	if empty {
		t0 := time.Now()
		if _, err := demo.Load(ctx, a); err != nil {
			return err
		}
		o := demo.EnterpriseOptions{Enterprises: n, Years: years, Seed: 7, Batch: 2000}
		o.Progress = func(done, total int) {
			if done%20000 == 0 {
				fmt.Printf("  generated %d / %d (%s)\n", done, total, time.Since(t0).Round(time.Second))
			}
		}
		if _, err := demo.LoadEnterprises(ctx, a, o); err != nil {
			return err
		}
		if d.Dialect == db.Postgres {
			d.W.ExecContext(ctx, "VACUUM ANALYZE")
		}
		fmt.Printf("seeded in %s (the generator rebuilds the rollups at its end)\n", time.Since(t0).Round(time.Second))
	} else {
		fmt.Println("reusing", keep+pgSchema)
	}
	if rebuild {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		t0 := time.Now()
		err := a.Insight.Rebuild(ctx, insight.Viewer{Role: org.Admin})
		pprof.StopCPUProfile()
		if err != nil {
			return err
		}
		runtime.ReadMemStats(&m1)
		var cells, facts int
		d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM insight_cells").Scan(&cells)
		// A contribution is a line of its enterprise's row.
		d.R.QueryRowContext(ctx, "SELECT COALESCE(SUM(LENGTH(body) - LENGTH(REPLACE(body, '\n', '')) + 1), 0) FROM insight_contributions").Scan(&facts)
		fmt.Printf("rollup rebuild: %s (%d cells, %d contributions; Go runtime memory %d MB)\n", time.Since(t0).Round(time.Millisecond),
			cells, facts, m1.Sys>>20)
		if d.Dialect == db.Postgres {
			d.W.ExecContext(ctx, "VACUUM ANALYZE")
		}
	}
	return measure(ctx, a, clients, dur)
}

func measure(ctx context.Context, a *app.App, clients int, dur time.Duration) error {
	srv, err := site.New(web.Config{Version: "bench"}, a, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		return err
	}
	base, stop, err := load.Serve(srv)
	if err != nil {
		return err
	}
	defer stop()
	hc := load.Client(clients)
	u, err := a.Org.UserByUsername(ctx, "leader")
	if err != nil {
		return err
	}
	tok, _, err := a.Auth.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		return err
	}
	leader := http.Header{"Authorization": {"Bearer " + tok}}
	year, err := a.Insight.DefaultYear(ctx)
	if err != nil {
		return err
	}
	y := strconv.Itoa(year)
	views := []struct{ name, path, live string }{
		{"chain map API", "/api/v1/insight/chains?year=" + y, liveChains},
		{"chain map page", "/insight?year=" + y, ""},
		{"chain × area API", "/api/v1/insight/breakdown?a=chain&b=area&measure=revenue&year=" + y, liveChainArea},
		{"chain × area page", "/insight/breakdown?a=chain&b=area&measure=revenue&year=" + y, ""},
		{"tier pipeline API", "/api/v1/insight/pipeline?year=" + y, liveTiers},
		{"tier pipeline page", "/insight/pipeline?year=" + y, ""},
		{"big screen page", "/insight/screen?year=" + y, ""},
	}
	fmt.Printf("one at a time (median of 15): each answer beside the same aggregate run live over the registry (year %d)\n", year)
	for _, v := range views {
		if v.live == "" || !strings.Contains(v.name, onlyPhase) {
			continue
		}
		api := median(15, func() error {
			code, _, err := load.Fetch(hc, base+v.path, leader)
			if err == nil && code != 200 {
				err = fmt.Errorf("%s: %d", v.path, code)
			}
			return err
		})
		live := median(5, func() error {
			rows, err := a.DB.R.QueryContext(ctx, v.live, year)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			rows.Close()
			return rows.Err()
		})
		fmt.Printf("  %-20s answer %-10s live SQL %-10s ×%.0f\n", v.name, api.Round(10*time.Microsecond), live.Round(10*time.Microsecond), float64(live)/float64(api))
	}
	for _, v := range views {
		if !strings.Contains(v.name, onlyPhase) {
			continue
		}
		fmt.Println(load.Run(ctx, v.name, hc, load.Get(base+v.path, leader), clients, dur, 0))
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("Go runtime memory after the load: %d MB\n", m.Sys>>20)
	return nil
}

func median(n int, f func() error) time.Duration {
	var ts []time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := f(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		ts = append(ts, time.Since(t0))
	}
	slices.Sort(ts)
	return ts[len(ts)/2]
}

// The live equivalents read the registry's effective figures and its
// chains directly, as a report over a copy of the data would. They do
// less than the rollups hold (assigned nodes only, no ancestors; one
// measure), so the comparison favours them.
const (
	liveChains = `SELECT ec.node_id, COUNT(*), SUM(c.value) FROM enterprise_chains ec
		JOIN enterprise_figure_current c ON c.enterprise_id = ec.enterprise_id AND c.indicator = 'revenue' AND c.year = $1 AND c.month = 0
		GROUP BY ec.node_id`
	liveChainArea = `SELECT ec.node_id, e.area_unit_id, COUNT(*), SUM(c.value) FROM enterprise_chains ec
		JOIN enterprises e ON e.id = ec.enterprise_id
		JOIN enterprise_figure_current c ON c.enterprise_id = ec.enterprise_id AND c.indicator = 'revenue' AND c.year = $1 AND c.month = 0
		GROUP BY ec.node_id, e.area_unit_id`
	liveTiers = `SELECT t.tier, COUNT(DISTINCT t.enterprise_id) FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id
		WHERE e.status = 'operating' AND t.valid_from <= CAST(CAST($1 AS INTEGER) AS TEXT) || '-12-31' AND (t.valid_to = '' OR t.valid_to >= CAST(CAST($1 AS INTEGER) AS TEXT) || '-12-31')
		GROUP BY t.tier`
)
