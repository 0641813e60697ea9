// Command enterprise measures the enterprise registry at scale: importing a
// large .xlsx against excelize reading the same file, and the filtered list
// and the detail page under concurrent clients on a registry of N
// enterprises × Y years of figures. SQLite by default; PostgreSQL when
// GAOXIN_BENCH_POSTGRES holds a DSN (a fresh schema is created and
// dropped). See bench/README.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/bench/load"
	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/demo"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func main() {
	rows := flag.Int("import-rows", 100000, "rows of the import file (0 skips the import benchmark)")
	n := flag.Int("enterprises", 100000, "synthetic enterprises in the registry")
	years := flag.Int("years", 10, "years of figures per enterprise")
	clients := flag.Int("clients", 16, "concurrent clients")
	dur := flag.Duration("duration", 15*time.Second, "duration of each load phase")
	keep := flag.String("db-file", "", "SQLite file to keep: generated once, reused by later runs (skips import and generation)")
	flag.StringVar(&pgSchema, "pg-schema", "", "with GAOXIN_BENCH_POSTGRES: a schema to keep, generated once and reused like -db-file")
	flag.BoolVar(&explain, "explain", false, "print each list filter's query plan")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the import (or, with -import-rows 0, of the load phases) to this file, and of the rollups applied after the import to this name with .apply added")
	flag.StringVar(&onlyPhase, "phase", "", "run only the load phases whose name contains this")
	flag.IntVar(&denseRows, "dense", 0, "the list's dense-filter threshold (0: the service's default)")
	flag.BoolVar(&annual, "annual", false, "import the next year's figures of the generated (or reused) registry's first -import-rows enterprises (the yearly report), instead of new enterprises into an empty registry; the load phases are skipped. With -db-file and -import-rows 0 it only generates the registry and rebuilds its rollups, so that each run imports into a copy of the file")
	flag.Parse()
	if err := run(*rows, *n, *years, *clients, *dur, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var (
	cpuProfile, onlyPhase, pgSchema string
	denseRows                       int
	annual                          bool
)

// startProfile starts the CPU profile -cpuprofile asks for (if any) and
// returns what stops it.
func startProfile(suffix string) (func(), error) {
	if cpuProfile == "" {
		return func() {}, nil
	}
	f, err := os.Create(cpuProfile + suffix)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// peak samples the heap while a phase runs.
type peak struct{ heap, sys atomic.Uint64 }

func (p *peak) watch(ctx context.Context) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > p.heap.Load() {
			p.heap.Store(m.HeapInuse)
		}
		if m.Sys > p.sys.Load() {
			p.sys.Store(m.Sys)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *peak) String() string {
	return fmt.Sprintf("peak heap in use %d MB, Go runtime memory (Sys) %d MB", p.heap.Load()>>20, p.sys.Load()>>20)
}

func run(rows, n, years, clients int, dur time.Duration, keep string) error {
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "bench"})
	d, cleanup, err := load.OpenDB(ctx, keep, pgSchema)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("database: %s · import rows %d · registry %d enterprises × %d years · %d clients · %s per phase · GOMAXPROCS %d\n",
		d.Dialect, rows, n, years, clients, dur, runtime.GOMAXPROCS(0))
	a := app.New(d, appOptions(false))
	a.Enterprise.MaxImportBytes = 200 << 20
	if keep != "" || pgSchema != "" {
		if empty, err := demo.Empty(ctx, a); err != nil {
			return err
		} else if !empty {
			fmt.Println("reusing", keep)
			if annual {
				if rows == 0 {
					return nil
				}
				return benchAnnual(ctx, a, rows)
			}
			return benchQueries(ctx, a, clients, dur)
		}
	}
	if _, err := demo.Load(ctx, a); err != nil {
		return err
	}
	if rows > 0 && !annual {
		inds, err := a.Enterprise.Indicators(ctx)
		if err != nil {
			return err
		}
		data, err := importFile(rows, inds, nil, 2022)
		if err != nil {
			return err
		}
		if err := benchImport(ctx, a, data, rows); err != nil {
			return err
		}
		cpuProfile = "" // the profile was of the import
	}
	if n == 0 {
		return nil
	}
	t0 := time.Now()
	last := time.Now()
	_, err = demo.LoadEnterprises(ctx, a, demo.EnterpriseOptions{Enterprises: n, Years: years, Seed: 2023, Batch: 1000,
		Progress: func(done, total int) {
			if time.Since(last) > 30*time.Second || done == total {
				fmt.Printf("  generated %d / %d (%s)\n", done, total, time.Since(t0).Round(time.Second))
				last = time.Now()
			}
		}})
	if err != nil {
		return err
	}
	var figures int64
	d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM enterprise_figures").Scan(&figures)
	fmt.Printf("registry generated in %s: %d figure values\n", time.Since(t0).Round(time.Second), figures)
	if annual {
		// The rollups start from a rebuild, as a server's would.
		t0 = time.Now()
		if err := a.Insight.Rebuild(ctx, insight.Viewer{Role: org.Admin}); err != nil {
			return err
		}
		fmt.Printf("rollups rebuilt in %s\n", time.Since(t0).Round(time.Second))
		if rows == 0 {
			return nil // a registry kept (-db-file) for annual imports on copies of it
		}
		return benchAnnual(ctx, a, rows)
	}
	return benchQueries(ctx, a, clients, dur)
}

// benchAnnual imports the next year's figures of the registry's first
// rows synthetic enterprises, under their registered codes and names.
func benchAnnual(ctx context.Context, a *app.App, rows int) error {
	var year int
	if err := a.DB.R.QueryRowContext(ctx, "SELECT MAX(year) FROM enterprise_figures").Scan(&year); err != nil {
		return err
	}
	r, err := a.DB.R.QueryContext(ctx, "SELECT credit_code, name FROM enterprises WHERE synthetic = TRUE ORDER BY id LIMIT $1", rows)
	if err != nil {
		return err
	}
	var known [][2]string
	for r.Next() {
		var code, name string
		if err := r.Scan(&code, &name); err != nil {
			r.Close()
			return err
		}
		known = append(known, [2]string{code, name})
	}
	r.Close()
	if err := r.Err(); err != nil {
		return err
	}
	inds, err := a.Enterprise.Indicators(ctx)
	if err != nil {
		return err
	}
	data, err := importFile(len(known), inds, known, year+1)
	if err != nil {
		return err
	}
	fmt.Printf("annual report: %d registered enterprises' %d figures\n", len(known), year+1)
	return benchImport(ctx, a, data, len(known))
}

// importFile writes an .xlsx in the template layout with a title row and
// one year of figures, some cells as text with separators. known, when
// given, are the credit codes and names of registered enterprises, one a
// row, whose profile columns the file leaves out.
func importFile(rows int, inds []enterprise.Indicator, known [][2]string, year int) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	sw.SetRow("A1", []any{fmt.Sprintf("%d 年度企业主要经济指标（基准测试文件）", year)})
	head := []any{"统一社会信用代码", "企业名称", "所属办事处", "行业代码", "产业链", "成立日期", "年度"}
	if known != nil {
		head = []any{"统一社会信用代码", "企业名称", "年度"}
	}
	for _, i := range inds {
		head = append(head, i.NameZH+"（"+enterprise.DisplayUnit(i)+"）")
	}
	sw.SetRow("A2", head)
	areas := []string{"石佛办事处", "沟赵办事处", "枫杨办事处", "梧桐办事处", "双桥办事处"}
	for r := 0; r < rows; r++ {
		row := []any{uscc.Complete(fmt.Sprintf("91410100BM%06d", r+1)), fmt.Sprintf("基准导入企业%06d有限公司（演示）", r+1),
			areas[r%5], "3911", "iot", 43000.0 + float64(r%1800), year}
		if known != nil {
			row = []any{known[r][0], known[r][1], year}
		}
		for k := range inds {
			v := (r*7 + k*13) % 100000
			if k%2 == 0 {
				row = append(row, strconv.Itoa(v)+".5")
			} else {
				row = append(row, float64(v))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+3)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = f.Write(&buf)
	return buf.Bytes(), err
}

// excelizeRead is the baseline: open the file and read every row the way
// the importer does (streaming, raw values).
func excelizeRead(data []byte) (int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, err
	}
	defer f.Close()
	rs, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		return 0, err
	}
	n := 0
	for rs.Next() {
		if _, err := rs.Columns(excelize.Options{RawCellValue: true}); err != nil {
			return n, err
		}
		n++
	}
	return n, rs.Close()
}

// benchImport imports data, rows rows, timed against excelize's read
// of it, then applies the rollups and re-imports it as a dry run.
func benchImport(ctx context.Context, a *app.App, data []byte, rows int) error {
	fmt.Printf("import file: %d rows, %.1f MB\n", rows, float64(len(data))/(1<<20))
	runtime.GC()
	t0 := time.Now()
	got, err := excelizeRead(data)
	if err != nil {
		return err
	}
	read := time.Since(t0)
	runtime.GC()
	stopProfile, err := startProfile("")
	if err != nil {
		return err
	}
	var p peak
	pctx, stop := context.WithCancel(ctx)
	go p.watch(pctx)
	t0 = time.Now()
	res, err := a.Enterprise.Import(ctx, enterprise.System, data, enterprise.ImportOptions{Filename: "bench.xlsx"})
	imp := time.Since(t0)
	stop()
	stopProfile()

	if err != nil {
		return err
	}
	if !res.Written || res.Created+res.Updated != rows {
		return fmt.Errorf("import: %d errors, created %d, updated %d (first: %+v)", len(res.Errors), res.Created, res.Updated, res.Errors[:min(3, len(res.Errors))])
	}
	fmt.Printf("excelize read alone: %s (%d rows)\nimport (read, check, write %d new and %d updated enterprises + %d values in one transaction): %s\nratio import / excelize read: %.2f\nimport memory: %s\n",
		read.Round(time.Millisecond), got, res.Created, res.Updated, res.Figures, imp.Round(time.Millisecond), float64(imp)/float64(read), &p)
	// The industry brain's rollups follow the import through the change
	// feed (a server applies it within a second): the import's budget
	// holds both.
	stopProfile, err = startProfile(".apply")
	if err != nil {
		return err
	}
	t0 = time.Now()
	applied, err := a.Insight.Apply(ctx)
	if err != nil {
		return err
	}
	roll := time.Since(t0)
	stopProfile()
	fmt.Printf("rollups applied (%d feed entries): %s; import + rollups / excelize read: %.2f\n", applied, roll.Round(time.Millisecond), float64(imp+roll)/float64(read))
	t0 = time.Now()
	res, err = a.Enterprise.Import(ctx, enterprise.System, data, enterprise.ImportOptions{Filename: "bench.xlsx", DryRun: true})
	if err != nil {
		return err
	}
	fmt.Printf("re-import of the same file (dry run, %d unchanged): %s, ratio %.2f\n", res.Unchanged, time.Since(t0).Round(time.Millisecond), float64(time.Since(t0))/float64(read))
	return nil
}

// appOptions are the services' options: the list pages' memo off when
// cold (every list runs its queries, as a filter nobody asked for since
// the last write does), on otherwise. The registry's other memos (the chain
// tree, the indicators, the counts that choose a list query's plan) stay
// on: they are domain data rebuilt once after a write, shared by every
// filter, so a cold filter finds them built.
func appOptions(cold bool) app.Options {
	// Every module reads at the demo's date, which the synthetic registry's
	// years and certificates are generated around.
	o := app.Options{Argon: &org.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1}, Now: demo.Clock}
	o.Enterprise.DenseRows = denseRows
	o.Enterprise.Lists.Off = cold
	return o
}

// serve starts a web server over a's services.
func serve(a *app.App) (*httptest.Server, error) {
	// Server errors are shown: a benchmark that fails requests measures nothing.
	srv, err := site.New(web.Config{Version: "bench"}, a, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		return nil, err
	}
	return httptest.NewServer(srv), nil
}

func benchQueries(ctx context.Context, a *app.App, clients int, dur time.Duration) error {
	// Two app servers on the database: one with the list page memo (as
	// served), one without (the queries themselves).
	warm, err := serve(a)
	if err != nil {
		return err
	}
	defer warm.Close()
	cold := app.New(a.DB, appOptions(true))
	coldTS, err := serve(cold)
	if err != nil {
		return err
	}
	defer coldTS.Close()
	ts := coldTS
	leader, err := a.Org.UserByUsername(ctx, "leader")
	if err != nil {
		return err
	}
	tok, _, err := a.Auth.CreateToken(ctx, leader.ID, "bench")
	if err != nil {
		return err
	}
	hdr := http.Header{"Authorization": {"Bearer " + tok}}
	var maxID int64
	a.DB.R.QueryRowContext(ctx, "SELECT MAX(id) FROM enterprises").Scan(&maxID)
	year, _ := strconv.Atoi(demo.AsOf[:4]) // the synthetic registry's last year of figures
	year--
	filters := []string{
		"", "area=sf", "chain=dominant", "chain=hydrogen&status=operating", "tier=hnte", "tier=gazelle&area=gz",
		"name=" + url.QueryEscape("传感"), "name=" + url.QueryEscape("量子科技企业0") + "&area=fy", "credit_code=91410100DM0",
		"status=moved_out", "industry=39", "indicator=revenue&year=" + strconv.Itoa(year) + "&min=5000&max=20000",
		"indicator=employees&year=" + strconv.Itoa(year) + "&min=500&area=wt", "chain=iot&tier=tsme",
		// A rare name (one enterprise of the synthetic registry) and an
		// absent one: a scan of every name finds neither early.
		"name=042137", "name=" + url.QueryEscape("恒信科技"),
	}
	if err := perFilter(ctx, cold, filters); err != nil {
		return err
	}
	var i atomic.Int64
	hc := load.Client(clients)
	// One request per filter first, to show each filter's own cost.
	for _, f := range filters {
		for _, path := range []string{"/api/v1/enterprises?" + f, "/enterprises?" + f} {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Header = hdr.Clone()
			t0 := time.Now()
			res, err := hc.Do(req)
			if err != nil {
				return err
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			fmt.Printf("  %-70s %3d %8s %6d bytes\n", path, res.StatusCode, time.Since(t0).Round(10*time.Microsecond), len(body))
		}
	}
	stopProfile, err := startProfile("")
	if err != nil {
		return err
	}
	defer stopProfile()
	runPhase := func(name string, mk func() (*http.Request, error)) {
		if !strings.Contains(name, onlyPhase) {
			return
		}
		var p peak
		pctx, stop := context.WithCancel(ctx)
		go p.watch(pctx)
		r := load.Run(ctx, name, hc, mk, clients, dur, 0)
		stop()
		fmt.Printf("%s\n    %s\n", r, &p)
	}
	get := func(path string) (*http.Request, error) {
		req, err := http.NewRequest("GET", ts.URL+path, nil)
		if err == nil {
			req.Header = hdr.Clone()
		}
		return req, err
	}
	// The queries themselves first (the page memo off), then as served:
	// the memo answers a repeated filter after one version lookup.
	ts = coldTS
	runPhase(fmt.Sprintf("list (%d filters, API, memo off)", len(filters)), func() (*http.Request, error) {
		return get("/api/v1/enterprises?" + filters[int(i.Add(1))%len(filters)])
	})
	runPhase("list page (HTML, memo off)", func() (*http.Request, error) {
		return get("/enterprises?" + filters[int(i.Add(1))%len(filters)])
	})
	ts = warm
	runPhase(fmt.Sprintf("list (%d filters, API, memo on)", len(filters)), func() (*http.Request, error) {
		return get("/api/v1/enterprises?" + filters[int(i.Add(1))%len(filters)])
	})
	runPhase("list page (HTML, memo on)", func() (*http.Request, error) {
		return get("/enterprises?" + filters[int(i.Add(1))%len(filters)])
	})
	var x atomic.Uint64
	x.Store(88172645463325252)
	rnd := func() int64 {
		v := x.Add(0x9E3779B97F4A7C15)
		v ^= v >> 31
		v *= 0xBF58476D1CE4E5B9
		return int64(v>>1)%maxID + 1
	}
	runPhase("detail (API)", func() (*http.Request, error) { return get("/api/v1/enterprises/" + strconv.FormatInt(rnd(), 10)) })
	runPhase("detail page (HTML, chart, history)", func() (*http.Request, error) { return get("/enterprises/" + strconv.FormatInt(rnd(), 10)) })
	return nil
}

// explain makes perFilter print each filter's query and plan.
var explain bool

// perFilter times each filter through the service alone (no HTTP, no
// concurrency): the first call, then the median of five more.
func perFilter(ctx context.Context, a *app.App, filters []string) error {
	inds, err := a.Enterprise.Indicators(ctx)
	if err != nil {
		return err
	}
	v := enterprise.Viewer{Role: org.Leader}
	fmt.Println("per filter, service alone, page memo off (first call, then median of 5):")
	for _, raw := range filters {
		q, _ := url.ParseQuery(raw)
		f := enterprise.Filter{Name: q.Get("name"), CreditCode: q.Get("credit_code"), Area: q.Get("area"), Chain: q.Get("chain"),
			Tier: q.Get("tier"), Status: enterprise.Status(q.Get("status")), Industry: q.Get("industry"), Indicator: q.Get("indicator")}
		f.Year, _ = strconv.Atoi(q.Get("year"))
		for _, ind := range inds {
			if ind.Code != f.Indicator {
				continue
			}
			for _, b := range []struct {
				name string
				dst  **int64
			}{{"min", &f.Min}, {"max", &f.Max}} {
				if s := q.Get(b.name); s != "" {
					n, err := enterprise.ParseDisplay(ind, s)
					if err != nil {
						return err
					}
					*b.dst = &n
				}
			}
		}
		var times []time.Duration
		var items int
		for k := 0; k < 6; k++ {
			t0 := time.Now()
			p, err := a.Enterprise.List(ctx, v, f)
			if err != nil {
				return fmt.Errorf("%s: %w", raw, err)
			}
			times = append(times, time.Since(t0))
			items = len(p.Items)
		}
		rest := times[1:]
		slices.Sort(rest)
		fmt.Printf("  %-62s %3d items  first %9s  median %9s\n", raw, items, times[0].Round(10*time.Microsecond), rest[2].Round(10*time.Microsecond))
		if explain {
			plan, err := a.Enterprise.ExplainList(ctx, v, f)
			if err != nil {
				return err
			}
			for _, l := range plan {
				fmt.Println("      " + l)
			}
		}
	}
	return nil
}
