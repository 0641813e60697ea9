package db_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// Each module has one baseline in its range; migrating again is a no-op;
// a database built by the squashed series is refused, not half-upgraded.
func TestMigrationsBaselines(t *testing.T) {
	ms, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	firsts := map[int]bool{}
	for _, m := range ms {
		firsts[m.Version/100*100] = firsts[m.Version/100*100] || m.Version%100 == 0 || m.Version == 1
	}
	for _, base := range []int{0, 100, 200, 300, 400, 800} {
		if !firsts[base] {
			t.Errorf("no baseline in the range %04d–%04d", max(base, 1), base+99)
		}
	}
	d := dbtest.Open(t)
	ctx := context.Background()
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrating again: %v", err)
	}
	if _, err := d.W.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (306, '0306_enterprise_storage.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "squashed") {
		t.Fatalf("a pre-baseline database: %v", err)
	}
}
