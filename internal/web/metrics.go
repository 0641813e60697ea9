package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// metrics counts requests and latency per route, in Prometheus text format.
type metrics struct {
	mu    sync.Mutex
	reqs  map[reqKey]uint64
	lat   map[string]*histogram
	start time.Time
}

type reqKey struct {
	route  string
	status int
}

var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{reqs: map[reqKey]uint64{}, lat: map[string]*histogram{}, start: time.Now()}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reqs[reqKey{route, status}]++
	h := m.lat[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.lat[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe records metrics and a structured log line for every request, and
// sets the security headers every answer carries.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'")
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.metrics.observe(route, sw.status, d)
		if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
			s.Log.Info("http", "method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status, "ms", d.Milliseconds())
		}
	})
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.reqs))
	for k := range m.reqs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		return keys[i].status < keys[j].status
	})
	b.WriteString("# HELP gaoxin_http_requests_total HTTP requests by route and status.\n# TYPE gaoxin_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "gaoxin_http_requests_total{route=%q,status=\"%d\"} %d\n", k.route, k.status, m.reqs[k])
	}
	routes := make([]string, 0, len(m.lat))
	for k := range m.lat {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	b.WriteString("# HELP gaoxin_http_request_duration_seconds HTTP latency by route.\n# TYPE gaoxin_http_request_duration_seconds histogram\n")
	for _, rt := range routes {
		h := m.lat[rt]
		for i, up := range buckets {
			fmt.Fprintf(&b, "gaoxin_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", rt, up, h.counts[i])
		}
		fmt.Fprintf(&b, "gaoxin_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", rt, h.n)
		fmt.Fprintf(&b, "gaoxin_http_request_duration_seconds_sum{route=%q} %g\n", rt, h.sum)
		fmt.Fprintf(&b, "gaoxin_http_request_duration_seconds_count{route=%q} %d\n", rt, h.n)
	}
	m.mu.Unlock()
	for _, p := range []struct {
		name string
		st   func() (int, int, int64)
	}{{"read", func() (int, int, int64) { st := s.DB.R.Stats(); return st.InUse, st.Idle, st.WaitCount }},
		{"write", func() (int, int, int64) { st := s.DB.W.Stats(); return st.InUse, st.Idle, st.WaitCount }}} {
		inUse, idle, waits := p.st()
		fmt.Fprintf(&b, "gaoxin_db_connections_in_use{pool=%q} %d\n", p.name, inUse)
		fmt.Fprintf(&b, "gaoxin_db_connections_idle{pool=%q} %d\n", p.name, idle)
		fmt.Fprintf(&b, "gaoxin_db_wait_count_total{pool=%q} %d\n", p.name, waits)
	}
	fmt.Fprintf(&b, "gaoxin_uptime_seconds %d\n", int64(time.Since(m.start).Seconds()))
	w.Write([]byte(b.String()))
}
