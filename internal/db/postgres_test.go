package db_test

import (
	"context"
	"testing"

	"gaoxin/internal/db/dbtest"
)

// The app's PostgreSQL sessions run without JIT compilation unless the DSN
// asks for it: every statement here is short, and compiling one cost more
// than it ran.
func TestPostgresSessionsRunWithoutJIT(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("PostgreSQL only")
	}
	d := dbtest.Open(t)
	var jit string
	if err := d.R.QueryRowContext(context.Background(), "SHOW jit").Scan(&jit); err != nil {
		t.Fatal(err)
	}
	if jit != "off" {
		t.Fatalf("jit = %q, want off", jit)
	}
}
