package kpi_test

import (
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/kpi"
)

// TestMemoAcrossServers runs two services on one database, as two app
// servers would: a write on one is seen by the other once it reads the data
// version, and at once by the writer itself.
func TestMemoAcrossServers(t *testing.T) {
	f := newFixture(t)
	f.mustIndicator(t, firms)
	other := kpi.New(f.svc.DB, audit.New(f.svc.DB))
	other.Now = f.svc.Now
	read := func(s *kpi.Service) string {
		t.Helper()
		d, err := s.Dashboard(f.ctx, 2023)
		if err != nil {
			t.Fatal(err)
		}
		return d.Cards[0].Target.String()
	}
	other.MemoTTL = time.Hour // trusts its memo: stale until it re-reads the version
	if read(other) != "" || read(f.svc) != "" {
		t.Fatal("target before any was set")
	}
	if _, err := f.svc.SetTarget(f.ctx, "firms", "2023", "16000", ""); err != nil {
		t.Fatal(err)
	}
	if got := read(f.svc); got != "16000" {
		t.Fatalf("writer sees %q after its own write", got)
	}
	if got := read(other); got != "" {
		t.Fatalf("memo not used: other server sees %q within its TTL", got)
	}
	other.MemoTTL = 0 // reads the version on every call
	if got := read(other); got != "16000" {
		t.Fatalf("other server sees %q after the version changed", got)
	}
}
