// Command plan benchmarks the work-plan pages: it seeds a plan of 600 tasks
// with 20,000 progress reports, starts gaoxin's HTTP server in this process
// on loopback, and drives /plan and /api/v1/plan?year=2023 with 16 concurrent
// signed-in clients, with /healthz (the trivial handler) measured in the same
// run for comparison. Every phase is bounded by -d and -n.
//
//	go run ./bench/plan                       # SQLite in a temporary folder
//	go run ./bench/plan -db postgres://…      # an EMPTY PostgreSQL database
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func main() {
	dsn := flag.String("db", "", "database DSN (default: SQLite in a temporary folder)")
	clients := flag.Int("c", 16, "concurrent clients")
	dur := flag.Duration("d", 5*time.Second, "duration of each measured phase")
	maxReq := flag.Int("n", 200000, "at most this many requests per phase")
	tasks := flag.Int("tasks", 600, "tasks to seed")
	reports := flag.Int("reports", 20000, "reports to seed")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the measured phases to this file")
	cold := flag.Bool("cold", true, "the cold path: the plan memo off, every request runs its queries (-cold=false: as served)")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/plan:", err)
			os.Exit(1)
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*dsn, *clients, *dur, *maxReq, *tasks, *reports, *cold); err != nil {
		fmt.Fprintln(os.Stderr, "bench/plan:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(dsn string, clients int, dur time.Duration, maxReq, nTasks, nReports int, cold bool) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	if dsn == "" {
		dir, err := os.MkdirTemp("", "gaoxin-bench-plan")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	o := app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}
	o.Plan.Cache.Off = cold
	a := app.New(d, o)
	t0 := time.Now()
	if err := seed(ctx, a, nTasks, nReports); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("seeded %d tasks and %d reports on %s in %s\n", nTasks, nReports, d.Dialect, time.Since(t0).Round(time.Millisecond))

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
	cookie, err := login(hc, base, "leader")
	if err != nil {
		return err
	}
	// Browsers send Accept-Encoding: gzip and decompress in their own
	// process; setting it here keeps the Go client from decompressing inside
	// the measured process, so the figures are the server's.
	hdr := http.Header{"Cookie": {cookie}, "Accept-Encoding": {"gzip"}}
	// Warm up every path once (and check it answers 200).
	for _, p := range []string{"/healthz", "/plan?year=2023", "/plan?year=2023&expand=all", "/api/v1/plan?year=2023"} {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Header = hdr.Clone()
		res, err := hc.Do(req)
		if err != nil {
			return err
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("GET %s: %s", p, res.Status)
		}
		fmt.Printf("GET %-32s %7d bytes\n", p, n)
	}
	// The machine is shared, so load drifts: each target is measured between
	// two runs of the trivial handler and compared with their mean.
	plain := http.Header{"Cookie": {cookie}, "Accept-Encoding": {"identity"}}
	targets := []struct {
		name, path string
		header     http.Header
	}{
		{"page /plan", "/plan?year=2023", hdr},
		{"page /plan?expand=all", "/plan?year=2023&expand=all", hdr},
		{"api /api/v1/plan", "/api/v1/plan?year=2023", hdr},
		{"api /api/v1/plan (identity)", "/api/v1/plan?year=2023", plain},
	}
	trivial := func() load.Result {
		r := load.Run(context.Background(), "trivial /healthz", hc, load.Get(base+"/healthz", nil), clients, dur, maxReq)
		fmt.Println(r)
		return r
	}
	type verdict struct {
		r     load.Result
		share float64
	}
	var verdicts []verdict
	before := trivial()
	for _, tg := range targets {
		r := load.Run(context.Background(), tg.name, hc, load.Get(base+tg.path, tg.header), clients, dur, maxReq)
		fmt.Println(r)
		after := trivial()
		verdicts = append(verdicts, verdict{r, r.RPS / ((before.RPS + after.RPS) / 2) * 100})
		before = after
	}
	// The share of /healthz throughput is shown for comparison only; the
	// target is the p95 (bench/README.md).
	fmt.Printf("\n%d clients, %s per phase; target: p95 ≤ 50ms, no errors\n", clients, dur)
	for _, v := range verdicts {
		ok := v.r.P95 <= 50*time.Millisecond && v.r.Errors == 0
		fmt.Printf("%-28s p95 %-8s %5.1f%% of trivial  %s\n", v.r.Name, v.r.P95.Round(10*time.Microsecond), v.share, map[bool]string{true: "PASS", false: "MISS"}[ok])
	}
	return nil
}

func login(hc *http.Client, base, user string) (string, error) {
	res, err := hc.Post(base+"/api/v1/session", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":"bench-password-123"}`, user)))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	for _, c := range res.Cookies() {
		if c.Name == "gaoxin_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: %s, no session cookie", user, res.Status)
}

// seed builds a 2023 plan: 1 theme, 6 focus areas, 30 actions and nTasks
// tasks over 20 units (through the service, as a supervisor would), then
// bulk-inserts nReports monthly reports (the tasks run 2021–2023, so each
// has up to 34 periods) and recomputes progress and flags.
func seed(ctx context.Context, a *app.App, nTasks, nReports int) error {
	var units []string
	for i := 0; i < 20; i++ {
		u, err := a.Org.CreateUnit(ctx, org.Unit{Code: fmt.Sprintf("u%02d", i), NameZH: fmt.Sprintf("责任单位%02d", i), Kind: "内设机构"})
		if err != nil {
			return err
		}
		units = append(units, u.Code)
	}
	var supUser org.User
	for _, nu := range []org.NewUser{{Username: "leader", Role: org.Leader}, {Username: "supervisor", Role: org.Supervisor}, {Username: "unit", Role: org.UnitStaff, UnitCode: "u00"}} {
		nu.Password = "bench-password-123"
		u, err := a.Org.CreateUser(ctx, nu)
		if err != nil {
			return err
		}
		if nu.Role == org.Supervisor {
			supUser = u
		}
	}
	sup := plan.ViewerOf(&supUser)
	p := *a.Plan
	p.Now = func() time.Time { return time.Date(2021, 1, 5, 4, 0, 0, 0, time.UTC) }
	theme, err := p.CreateNode(ctx, sup, plan.NodeInput{Year: 2023, Title: "跑出加速度，确保高质量"})
	if err != nil {
		return err
	}
	var taskIDs []int64
	perAction := (nTasks + 29) / 30
	for f := 0; f < 6; f++ {
		fn, err := p.CreateNode(ctx, sup, plan.NodeInput{ParentID: theme.ID, Title: fmt.Sprintf("提升 %d", f+1)})
		if err != nil {
			return err
		}
		for ac := 0; ac < 5; ac++ {
			an, err := p.CreateNode(ctx, sup, plan.NodeInput{ParentID: fn.ID, Title: fmt.Sprintf("行动 %d.%d", f+1, ac+1)})
			if err != nil {
				return err
			}
			for k := 0; k < perAction && len(taskIDs) < nTasks; k++ {
				i := len(taskIDs)
				n, err := p.CreateNode(ctx, sup, plan.NodeInput{ParentID: an.ID, Title: fmt.Sprintf("任务 %d：推进重点项目建设与企业培育", i+1),
					LeadUnit: units[i%20], CoUnits: []string{units[(i+7)%20]}, StartOn: fmt.Sprintf("2021-%02d-01", 1+i%3),
					DueOn: fmt.Sprintf("2023-%02d-28", 6+i%7), Deliverable: "完成年度建设目标"})
				if err != nil {
					return err
				}
				taskIDs = append(taskIDs, n.ID)
			}
		}
	}
	err = a.DB.Tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO plan_reports (task_id, period, due_on, unit_id, state, pct, done_text,
			created_by, submitted_at, first_submitted_on, version, created_at, updated_at)
			VALUES ($1, $2, $3, (SELECT lead_unit_id FROM plan_nodes WHERE id = $1), $4, $5, '本月按计划推进。', $6, $7, $8, 2, $7, $7)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		n := 0
		for m := 0; n < nReports && m < 34; m++ {
			month := time.Date(2021, time.Month(4+m), 1, 0, 0, 0, 0, time.UTC)
			due := month.AddDate(0, 1, 4)
			for i, id := range taskIDs {
				if n >= nReports {
					break
				}
				state, pct := plan.Accepted, min(100, 3*(m+1)+i%20)
				if m == 33 || (m+i)%17 == 0 {
					state = plan.Submitted
				}
				on := due.AddDate(0, 0, -(i%5)+1).Format("2006-01-02")
				if _, err := ins.ExecContext(ctx, id, month.Format("2006-01"), due.Format("2006-01-02"), state, pct, supUser.ID,
					due.UnixMilli(), on); err != nil {
					return err
				}
				n++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_nodes SET reported_pct = COALESCE((SELECT pct FROM plan_reports r
			WHERE r.task_id = plan_nodes.id AND r.state = 'accepted' ORDER BY r.period DESC LIMIT 1), 0) WHERE level = 'task'`); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, "UPDATE plan_years SET as_of = '2023-10-31' WHERE year = 2023"); err != nil {
			return err
		}
		// Written behind the service's back: tell the memo.
		return memo.Bump(ctx, tx, plan.Module)
	})
	if err != nil {
		return err
	}
	_, err = a.Plan.RefreshFlags(ctx, 2023)
	return err
}
