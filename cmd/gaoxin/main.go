// Command gaoxin is the management platform of a high-tech industrial
// development zone: one binary for the web server and its operations.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (--demo loads demo data into an empty database)", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"user", "manage accounts: user add | passwd | list", runUser},
		{"token", "API tokens: token create --username U --name N", runToken},
		{"audit", "audit trail: audit verify", runAudit},
		{"crypto", "cryptographic mode: crypto status | rotate --new-key-file F (re-seal the gm mode's fields under a new SM4 key)", runCrypto},
		{"import", "import enterprises FILE [--dry-run]: load a registry spreadsheet (.xlsx/.csv), all or nothing", runImport},
		{"export", "export enterprises --out FILE [filters]: write the registry to .xlsx in the template layout", runExport},
		{"demo", "demo --enterprises N --years Y [--seed S]: add a synthetic, reproducible enterprise registry", runDemo},
		{"rollup", "industry brain rollups: rollup rebuild | apply | status", runRollup},
		{"backup", "write a consistent copy of a live SQLite database: backup --out FILE", runBackup},
		{"version", "print the version, commit and build date", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], stdin, stdout, stderr); err != nil {
				if err == errUsage {
					return 2
				}
				fmt.Fprintln(stderr, "gaoxin "+c.name+":", err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "gaoxin: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gaoxin — 高新区高质量发展管理平台 / high-tech zone management platform")
	fmt.Fprintln(w, "\nUsage: gaoxin COMMAND [flags]   (gaoxin COMMAND -h for its flags)\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag has an environment twin: --db is GAOXIN_DB, --addr is GAOXIN_ADDR, and so on.")
}
