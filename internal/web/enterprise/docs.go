package enterprise

import (
	"net/http"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/web"
)

// linkAnswer says which account was linked to which enterprise.
type linkAnswer struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Username     string `json:"username"`
}

// filterQuery are the list's filters, shared by the list and its export
// (which takes every match, unpaged).
var filterQuery = web.Query(
	"name:string 名称或曾用名的一部分 / part of the name or a former name",
	"credit_code:string 统一社会信用代码或其前缀 / credit code or a prefix of it",
	"area:string 办事处单位代码 / office-area unit code",
	"chain:string 产业链节点代码，含其下级 / chain node code, its subtree included",
	"tier:string 持有该类有效资质 / holds a current certificate of this tier",
	"status:string(operating|moved_out|deregistered) 经营状态 / status",
	"industry:string 国民经济行业代码前缀 (GB/T 4754-2017) / industry code prefix",
	"indicator:string 按该指标数值筛选 / filter by this indicator's figure",
	"year:integer 指标年度（按指标筛选时必填）/ the figure's year (needed with min or max)",
	"min:number 指标下限，按指标显示单位（金额为万元）/ lower bound in the indicator's display unit (万元 for money)",
	"max:number 指标上限，按指标显示单位 / upper bound in the indicator's display unit",
	"class:string(A|B|C|D) 亩均效益评价分类 / class of the per-mu evaluation",
	"class_year:integer 分类所属数据年度（默认最近一年）/ the class's data year (default: the latest)",
)

var pageQuery = web.Query(
	"after:integer 翻页：上页的 next / paging: the previous page's next",
	"limit:integer 每页条数，默认 50，至多 1000 / page size, 50 by default, at most 1000",
)

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/enterprises":                      {Query: append(append([]web.Param{}, filterQuery...), pageQuery...), Response: enterprise.Page{}},
	"POST /api/v1/enterprises":                     {Response: enterprise.Enterprise{}, Status: http.StatusCreated},
	"GET /api/v1/enterprises/export.xlsx":          {Query: append(web.Query("export_year:integer 导出哪一年的指标，默认 year / the figures' year, year by default"), filterQuery...), File: web.XLSX.File},
	"GET /api/v1/enterprises/{id}":                 {Response: detail{}},
	"PUT /api/v1/enterprises/{id}":                 {Response: enterprise.Enterprise{}},
	"GET /api/v1/enterprises/{id}/figures":         {Response: []enterprise.Figure{}},
	"POST /api/v1/enterprises/{id}/figures":        {Response: []enterprise.Figure{}},
	"POST /api/v1/enterprises/{id}/figures/review": {Response: []enterprise.Figure{}},
	"GET /api/v1/enterprises/{id}/tiers":           {Response: []enterprise.Tier{}},
	"POST /api/v1/enterprises/{id}/tiers":          {Response: enterprise.Tier{}, Status: http.StatusCreated},
	"GET /api/v1/enterprises/{id}/history":         {Query: web.Query("before:integer 翻页：只列编号小于此值的记录 / paging: entries with ids below this"), Response: []enterprise.HistoryRow{}},
	"GET /api/v1/enterprises/{id}/bank":            {Response: enterprise.BankAccount{}},
	"PUT /api/v1/enterprises/{id}/bank":            {Response: enterprise.BankAccount{}},
	"POST /api/v1/enterprises/{id}/accounts":       {Response: linkAnswer{}},
	"GET /api/v1/enterprise-figures/pending":       {Response: []enterprise.PendingFigure{}},
	"GET /api/v1/enterprise-tiers/expiring":        {Response: []enterprise.Tier{}},
	"GET /api/v1/enterprise-chains":                {Response: []enterprise.ChainNode{}},
	"POST /api/v1/enterprise-chains":               {Response: enterprise.ChainNode{}, Status: http.StatusCreated},
	"GET /api/v1/enterprise-indicators":            {Response: []enterprise.Indicator{}},
	"PUT /api/v1/enterprise-indicators/{code}":     {Response: enterprise.Indicator{}},
	"GET /api/v1/industry-codes":                   {Response: []enterprise.IndustryCode{}},
	"GET /api/v1/enterprise-template.xlsx":         {File: web.XLSX.File},
	"POST /api/v1/enterprise-imports": {Query: web.Query(
		"filename:string 文件名（请求体为文件本身时），定 .xlsx 或 .csv / the file's name when the body is the file, telling .xlsx from .csv",
		"dry_run:string 为 1 或 true 时只校验、不写入 / 1 or true: check only, write nothing",
		"source:string 数据来源：stats（统计局，默认）、tax（税务）、power（供电公司）、ipr（知识产权局）或 staff（工作人员）/ the figures' source: stats (default), tax, power, ipr or staff"),
		Response: enterprise.ImportJob{}, Status: http.StatusAccepted},
	"GET /api/v1/enterprise-imports":                  {Response: []enterprise.ImportJob{}},
	"GET /api/v1/enterprise-imports/{id}":             {Response: enterprise.ImportJob{}},
	"GET /api/v1/enterprise-imports/{id}/report.xlsx": {File: web.XLSX.File},
}
