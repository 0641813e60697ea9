package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"gaoxin/internal/enterprise"
)

// runImport: gaoxin import enterprises FILE [--dry-run] [--source stats|tax|power|ipr|staff].
// It prints the report and exits non-zero when errors kept anything from
// being written.
func runImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "enterprises" {
		fmt.Fprintln(stderr, "usage: gaoxin import enterprises FILE [--dry-run] [--source stats|tax|power|ipr|staff]")
		return errUsage
	}
	var c Config
	var dry bool
	var source string
	fs := newFlagSet("import enterprises", stderr)
	commonFlags(fs, &c)
	fs.BoolVar(&dry, "dry-run", false, "check and report what would change; write nothing")
	fs.StringVar(&source, "source", "stats", "source of the figures: stats, tax, power, ipr or staff")
	file, rest := "", args[1:]
	if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest, &c); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		fmt.Fprintln(stderr, "usage: gaoxin import enterprises FILE [--dry-run]")
		return errUsage
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ctx = cliCtx(ctx)
	res, err := a.Enterprise.Import(ctx, enterprise.System, data, enterprise.ImportOptions{Filename: filepath.Base(file), DryRun: dry, Source: enterprise.Source(source)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rows %d · new %d · updated %d · unchanged %d · figure values %d\n", res.Rows, res.Created, res.Updated, res.Unchanged, res.Figures)
	if len(res.Ignored) > 0 {
		fmt.Fprintf(stdout, "ignored columns: %v\n", res.Ignored)
	}
	if len(res.Errors) > 0 {
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "row\tcolumn\tvalue\treason")
		for _, d := range res.Errors {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s / %s\n", d.Row, d.Field, d.Value, d.Reason, d.ReasonEN)
		}
		tw.Flush()
		return fmt.Errorf("%d errors: nothing was written", len(res.Errors))
	}
	switch {
	case dry:
		fmt.Fprintln(stdout, "dry run: nothing was written")
	default:
		fmt.Fprintln(stdout, "written")
	}
	return nil
}
