package plan

import (
	"net/http"

	"gaoxin/internal/kpi"
	"gaoxin/internal/plan"
	"gaoxin/internal/web"
)

// The JSON answers that are not a domain type as they stand, named so the
// API document describes them from their Go types.
type (
	yearsAnswer struct {
		Years []plan.Year `json:"years"`
	}
	asOfAnswer struct {
		Year int    `json:"year"`
		AsOf string `json:"as_of"`
	}
	flagsAnswer struct {
		Year  int          `json:"year"`
		AsOf  string       `json:"as_of"`
		Flag  plan.Flag    `json:"flag"`
		Tasks []*plan.Node `json:"tasks"`
	}
	refreshAnswer struct {
		Year    int `json:"year"`
		Changed int `json:"changed"`
	}
	tasksAnswer struct {
		Year  int          `json:"year"`
		AsOf  string       `json:"as_of"`
		Tasks []*plan.Node `json:"tasks"`
	}
	reportsAnswer struct {
		Reports []plan.Report `json:"reports"`
	}
	chasesAnswer struct {
		Chases []plan.Chase `json:"chases"`
	}
	inboxAnswer struct {
		Year           int              `json:"year"`
		Items          []plan.InboxItem `json:"items"`
		OverdueFigures []kpi.Overdue    `json:"overdue_figures"`
	}
	unitBulletinAnswer struct {
		Year    int             `json:"year"`
		Month   int             `json:"month"`
		Date    string          `json:"date"`
		Formula plan.Settings   `json:"formula"`
		Unit    *plan.UnitScore `json:"unit"`
	}
)

var (
	yearQuery  = "year:integer 计划年度，默认最新一年 / plan year, the newest by default"
	monthQuery = "month:integer 月份 1–12，默认基准日所在月 / month 1–12, the review date's by default"
)

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/plan":                           {Query: web.Query(yearQuery), Response: plan.Tree{}},
	"GET /api/v1/plan/years":                     {Response: yearsAnswer{}},
	"PUT /api/v1/plan/years/{year}":              {Response: asOfAnswer{}},
	"GET /api/v1/plan/flags":                     {Query: web.Query(yearQuery, "flag:string(red|yellow|blue|green) 牌色 / flag"), Response: flagsAnswer{}},
	"POST /api/v1/plan/flags/refresh":            {Query: web.Query(yearQuery), Response: refreshAnswer{}},
	"GET /api/v1/plan/nodes/{id}":                {Response: taskDetail{}},
	"POST /api/v1/plan/nodes":                    {Response: plan.Node{}, Status: http.StatusCreated},
	"PATCH /api/v1/plan/nodes/{id}":              {Response: plan.Node{}},
	"PUT /api/v1/plan/nodes/{id}/weights":        {Response: taskDetail{}},
	"PUT /api/v1/plan/nodes/{id}/override":       {Response: taskDetail{}},
	"DELETE /api/v1/plan/nodes/{id}/override":    {Response: taskDetail{}},
	"POST /api/v1/plan/nodes/{id}/milestones":    {Response: plan.Milestone{}, Status: http.StatusCreated},
	"PUT /api/v1/plan/milestones/{id}":           {Response: plan.Milestone{}},
	"GET /api/v1/plan/tasks":                     {Query: web.Query(yearQuery), Response: tasksAnswer{}},
	"GET /api/v1/plan/tasks/{id}/reports":        {Response: reportsAnswer{}},
	"POST /api/v1/plan/reports":                  {Response: plan.Report{}, Status: http.StatusCreated},
	"GET /api/v1/plan/reports/{id}":              {Response: plan.Report{}},
	"PATCH /api/v1/plan/reports/{id}":            {Response: plan.Report{}},
	"POST /api/v1/plan/reports/{id}/accept":      {Response: plan.Report{}},
	"POST /api/v1/plan/reports/{id}/return":      {Response: plan.Report{}},
	"POST /api/v1/plan/reports/{id}/attachments": {Response: plan.Attachment{}, Status: http.StatusCreated},
	"GET /api/v1/plan/attachments/{id}":          {File: "application/octet-stream"},
	"GET /api/v1/plan/chases":                    {Query: web.Query("task:integer 任务编号 / task id", "state:string(open|replied|closed) 状态 / state"), Response: chasesAnswer{}},
	"POST /api/v1/plan/chases":                   {Response: plan.Chase{}, Status: http.StatusCreated},
	"POST /api/v1/plan/chases/{id}/reply":        {Response: plan.Chase{}},
	"POST /api/v1/plan/chases/{id}/close":        {Response: plan.Chase{}},
	"GET /api/v1/inbox":                          {Query: web.Query(yearQuery), Response: inboxAnswer{}},
	"GET /api/v1/plan/bulletin":                  {Query: web.Query(yearQuery, monthQuery), Response: plan.Bulletin{}},
	"GET /api/v1/plan/bulletin/units/{id}":       {Query: web.Query(yearQuery, monthQuery), Response: unitBulletinAnswer{}},
	"GET /api/v1/plan/bulletin.xlsx":             {Query: web.Query(yearQuery, monthQuery), File: web.XLSX.File},
	"GET /api/v1/plan/settings":                  {Response: plan.Settings{}},
	"PUT /api/v1/plan/settings":                  {Response: plan.Settings{}},
}
