package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gaoxin/internal/enterprise"
)

// runExport: gaoxin export enterprises --out FILE [filters]. The file has
// the import template's layout; its extension chooses the format (.xlsx
// or .csv).
func runExport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "enterprises" {
		fmt.Fprintln(stderr, "usage: gaoxin export enterprises --out FILE [--name S] [--area CODE] [--chain CODE] [--tier CODE] [--status S] [--year Y]")
		return errUsage
	}
	var c Config
	var out string
	var f enterprise.Filter
	var status string
	var year int
	fs := newFlagSet("export enterprises", stderr)
	commonFlags(fs, &c)
	fs.StringVar(&out, "out", "", "the file to write: .xlsx, or .csv for UTF-8 CSV")
	fs.StringVar(&f.Name, "name", "", "name contains")
	fs.StringVar(&f.CreditCode, "credit-code", "", "credit code or its prefix")
	fs.StringVar(&f.Area, "area", "", "office-area unit code")
	fs.StringVar(&f.Chain, "chain", "", "industry-chain node code (its subtree matches)")
	fs.StringVar(&f.Tier, "tier", "", "holds a current certificate of this tier")
	fs.StringVar(&status, "status", "", "operating, moved_out or deregistered")
	fs.StringVar(&f.Industry, "industry", "", "GB/T 4754 code prefix")
	fs.IntVar(&year, "year", 0, "year of the figures (default: the latest)")
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	if out == "" {
		fmt.Fprintln(stderr, "--out is required")
		return errUsage
	}
	export := exportFormat(out)
	if export == nil {
		fmt.Fprintf(stderr, "--out %s: the file name must end in .xlsx or .csv\n", out)
		return errUsage
	}
	f.Status = enterprise.Status(status)
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	b, err := export(a.Enterprise)(cliCtx(ctx), enterprise.System, f, year)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", out, len(b))
	return nil
}

// exportFunc is an export of the registry in one file format.
type exportFunc func(ctx context.Context, v enterprise.Viewer, f enterprise.Filter, year int) ([]byte, error)

// exportFormat picks the export by the file name's extension (nil for an
// extension it does not write).
func exportFormat(name string) func(*enterprise.Service) exportFunc {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return func(s *enterprise.Service) exportFunc { return s.Export }
	case ".csv":
		return func(s *enterprise.Service) exportFunc { return s.ExportCSV }
	}
	return nil
}
