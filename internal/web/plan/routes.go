// Package plan serves the pages and JSON API of the 督查督办 (work plan and supervision) module: its
// handlers, its routes (listed in this file) and its templates, embedded
// from templates/.
package plan

import (
	"embed"
	"io/fs"

	"gaoxin/internal/org"
	"gaoxin/internal/plan"
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
	if err := s.AddPages("plan", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	return s.Describe(docs)
}

// roles may open the work plan; the plan service narrows a unit's view
// to the tasks its unit leads or co-operates on (others answer 404).
var roles = web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff)

// routes registers the work plan and supervision pages and API (督查督办).
func (s *handlers) routes() {
	sup := web.Only(org.Supervisor)
	unit := web.Only(org.UnitStaff)
	settings := web.Only(org.Supervisor, org.Admin)

	// Pages.
	s.Handle("GET /plan", "Work plan tree with progress and flags", roles, s.handleTree)
	s.Handle("GET /plan/flags", "Red and yellow task lists", roles, s.handleFlags)
	s.Handle("GET /plan/ranking", "Unit ranking of the monthly bulletin", web.Staff, s.handleRanking)
	s.Handle("GET /plan/bulletin", "One unit's monthly bulletin", roles, s.handleBulletin)
	s.Handle("GET /plan/bulletin.xlsx", "Monthly bulletin as .xlsx", web.Staff, s.handleBulletinXLSX)
	s.Handle("GET /plan/bulletin.pdf", "Monthly bulletin as an A4 PDF", web.Staff, s.handleBulletinPDF)
	s.Handle("GET /plan/nodes/{id}", "Plan node or task detail", roles, s.handleNode)
	s.Handle("POST /plan/nodes", "Create a plan node", sup, s.handleNodeCreate)
	s.Handle("POST /plan/nodes/{id}", "Edit a plan node", sup, s.handleNodeEdit)
	s.Handle("POST /plan/nodes/{id}/weights", "Set children's weights", sup, s.handleWeights)
	s.Handle("POST /plan/nodes/{id}/override", "Override a node's progress", sup, s.handleOverride)
	s.Handle("POST /plan/nodes/{id}/milestones", "Add a milestone", sup, s.handleMilestone)
	s.Handle("POST /plan/milestones/{id}/done", "Mark a milestone done (or reopen it)", web.Only(org.Supervisor, org.UnitStaff), s.handleMilestoneDone)
	s.Handle("POST /plan/nodes/{id}/chases", "Issue a 督办单", sup, s.handleChaseIssue)
	s.Handle("GET /plan/mine", "My unit's tasks", unit, s.handleMine)
	s.Handle("GET /plan/tasks/{id}/report", "Report form", unit, s.handleReportForm)
	s.Handle("POST /plan/tasks/{id}/reports", "File a report (multipart)", unit, s.handleReportCreate)
	s.Handle("GET /plan/reports/{id}", "A report", roles, s.handleReport)
	s.Handle("POST /plan/reports/{id}", "Edit or submit a report (multipart)", unit, s.handleReportUpdate)
	s.Handle("POST /plan/reports/{id}/review", "Accept or return a report", sup, s.handleReview)
	s.Handle("GET /plan/attachments/{id}", "Download an attachment", roles, s.handleAttachment)
	s.Handle("POST /plan/chases/{id}/reply", "Answer a 督办单", unit, s.handleChaseReply)
	s.Handle("POST /plan/chases/{id}/close", "Close an answered 督办单", sup, s.handleChaseClose)
	s.Handle("GET /plan/chases", "督办单 list", roles, s.handleChases)
	s.Handle("GET /plan/settings", "Supervision settings", settings, s.handleSettings)
	s.Handle("POST /plan/settings", "Save supervision settings", settings, s.handleSettingsSave)
	s.Handle("GET /inbox", "My inbox", roles, s.handleInbox)

	// JSON API.
	w := 60
	s.Handle("GET /api/v1/plan", "The plan tree of a year (?year=2023) with progress and flags", roles, s.apiTree)
	s.Handle("GET /api/v1/plan/years", "Plan years", roles, s.apiYears)
	s.HandleBody("PUT /api/v1/plan/years/{year}", "Set a plan year's review date ('' = today)", settings, asOfRequest{AsOf: "2023-07-10"}, s.apiAsOf)
	s.Handle("GET /api/v1/plan/flags", "Tasks by flag (?year=&flag=red|yellow|blue|green)", roles, s.apiFlags)
	s.Handle("POST /api/v1/plan/flags/refresh", "Recompute a year's flags now (?year=)", sup, s.apiRefresh)
	s.Handle("GET /api/v1/plan/nodes/{id}", "A node; for a task also its reports, history and 督办单", roles, s.apiNode)
	s.HandleBody("POST /api/v1/plan/nodes", "Create a node (a theme when parent_id is 0)", sup,
		plan.NodeInput{ParentID: 3, Title: "建设高水平实验室体系", LeadUnit: "kcj", CoUnits: []string{"jfj"}, StartOn: "2023-02-01",
			DueOn: "2023-11-30", Deliverable: "新增省级以上重点实验室 3 家", IndicatorCode: "rd_labs"}, s.apiNodeCreate)
	s.HandleBody("PATCH /api/v1/plan/nodes/{id}", "Edit a node (all fields, with version)", sup,
		plan.NodeInput{Title: "建设高水平实验室体系", Weight: &w, LeadUnit: "kcj", StartOn: "2023-02-01", DueOn: "2023-11-30",
			Deliverable: "新增省级以上重点实验室 3 家", Version: 1}, s.apiNodeUpdate)
	s.HandleBody("PUT /api/v1/plan/nodes/{id}/weights", "Set all children's weights (sum 100, or all null)", sup,
		weightsRequest{Weights: map[string]*int{"12": &w}}, s.apiWeights)
	s.HandleBody("PUT /api/v1/plan/nodes/{id}/override", "Override a node's progress with a reason", sup,
		overrideRequest{Pct: &w, Reason: "现场核查确认"}, s.apiOverride)
	s.Handle("DELETE /api/v1/plan/nodes/{id}/override", "Clear a progress override", sup, s.apiOverrideClear)
	s.HandleBody("POST /api/v1/plan/nodes/{id}/milestones", "Add a milestone to a task", sup,
		milestoneRequest{Title: "完成选址", DueOn: "2023-04-30"}, s.apiMilestone)
	s.HandleBody("PUT /api/v1/plan/milestones/{id}", "Mark a milestone done on a date ('' reopens it)", web.Only(org.Supervisor, org.UnitStaff),
		milestoneDoneRequest{DoneOn: "2023-04-28"}, s.apiMilestoneDone)
	s.Handle("GET /api/v1/plan/tasks", "My unit's tasks (units) or all tasks (staff) of a year", roles, s.apiTasks)
	s.Handle("GET /api/v1/plan/tasks/{id}/reports", "A task's reports", roles, s.apiTaskReports)
	s.HandleBody("POST /api/v1/plan/reports", "File a report (draft, or submit: true)", unit,
		plan.ReportInput{TaskID: 12, Period: "2023-05", Pct: &w, Done: "完成选址", Problems: "", NextSteps: "启动建设", Submit: true}, s.apiReportCreate)
	s.Handle("GET /api/v1/plan/reports/{id}", "A report", roles, s.apiReport)
	s.HandleBody("PATCH /api/v1/plan/reports/{id}", "Edit a draft or returned report (version required; 409 when stale)", unit,
		plan.ReportInput{Pct: &w, Done: "完成选址", Version: 1}, s.apiReportUpdate)
	s.HandleBody("POST /api/v1/plan/reports/{id}/accept", "Accept a submitted report", sup, reviewRequest{Version: 2}, s.apiReview(true))
	s.HandleBody("POST /api/v1/plan/reports/{id}/return", "Return a submitted report with a comment", sup,
		reviewRequest{Comment: "请补充佐证材料", Version: 2}, s.apiReview(false))
	s.Handle("POST /api/v1/plan/reports/{id}/attachments", "Attach a file (multipart field file)", unit, s.apiAttach)
	s.Handle("GET /api/v1/plan/attachments/{id}", "Download an attachment", roles, s.handleAttachment)
	s.Handle("GET /api/v1/plan/chases", "督办单 (?task=&state=)", roles, s.apiChases)
	s.HandleBody("POST /api/v1/plan/chases", "Issue a 督办单", sup,
		plan.ChaseInput{TaskID: 12, Subject: "请说明进度滞后原因及措施", ReplyBy: "2023-07-15"}, s.apiChaseIssue)
	s.HandleBody("POST /api/v1/plan/chases/{id}/reply", "Answer a 督办单", unit, replyRequest{Reply: "已召开推进会……"}, s.apiChaseReply)
	s.Handle("POST /api/v1/plan/chases/{id}/close", "Close an answered 督办单", sup, s.apiChaseClose)
	s.Handle("GET /api/v1/inbox", "What needs me (?year=)", roles, s.apiInbox)
	s.Handle("GET /api/v1/plan/bulletin", "Monthly bulletin of every unit (?year=&month=)", web.Staff, s.apiBulletin)
	s.Handle("GET /api/v1/plan/bulletin/units/{id}", "One unit's bulletin with task detail (?year=&month=)", roles, s.apiUnitBulletin)
	s.Handle("GET /api/v1/plan/bulletin.xlsx", "Monthly bulletin as .xlsx", web.Staff, s.handleBulletinXLSX)
	s.Handle("GET /api/v1/plan/settings", "Supervision settings", roles, s.apiSettings)
	s.HandleBody("PUT /api/v1/plan/settings", "Save supervision settings", settings, plan.DefaultSettings, s.apiSettingsSave)
}
