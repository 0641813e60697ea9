package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/demo"
)

// runDemo adds a plainly synthetic, reproducible enterprise registry:
// gaoxin demo --enterprises N --years Y [--seed S]. On an empty database
// it first loads the demo units and accounts (printed once).
func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var c Config
	o := demo.EnterpriseOptions{}
	var seed int64
	fs := newFlagSet("demo", stderr)
	commonFlags(fs, &c)
	fs.IntVar(&o.Enterprises, "enterprises", 1000, "synthetic enterprises to add")
	fs.IntVar(&o.Years, "years", 5, "years of figures, ending last year")
	fs.Int64Var(&seed, "seed", 2023, "random seed: the same seed gives the same registry")
	fs.IntVar(&o.Batch, "batch", 1000, "enterprises per transaction")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	o.Seed = uint64(seed)
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ctx = audit.WithActor(ctx, audit.Actor{Name: "demo"})
	if empty, err := demo.Empty(ctx, a); err != nil {
		return err
	} else if empty {
		if err := loadDemo(ctx, a, stdout); err != nil {
			return err
		}
	}
	start := time.Now()
	o.Progress = func(done, total int) {
		if done%10000 == 0 || done == total {
			fmt.Fprintf(stdout, "  %d / %d enterprises (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	}
	n, err := demo.LoadEnterprises(ctx, a, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已生成 %d 家演示企业（合成数据，名称含“演示”），%d 年指标 / %d synthetic enterprises with %d years of figures in %s\n",
		n, o.Years, n, o.Years, time.Since(start).Round(time.Millisecond))
	return nil
}
