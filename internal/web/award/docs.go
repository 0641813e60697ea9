package award

import (
	"net/http"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/web"
)

// The module's JSON answers that are not a domain type as they stand,
// named so the API document describes them from their Go types.
type (
	// programmeAnswer is one programme; a past programme known by its
	// published winners only (historical) carries them as honours, as its
	// page shows them.
	programmeAnswer struct {
		award.Programme
		Honours []award.Honour `json:"honours,omitzero"`
	}
	programmesAnswer struct {
		Programmes []award.Programme `json:"programmes"`
	}
	roundsAnswer struct {
		Rounds []award.RoundSummary `json:"rounds"`
	}
	trailAnswer struct {
		Audit []audit.Row `json:"audit"`
	}
	applicationsAnswer struct {
		Applications []award.Application `json:"applications"`
	}
	myApplicationsAnswer struct {
		Applications []award.Application     `json:"applications"`
		Grants       []award.Grant           `json:"grants"`
		Outcomes     map[int64]award.Outcome `json:"outcomes"` // by application id
	}
	applicationAnswer struct {
		Application award.Application  `json:"application"`
		Outcome     award.Outcome      `json:"outcome"`
		Assignments []award.Assignment `json:"assignments,omitzero"` // for those who may see the reviews
	}
	assignmentsAnswer struct {
		Assignments []award.Assignment `json:"assignments"`
	}
	noticesAnswer struct {
		Notices []award.Programme `json:"notices"`
	}
	objectionsAnswer struct {
		Objections []award.Objection `json:"objections"`
	}
	grantsAnswer struct {
		Grants []award.Grant `json:"grants"`
	}
	paymentsAnswer struct {
		Payments []award.Payment `json:"payments"`
	}
	totalsAnswer struct {
		Totals        []award.Total `json:"totals"`
		PaidInYearFen *int64        `json:"paid_in_year_fen,omitempty"` // with ?year=
	}
	flagsAnswer struct {
		Flags []enterprise.Flag `json:"flags"`
		Kinds []string          `json:"kinds"`
	}
)

var yearQuery = "year:integer 项目年度，缺省为全部 / programme year, every year when absent"

// docs describes the module's API routes for the OpenAPI document.
var docs = map[string]web.Doc{
	"GET /api/v1/award/programmes":                     {Query: web.Query(yearQuery), Response: programmesAnswer{}},
	"POST /api/v1/award/programmes":                    {Response: award.Programme{}, Status: http.StatusCreated},
	"GET /api/v1/award/programmes/{id}":                {Response: programmeAnswer{}},
	"PUT /api/v1/award/programmes/{id}":                {Response: award.Programme{}},
	"DELETE /api/v1/award/programmes/{id}":             {Status: http.StatusNoContent},
	"POST /api/v1/award/programmes/preview":            {Response: award.Preview{}},
	"POST /api/v1/award/programmes/{id}/state":         {Response: award.Programme{}},
	"POST /api/v1/award/programmes/{id}/rank":          {Response: award.Round{}, Status: http.StatusCreated},
	"GET /api/v1/award/programmes/{id}/ranking":        {Response: award.Round{}},
	"GET /api/v1/award/programmes/{id}/rounds":         {Response: roundsAnswer{}},
	"GET /api/v1/award/programmes/{id}/audit":          {Response: trailAnswer{}},
	"GET /api/v1/award/programmes/{id}/applications":   {Response: applicationsAnswer{}},
	"POST /api/v1/award/programmes/{id}/applications":  {Response: award.Application{}, Status: http.StatusCreated},
	"GET /api/v1/award/applications":                   {Response: myApplicationsAnswer{}},
	"GET /api/v1/award/applications/{id}":              {Response: applicationAnswer{}},
	"POST /api/v1/award/applications/{id}/withdrawal":  {Response: award.Application{}},
	"POST /api/v1/award/applications/{id}/check":       {Response: award.Application{}},
	"POST /api/v1/award/applications/{id}/assignments": {Response: award.Assignment{}, Status: http.StatusCreated},
	"GET /api/v1/award/assignments":                    {Response: assignmentsAnswer{}},
	"GET /api/v1/award/assignments/{id}":               {Response: award.Assignment{}},
	"PUT /api/v1/award/assignments/{id}/scores":        {Response: award.Assignment{}},
	"POST /api/v1/award/assignments/{id}/recuse":       {Response: award.Assignment{}},
	"PUT /api/v1/award/reviewers/{id}/affiliations":    {Response: affiliationsRequest{}},
	"GET /api/v1/award/evidence/{id}":                  {File: "application/octet-stream"},
	"GET /api/v1/award/notices":                        {Response: noticesAnswer{}},
	"GET /api/v1/award/notices/{id}":                   {Response: noticeView{}},
	"POST /api/v1/award/notices/{id}/objections":       {Response: award.Objection{}, Status: http.StatusCreated},
	"POST /api/v1/award/objection-receipts":            {Response: award.ReceiptStatus{}},
	"GET /api/v1/award/programmes/{id}/objections":     {Response: objectionsAnswer{}},
	"POST /api/v1/award/objections/{id}/decision":      {Response: award.Objection{}},
	"GET /api/v1/award/programmes/{id}/grants":         {Response: grantsAnswer{}},
	"POST /api/v1/award/programmes/{id}/grants":        {Response: award.Grant{}, Status: http.StatusCreated},
	"POST /api/v1/award/grants/{id}/payments":          {Response: award.Payment{}, Status: http.StatusCreated},
	"GET /api/v1/award/grants/{id}/payments":           {Response: paymentsAnswer{}},
	"POST /api/v1/award/payments/{id}/approve":         {Response: award.Payment{}},
	"POST /api/v1/award/payments/{id}/paid":            {Response: award.Payment{}},
	"POST /api/v1/award/payments/{id}/reversal":        {Response: award.Payment{}},
	"POST /api/v1/award/payments/{id}/withdrawal":      {Response: award.Payment{}},
	"GET /api/v1/award/programmes/{id}/payments.xlsx":  {File: web.XLSX.File},
	"GET /api/v1/award/totals":                         {Query: web.Query("year:integer 项目年度，缺省为全部；给出时另报该年按付款日的实付合计 / programme year, every year when absent; given, adds the year's paid total by payment date"), Response: totalsAnswer{}},
	"GET /api/v1/award/flags":                          {Response: flagsAnswer{}},
	"POST /api/v1/award/flags":                         {Response: enterprise.Flag{}, Status: http.StatusCreated},
	"POST /api/v1/award/flags/{id}/clear":              {Response: enterprise.Flag{}},
}
