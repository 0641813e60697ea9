package site_test

import (
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/web/webtest"
)

// BenchmarkDemoPagesCold measures one request at a time, in process (no
// network, no load generator), of the pages a leader opens most, over the
// full demo with the kpi and plan memos off: the CPU a request costs on the
// cold path. bench/dashboard and bench/plan measure the same pages under 16
// clients.
func BenchmarkDemoPagesCold(b *testing.B) {
	o := app.Options{Argon: &webtest.CheapArgon}
	o.KPI.Cache.Off, o.Plan.Cache.Off = true, true
	d, _ := demoTemplate.Open(b)
	a := app.New(d, o)
	var pw string
	for _, acc := range demoAccounts {
		if acc.Username == "leader" {
			pw = acc.Password
		}
	}
	h := webtest.Over(b, a)
	leader := h.AsWith("leader", pw)
	for _, path := range []string{"/kpi?year=2023", "/api/v1/kpi/dashboard?year=2023", "/plan?year=2023", "/api/v1/plan?year=2023"} {
		b.Run(path, func(b *testing.B) {
			if r := leader.Get(path); r.Code != 200 {
				b.Fatalf("%s: %d %s", path, r.Code, r.Body)
			}
			cpu0 := cpuTime()
			for b.Loop() {
				leader.Send(httptest.NewRequest("GET", path, nil))
			}
			// CPU time per request holds steady on a busy machine, where
			// ns/op counts the wait for a core too.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time, user and system, this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
