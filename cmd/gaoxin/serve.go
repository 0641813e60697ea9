package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/demo"
	"gaoxin/internal/web"
	"gaoxin/internal/web/site"
)

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlagSet("serve", stderr)
	commonFlags(fs, &c)
	fs.StringVar(&c.Addr, "addr", env("addr", "127.0.0.1:8080"), "listen address (GAOXIN_ADDR); port 0 picks a free port")
	fs.BoolVar(&c.Demo, "demo", envBool("demo", false), "load demo data into an empty database, print the demo accounts, and read every module at the demo's one date, "+demo.AsOf+" (GAOXIN_DEMO)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("secure-cookies", false), "mark cookies Secure; set when served over TLS (GAOXIN_SECURE_COOKIES)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("trust-proxy", false), "take the client address from X-Forwarded-For (GAOXIN_TRUST_PROXY)")
	fs.StringVar(&c.DBRead, "db-read", env("db-read", ""), "a PostgreSQL streaming replica of --db (postgres://…): pages that only read use it while it answers (GAOXIN_DB_READ)")
	fs.DurationVar(&c.FreshFor, "db-read-fresh", envDuration("db-read-fresh", 10*time.Second), "after a write, the writer's pages read from the primary this long (GAOXIN_DB_READ_FRESH)")
	fs.BoolVar(&c.SeparateAdmins, "separate-admins", envBool("separate-admins", false), "等保 三员分立: the security administrator alone disables accounts, the audit administrator alone reads the audit trail (GAOXIN_SEPARATE_ADMINS)")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	log := c.logger(stderr)
	a, err := openWith(ctx, &c, c.Demo)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	if !a.Audit.Keyed() {
		log.Warn("audit trail is not keyed: rewritten or truncated rows cannot be detected; set --audit-key-file (GAOXIN_AUDIT_KEY_FILE)")
	} else if c.Demo && c.AuditKeyFile == "" {
		log.Warn("audit trail keyed with the public demo key: for demonstrations only")
	}
	if a.DB.Crypto.Demo() {
		log.Warn("sensitive fields sealed with the public demo SM4 key: for demonstrations only")
	}
	if a.Audit.Keyed() && c.checkpointsFile() == "" {
		log.Warn("no audit checkpoint file: deleting the newest audit rows cannot be detected; set --audit-checkpoints (GAOXIN_AUDIT_CHECKPOINTS)")
	}
	if c.Demo {
		if err := loadDemo(ctx, a, stdout); err != nil {
			return err
		}
	}
	cfg := web.Config{SecureCookies: c.SecureCookies, TrustProxy: c.TrustProxy, Version: about().Version, FreshFor: c.FreshFor, SeparateAdmins: c.SeparateAdmins}
	if c.Demo {
		cfg.DemoAsOf = demo.AsOf
	}
	srv, err := site.New(cfg, a, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "gaoxin %s listening on http://%s (database: %s, cryptography: %s)\n", about().Version, ln.Addr(), a.DB.Dialect, a.DB.Crypto)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	// The background work ends before the database closes (deferred
	// above): on the way out it writes the last audit checkpoint and the
	// refusal counts, which would otherwise meet a closed database.
	var background sync.WaitGroup
	defer func() {
		stopJobs()
		background.Wait()
	}()
	background.Go(func() { runJobs(jobsCtx, a, log) })
	background.Go(func() { runCheckpoints(jobsCtx, a, log) })
	background.Go(func() { runRollups(jobsCtx, a, log) })
	background.Go(func() { // the first name search should not wait for the index
		if err := a.Enterprise.WarmNames(jobsCtx); err != nil && jobsCtx.Err() == nil {
			log.Warn("name index warm-up", "err", err)
		}
	})
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runCheckpoints appends a signed checkpoint of the audit head to the
// checkpoint file every minute the head has moved, and once more on the
// way out, after writing the refusal counts still gathered in memory. Every app server writes its own (the head is the same for all).
func runCheckpoints(ctx context.Context, a *app.App, log interface {
	Error(string, ...any)
	Info(string, ...any)
}) {
	write := func(ctx context.Context) {
		c, ok, err := a.Audit.WriteCheckpoint(ctx)
		if err != nil {
			log.Error("audit checkpoint", "err", err)
		} else if ok {
			log.Info("audit checkpoint", "seq", c.Seq, "row", c.ID, "hash", c.Hash, "mac", c.Mac)
		}
	}
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := a.Audit.FlushRefusals(final); err != nil {
				log.Error("refusal counts", "err", err)
			}
			write(final)
			cancel()
			return
		case <-tick.C:
			write(ctx)
		}
	}
}

// runRollups keeps the industry brain's rollups up to date with the
// registry's change feed: every second, the writes since are applied.
// Every app server runs it; one applies at a time and the others find
// nothing left.
func runRollups(ctx context.Context, a *app.App, log interface {
	Error(string, ...any)
}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if _, err := a.Insight.Apply(ctx); err != nil && ctx.Err() == nil {
			log.Error("rollups", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// loadDemo loads the demo data into an empty database. Several servers
// started at once with --demo take turns under one database lock: the
// first loads, the others then find the database filled and leave it.
func loadDemo(ctx context.Context, a *app.App, stdout io.Writer) error {
	var accounts []demo.Account
	err := a.DB.WithLock(ctx, "demo.load", func() error {
		empty, err := demo.Empty(ctx, a)
		if err != nil || !empty {
			return err
		}
		accounts, err = demo.Load(audit.WithActor(ctx, audit.Actor{Name: "demo"}), a)
		return err
	})
	if err != nil {
		return err
	}
	if accounts == nil {
		fmt.Fprintln(stdout, "数据库已有数据，未载入演示数据 / database is not empty: demo data not loaded (reset a password with: gaoxin user passwd)")
		return nil
	}
	fmt.Fprintln(stdout, "已载入演示数据。演示账号（密码仅显示这一次）/ Demo data loaded. Demo accounts (passwords shown once):")
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  username\tpassword\trole\tunit")
	for _, acc := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", acc.Username, acc.Password, acc.Role, acc.Unit)
	}
	return tw.Flush()
}

// runJobs runs the scheduled jobs. Each job's period is claimed in the
// database (db.RunJob), so with several app servers each period's run
// completes once: a failed run is retried at the next tick, on whichever
// server gets there first.
func runJobs(ctx context.Context, a *app.App, log interface {
	Error(string, ...any)
}) {
	host, _ := os.Hostname()
	by := fmt.Sprintf("%s/%d", host, os.Getpid())
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		now := time.Now()
		for _, j := range jobs(a) {
			period := now.Truncate(j.every).UTC().Format(time.RFC3339)
			if _, err := a.DB.RunJob(ctx, j.name, period, by, func(ctx context.Context) error { return j.run(ctx, now) }); err != nil && ctx.Err() == nil {
				log.Error("job failed", "job", j.name, "period", period, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context, now time.Time) error
}

// jobs lists the scheduled jobs of every module.
func jobs(a *app.App) []job {
	return []job{
		{"auth.purge_sessions", time.Hour, func(ctx context.Context, _ time.Time) error { return a.Auth.PurgeSessions(ctx) }},
		{"plan.flags", time.Hour, func(ctx context.Context, _ time.Time) error { return a.Plan.FlagJob(ctx) }},
		{"plan.webhook", time.Minute, func(ctx context.Context, _ time.Time) error { _, err := a.Plan.Deliver(ctx); return err }},
		{"enterprise.import_jobs", time.Minute, func(ctx context.Context, _ time.Time) error { return a.Enterprise.ResumeJobs(ctx, "scheduler") }},
	}
}
