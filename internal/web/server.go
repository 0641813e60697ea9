// Package web serves gaoxin's HTML pages and its JSON API (/api/v1). It parses
// requests, checks who is asking, calls the domain services and renders the
// answer; it holds no business rule.
package web

import (
	"html/template"
	"log/slog"
	"net/http"

	"gaoxin/internal/app"
)

// Config is what the web layer needs to know about its deployment.
type Config struct {
	SecureCookies bool   // set Secure on cookies (behind TLS)
	TrustProxy    bool   // take the client IP from X-Forwarded-For / X-Real-IP
	Version       string // shown in /healthz and the footer
	MaxUpload     int64  // bytes; uploads above are refused (413)
}

// Server is the HTTP surface of gaoxin.
type Server struct {
	*app.App
	Cfg Config
	Log *slog.Logger

	mux     *http.ServeMux
	routes  []Route
	pages   map[string]*template.Template
	metrics *metrics
	handler http.Handler
}

// New builds the server and its routes.
func New(cfg Config, a *app.App, log *slog.Logger) (*Server, error) {
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = 20 << 20
	}
	s := &Server{App: a, Cfg: cfg, Log: log, mux: http.NewServeMux(), metrics: newMetrics()}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.registerRoutes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.csrfDenied))
	s.handler = s.observe(cop.Handler(s.mux))
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns every registered route, for the OpenAPI document and tests.
func (s *Server) Routes() []Route { return s.routes }
