// Command scenario measures the scenario module at the scale: a
// registry of 100,000 enterprises (the demo's generator), 10,000 calls and
// 50,000 bids, on the cold path (the registry's memos off: every request
// runs its queries). It measures the public list under 16 clients with
// varied filters (API and HTML), a call's page (anonymous and as staff),
// and the matching suggestions for single calls. SQLite by default;
// PostgreSQL when GAOXIN_BENCH_POSTGRES holds a DSN (a fresh schema, dropped
// afterwards). See bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/demo"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func main() {
	ents := flag.Int("enterprises", 100000, "enterprises in the registry (the demo's 300 included)")
	calls := flag.Int("calls", 10000, "calls to seed")
	bids := flag.Int("bids", 50000, "bids to seed")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 8*time.Second, "duration of each load phase")
	keep := flag.String("db-file", "", "SQLite file to keep: seeded once, reused by later runs")
	flag.StringVar(&onlyPhase, "phase", "", "run only the load phases whose name contains this (and no matching unless it says \"match\")")
	flag.StringVar(&pgSchema, "pg-schema", "", "with GAOXIN_BENCH_POSTGRES: a schema to keep, seeded once and reused like -db-file")
	flag.BoolVar(&coldCatalogue, "cold-catalogue", false, "also turn off the registry's catalogue memo (the chain tree)")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the load phases to this file")
	flag.Parse()
	if err := run(*ents, *calls, *bids, *clients, *dur, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var (
	onlyPhase, cpuProfile, pgSchema string
	coldCatalogue                   bool
)

// options are the app's options on the cold path, at the demo's date. The scenario module
// keeps no memo: every request runs its queries. The registry's list memo
// is off; its catalogue (the chain tree), shared by every page and rebuilt
// once after a registry write, stays on unless -cold-catalogue, as in
// bench/enterprise's memo-off phases.
func options() app.Options {
	o := app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}
	o.Enterprise.Lists.Off, o.Enterprise.Cache.Off = true, coldCatalogue
	// Every module reads at the demo's date, as the synthetic registry's
	// certificates were issued for it (at the real date most have lapsed).
	o.Now = demo.Clock
	return o
}

func run(nEnts, nCalls, nBids, clients int, dur time.Duration, keep string) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	d, cleanup, err := load.OpenDB(ctx, keep, pgSchema)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("database: %s · registry %d enterprises · %d calls · %d bids · %d clients · %s per phase · GOMAXPROCS %d\n",
		d.Dialect, nEnts, nCalls, nBids, clients, dur, runtime.GOMAXPROCS(0))
	a := app.New(d, options())
	empty, err := demo.Empty(ctx, a)
	if err != nil {
		return err
	}
	if empty {
		t0 := time.Now()
		if _, err := demo.Load(ctx, a); err != nil {
			return err
		}
		have, err := a.Enterprise.SyntheticCount(ctx)
		if err != nil {
			return err
		}
		if more := nEnts - have; more > 0 {
			last := time.Now()
			if _, err := demo.LoadEnterprises(ctx, a, demo.EnterpriseOptions{Enterprises: more, Years: 1, Seed: 2023, Batch: 2000,
				Progress: func(done, total int) {
					if time.Since(last) > 30*time.Second || done == total {
						fmt.Printf("  registry: %d / %d (%s)\n", done, total, time.Since(t0).Round(time.Second))
						last = time.Now()
					}
				}}); err != nil {
				return err
			}
		}
		t1 := time.Now()
		if err := seed(ctx, d, demo.Clock(), nCalls, nBids); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		fmt.Printf("seeded: registry in %s, calls and bids in %s\n", t1.Sub(t0).Round(time.Second), time.Since(t1).Round(time.Second))
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
	sup, err := a.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		return err
	}
	tok, _, err := a.Auth.CreateToken(ctx, sup.ID, "bench")
	if err != nil {
		return err
	}
	staff := http.Header{"Authorization": {"Bearer " + tok}}
	anon := http.Header{}

	var batch, public, open []int64
	if err := ids(ctx, a.DB, "SELECT id FROM scenario_batches WHERE state = 'published' ORDER BY id", &batch); err != nil {
		return err
	}
	if err := ids(ctx, a.DB, "SELECT id FROM scenario_needs WHERE state IN ('published', 'evaluating', 'failed') ORDER BY id", &public); err != nil {
		return err
	}
	if err := ids(ctx, a.DB, "SELECT id FROM scenario_needs WHERE state = 'published' ORDER BY id", &open); err != nil {
		return err
	}
	if len(batch) == 0 || len(public) == 0 || len(open) == 0 {
		return fmt.Errorf("nothing seeded to measure")
	}
	b := strconv.FormatInt(batch[len(batch)/2], 10)
	filters := []string{"", "category=digital", "chain=iot", "chain=dominant&state=published", "state=evaluating&category=urban",
		"batch=" + b, "q=" + url.QueryEscape("智能"), "q=" + url.QueryEscape("积水") + "&category=service", "page=25",
		"category=service&chain=bd&page=2", "state=failed", "chain=iot_sensor&category=digital&state=published", "batch=" + b + "&page=3",
		"q=" + url.QueryEscape("压测09999"), "chain=future&page=4", "state=published&page=100"}
	// Each filter once, alone, to show its own cost.
	for _, f := range filters {
		if onlyPhase != "" && onlyPhase != "filters" {
			break
		}
		for _, p := range []string{"/api/v1/scenario/calls?" + f, "/scenarios?" + f} {
			t0 := time.Now()
			code, n, err := load.Fetch(hc, base+p, anon)
			if err != nil {
				return err
			}
			if code != 200 {
				return fmt.Errorf("GET %s: %d", p, code)
			}
			fmt.Printf("  %-72s %8s %7d bytes\n", p, time.Since(t0).Round(10*time.Microsecond), n)
		}
	}
	var i atomic.Int64
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// Each phase also prints the process's CPU time per request (server
	// and clients alike): on a shared machine the latencies move with
	// others' load, the CPU a request costs much less.
	phaseOf := func(n int) func(string, func() (*http.Request, error)) {
		return func(name string, mk func() (*http.Request, error)) {
			if strings.Contains(name, onlyPhase) {
				c0 := cpuTime()
				res := load.Run(ctx, name, hc, mk, n, dur, 0)
				fmt.Printf("%s  cpu %s/req\n", res, ((cpuTime() - c0) / time.Duration(max(res.Requests, 1))).Round(10*time.Microsecond))
			}
		}
	}
	phase := phaseOf(clients)
	req := func(path string, h http.Header) (*http.Request, error) {
		r, err := http.NewRequest("GET", base+path, nil)
		if err == nil {
			r.Header = h.Clone()
		}
		return r, err
	}
	phase(fmt.Sprintf("list API (%d filters)", len(filters)), func() (*http.Request, error) {
		return req("/api/v1/scenario/calls?"+filters[int(i.Add(1))%len(filters)], anon)
	})
	phase("list page (HTML)", func() (*http.Request, error) {
		return req("/scenarios?"+filters[int(i.Add(1))%len(filters)], anon)
	})
	// The same one request at a time: what a request costs with no queue
	// of its own (on a shared machine, steadier than the 16 clients).
	phaseOf(1)("list API, one client", func() (*http.Request, error) {
		return req("/api/v1/scenario/calls?"+filters[int(i.Add(1))%len(filters)], anon)
	})
	phaseOf(1)("list page (HTML), one client", func() (*http.Request, error) {
		return req("/scenarios?"+filters[int(i.Add(1))%len(filters)], anon)
	})
	var mu atomic.Int64
	pick := func(l []int64) string {
		mu.Add(1)
		return strconv.FormatInt(l[int(uint64(mu.Load())*0x9E3779B97F4A7C15>>33)%len(l)], 10)
	}
	phase("call page (anonymous)", func() (*http.Request, error) { return req("/scenarios/"+pick(public), anon) })
	phase("call page (staff, with bids)", func() (*http.Request, error) { return req("/scenarios/"+pick(public), staff) })
	phase("call API (anonymous)", func() (*http.Request, error) { return req("/api/v1/scenario/calls/"+pick(public), anon) })

	// Matching: single calls, one at a time, through the service and the API.
	if onlyPhase != "" && !strings.Contains("matching", onlyPhase) {
		return nil
	}
	v := scenario.ViewerOf(&sup)
	byChain := map[string]int64{}
	for _, code := range []string{"iot_sensor", "iot", "compute", "dominant"} {
		var id int64
		err := a.DB.R.QueryRowContext(ctx, `SELECT n.id FROM scenario_needs n JOIN scenario_need_chains c ON c.need_id = n.id
			JOIN chain_nodes x ON x.id = c.node_id WHERE n.state = 'published' AND x.code = $1 ORDER BY n.id LIMIT 1`, code).Scan(&id)
		if err == nil {
			byChain[code] = id
		}
	}
	fmt.Println("matching, one call at a time (first call, then the median of 5):")
	for _, code := range []string{"iot_sensor", "iot", "compute", "dominant"} {
		id, ok := byChain[code]
		if !ok {
			continue
		}
		var times []time.Duration
		var m scenario.Matches
		for k := 0; k < 6; k++ {
			t0 := time.Now()
			if m, err = a.Scenario.Suggest(ctx, v, id, 30); err != nil {
				return err
			}
			times = append(times, time.Since(t0))
		}
		first := times[0]
		rest := slices.Clone(times[1:])
		slices.Sort(rest)
		t0 := time.Now()
		code2, n, err := load.Fetch(hc, base+"/api/v1/scenario/calls/"+strconv.FormatInt(id, 10)+"/matches", staff)
		if err != nil || code2 != 200 {
			return fmt.Errorf("matches API: %d %v", code2, err)
		}
		fmt.Printf("  call %d on %-11s considered %6d  service first %-9s median %-9s  API %-9s (%d bytes)\n", id, code, m.Considered,
			first.Round(100*time.Microsecond), rest[len(rest)/2].Round(100*time.Microsecond), time.Since(t0).Round(100*time.Microsecond), n)
	}
	return nil
}

func ids(ctx context.Context, d *db.DB, q string, out *[]int64) error {
	rows, err := d.R.QueryContext(ctx, q)
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

// words make the seeded titles varied enough for the keyword filter.
var (
	places = []string{"园区", "社区", "道路", "厂区", "医院", "学校", "政务大厅", "地铁站", "管网", "仓储"}
	things = []string{"智能监测", "数字化改造", "积水预警", "能耗管理", "无人配送", "智慧安防", "数据治理", "算力调度", "精密测绘", "氢能示范"}
)

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
