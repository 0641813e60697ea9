// Package enterprise serves the pages and JSON API of the 企业库 (enterprise registry) module: its
// handlers, its routes (listed in this file) and its templates, embedded
// from templates/.
package enterprise

import (
	"embed"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
	"io/fs"
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
	if err := s.AddPages("enterprise", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	return nil
}

// Who may use the enterprise registry: staff read everything, a unit reads
// the enterprises of its office area, an enterprise account its own record;
// admins and supervisors write. Object checks live in the service.
var (
	entReaders = web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise)
	entWriters = web.Only(org.Admin, org.Supervisor)
	entSelf    = web.Only(org.Admin, org.Supervisor, org.Enterprise) // writers, and an enterprise on its own record
)

func (s *handlers) routes() {
	// Pages.
	s.Handle("GET /enterprises", "Enterprise registry", entReaders, s.handleEntList)
	s.Handle("GET /enterprises/new", "New enterprise form", entWriters, s.handleEntNew)
	s.Handle("POST /enterprises", "Create an enterprise", entWriters, s.handleEntCreate)
	s.Handle("GET /enterprises/{id}", "Enterprise detail", entReaders, s.handleEntDetail)
	s.Handle("GET /enterprises/{id}/edit", "Edit enterprise form", entSelf, s.handleEntEdit)
	s.Handle("POST /enterprises/{id}", "Update an enterprise", entSelf, s.handleEntUpdate)
	s.Handle("POST /enterprises/{id}/figures", "Enter or submit figures", entSelf, s.handleEntFigures)
	s.Handle("POST /enterprises/{id}/figures/review", "Confirm or reject a self-reported figure", entWriters, s.handleEntReview)
	s.Handle("POST /enterprises/{id}/tiers", "Add a certificate", entWriters, s.handleEntTier)
	s.Handle("POST /enterprises/{id}/accounts", "Link an enterprise account", entWriters, s.handleEntLink)
	s.Handle("GET /enterprises/pending", "Self-reported figures to confirm", entWriters, s.handleEntPending)
	s.Handle("GET /enterprises/import", "Import spreadsheet", entWriters, s.handleEntImportPage)
	s.Handle("POST /enterprises/import", "Upload a spreadsheet", entWriters, s.handleEntImportUpload)
	s.Handle("GET /enterprise-imports/{id}", "Import job progress and report", entWriters, s.handleEntJob)
	s.Handle("GET /enterprise-imports/{id}/report.xlsx", "Import error report (.xlsx)", entWriters, s.handleEntJobReport)
	s.Handle("GET /enterprises/template.xlsx", "Import template (.xlsx)", entWriters, s.handleEntTemplate)
	s.Handle("GET /enterprises/export.xlsx", "Export the filtered list (.xlsx)", entReaders, s.handleEntExport)

	// JSON API.
	s.Handle("GET /api/v1/enterprises", "List enterprises (filters: name, credit_code, area, chain, tier, status, industry, indicator, year, min, max in display units; after, limit)", entReaders, s.apiEntList)
	s.HandleBody("POST /api/v1/enterprises", "Create an enterprise", entWriters, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示科技有限公司", Area: "sf", IndustryCode: "3911", Chains: []string{"iot_sensor"}}, s.apiEntCreate)
	s.Handle("GET /api/v1/enterprises/export.xlsx", "Export the filtered list (.xlsx)", entReaders, s.handleEntExport)
	s.Handle("GET /api/v1/enterprises/{id}", "An enterprise with its certificates and figures", entReaders, s.apiEntGet)
	s.HandleBody("PUT /api/v1/enterprises/{id}", "Update an enterprise (an enterprise account: former names, legal form, address)", entSelf, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示科技有限公司", Version: 1}, s.apiEntUpdate)
	s.Handle("GET /api/v1/enterprises/{id}/figures", "Figures of an enterprise, every source", entReaders, s.apiEntFigures)
	s.HandleBody("POST /api/v1/enterprises/{id}/figures", "Enter figures (staff) or submit self-reported ones (enterprise)", entSelf, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 12000000000, Source: "stats"}}, s.apiEntSetFigures)
	s.HandleBody("POST /api/v1/enterprises/{id}/figures/review", "Confirm or reject a self-reported figure", entWriters, entReviewRequest{Indicator: "revenue", Year: 2023, Confirm: true}, s.apiEntReview)
	s.Handle("GET /api/v1/enterprises/{id}/tiers", "Certificates of an enterprise, with history", entReaders, s.apiEntTiers)
	s.HandleBody("POST /api/v1/enterprises/{id}/tiers", "Add a certificate", entWriters, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR202341000123", ValidFrom: "2023-01-01", ValidTo: "2025-12-31"}, s.apiEntAddTier)
	s.Handle("GET /api/v1/enterprises/{id}/history", "Change history of an enterprise", entReaders, s.apiEntHistory)
	s.HandleBody("POST /api/v1/enterprises/{id}/accounts", "Link an enterprise-role account to the enterprise", entWriters, linkRequest{Username: "qiye01"}, s.apiEntLink)
	s.Handle("GET /api/v1/enterprise-figures/pending", "Self-reported figures waiting for confirmation", entWriters, s.apiEntPending)
	s.Handle("GET /api/v1/enterprise-tiers/expiring", "Certificates ending within 90 days", entReaders, s.apiEntExpiring)
	s.Handle("GET /api/v1/enterprise-chains", "The industry-chain tree", entReaders, s.apiEntChains)
	s.HandleBody("POST /api/v1/enterprise-chains", "Add an industry-chain node", entWriters, chainRequest{Code: "iot_rfid", NameZH: "射频识别", Parent: "iot"}, s.apiEntAddChain)
	s.Handle("GET /api/v1/enterprise-indicators", "The figure indicators", entReaders, s.apiEntIndicators)
	s.HandleBody("PUT /api/v1/enterprise-indicators/{code}", "Add or change a figure indicator", entWriters, enterprise.Indicator{NameZH: "技术合同成交额", Unit: "元", Scale: 2, Sort: 110, Nonnegative: true}, s.apiEntSaveIndicator)
	s.Handle("GET /api/v1/industry-codes", "GB/T 4754-2017 sections and divisions", entReaders, s.apiEntIndustryCodes)
	s.Handle("GET /api/v1/enterprise-template.xlsx", "Import template (.xlsx)", entWriters, s.handleEntTemplate)
	s.Handle("POST /api/v1/enterprise-imports", "Import a spreadsheet (body: the .xlsx/.csv file, or multipart field file; query: filename, dry_run, source)", entWriters, s.apiEntImport)
	s.Handle("GET /api/v1/enterprise-imports", "Recent import jobs", entWriters, s.apiEntJobs)
	s.Handle("GET /api/v1/enterprise-imports/{id}", "An import job: progress, counts and every bad row", entWriters, s.apiEntJob)
	s.Handle("GET /api/v1/enterprise-imports/{id}/report.xlsx", "Import error report (.xlsx)", entWriters, s.handleEntJobReport)
}
