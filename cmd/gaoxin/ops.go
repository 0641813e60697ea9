package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/org"
)

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlagSet("migrate", stderr)
	commonFlags(fs, &c)
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ms, _ := db.Migrations()
	fmt.Fprintf(stdout, "migrations applied: %d (%s)\n", len(ms), a.DB.Dialect)
	return nil
}

// cliCtx marks CLI writes in the audit trail with the operating-system user.
func cliCtx(ctx context.Context) context.Context {
	name := os.Getenv("USER")
	if name == "" {
		name = "cli"
	}
	return audit.WithActor(ctx, audit.Actor{Name: "cli:" + name})
}

func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: gaoxin user add | passwd | unlock | list [flags]")
		return errUsage
	}
	var c Config
	var username, role, unit, name string
	var stdinPw bool
	fs := newFlagSet("user "+args[0], stderr)
	commonFlags(fs, &c)
	fs.StringVar(&username, "username", "", "account name")
	fs.BoolVar(&stdinPw, "password-stdin", false, "read the password from standard input")
	if args[0] == "add" {
		fs.StringVar(&role, "role", "", "admin, leader, supervisor, unit, enterprise or reviewer")
		fs.StringVar(&unit, "unit", "", "unit code (required for the unit role)")
		fs.StringVar(&name, "name", "", "display name")
	}
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ctx = cliCtx(ctx)
	switch args[0] {
	case "unlock":
		if username == "" {
			fmt.Fprintln(stderr, "--username is required")
			return errUsage
		}
		u, err := a.Org.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		if err := a.Auth.Unlock(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "login locks of %s cleared from every address\n", u.Username)
		return nil
	case "list":
		us, err := a.Org.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "username\trole\tunit\tstatus")
		for _, u := range us {
			st := "active"
			if u.Disabled {
				st = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, u.UnitCode, st)
		}
		return tw.Flush()
	case "add", "passwd":
		if username == "" || !stdinPw {
			fmt.Fprintln(stderr, "--username and --password-stdin are required")
			return errUsage
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if args[0] == "add" {
			u, err := a.Org.CreateUser(ctx, org.NewUser{Username: username, DisplayName: name, Role: org.Role(role), UnitCode: unit, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created user %s (%s)\n", u.Username, u.Role)
			return nil
		}
		u, err := a.Org.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		if err := a.Org.SetPassword(ctx, u.ID, pw, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password changed for %s; its sessions were ended and any lock cleared\n", u.Username)
		return nil
	}
	fmt.Fprintf(stderr, "unknown user command %q\n", args[0])
	return errUsage
}

func runToken(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: gaoxin token create --username U --name N")
		return errUsage
	}
	var c Config
	var username, name string
	fs := newFlagSet("token create", stderr)
	commonFlags(fs, &c)
	fs.StringVar(&username, "username", "", "account the token acts as")
	fs.StringVar(&name, "name", "", "what the token is for")
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ctx = cliCtx(ctx)
	u, err := a.Org.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	plain, _, err := a.Auth.CreateToken(ctx, u.ID, name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, plain)
	return nil
}

func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint" && args[0] != "archive") {
		fmt.Fprintln(stderr, "usage: gaoxin audit verify [--archives DIR] | checkpoint | archive --before YYYY-MM-DD --archives DIR  [--audit-key-file F] [--audit-checkpoints F] [--demo]")
		return errUsage
	}
	var c Config
	var demo bool
	var archives, before string
	fs := newFlagSet("audit "+args[0], stderr)
	commonFlags(fs, &c)
	fs.BoolVar(&demo, "demo", false, "use the public demo key when no key file is named (a demo server's trail)")
	fs.StringVar(&archives, "archives", env("audit-archives", ""), "folder of the audit archive files: archive writes there, verify checks them too (GAOXIN_AUDIT_ARCHIVES)")
	if args[0] == "archive" {
		fs.StringVar(&before, "before", "", "archive the records older than this date (YYYY-MM-DD, at least 180 days ago)")
	}
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	a, err := openWith(ctx, &c, demo)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	if args[0] == "checkpoint" {
		cp, ok, err := a.Audit.WriteCheckpoint(ctx)
		switch {
		case err != nil:
			return err
		case !a.Audit.Keyed():
			return errors.New("audit checkpoint needs the audit key (--audit-key-file)")
		case c.checkpointsFile() == "":
			return errors.New("audit checkpoint needs a file to write to (--audit-checkpoints)")
		case !ok:
			fmt.Fprintln(stdout, "audit head unchanged since the last checkpoint")
		default:
			fmt.Fprintf(stdout, "checkpoint %d: row %d %s\n", cp.Seq, cp.ID, cp.Hash)
		}
		return nil
	}
	if args[0] == "archive" {
		day, err := time.ParseInLocation("2006-01-02", before, db.CST)
		if err != nil || archives == "" {
			return fmt.Errorf("audit archive needs --before YYYY-MM-DD and --archives DIR")
		}
		arch, ok, err := a.Audit.ArchiveBefore(ctx, day, archives)
		switch {
		case err != nil:
			return err
		case !ok:
			fmt.Fprintf(stdout, "no audit records before %s left to archive\n", before)
		default:
			fmt.Fprintf(stdout, "archived rows %d–%d (%d) to %s\n", arch.FirstID, arch.LastID, arch.Rows, filepath.Join(archives, arch.File))
		}
		return nil
	}
	if archives != "" {
		n, err := a.Audit.VerifyArchives(ctx, archives)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "audit archives intact: %d rows in %s\n", n, archives)
	} else if list, err := a.Audit.Archives(ctx); err == nil && len(list) > 0 {
		fmt.Fprintf(stdout, "%d audit archives not checked: name their folder with --archives\n", len(list))
	}
	n, err := a.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	cps, err := a.Audit.Checkpoints()
	if err != nil {
		return err
	}
	switch {
	case !a.Audit.Keyed():
		fmt.Fprintf(stdout, "audit chain intact: %d rows (unkeyed: without --audit-key-file rewritten or truncated rows cannot be detected)\n", n)
	case len(cps) == 0:
		fmt.Fprintf(stdout, "audit chain intact: %d rows, keyed links checked; no checkpoints yet (%s)\n", n, c.checkpointsOr())
	default:
		last := cps[len(cps)-1]
		fmt.Fprintf(stdout, "audit chain intact: %d rows, keyed links checked, %d checkpoints agree (last: row %d)\n", n, len(cps), last.ID)
	}
	return nil
}

// checkpointsOr names the checkpoint file in use.
func (c *Config) checkpointsOr() string {
	if f := c.checkpointsFile(); f != "" {
		return f
	}
	return "no checkpoint file: set --audit-checkpoints"
}

func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var c Config
	var out string
	fs := newFlagSet("backup", stderr)
	commonFlags(fs, &c)
	fs.StringVar(&out, "out", "", "file to write the copy to (must not exist)")
	if err := parse(fs, args, &c); err != nil {
		return err
	}
	if out == "" {
		fmt.Fprintln(stderr, "--out is required")
		return errUsage
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	if a.DB.Dialect != db.SQLite {
		return errors.New("backup copies SQLite databases; for PostgreSQL use pg_dump (see README)")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; choose a new file", out)
	}
	// VACUUM INTO writes a consistent snapshot while the server keeps running.
	if _, err := a.DB.W.ExecContext(ctx, "VACUUM INTO $1", out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s\n", out)
	return nil
}
