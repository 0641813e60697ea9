package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migrations live in migrations/, named NNNN_name.sql. Each module owns a
// range of numbers and the tables its range creates: 0001–0099 the
// foundation (units, users, sessions, tokens, audit, jobs), 0100 targets
// (kpi), 0200 the plan, 0300 the enterprise registry, 0400 awards, 0800
// the review panel shared by awards and scenarios (0500–0700 are kept for
// scenarios, finance and insight); a new module takes the next free
// hundred.
//
// Each module starts from one baseline (NNN0_module.sql), squashed before
// the first release. From here on migrations are append-only: a change to
// the schema is a new file with the next number of its module's range
// (0002_…, 0301_…), and a file that has been merged is never edited,
// renamed or removed, since databases in use have recorded it as applied.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("db: migration %q: name must be NNNN_name.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("db: migrations %q and %q share version %d", prev, name, v)
		}
		seen[v] = name
		b, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// Migrate applies every migration not yet recorded, each in its own
// transaction. Several app servers may start at once on an empty database:
// on PostgreSQL the whole run holds an advisory lock (WithLock), taken
// before even schema_migrations is created, since two concurrent CREATE
// TABLE IF NOT EXISTS of one table can fail there; the servers that wait
// find every migration recorded and apply none.
func (d *DB) Migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return d.WithLock(ctx, "migrate", func() error { return d.migrate(ctx, ms) })
}

// MigrateTo is Migrate up to and including version last: how a test builds
// a database as it stood before a migration that moves data, to check the
// move.
func (d *DB) MigrateTo(ctx context.Context, last int) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	n := 0
	for n < len(ms) && ms[n].Version <= last {
		n++
	}
	return d.WithLock(ctx, "migrate", func() error { return d.migrate(ctx, ms[:n]) })
}

func (d *DB) migrate(ctx context.Context, ms []Migration) error {
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	if err := d.refuseSquashed(ctx); err != nil {
		return err
	}
	for _, m := range ms {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(migrationSQL(d.Dialect, m.SQL)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w\n%s", m.Name, err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.Version, m.Name, Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("db: migrate: %w", err)
		}
	}
	return nil
}

// squashed are the versions folded into the module baselines before the
// first release. A database that recorded one was built by the old series;
// the baselines would count as applied there and its schema would stay
// the old one (without the registry's foreign keys on PostgreSQL).
const squashed = "2, 201, 301, 302, 303, 304, 305, 306, 307, 401"

// refuseSquashed fails on a database built by the pre-baseline migrations.
func (d *DB) refuseSquashed(ctx context.Context) error {
	var n int
	if err := d.W.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version IN ("+squashed+")").Scan(&n); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	if n > 0 {
		return errors.New("db: migrate: this database was built by migrations squashed into one baseline per module before the first release; create a new database (and load the demo again)")
	}
	return nil
}

// Pending returns how many embedded migrations are not applied yet.
func (d *DB) Pending(ctx context.Context) (int, error) {
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	var applied int
	if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&applied); err != nil {
		return len(ms), err
	}
	return len(ms) - applied, nil
}

// splitStatements splits a migration on semicolons at line ends. Migrations
// keep one statement per ";\n" and no semicolons inside string literals.
func splitStatements(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";\n") {
		var keep []string
		for _, line := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				keep = append(keep, line)
			}
		}
		if stmt := strings.TrimSuffix(strings.TrimSpace(strings.Join(keep, "\n")), ";"); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}
