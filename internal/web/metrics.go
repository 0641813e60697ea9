package web

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors, in a registry of its own
// (not the library's global one): requests and latency by route pattern,
// the database pools, uptime, and the standard Go runtime and process
// collectors beside them.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	refusals *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gaoxin_http_requests_total",
			Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gaoxin_http_request_duration_seconds",
			Help:    "HTTP latency by route.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5},
		}, []string{"route"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gaoxin_http_refusals_total",
			Help: "Refused requests (401, 403, 429) by error code; per-source counts are in the audit refusals table.",
		}, []string{"code"}),
	}
	start := time.Now()
	m.reg.MustRegister(
		m.requests, m.latency, m.refusals,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gaoxin_uptime_seconds", Help: "Seconds since the server started."},
			func() float64 { return float64(int64(time.Since(start).Seconds())) }),
		poolCollector{s},
	)
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// poolCollector reads the database pools' state at each scrape.
type poolCollector struct{ s *Server }

var (
	poolInUse = prometheus.NewDesc("gaoxin_db_connections_in_use", "Database connections in use, by pool.", []string{"pool"}, nil)
	poolIdle  = prometheus.NewDesc("gaoxin_db_connections_idle", "Idle database connections, by pool.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("gaoxin_db_wait_count_total", "Waits for a database connection, by pool.", []string{"pool"}, nil)

	replicaAttached = prometheus.NewDesc("gaoxin_db_replica_attached", "1 when a read replica is configured (--db-read).", nil, nil)
	replicaUp       = prometheus.NewDesc("gaoxin_db_replica_up", "1 while the read replica answers (reads go to the primary while it does not).", nil, nil)
	replicaReads    = prometheus.NewDesc("gaoxin_db_replica_reads_total", "Reads served by the read replica.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolInUse
	ch <- poolIdle
	ch <- poolWaits
	ch <- replicaAttached
	ch <- replicaUp
	ch <- replicaReads
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	if c.s.App == nil || c.s.DB == nil {
		return
	}
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"read", c.s.DB.R}, {"write", c.s.DB.W}} {
		st := p.db.Stats()
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse), p.name)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(st.Idle), p.name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount), p.name)
	}
	attached, up, reads := c.s.DB.ReplicaStatus()
	ch <- prometheus.MustNewConstMetric(replicaAttached, prometheus.GaugeValue, b2f(attached))
	ch <- prometheus.MustNewConstMetric(replicaUp, prometheus.GaugeValue, b2f(up))
	ch <- prometheus.MustNewConstMetric(replicaReads, prometheus.CounterValue, float64(reads))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Gatherer is the server's metrics registry, for tests and embedding.
func (s *Server) Gatherer() prometheus.Gatherer { return s.metrics.reg }

// MetricsHandler answers the Prometheus text format (register it behind an
// access rule: the metrics name every route).
func (s *Server) MetricsHandler() HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{s}})
	return func(w http.ResponseWriter, r *http.Request) error {
		h.ServeHTTP(w, r)
		return nil
	}
}

// slogPrinter lets promhttp report a failed collection to the server's log.
type slogPrinter struct{ s *Server }

func (p slogPrinter) Println(v ...any) { p.s.Log.Error("metrics", "err", v) }

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
