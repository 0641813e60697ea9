// Package web is the kit every page and API of gaoxin is built with: the
// server (identify the caller, check the route's access rule, refuse
// cross-site writes, observe and count), the route table, the one error to
// status mapping, JSON in and out, html/template rendering with the shared
// layout, the language choice, navigation, uploads, spreadsheet downloads
// and the formats of money and China time. It holds no business rule and
// knows no module: each module's package (internal/web/kpi, plan,
// enterprise, award) registers its routes and templates on a Server, and
// internal/web/site assembles them.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"gaoxin/internal/app"
)

// Config is what the web layer needs to know about its deployment.
type Config struct {
	SecureCookies bool   // set Secure on cookies (behind TLS)
	TrustProxy    bool   // take the client IP from X-Forwarded-For / X-Real-IP
	Version       string // shown in /healthz and the footer
	MaxUpload     int64  // bytes; uploads above are refused (413)
	// DemoAsOf is the one date a demo server reads all its data at
	// (YYYY-MM-DD, demo.AsOf), shown once in a banner on every page; ""
	// for a real server.
	DemoAsOf string
	// FreshFor is how long after a write its caller's pages read from the
	// primary rather than the read replica (when one is attached), so
	// that they show what they just wrote. Zero: 10 seconds.
	FreshFor time.Duration
	// SeparateAdmins separates the three administrators (等保 三员分立):
	// the administrator keeps accounts and units, the security
	// administrator (org.SecAdmin) alone disables and enables accounts,
	// the audit administrator (org.Auditor) alone reads the audit trail.
	SeparateAdmins bool
}

// Module registers one module's routes and templates on the server.
type Module func(s *Server) error

// Server is the HTTP surface of gaoxin.
type Server struct {
	*app.App
	Cfg Config
	Log *slog.Logger

	mux     *http.ServeMux
	routes  []Route
	pages   map[string]*template.Template
	base    *template.Template // layout and partials, cloned for every page
	metrics *metrics
	handler http.Handler
}

// New builds the server and registers the modules, in order.
func New(cfg Config, a *app.App, log *slog.Logger, modules ...Module) (*Server, error) {
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = 20 << 20
	}
	s := &Server{App: a, Cfg: cfg, Log: log, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	s.metrics = newMetrics(s)
	if err := s.parseKit(); err != nil {
		return nil, err
	}
	for _, m := range modules {
		if err := m(s); err != nil {
			return nil, err
		}
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.csrfDenied))
	s.handler = s.observe(cop.Handler(s.mux))
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns every registered route, for the OpenAPI document and tests.
func (s *Server) Routes() []Route { return s.routes }
