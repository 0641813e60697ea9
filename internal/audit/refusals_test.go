package audit_test

import (
	"context"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
)

func TestRefusalsAggregatePerSourceAndMinute(t *testing.T) {
	d := dbtest.Open(t)
	l := audit.New(d)
	ctx := context.Background()
	for i := 0; i < 2000; i++ {
		src := "203.0.113.1"
		if i%4 == 0 {
			src = "203.0.113.2"
		}
		if err := l.CountRefusal(ctx, src, "unauthorized", "GET /api/v1/users"); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := l.Refusals(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	total := map[string]int64{}
	for _, c := range counts {
		total[c.Source] += c.Count
	}
	if len(counts) > 4 || total["203.0.113.1"] != 1500 || total["203.0.113.2"] != 500 {
		t.Fatalf("%d rows: %+v", len(counts), counts)
	}
	var chained int
	d.R.QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&chained)
	if chained != 0 {
		t.Fatalf("refusals wrote %d chained rows", chained)
	}
}
