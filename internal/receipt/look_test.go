package receipt_test

import (
	"context"
	"testing"

	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/errs"
	"gaoxin/internal/receipt"
)

// Failed look-ups are counted per address and hour: the twenty-first from
// one address is refused even when right, another address is not, and an
// hour later the address may look again.
func TestLookCountsMissesPerAddress(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	m := receipt.Misses{DB: d, Table: "scenario_receipt_misses"}
	miss := func() (string, error) { return "", errs.New(errs.NotFound, "无", "none") }
	hit := func() (string, error) { return "found", nil }
	const now = 1_700_000_000_000
	for i := 0; i < receipt.MissesPerHour; i++ {
		if _, err := receipt.Look(ctx, m, "198.51.100.7", now, miss); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("miss %d: %v", i, err)
		}
	}
	if _, err := receipt.Look(ctx, m, "198.51.100.7", now, hit); errs.CodeOf(err) != errs.RateLimited {
		t.Fatalf("a right look-up after %d misses: %v", receipt.MissesPerHour, err)
	}
	if v, err := receipt.Look(ctx, m, "192.0.2.1", now, hit); err != nil || v != "found" {
		t.Fatalf("another address: %q %v", v, err)
	}
	if v, err := receipt.Look(ctx, m, "198.51.100.7", now+3_600_001, hit); err != nil || v != "found" {
		t.Fatalf("an hour later: %q %v", v, err)
	}
}
