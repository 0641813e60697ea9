// Package kpi serves the pages and JSON API of the 目标指标 (targets) module: its
// handlers, its routes (listed in this file) and its templates, embedded
// from templates/.
package kpi

import (
	"embed"
	"io/fs"

	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

//go:embed templates
var templates embed.FS

// handlers are the module's HTTP handlers, on the kit's server.
type handlers struct{ *web.Server }

// Register adds the module's pages and routes to s.
func Register(s *web.Server) error {
	pages, err := fs.Sub(templates, "templates")
	if err != nil {
		return err
	}
	if err := s.AddPages("kpi", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	return s.Describe(docs)
}

// routes registers the targets module (目标指标). Who may do what:
//   - leader, admin, supervisor and unit staff read the dashboard, the
//     indicator pages and the overdue list (unit staff see the zone's targets
//     read-only: they are the whole zone's goals);
//   - the supervisor edits indicators, targets and settings and enters
//     figures for every indicator;
//   - unit staff enter and import figures only for the indicators their unit
//     owns (checked per object in kpi.Scope; others get 403);
//   - nobody enters or imports the figures of a computed indicator (系统计算):
//     the service refuses them naming the field;
//   - enterprise and reviewer accounts get 403 everywhere here.
func (s *handlers) routes() {
	view := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)
	edit := web.Only(org.Supervisor)
	enter := web.Only(org.Supervisor, org.UnitStaff)

	s.Handle("GET /kpi", "Targets dashboard", view, s.handleDashboard)
	s.Handle("GET /kpi/indicators/{id}", "Indicator detail with monthly table", view, s.handleIndicator)
	s.Handle("POST /kpi/indicators/{id}/actuals", "Enter one period's figures", enter, s.handleActualForm)
	s.Handle("POST /kpi/indicators/{id}/actuals/{year}/{month}/delete", "Delete one period's figures", enter, s.handleActualDeleteForm)
	s.Handle("GET /kpi/overdue", "Overdue figures by unit", view, s.handleOverdue)
	s.Handle("GET /kpi/import", "Import monthly actuals", enter, s.handleImportPage)
	s.Handle("POST /kpi/import", "Import monthly actuals (.xlsx)", enter, s.handleImportForm)
	s.Handle("GET /kpi/import/template.xlsx", "Monthly actuals template", enter, s.handleTemplate)
	s.Handle("GET /kpi/manage", "Manage indicators, targets and settings", edit, s.handleManage)
	s.Handle("POST /kpi/indicators", "Create an indicator", edit, s.handleIndicatorCreateForm)
	s.Handle("GET /kpi/indicators/{id}/edit", "Edit an indicator", edit, s.handleIndicatorEdit)
	s.Handle("POST /kpi/indicators/{id}", "Save an indicator", edit, s.handleIndicatorSaveForm)
	s.Handle("POST /kpi/indicators/{id}/delete", "Delete an indicator", edit, s.handleIndicatorDeleteForm)
	s.Handle("POST /kpi/targets", "Set a target", edit, s.handleTargetForm)
	s.Handle("POST /kpi/settings", "Save a year's settings", edit, s.handleSettingsForm)

	s.Handle("GET /api/v1/kpi/dashboard", "Every indicator's target, YTD, pace or gap, status, city/province comparison and rest-of-year need (?year=)", view, s.apiDashboard)
	s.Handle("GET /api/v1/kpi/indicators", "List indicators", view, s.apiIndicators)
	s.Handle("GET /api/v1/kpi/sources", "What computed indicators (系统计算) can be made of: measures, and their filters' choices", view, s.apiSources)
	s.HandleBody("POST /api/v1/kpi/indicators", "Create an indicator; with source (a measure of GET /api/v1/kpi/sources) and source_filter it is computed, and takes no entered figures", edit, exampleIndicator, s.apiIndicatorCreate)
	s.Handle("GET /api/v1/kpi/indicators/{id}", "One indicator", view, s.apiIndicator)
	s.HandleBody("PUT /api/v1/kpi/indicators/{id}", "Replace an indicator", edit, exampleIndicator, s.apiIndicatorUpdate)
	s.Handle("DELETE /api/v1/kpi/indicators/{id}", "Delete an indicator without actuals", edit, s.apiIndicatorDelete)
	s.Handle("GET /api/v1/kpi/targets", "Targets of a year (?year=)", view, s.apiTargets)
	s.HandleBody("PUT /api/v1/kpi/targets", "Set a target", edit, targetRequest{Indicator: "gdp", Year: 2023, Value: "10", Note: "力争增长10%"}, s.apiTargetSet)
	s.Handle("DELETE /api/v1/kpi/targets/{id}/{year}", "Delete a target", edit, s.apiTargetDelete)
	s.Handle("GET /api/v1/kpi/indicators/{id}/actuals", "An indicator's figures (?year=, with the year before)", view, s.apiActuals)
	s.HandleBody("PUT /api/v1/kpi/actuals", "Enter one period's figures (decimals as strings or numbers)", enter, exampleActual, s.apiActualSave)
	s.Handle("DELETE /api/v1/kpi/indicators/{id}/actuals/{year}/{month}", "Delete one period's figures", enter, s.apiActualDelete)
	s.Handle("POST /api/v1/kpi/actuals/import", "Import monthly actuals: multipart form, field file (.xlsx); all or nothing", enter, s.apiImport)
	s.Handle("GET /api/v1/kpi/actuals/template.xlsx", "Monthly actuals template (?year=)", enter, s.handleTemplate)
	s.Handle("GET /api/v1/kpi/overdue", "Overdue figures (?as_of=YYYY-MM-DD; unit staff see their unit's)", view, s.apiOverdue)
	s.Handle("GET /api/v1/kpi/settings/{year}", "A year's as-of date and status thresholds", view, s.apiSettings)
	s.HandleBody("PUT /api/v1/kpi/settings/{year}", "Save a year's as-of date and status thresholds", edit, settingsRequest{AsOf: "2023-11-20", Ahead: "1", OnPace: "0.95", Behind: "0.85", ClosePP: "2"}, s.apiSettingsSave)
}
