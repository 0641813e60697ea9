package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"gaoxin/internal/demo"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

// runRollup: gaoxin rollup rebuild | status. The industry brain's rollups
// follow the registry's change feed while a server runs; rebuild
// recomputes them from the whole registry (after a restore, or a bulk
// load that went past the feed), status says how far they have followed.
func runRollup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rebuild" && args[0] != "status" && args[0] != "apply") {
		fmt.Fprintln(stderr, "usage: gaoxin rollup rebuild | apply | status")
		return errUsage
	}
	var c Config
	fs := newFlagSet("rollup "+args[0], stderr)
	commonFlags(fs, &c)
	// A demo server reads at the demo's date and keys its audit chain with
	// the demo's key: so must a command run on its database.
	fs.BoolVar(&c.Demo, "demo", envBool("demo", false), "the database is a demo server's: read at the demo's date, "+demo.AsOf+", and key the audit chain as it does (GAOXIN_DEMO)")
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	a, err := openWith(ctx, &c, c.Demo)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ctx = cliCtx(ctx)
	start := time.Now()
	switch args[0] {
	case "rebuild":
		if err := a.Insight.Rebuild(ctx, insight.Viewer{Role: org.Admin}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "汇总已重建 / rollups rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
	case "apply":
		n, err := a.Insight.Apply(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已应用 %d 条企业库变更 / applied %d registry changes in %s\n", n, n, time.Since(start).Round(time.Millisecond))
	}
	st, err := a.Insight.State(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "变更序号 / feed: applied %d of %d; year 0 counts certificates current on %s\n", st.Applied, st.Latest, st.Day)
	return nil
}
