// Package site is gaoxin's web front door: the home page, login and logout,
// the language switch, the account page, administration (users, units,
// audit trail), static files, health probes, metrics and the OpenAPI
// document. It also assembles the product: New builds the kit's server and
// registers every module's web package on it. Only cmd/gaoxin (and tests
// and benchmarks) import it.
package site

import (
	"embed"
	"io/fs"
	"log/slog"

	"gaoxin/internal/app"
	"gaoxin/internal/web"
	"gaoxin/internal/web/award"
	"gaoxin/internal/web/enterprise"
	"gaoxin/internal/web/finance"
	"gaoxin/internal/web/insight"
	"gaoxin/internal/web/kpi"
	"gaoxin/internal/web/plan"
	"gaoxin/internal/web/scenario"
)

// New builds the server with the site's own pages and every module's web
// package. Adding a module is one line in this list.
func New(cfg web.Config, a *app.App, log *slog.Logger) (*web.Server, error) {
	return web.New(cfg, a, log,
		Register,
		kpi.Register,
		plan.Register,
		enterprise.Register,
		award.Register,
		scenario.Register,
		finance.Register,
		insight.Register,
	)
}

//go:embed templates static
var assets embed.FS

// handlers are the site's HTTP handlers, on the kit's server.
type handlers struct{ *web.Server }

// Register adds the site's own pages and routes (not the modules') to s.
func Register(s *web.Server) error {
	pages, err := fs.Sub(assets, "templates")
	if err != nil {
		return err
	}
	if err := s.AddPages("", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	if err := s.Describe(docs); err != nil {
		return err
	}
	return s.Describe(auditDocs)
}
