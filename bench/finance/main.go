// Command finance measures the tech-finance module at the scale:
// 5,000 institutions, 50,000 needs and 200,000 funnel events (one match per
// need through four steps), on the demo, on the cold path (the module keeps
// no memo of its reads: every request runs its queries). It measures
// matching for single needs (one at a time), the staff overview under 16
// clients (page and JSON), and an institution's dashboard under 16 clients
// (page and JSON). SQLite by default; PostgreSQL when GAOXIN_BENCH_POSTGRES
// holds a DSN. See bench/README.md.
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
	"sync/atomic"
	"time"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/demo"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func main() {
	insts := flag.Int("institutions", 5000, "institutions to seed")
	needs := flag.Int("needs", 50000, "needs to seed (each with one match of four funnel events)")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 8*time.Second, "duration of each load phase")
	keep := flag.String("db-file", "", "SQLite file to keep: seeded once, reused by later runs")
	flag.StringVar(&pgSchema, "pg-schema", "", "with GAOXIN_BENCH_POSTGRES: a schema to keep, seeded once and reused like -db-file")
	flag.StringVar(&onlyPhase, "phase", "", "run only the phases whose name contains this")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*insts, *needs, *clients, *dur, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

var onlyPhase, pgSchema string

func run(nInsts, nNeeds, clients int, dur time.Duration, keep string) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	d, cleanup, err := load.OpenDB(ctx, keep, pgSchema)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("database: %s · %d institutions · %d needs · %d funnel events · %d clients · %s per phase · GOMAXPROCS %d\n",
		d.Dialect, nInsts, nNeeds, 4*nNeeds, clients, dur, runtime.GOMAXPROCS(0))
	// Every module reads at the demo's date.
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
		var ents []int64
		rows, err := d.R.QueryContext(ctx, "SELECT id FROM enterprises ORDER BY id LIMIT 300")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ents = append(ents, id)
		}
		rows.Close()
		t1 := time.Now()
		syn, err := a.Finance.Synthesize(ctx, finance.Scale{Institutions: nInsts, Needs: nNeeds, Enterprises: ents, Seed: 2023})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		// The bench's investor acts for a synthetic institution.
		if _, err := a.Org.CreateUser(ctx, org.NewUser{Username: "bench_investor", Role: org.Investor, Password: "Bench-Investor-2023"}); err != nil {
			return err
		}
		sup, err := a.Org.UserByUsername(ctx, "supervisor")
		if err != nil {
			return err
		}
		if err := a.Finance.LinkAccount(ctx, finance.ViewerOf(&sup), syn.FirstInstitution, "bench_investor"); err != nil {
			return err
		}
		fmt.Printf("seeded: demo in %s, finance in %s\n", t1.Sub(t0).Round(time.Second), time.Since(t1).Round(time.Second))
	} else {
		fmt.Println("reusing", keep+pgSchema)
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
	token := func(name string) (http.Header, error) {
		u, err := a.Org.UserByUsername(ctx, name)
		if err != nil {
			return nil, err
		}
		tok, _, err := a.Auth.CreateToken(ctx, u.ID, "bench")
		return http.Header{"Authorization": {"Bearer " + tok}}, err
	}
	staff, err := token("supervisor")
	if err != nil {
		return err
	}
	investor, err := token("bench_investor")
	if err != nil {
		return err
	}
	var needs []int64
	rows, err := a.DB.R.QueryContext(ctx, "SELECT id FROM finance_needs WHERE synthetic ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		needs = append(needs, id)
	}
	rows.Close()
	if len(needs) == 0 {
		return fmt.Errorf("nothing seeded to measure")
	}

	// Matching: single needs, one at a time, through the service and the API.
	if onlyPhase == "" || strings.Contains("matching", onlyPhase) {
		sup, err := a.Org.UserByUsername(ctx, "supervisor")
		if err != nil {
			return err
		}
		v := finance.ViewerOf(&sup)
		fmt.Println("matching one need at a time (first call, then the median and the slowest of 20 needs):")
		var times []time.Duration
		var first time.Duration
		for k := 0; k < 21; k++ {
			id := needs[(k*7919)%len(needs)]
			t0 := time.Now()
			if _, err := a.Finance.MatchInstitutions(ctx, v, id, 50); err != nil {
				return err
			}
			if k == 0 {
				first = time.Since(t0)
				continue
			}
			times = append(times, time.Since(t0))
		}
		slices.Sort(times)
		t0 := time.Now()
		code, n, err := load.Fetch(hc, base+"/api/v1/finance/needs/"+strconv.FormatInt(needs[len(needs)/2], 10)+"/institutions", staff)
		if err != nil || code != 200 {
			return fmt.Errorf("matching API: %d %v", code, err)
		}
		fmt.Printf("  service first %s, median %s, slowest %s; API %s (%d bytes)\n", first.Round(100*time.Microsecond),
			times[len(times)/2].Round(100*time.Microsecond), times[len(times)-1].Round(100*time.Microsecond), time.Since(t0).Round(100*time.Microsecond), n)
	}

	phase := func(name string, path string, h http.Header) {
		if !strings.Contains(name, onlyPhase) {
			return
		}
		fmt.Println(load.Run(ctx, name, hc, load.Get(base+path, h), clients, dur, 0))
	}
	phase("overview page (staff)", "/finance/overview?year=2023", staff)
	phase("overview API (staff)", "/api/v1/finance/overview?year=2023", staff)
	phase("dashboard page (institution)", "/finance/dashboard", investor)
	phase("fitting needs API (institution)", "/api/v1/finance/fitting-needs", investor)
	var i atomic.Int64
	if strings.Contains("matching API (16 clients)", onlyPhase) {
		fmt.Println(load.Run(ctx, "matching API (16 clients)", hc, func() (*http.Request, error) {
			id := needs[int(i.Add(7919))%len(needs)]
			r, err := http.NewRequest("GET", base+"/api/v1/finance/needs/"+strconv.FormatInt(id, 10)+"/institutions", nil)
			if err == nil {
				r.Header = staff.Clone()
			}
			return r, err
		}, clients, dur, 0))
	}
	return nil
}
