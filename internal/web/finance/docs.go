package finance

import (
	"net/http"

	"gaoxin/internal/finance"
	"gaoxin/internal/web"
)

// The module's JSON answers that are not a domain type as they stand.
type (
	institutionsAnswer struct {
		Institutions []finance.Institution `json:"institutions"`
	}
	needsAnswer struct {
		Needs []finance.Need `json:"needs"`
	}
	matchesAnswer struct {
		Matches []finance.Match `json:"matches"`
	}
	notesAnswer struct {
		Notes []finance.Note `json:"notes"`
	}
	rankedInstitutionsAnswer struct {
		Institutions []finance.RankedInstitution `json:"institutions"`
	}
	rankedNeedsAnswer struct {
		Needs []finance.RankedNeed `json:"needs"`
	}
	subsidyRulesAnswer struct {
		Rules []finance.SubsidyRule `json:"rules"`
	}
	roadshowsAnswer struct {
		Roadshows []finance.Roadshow `json:"roadshows"`
	}
)

var limitQuery = web.Query("limit:integer 最多列出几项（1–200，默认 50）/ at most this many (1–200, default 50)")

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/finance/institutions": {Query: web.Query(
		"state:string(pending|approved|rejected) 状态（仅工作人员）/ state (staff only)",
		"kind:string(vc_pe|angel|bank|guarantee|insurer|leasing|gov_fund) 机构类型 / kind",
	), Response: institutionsAnswer{}},
	"POST /api/v1/finance/institutions":                {Response: finance.Institution{}, Status: http.StatusCreated},
	"GET /api/v1/finance/institutions/{id}":            {Response: finance.Institution{}},
	"PUT /api/v1/finance/institutions/{id}":            {Response: finance.Institution{}},
	"POST /api/v1/finance/institutions/{id}/approval":  {Response: finance.Institution{}},
	"POST /api/v1/finance/institutions/{id}/rejection": {Response: finance.Institution{}},
	"GET /api/v1/finance/funds/{id}":                   {Response: finance.Fund{}},
	"POST /api/v1/finance/funds/{id}/investments":      {Response: finance.FundInvestment{}, Status: http.StatusCreated},
	"GET /api/v1/finance/needs":                        {Query: web.Query("state:string(open|closed) 需求状态 / state"), Response: needsAnswer{}},
	"POST /api/v1/finance/needs":                       {Response: finance.Need{}, Status: http.StatusCreated},
	"GET /api/v1/finance/needs/{id}":                   {Response: finance.Need{}},
	"PUT /api/v1/finance/needs/{id}/audience":          {Response: finance.Need{}},
	"POST /api/v1/finance/needs/{id}/close":            {Response: finance.Need{}},
	"GET /api/v1/finance/needs/{id}/institutions":      {Query: limitQuery, Response: rankedInstitutionsAnswer{}},
	"GET /api/v1/finance/fitting-needs": {Query: append(web.Query("institution:integer 机构编号（仅工作人员，必填）/ institution id (staff, required)"), limitQuery...),
		Response: rankedNeedsAnswer{}},
	"POST /api/v1/finance/needs/{id}/interest": {Response: finance.Match{}, Status: http.StatusCreated},
	"GET /api/v1/finance/matches": {Query: web.Query(
		"need:integer 需求编号 / need id",
		"institution:integer 机构编号（仅工作人员）/ institution id (staff only)",
		"step:string(interest|matched|meeting|diligence|term|funded) 当前环节 / the step reached",
		"state:string(open|closed) 状态 / state",
	), Response: matchesAnswer{}},
	"GET /api/v1/finance/matches/{id}":                 {Response: finance.Match{}},
	"POST /api/v1/finance/matches/{id}/answer":         {Response: finance.Match{}},
	"POST /api/v1/finance/matches/{id}/steps":          {Response: finance.Match{}},
	"POST /api/v1/finance/matches/{id}/close":          {Response: finance.Match{}},
	"GET /api/v1/finance/matches/{id}/notes":           {Response: notesAnswer{}},
	"POST /api/v1/finance/matches/{id}/notes":          {Response: finance.Note{}, Status: http.StatusCreated},
	"GET /api/v1/finance/subsidies":                    {Query: web.Query("year:integer 年度（2000–2100）/ year"), Response: subsidyRulesAnswer{}},
	"POST /api/v1/finance/subsidies":                   {Response: finance.SubsidyRule{}, Status: http.StatusCreated},
	"GET /api/v1/finance/subsidies/{id}":               {Response: subsidyDetail{}},
	"POST /api/v1/finance/subsidies/{id}/grants":       {Response: finance.Subsidy{}, Status: http.StatusCreated},
	"GET /api/v1/finance/overview":                     {Query: web.Query("year:integer 年度（2000–2100，默认今年）/ year (default this year)"), Response: finance.Overview{}},
	"GET /api/v1/finance/roadshows":                    {Query: limitQuery, Response: roadshowsAnswer{}},
	"POST /api/v1/finance/roadshows":                   {Response: finance.Roadshow{}, Status: http.StatusCreated},
	"GET /api/v1/finance/roadshows/{id}":               {Response: finance.Roadshow{}},
	"POST /api/v1/finance/roadshows/{id}/needs":        {Response: finance.Roadshow{}},
	"POST /api/v1/finance/roadshows/{id}/institutions": {Response: finance.Roadshow{}},
}
