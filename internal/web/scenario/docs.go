package scenario

import (
	"net/http"

	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// The module's JSON answers that are not a domain type as they stand.
type (
	batchesAnswer struct {
		Batches []scenario.Batch `json:"batches"`
	}
	bidsAnswer struct {
		Bids []scenario.Bid `json:"bids"`
	}
)

var listQuery = web.Query(
	"category:string 场景类别：project 重大项目载体、digital 产业数字化转型、urban 城市建设与城市更新、service 城市管理和民生服务 / category",
	"chain:string 产业链代码（含其下各环节）/ chain node code, with the nodes under it",
	"state:string 状态 / state",
	"batch:integer 批次编号 / batch id",
	"q:string 名称或提出单位中的文字 / words in the title or owner",
	"mine:string(1) 1：只列本单位（本企业）提交的需求 / 1: only my unit's or enterprise's needs",
	"page:integer 页码，每页 20 条 / page, 20 a page",
)

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/scenario/calls":                   {Query: listQuery, Response: scenario.Page{}},
	"GET /api/v1/scenario/calls/{id}":              {Response: scenario.Need{}},
	"POST /api/v1/scenario/needs":                  {Response: scenario.Need{}, Status: http.StatusCreated},
	"PUT /api/v1/scenario/needs/{id}":              {Response: scenario.Need{}},
	"GET /api/v1/scenario/batches":                 {Response: batchesAnswer{}},
	"POST /api/v1/scenario/batches":                {Response: scenario.Batch{}, Status: http.StatusCreated},
	"POST /api/v1/scenario/batches/{id}/publish":   {Response: scenario.Batch{}},
	"POST /api/v1/scenario/batches/{id}/import":    {Response: scenario.BatchImport{}, Status: http.StatusCreated},
	"GET /api/v1/scenario/calls/{id}/matches":      {Query: web.Query("limit:integer 最多列出几家（1–100，默认 30）/ at most this many (1–100, default 30)"), Response: scenario.Matches{}},
	"POST /api/v1/scenario/calls/{id}/invitations": {Response: scenario.InviteResult{}},
	"GET /api/v1/scenario/inbox":                   {Response: inboxAnswer{}},
	"PUT /api/v1/scenario/follows":                 {Response: followsAnswer{}},
	"POST /api/v1/scenario/needs/{id}/approval":    {Response: scenario.Need{}},
	"POST /api/v1/scenario/needs/{id}/rejection":   {Response: scenario.Need{}},
	"POST /api/v1/scenario/calls/{id}/close":       {Response: scenario.Need{}},
	"POST /api/v1/scenario/calls/{id}/failure":     {Response: scenario.Need{}},
	"GET /api/v1/scenario/calls/{id}/bids":         {Response: bidsAnswer{}},
	"POST /api/v1/scenario/calls/{id}/bids":        {Response: scenario.Bid{}, Status: http.StatusCreated},
	"GET /api/v1/scenario/bids":                    {Response: bidsAnswer{}},
	"GET /api/v1/scenario/bids/{id}":               {Response: scenario.Bid{}},
	"PUT /api/v1/scenario/bids/{id}":               {Response: scenario.Bid{}},
	"POST /api/v1/scenario/bids/{id}/withdrawal":   {Response: scenario.Bid{}},
	"POST /api/v1/scenario/bids/{id}/confirmation": {Response: scenario.Bid{}},

	"GET /api/v1/scenario/calls/{id}/result":                 {Response: scenario.Result{}},
	"GET /api/v1/scenario/calls/{id}/evaluation":             {Response: scenario.Evaluation{}},
	"PUT /api/v1/scenario/calls/{id}/rules":                  {Response: scenario.Rules{}},
	"POST /api/v1/scenario/bids/{id}/assignments":            {Response: scenario.Assignment{}, Status: http.StatusCreated},
	"GET /api/v1/scenario/assignments":                       {Response: assignmentsAnswer{}},
	"GET /api/v1/scenario/assignments/{id}":                  {Response: scenario.Assignment{}},
	"PUT /api/v1/scenario/assignments/{id}/scores":           {Response: scenario.Assignment{}},
	"POST /api/v1/scenario/assignments/{id}/recusal":         {Response: scenario.Assignment{}},
	"POST /api/v1/scenario/calls/{id}/winner":                {Response: scenario.Result{}},
	"POST /api/v1/scenario/calls/{id}/confirmation":          {Response: scenario.Need{}},
	"POST /api/v1/scenario/calls/{id}/objections":            {Response: scenario.Objection{}, Status: http.StatusCreated},
	"GET /api/v1/scenario/calls/{id}/objections":             {Response: objectionsAnswer{}},
	"POST /api/v1/scenario/objections/{id}/decision":         {Response: scenario.Objection{}},
	"POST /api/v1/scenario/objection-receipts":               {Response: scenario.ReceiptStatus{}},
	"GET /api/v1/scenario/calls/{id}/delivery":               {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/contract":              {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/stages/{seq}/payment":  {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/stages/{seq}/approval": {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/stages/{seq}/paid":     {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/acceptances":           {Response: scenario.Contract{}},
	"POST /api/v1/scenario/calls/{id}/closing":               {Response: scenario.Need{}},
}
