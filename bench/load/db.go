package load

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"

	"gaoxin/internal/db"
)

// OpenDB opens a bench's database: the SQLite file keep when given (kept
// between runs); else, when GAOXIN_BENCH_POSTGRES holds a DSN, a
// PostgreSQL schema (pgSchema, kept, or a fresh one dropped at the end);
// else SQLite in a temporary folder. The function returned closes it and
// removes what is not kept.
func OpenDB(ctx context.Context, keep, pgSchema string) (*db.DB, func(), error) {
	if keep != "" {
		d, err := db.Open(ctx, "sqlite:"+keep)
		if err != nil {
			return nil, nil, err
		}
		return d, func() { d.Close() }, nil
	}
	if base := os.Getenv("GAOXIN_BENCH_POSTGRES"); base != "" {
		admin, err := db.Open(ctx, base)
		if err != nil {
			return nil, nil, err
		}
		schema := pgSchema
		if schema == "" {
			b := make([]byte, 4)
			rand.Read(b)
			schema = "bench_" + hex.EncodeToString(b)
		}
		if _, err := admin.W.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			return nil, nil, err
		}
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		d, err := db.Open(ctx, u.String())
		if err != nil {
			return nil, nil, err
		}
		return d, func() {
			d.Close()
			if pgSchema == "" {
				admin.W.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			}
			admin.Close()
		}, nil
	}
	dir, err := os.MkdirTemp("", "gaoxin-bench-")
	if err != nil {
		return nil, nil, err
	}
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, nil, err
	}
	return d, func() { d.Close(); os.RemoveAll(dir) }, nil
}
