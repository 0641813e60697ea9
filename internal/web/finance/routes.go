// Package finance serves the pages and JSON API of the 科技金融 (tech
// finance) module: institutions registering and staff approving them,
// government funds with their sub-funds and investments, enterprises'
// financing needs and the interest they receive, matching with reasons,
// an institution's dashboard and each match's funnel to money received
// (到位). Its routes are listed in this file; its templates are embedded
// from templates/.
package finance

import (
	"embed"
	"io/fs"

	"gaoxin/internal/finance"
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
	if err := s.AddPages("finance", pages); err != nil {
		return err
	}
	h := &handlers{s}
	h.routes()
	h.subsidyRoutes()
	h.roadshowRoutes()
	h.overviewRoutes()
	h.exportRoutes()
	return s.Describe(docs)
}

// routes registers the module's pages and API. Investor accounts register
// their institution and answer the needs that fit it; supervisors approve
// institutions and may record steps for anyone; enterprises post needs and
// answer interest; the service decides per object who reads what.
func (s *handlers) routes() {
	sup := web.Only(org.Supervisor)
	ent := web.Only(org.Enterprise)
	inv := web.Only(org.Investor)
	// Those who take part in financing: staff, enterprises and institutions.
	parties := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise, org.Investor)
	entStaff := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise)
	invStaff := web.Only(org.Admin, org.Leader, org.Supervisor, org.Investor)
	registers := web.Only(org.Supervisor, org.Investor)
	steps := web.Only(org.Supervisor, org.Investor)
	closes := web.Only(org.Supervisor, org.Investor, org.Enterprise)

	// Pages.
	s.Handle("GET /finance", "The module's front page: what each role does here", web.Public, s.handleHome)
	s.Handle("GET /finance/institutions", "Institutions (approved ones; staff every state)", web.SignedIn, s.handleInstitutions)
	s.Handle("GET /finance/institutions/new", "Register my institution (investor) or record one (supervisor)", registers, s.handleInstitutionNew)
	s.Handle("POST /finance/institutions", "Register or record an institution", registers, s.handleInstitutionCreate)
	s.Handle("GET /finance/institutions/review", "Institutions awaiting approval", web.Staff, s.handleReview)
	s.Handle("POST /finance/institutions/{id}/approve", "Approve a pending institution", sup, s.handleApprove)
	s.Handle("POST /finance/institutions/{id}/reject", "Reject a pending institution with a reason", sup, s.handleReject)
	s.Handle("GET /finance/institutions/{id}", "An institution's profile (contacts to those the module allows)", web.SignedIn, s.handleInstitution)
	s.Handle("GET /finance/funds/{id}", "A government fund: sub-funds, committed and paid-in capital, investments", web.SignedIn, s.handleFund)
	s.Handle("POST /finance/funds/{id}/investments", "Record a fund's investment in a zone enterprise", registers, s.handleInvest)
	s.Handle("GET /finance/needs", "Financing needs: my enterprise's with the interest received; staff every one", entStaff, s.handleNeeds)
	s.Handle("GET /finance/needs/new", "Post a financing need", ent, s.handleNeedNew)
	s.Handle("POST /finance/needs", "Post a financing need (multipart, pitch deck)", ent, s.handleNeedPost)
	s.Handle("GET /finance/needs/{id}", "A financing need, to those it is shown to", parties, s.handleNeed)
	s.Handle("POST /finance/needs/{id}/audience", "Choose which institutions see my need", ent, s.handleAudience)
	s.Handle("POST /finance/needs/{id}/close", "Close a need to new institutions", web.Only(org.Supervisor, org.Enterprise), s.handleNeedClose)
	s.Handle("POST /finance/needs/{id}/interest", "Express my institution's interest in a need", inv, s.handleInterest)
	s.Handle("GET /finance/needs/{id}/matching", "Institutions that fit a need, ranked with reasons", entStaff, s.handleMatching)
	s.Handle("GET /finance/files/{id}", "Download a need's pitch deck or attachment", parties, s.handleFile)
	s.Handle("GET /finance/dashboard", "An institution's dashboard: needs that fit it and its funnel (staff: ?institution=)", invStaff, s.handleDashboard)
	s.Handle("GET /finance/matches/{id}", "A match: its steps, and notes for the institution and staff", parties, s.handleMatch)
	s.Handle("POST /finance/matches/{id}/answer", "Accept or decline an institution's interest", ent, s.handleAnswer)
	s.Handle("POST /finance/matches/{id}/steps", "Record a match's next step", steps, s.handleAdvance)
	s.Handle("POST /finance/matches/{id}/close", "Close a match with a reason", closes, s.handleMatchClose)
	s.Handle("POST /finance/matches/{id}/funding", "Correct a deal received: its amount and date, with the reason", sup, s.handleCorrectFunding)
	s.Handle("POST /finance/matches/{id}/notes", "Add a private note to a match", steps, s.handleNote)

	// JSON API.
	instEx := finance.InstitutionInput{Kind: finance.KindVCPE, Name: "中原科创投资有限公司", CreditCode: "914403001922038216",
		AUMFen: 5_000_000_000_000, TicketMinFen: 1_000_000_000, TicketMaxFen: 10_000_000_000, SettledOn: "2023-03-01",
		Stages: []string{"a", "b"}, Instruments: []string{"equity"}, Chains: []string{"iot"},
		Contacts: []finance.Contact{{Name: "陈经理", Title: "投资总监", Phone: "0371-6000 0001", Email: "chen@example.com"}}}
	needEx := finance.NeedInput{Title: "MEMS 传感器产线扩产 A 轮融资", AmountFen: 3_000_000_000, Instrument: "equity", Stage: "a",
		UseOfFunds: "新建一条 8 英寸 MEMS 产线", Chains: []string{"iot_sensor"}, SharedFigures: []string{"revenue"}, Audience: finance.AudienceFit}
	s.Handle("GET /api/v1/finance/institutions", "Institutions (approved ones; staff every state)", web.SignedIn, s.apiInstitutions)
	s.HandleBody("POST /api/v1/finance/institutions", "Register my institution (investor) or record one (supervisor)", registers, instEx, s.apiInstitutionCreate)
	s.Handle("GET /api/v1/finance/institutions/{id}", "One institution", web.SignedIn, s.apiInstitution)
	s.HandleBody("PUT /api/v1/finance/institutions/{id}", "Edit an institution's profile (itself or a supervisor)", registers, instEx, s.apiInstitutionUpdate)
	s.Handle("POST /api/v1/finance/institutions/{id}/approval", "Approve a pending institution", sup, s.apiApprove)
	s.HandleBody("POST /api/v1/finance/institutions/{id}/rejection", "Reject a pending institution with a reason", sup, reasonRequest{Reason: "营业执照与登记信息不符"}, s.apiReject)
	s.Handle("GET /api/v1/finance/funds/{id}", "A government fund with its sub-funds and investments", web.SignedIn, s.apiFund)
	s.HandleBody("POST /api/v1/finance/funds/{id}/investments", "Record a fund's investment in a zone enterprise", registers,
		finance.FundInvestmentInput{CreditCode: "914403001922038216", AmountFen: 2_000_000_000, On: "2023-05-20"}, s.apiInvest)
	s.Handle("GET /api/v1/finance/needs", "My enterprise's needs; staff every one", entStaff, s.apiNeeds)
	s.HandleBody("POST /api/v1/finance/needs", "Post a financing need as my enterprise (files base64)", ent, needRequest{NeedInput: needEx}, s.apiNeedPost)
	s.Handle("GET /api/v1/finance/needs/{id}", "One need, to those it is shown to", parties, s.apiNeed)
	s.HandleBody("PUT /api/v1/finance/needs/{id}/audience", "Choose which institutions see my need", ent, audienceRequest{Audience: finance.AudienceChosen, Listed: []int64{3, 5}}, s.apiAudience)
	s.Handle("POST /api/v1/finance/needs/{id}/close", "Close a need to new institutions", web.Only(org.Supervisor, org.Enterprise), s.apiNeedClose)
	s.Handle("GET /api/v1/finance/needs/{id}/institutions", "Institutions that fit a need, ranked with reasons (?limit=)", entStaff, s.apiMatchInstitutions)
	s.Handle("GET /api/v1/finance/fitting-needs", "Needs that fit my institution, ranked with reasons (staff: ?institution=)", invStaff, s.apiMatchNeeds)
	s.HandleBody("POST /api/v1/finance/needs/{id}/interest", "Express my institution's interest in a need", inv, noteRequest{Note: "关注传感器赛道，希望约见"}, s.apiInterest)
	s.Handle("GET /api/v1/finance/matches", "Matches I may read: my enterprise's, my institution's; staff every one", parties, s.apiMatches)
	s.Handle("GET /api/v1/finance/matches/{id}", "One match with its steps", parties, s.apiMatch)
	s.HandleBody("POST /api/v1/finance/matches/{id}/answer", "Accept or decline an institution's interest", ent, answerRequest{Accept: true}, s.apiAnswer)
	s.HandleBody("POST /api/v1/finance/matches/{id}/steps", "Record a match's next step", steps,
		finance.StepInput{Step: finance.StepFunded, On: "2023-09-30", AmountFen: 2_000_000_000, Note: "首期款到账"}, s.apiAdvance)
	s.HandleBody("POST /api/v1/finance/matches/{id}/close", "Close a match with a reason", closes, reasonRequest{Reason: "估值未谈拢"}, s.apiMatchClose)
	s.HandleBody("POST /api/v1/finance/matches/{id}/funding", "Correct a deal received: its amount and date, with the reason", sup,
		finance.FundingCorrection{AmountFen: 1_500_000_000, On: "2023-09-30", Reason: "经核对银行回单，实际到位 1500 万元"}, s.apiCorrectFunding)
	s.Handle("GET /api/v1/finance/matches/{id}/notes", "A match's private notes (its institution and staff)", invStaff, s.apiNotes)
	s.HandleBody("POST /api/v1/finance/matches/{id}/notes", "Add a private note to a match", steps, noteRequest{Note: "创始人背景扎实，需核实订单"}, s.apiNote)
}
