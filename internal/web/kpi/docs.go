package kpi

import (
	"net/http"

	"gaoxin/internal/kpi"
	"gaoxin/internal/web"
)

// The JSON answers that are not a domain type as they stand, named so the
// API document describes them from their Go types.
type (
	indicatorsAnswer struct {
		Indicators []kpi.Indicator `json:"indicators"`
	}
	targetsAnswer struct {
		Year    int          `json:"year"`
		Targets []kpi.Target `json:"targets"`
	}
	actualsAnswer struct {
		Year    int          `json:"year"`
		Actuals []kpi.Actual `json:"actuals"`
	}
	overdueAnswer struct {
		AsOf    string        `json:"as_of"`
		Overdue []kpi.Overdue `json:"overdue"`
	}
	importAnswer struct {
		Imported int `json:"imported"`
	}
	// sourcesAnswer lists what computed indicators (系统计算) can be made
	// of: each source's measures and its filters' choices.
	sourcesAnswer struct {
		Sources []kpi.SourceChoices `json:"sources"`
	}
)

const yearQuery = "year:integer 年度，默认已开始的最近一个目标年度 / year, the latest begun target year by default"

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/kpi/dashboard":                                 {Query: web.Query(yearQuery), Response: kpi.Dashboard{}},
	"GET /api/v1/kpi/indicators":                                {Response: indicatorsAnswer{}},
	"GET /api/v1/kpi/sources":                                   {Response: sourcesAnswer{}},
	"POST /api/v1/kpi/indicators":                               {Response: kpi.Indicator{}, Status: http.StatusCreated},
	"GET /api/v1/kpi/indicators/{id}":                           {Response: kpi.Indicator{}},
	"PUT /api/v1/kpi/indicators/{id}":                           {Response: kpi.Indicator{}},
	"DELETE /api/v1/kpi/indicators/{id}":                        {Status: http.StatusNoContent},
	"GET /api/v1/kpi/targets":                                   {Query: web.Query(yearQuery), Response: targetsAnswer{}},
	"PUT /api/v1/kpi/targets":                                   {Response: kpi.Target{}},
	"DELETE /api/v1/kpi/targets/{id}/{year}":                    {Status: http.StatusNoContent},
	"GET /api/v1/kpi/indicators/{id}/actuals":                   {Query: web.Query(yearQuery), Response: actualsAnswer{}},
	"PUT /api/v1/kpi/actuals":                                   {Response: kpi.Actual{}},
	"DELETE /api/v1/kpi/indicators/{id}/actuals/{year}/{month}": {Status: http.StatusNoContent},
	"POST /api/v1/kpi/actuals/import":                           {Response: importAnswer{}},
	"GET /api/v1/kpi/actuals/template.xlsx":                     {Query: web.Query(yearQuery), File: web.XLSX.File},
	"GET /api/v1/kpi/overdue":                                   {Query: web.Query("as_of:string 基准日 YYYY-MM-DD，默认今天 / as-of date, today by default", "unit:string 单位代码（员工可选）/ unit code (staff)"), Response: overdueAnswer{}},
	"GET /api/v1/kpi/settings/{year}":                           {Response: kpi.Settings{}},
	"PUT /api/v1/kpi/settings/{year}":                           {Response: kpi.Settings{}},
}
