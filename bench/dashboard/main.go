// Command dashboard measures the targets dashboard under load: it seeds 30
// indicators × 5 years of monthly figures into a fresh database (SQLite, and
// PostgreSQL too when GAOXIN_BENCH_POSTGRES holds a DSN), serves gaoxin on a
// loopback port in-process, and runs concurrent clients against /healthz
// (the trivial handler), /kpi (HTML) and /api/v1/kpi/dashboard in the same
// run, reporting p50/p95/p99, throughput and the ratio to /healthz.
//
//	go run ./bench/dashboard [-clients 16] [-duration 10s]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func main() {
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 10*time.Second, "time per endpoint")
	indicators := flag.Int("indicators", 30, "indicators to seed")
	years := flag.Int("years", 5, "years of monthly figures to seed (ending 2023)")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the /kpi run to this file")
	flag.BoolVar(&cold, "cold", true, "the cold path: the kpi memo off, every request runs its queries (-cold=false: as served)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "gaoxin-bench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	runs := []string{"sqlite:" + filepath.Join(dir, "bench.db")}
	if pg := os.Getenv("GAOXIN_BENCH_POSTGRES"); pg != "" {
		dsn, drop, err := freshSchema(pg)
		if err != nil {
			fail(err)
		}
		defer drop()
		runs = append(runs, dsn)
	}
	for _, dsn := range runs {
		if err := run(dsn, *clients, *dur, *indicators, *years); err != nil {
			fail(err)
		}
	}
}

var (
	cpuProfile string
	cold       bool
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func run(dsn string, clients int, dur time.Duration, nInd, nYears int) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	o := app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}
	o.KPI.Cache.Off = cold
	a := app.New(d, o)
	t0 := time.Now()
	if err := seed(ctx, a, nInd, nYears); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("\n== %s: seeded %d indicators × %d years of monthly figures in %s\n", d.Dialect, nInd, nYears, time.Since(t0).Round(time.Millisecond))
	tok, _, err := a.Auth.Login(ctx, "leader", "bench-password-1234", "127.0.0.1", "bench")
	if err != nil {
		return err
	}
	srv, err := site.New(web.Config{Version: "bench"}, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	base, stop, err := load.Serve(srv)
	if err != nil {
		return err
	}
	defer stop()
	hc := load.Client(clients)
	cookie := http.Header{"Cookie": {"gaoxin_session=" + tok}}
	endpoints := []struct{ name, path string }{
		{"GET /healthz (trivial)", "/healthz"},
		{"GET /api/v1/me (signed in)", "/api/v1/me"},
		{"GET /kpi (HTML)", "/kpi?year=2023"},
		{"GET /api/v1/kpi/dashboard", "/api/v1/kpi/dashboard?year=2023"},
	}
	for _, e := range endpoints {
		res, err := hc.Get(base + e.path)
		if err != nil {
			return err
		}
		res.Body.Close()
		if e.path != "/healthz" {
			req, _ := load.Get(base+e.path, cookie)()
			if res, err = hc.Do(req); err != nil {
				return err
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				return fmt.Errorf("%s: %d %s", e.path, res.StatusCode, b)
			}
			fmt.Printf("   %s answers %d bytes\n", e.path, len(b))
		}
	}
	// Rounds interleave the endpoints so that load from elsewhere on the
	// machine falls on all of them alike; each endpoint gets dur in all.
	const rounds = 5
	per := make([][]load.Result, len(endpoints))
	for round := 0; round < rounds; round++ {
		for i, e := range endpoints {
			profile := cpuProfile != "" && e.path == "/kpi?year=2023" && round == 0
			if profile {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				pprof.StartCPUProfile(f)
			}
			per[i] = append(per[i], load.Run(ctx, e.name, hc, load.Get(base+e.path, cookie), clients, dur/rounds, 0))
			if profile {
				pprof.StopCPUProfile()
			}
		}
	}
	fmt.Printf("   %d clients, %d interleaved rounds of %s per endpoint; figures are the median round\n", clients, rounds, dur/rounds)
	for i, e := range endpoints {
		r := median(per[i])
		r.Name = e.name
		if i == 0 {
			fmt.Println("  ", r)
			continue
		}
		ratios := make([]float64, rounds)
		for k := range ratios {
			ratios[k] = per[i][k].RPS / per[0][k].RPS
		}
		sort.Float64s(ratios)
		ratio := ratios[rounds/2]
		verdict := "meets target"
		if r.P95 > 50*time.Millisecond || r.Errors > 0 {
			verdict = "MISSES target"
		}
		fmt.Printf("   %s  ratio=%.2f (%s: p95 ≤ 50ms; the ratio to /healthz is for comparison)\n", r, ratio, verdict)
	}
	return nil
}

// median takes, field by field, the median of the rounds' results and sums
// their requests and errors.
func median(rs []load.Result) load.Result {
	pick := func(f func(load.Result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	var out load.Result
	for _, r := range rs {
		out.Requests += r.Requests
		out.Errors += r.Errors
		if r.Max > out.Max {
			out.Max = r.Max
		}
	}
	d := func(f func(load.Result) time.Duration) time.Duration {
		return time.Duration(pick(func(r load.Result) float64 { return float64(f(r)) }))
	}
	out.P50 = d(func(r load.Result) time.Duration { return r.P50 })
	out.P95 = d(func(r load.Result) time.Duration { return r.P95 })
	out.P99 = d(func(r load.Result) time.Duration { return r.P99 })
	out.RPS = pick(func(r load.Result) float64 { return r.RPS })
	return out
}

// seed writes n indicators with a target for each year and monthly figures
// for every month of nYears years ending 2023, through the service (audited,
// validated), one import per year.
func seed(ctx context.Context, a *app.App, n, nYears int) error {
	if _, err := a.Org.CreateUnit(ctx, org.Unit{Code: "jfj", NameZH: "经济发展局", Kind: "内设机构"}); err != nil {
		return err
	}
	if _, err := a.Org.CreateUser(ctx, org.NewUser{Username: "leader", Role: org.Leader, UnitCode: "jfj", Password: "bench-password-1234"}); err != nil {
		return err
	}
	first := 2023 - nYears + 1
	for i := 0; i < n; i++ {
		in := kpi.IndicatorInput{Code: "ind" + strconv.Itoa(i), NameZH: "指标" + strconv.Itoa(i), Measure: "亿元", Kind: kpi.Growth, Owner: "jfj", Sort: i}
		if i%3 == 2 {
			in.Kind, in.Measure, in.Seasonal = kpi.Absolute, "家", true
		}
		if _, err := a.KPI.CreateIndicator(ctx, in); err != nil {
			return err
		}
		for y := first; y <= 2023; y++ {
			target := "10"
			if in.Kind == kpi.Absolute {
				target = strconv.Itoa(1000 + 100*i + 50*(y-first))
			}
			if _, err := a.KPI.SetTarget(ctx, in.Code, strconv.Itoa(y), target, ""); err != nil {
				return err
			}
			for m := 1; m <= 12; m++ {
				ytd := float64(100+i) * float64(m) * (1 + 0.08*float64(y-first))
				_, err := a.KPI.SaveActual(ctx, kpi.Scope{All: true}, kpi.ActualInput{Indicator: in.Code, Year: strconv.Itoa(y), Month: strconv.Itoa(m),
					YTD: strconv.FormatFloat(ytd, 'f', 2, 64), CityRate: "6.5", ProvinceRate: "5.8"})
				if err != nil {
					return err
				}
			}
		}
	}
	_, err := a.KPI.SaveSettings(ctx, 2023, kpi.SettingsInput{AsOf: "2023-12-31", Ahead: "1", OnPace: "0.95", Behind: "0.85", ClosePP: "2"})
	return err
}

// freshSchema makes an empty schema on the PostgreSQL server and returns a
// DSN that uses it, with a function that drops it.
func freshSchema(base string) (string, func(), error) {
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.W.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		admin.W.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}, nil
}
