// Package enterprise serves the pages and JSON API of the 企业库 (enterprise registry) module: its
// handlers, its routes (listed in this file) and its templates, embedded
// from templates/.
package enterprise

import (
	"embed"
	"io/fs"

	"gaoxin/internal/enterprise"
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
	readers = web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise)
	writers = web.Only(org.Admin, org.Supervisor)
	self    = web.Only(org.Admin, org.Supervisor, org.Enterprise) // writers, and an enterprise on its own record
	staff   = web.Only(org.Admin, org.Leader, org.Supervisor)     // registry staff: bank accounts
)

func (s *handlers) routes() {
	// Pages.
	s.Handle("GET /enterprises", "Enterprise registry", readers, s.handleList)
	s.Handle("GET /enterprises/new", "New enterprise form", writers, s.handleNew)
	s.Handle("POST /enterprises", "Create an enterprise", writers, s.handleCreate)
	s.Handle("GET /enterprises/{id}", "Enterprise detail", readers, s.handleDetail)
	s.Handle("GET /enterprises/{id}/edit", "Edit enterprise form", self, s.handleEdit)
	s.Handle("POST /enterprises/{id}", "Update an enterprise", self, s.handleUpdate)
	s.Handle("POST /enterprises/{id}/figures", "Enter or submit figures", self, s.handleFigures)
	s.Handle("POST /enterprises/{id}/figures/review", "Confirm or reject a self-reported figure", writers, s.handleReview)
	s.Handle("POST /enterprises/{id}/tiers", "Add a certificate", writers, s.handleTier)
	s.Handle("POST /enterprises/{id}/accounts", "Link an enterprise account", writers, s.handleLink)
	s.Handle("POST /enterprises/{id}/bank", "Record the bank account for payments", writers, s.handleBank)
	s.Handle("GET /enterprises/pending", "Self-reported figures to confirm", writers, s.handlePending)
	s.Handle("GET /enterprises/import", "Import spreadsheet", writers, s.handleImportPage)
	s.Handle("POST /enterprises/import", "Upload a spreadsheet", writers, s.handleImportUpload)
	s.Handle("GET /enterprise-imports/{id}", "Import job progress and report", writers, s.handleJob)
	s.Handle("GET /enterprise-imports/{id}/report.xlsx", "Import error report (.xlsx)", writers, s.handleJobReport)
	s.Handle("GET /enterprises/template.xlsx", "Import template (.xlsx)", writers, s.handleTemplate)
	s.Handle("GET /enterprises/export.xlsx", "Export the filtered list (.xlsx)", readers, s.handleExport)
	s.Handle("GET /enterprises/export.csv", "Export the filtered list (.csv, UTF-8)", readers, s.handleExportCSV)

	// JSON API.
	s.Handle("GET /api/v1/enterprises", "List enterprises (filters: name, credit_code, area, chain, tier, status, industry, indicator, year, min, max in display units; after, limit)", readers, s.apiList)
	s.HandleBody("POST /api/v1/enterprises", "Create an enterprise", writers, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示科技有限公司", Area: "sf", IndustryCode: "3911", Chains: []string{"iot_sensor"}}, s.apiCreate)
	s.Handle("GET /api/v1/enterprises/export.xlsx", "Export the filtered list (.xlsx)", readers, s.handleExport)
	s.Handle("GET /api/v1/enterprises/{id}", "An enterprise with its certificates and figures", readers, s.apiGet)
	s.HandleBody("PUT /api/v1/enterprises/{id}", "Update an enterprise (an enterprise account: former names, legal form, address)", self, enterprise.Input{CreditCode: "914403001922038216", Name: "郑州演示科技有限公司", Version: 1}, s.apiUpdate)
	s.Handle("GET /api/v1/enterprises/{id}/figures", "Figures of an enterprise, every source", readers, s.apiFigures)
	s.HandleBody("POST /api/v1/enterprises/{id}/figures", "Enter figures (staff) or submit self-reported ones (enterprise)", self, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 12000000000, Source: "stats"}}, s.apiSetFigures)
	s.HandleBody("POST /api/v1/enterprises/{id}/figures/review", "Confirm or reject a self-reported figure", writers, reviewRequest{Indicator: "revenue", Year: 2023, Confirm: true}, s.apiReview)
	s.Handle("GET /api/v1/enterprises/{id}/tiers", "Certificates of an enterprise, with history", readers, s.apiTiers)
	s.HandleBody("POST /api/v1/enterprises/{id}/tiers", "Add a certificate", writers, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR202341000123", ValidFrom: "2023-01-01", ValidTo: "2025-12-31"}, s.apiAddTier)
	s.Handle("GET /api/v1/enterprises/{id}/history", "Change history of an enterprise", readers, s.apiHistory)
	s.Handle("GET /api/v1/enterprises/{id}/bank", "The bank account for payments (registry staff only)", staff, s.apiBank)
	s.HandleBody("PUT /api/v1/enterprises/{id}/bank", "Record the bank account for payments", writers, enterprise.BankAccount{BankName: "中国工商银行郑州高新技术开发区支行", Account: "1702020109000012345"}, s.apiSetBank)
	s.HandleBody("POST /api/v1/enterprises/{id}/accounts", "Link an enterprise-role account to the enterprise", writers, linkRequest{Username: "qiye01"}, s.apiLink)
	s.Handle("GET /api/v1/enterprise-figures/pending", "Self-reported figures waiting for confirmation", writers, s.apiPending)
	s.Handle("GET /api/v1/enterprise-tiers/expiring", "Certificates ending within 90 days", readers, s.apiExpiring)
	s.Handle("GET /api/v1/enterprise-chains", "The industry-chain tree", readers, s.apiChains)
	s.HandleBody("POST /api/v1/enterprise-chains", "Add an industry-chain node", writers, chainRequest{Code: "iot_rfid", NameZH: "射频识别", Parent: "iot"}, s.apiAddChain)
	s.Handle("GET /api/v1/enterprise-indicators", "The figure indicators", readers, s.apiIndicators)
	s.HandleBody("PUT /api/v1/enterprise-indicators/{code}", "Add or change a figure indicator", writers, enterprise.Indicator{NameZH: "技术合同成交额", Unit: "元", Scale: 2, Sort: 110, Nonnegative: true}, s.apiSaveIndicator)
	s.Handle("GET /api/v1/industry-codes", "GB/T 4754-2017 in full: sections (门类), divisions (大类), groups (中类) and classes (小类)", readers, s.apiIndustryCodes)
	s.Handle("GET /api/v1/enterprise-template.xlsx", "Import template (.xlsx)", writers, s.handleTemplate)
	s.Handle("POST /api/v1/enterprise-imports", "Import a spreadsheet (body: the .xlsx/.csv file, or multipart field file; query: filename, dry_run, source)", writers, s.apiImport)
	s.Handle("GET /api/v1/enterprise-imports", "Recent import jobs", writers, s.apiJobs)
	s.Handle("GET /api/v1/enterprise-imports/{id}", "An import job: progress, counts and every bad row", writers, s.apiJob)
	s.Handle("GET /api/v1/enterprise-imports/{id}/report.xlsx", "Import error report (.xlsx)", writers, s.handleJobReport)
}
