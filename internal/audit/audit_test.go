package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
)

func TestChainVerifiesAndDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		badID  int64
	}{
		{"changed", "UPDATE audit_log SET after_json = '{\"amount\":1}' WHERE id = 3", 3},
		{"deleted", "DELETE FROM audit_log WHERE id = 2", 3},
		{"reordered hash", "UPDATE audit_log SET prev_hash = (SELECT prev_hash FROM audit_log WHERE id = 2) WHERE id = 4", 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dbtest.Open(t)
			l := audit.New(d)
			ctx := audit.WithActor(context.Background(), audit.Actor{ID: 0, Name: "tester", IP: "127.0.0.1"})
			for i := 0; i < 5; i++ {
				if err := l.Record(ctx, audit.Entry{Action: "test.write", ObjectType: "thing", ObjectID: "1", After: map[string]int{"n": i}}); err != nil {
					t.Fatal(err)
				}
			}
			n, err := l.Verify(ctx)
			if err != nil || n != 5 {
				t.Fatalf("intact chain: n=%d err=%v", n, err)
			}
			// The product's own login cannot change or delete a record.
			if _, err := d.W.Exec(tc.tamper); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("the append-only guard let %q through: %v", tc.tamper, err)
			}
			if n, err := l.Verify(ctx); err != nil || n != 5 {
				t.Fatalf("after the refused tampering: n=%d err=%v", n, err)
			}
			// Someone who drops the guard is found by the chain.
			dbtest.DropAuditGuard(t, d)
			if _, err := d.W.Exec(tc.tamper); err != nil {
				t.Fatal(err)
			}
			_, err = l.Verify(ctx)
			var be *audit.BrokenError
			if !errors.As(err, &be) {
				t.Fatalf("tampered chain verified: %v", err)
			}
			if be.ID != tc.badID {
				t.Fatalf("first bad row = %d, want %d (%s)", be.ID, tc.badID, be.Reason)
			}
		})
	}
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	d := dbtest.Open(t)
	l := audit.New(d)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.Record(ctx, audit.Entry{Action: "test.concurrent"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n, err := l.Verify(ctx)
	if err != nil || n != 20 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}
