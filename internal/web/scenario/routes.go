// Package scenario serves the pages and JSON API of the 场景机会 (scenario
// opportunities and open calls) module: the public portal of published
// calls, needs submitted by units and enterprises, staff's review into
// numbered batches, and bids. Its routes are listed in this file; its
// templates are embedded from templates/.
package scenario

import (
	"embed"
	"io/fs"
	"net/http"

	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
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
	if err := s.AddPages("scenario", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	return s.Describe(docs)
}

// routes registers the module's pages and API. Anyone reads published
// calls; units and enterprises submit needs; supervisors review them into
// batches and decide calls; enterprises bid.
func (s *handlers) routes() {
	sup := web.Only(org.Supervisor)
	ent := web.Only(org.Enterprise)
	owners := web.Only(org.UnitStaff, org.Enterprise)
	signed := web.Only(org.Admin, org.Leader, org.Supervisor, org.UnitStaff, org.Enterprise, org.Reviewer)

	// Pages.
	s.Handle("GET /scenarios", "Public portal: published calls, with filters", web.Public, s.handleList)
	s.Handle("GET /scenarios/{id}", "A call's page: phases, results, bids one may see", web.Public, s.handleCall)
	s.Handle("GET /scenarios/new", "Need form", owners, s.handleNew)
	s.Handle("POST /scenarios", "Submit a need (multipart, attachments)", owners, s.handleSubmit)
	s.Handle("GET /scenarios/{id}/edit", "Edit a need being collected", owners, s.handleEdit)
	s.Handle("POST /scenarios/{id}/edit", "Save a need being collected", owners, s.handleUpdate)
	s.Handle("GET /scenarios/mine", "My needs and bids", owners, s.handleMine)
	s.Handle("GET /scenarios/review", "Review needs into batches", web.Staff, s.handleReview)
	s.Handle("GET /scenarios/{id}/matches", "Suggested enterprises for an open call, with reasons", web.Staff, s.handleMatches)
	s.Handle("POST /scenarios/{id}/invitations", "Invite suggested enterprises to bid", sup, s.handleInvite)
	s.Handle("GET /scenarios/inbox", "My enterprise's scenario inbox and followed categories", ent, s.handleInbox)
	s.Handle("POST /scenarios/follows", "Follow categories", ent, s.handleFollows)
	s.Handle("GET /scenarios/import", "Import a batch from a spreadsheet", sup, s.handleImportPage)
	s.Handle("POST /scenarios/import", "Upload a batch spreadsheet (multipart: file, batch_id)", sup, s.handleImport)
	s.Handle("GET /scenarios/template.xlsx", "Batch import template (.xlsx)", web.Staff, s.handleTemplate)
	s.Handle("GET /scenarios/calls.xlsx", "Calls and their results as .xlsx (the list's filters)", web.Public, s.handleCallsXLSX)
	s.Handle("GET /scenarios/bids.xlsx", "Bids on the calls the filters select, as .xlsx", web.Staff, s.handleBidsXLSX)
	s.Handle("GET /scenarios/payments.xlsx", "Contract stage payments of the calls the filters select, as .xlsx (finance office)", web.Staff, s.handlePaymentsXLSX)
	s.Handle("POST /scenarios/batches", "Start the next batch", sup, s.handleBatchCreate)
	s.Handle("POST /scenarios/batches/{id}/publish", "Publish a batch", sup, s.handleBatchPublish)
	s.Handle("POST /scenarios/{id}/approve", "Approve a need into a batch", sup, s.handleApprove)
	s.Handle("POST /scenarios/{id}/reject", "Reject a need with a reason", sup, s.handleReject)
	s.Handle("POST /scenarios/{id}/close", "Close bidding after the deadline", sup, s.handleClose)
	s.Handle("POST /scenarios/{id}/fail", "End a call without a winner, with a reason", sup, s.handleFail)
	s.Handle("GET /scenarios/{id}/bid", "Bid form", ent, s.handleBidForm)
	s.Handle("POST /scenarios/{id}/bids", "Bid (multipart, evidence files)", ent, s.handleBidSubmit)
	s.Handle("GET /scenario-bids/{id}", "A bid's page (its enterprises, staff, the owner after the deadline)", signed, s.handleBid)
	s.Handle("GET /scenario-bids/{id}/edit", "Edit my enterprise's bid", ent, s.handleBidEdit)
	s.Handle("POST /scenario-bids/{id}/edit", "Save my enterprise's bid", ent, s.handleBidUpdate)
	s.Handle("POST /scenario-bids/{id}/withdraw", "Withdraw my enterprise's bid", ent, s.handleBidWithdraw)
	s.Handle("POST /scenario-bids/{id}/confirm", "Confirm taking part in a joint bid", ent, s.handleBidConfirm)
	s.Handle("GET /scenario-files/{id}", "Download an attachment or evidence file", web.Public, s.handleFile)

	s.Handle("POST /scenarios/{id}/contract", "Sign the contract with the winner: ledger contract and plan tasks", sup, s.handleSign)
	s.Handle("POST /scenarios/{id}/stages/{seq}/pay", "Request a stage payment", sup, s.handleStagePay)
	s.Handle("POST /scenarios/{id}/stages/{seq}/approve", "Approve a stage payment (not its requester)", web.Only(org.Supervisor, org.Leader), s.handleStageApprove)
	s.Handle("POST /scenarios/{id}/stages/{seq}/paid", "Record a stage payment as paid", sup, s.handleStagePaid)
	s.Handle("POST /scenarios/{id}/acceptance", "Record an acceptance verdict (multipart, files)", sup, s.handleAccept)
	s.Handle("POST /scenarios/{id}/closing", "Close an accepted call paid in full", sup, s.handleCloseCall)

	// JSON API.
	needEx := scenario.NeedInput{Title: "城市道路积水智能监测", Category: scenario.CatService, Chains: []string{"iot"},
		Problem: "汛期道路积水无法及时发现", Capabilities: "物联网传感、视频识别", Site: "科学大道沿线", DataOpen: "历年积水点位数据",
		BudgetFen: 50_000_000, PriceCap: true, Deadline: "2023-12-20", EndsOn: "2024-06-30", ContactName: "王工", ContactPhone: "0371-67581234"}
	bidEx := scenario.BidInput{Solution: "布设液位传感器并接入城市运行平台……", Team: "项目经理 1 名、工程师 6 名", PriceFen: 45_000_000,
		Partners:   []scenario.PartnerInput{{CreditCode: "91410100MA44XXXXXX", Role: "数据平台"}},
		Milestones: []scenario.Milestone{{Title: "签约进场", DueOn: "2024-01-15", SharePct: 30}, {Title: "验收", DueOn: "2024-06-15", SharePct: 70}}}
	s.Handle("GET /api/v1/scenario/calls", "Published calls (anyone); needs one may see when signed in", web.Public, s.apiList)
	s.Handle("GET /api/v1/scenario/calls/{id}", "One call or need", web.Public, s.apiCall)
	s.HandleBody("POST /api/v1/scenario/needs", "Submit a need as my unit or enterprise", owners, needRequest{NeedInput: needEx}, s.apiSubmit)
	s.HandleBody("PUT /api/v1/scenario/needs/{id}", "Edit my need while it is collected", owners, needEx, s.apiUpdate)
	s.Handle("GET /api/v1/scenario/batches", "Batches (staff also see those in preparation)", web.Public, s.apiBatches)
	s.HandleBody("POST /api/v1/scenario/batches", "Start the next batch", sup, batchRequest{Title: "2023 年第三批场景机会清单"}, s.apiBatchCreate)
	s.Handle("POST /api/v1/scenario/batches/{id}/publish", "Publish a batch: its needs open for bids", sup, s.apiBatchPublish)
	s.Handle("POST /api/v1/scenario/batches/{id}/import", "Import calls into a batch being prepared (body: the .xlsx file; query: filename)", sup, s.apiImport)
	s.Handle("GET /api/v1/scenario/calls/{id}/matches", "Suggested enterprises for an open call, with reasons (?limit=)", web.Staff, s.apiMatches)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/invitations", "Invite suggested enterprises to bid", sup, inviteRequest{EnterpriseIDs: []int64{42, 57}}, s.apiInvite)
	s.Handle("GET /api/v1/scenario/inbox", "My enterprise's invitations and new calls in followed categories", ent, s.apiInbox)
	s.HandleBody("PUT /api/v1/scenario/follows", "Set the categories my enterprise follows", ent, followsRequest{Categories: []string{scenario.CatDigital}}, s.apiFollows)
	s.HandleBody("POST /api/v1/scenario/needs/{id}/approval", "Approve a need into a batch", sup, approveRequest{BatchID: 3}, s.apiApprove)
	s.HandleBody("POST /api/v1/scenario/needs/{id}/rejection", "Reject a need with a reason", sup, reasonRequest{Reason: "属于常规采购，不属于场景机会"}, s.apiReject)
	s.Handle("POST /api/v1/scenario/calls/{id}/close", "Close bidding after the deadline", sup, s.apiClose)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/failure", "End a call without a winner", sup, reasonRequest{Reason: "揭榜方案均未达到技术要求"}, s.apiFail)
	s.Handle("GET /api/v1/scenario/calls/{id}/bids", "Bids on a call that I may see", signed, s.apiBids)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/bids", "Bid as my enterprise (files base64)", ent, bidRequest{BidInput: bidEx}, s.apiBidSubmit)
	s.Handle("GET /api/v1/scenario/bids", "My enterprise's bids", ent, s.apiMyBids)
	s.Handle("GET /api/v1/scenario/bids/{id}", "One bid", signed, s.apiBid)
	s.HandleBody("PUT /api/v1/scenario/bids/{id}", "Edit my enterprise's bid before the deadline", ent, bidEx, s.apiBidUpdate)
	s.HandleBody("POST /api/v1/scenario/bids/{id}/withdrawal", "Withdraw my enterprise's bid", ent, reasonRequest{Reason: "团队调整"}, s.apiBidWithdraw)
	s.Handle("POST /api/v1/scenario/bids/{id}/confirmation", "Confirm taking part in a joint bid", ent, s.apiBidConfirm)

	// Evaluation (评审) and the result's notice (结果公示): staff set the
	// rules, assign experts and choose the winner; experts score what is
	// theirs; anyone reads the result, objects and looks the decision up.
	rev := web.Only(org.Reviewer)
	revStaff := web.Only(org.Reviewer, org.Admin, org.Leader, org.Supervisor)
	s.Handle("GET /scenarios/{id}/evaluation", "A call's evaluation: rules, experts, ranking, winner, objections", web.Staff, s.handleEvaluation)
	s.Handle("POST /scenarios/{id}/rules", "Set a call's criteria, trimAt and notice days", sup, s.handleRules)
	s.Handle("POST /scenario-bids/{id}/assign", "Give a bid to an expert (conflicts detected)", sup, s.handleAssign)
	s.Handle("POST /scenarios/{id}/winner", "Choose the winner; the result goes on notice", sup, s.handleWinner)
	s.Handle("POST /scenarios/{id}/confirm", "Confirm the result after the notice: delivery starts", sup, s.handleConfirm)
	s.Handle("POST /scenario-objections/{id}/decide", "Decide an objection to a call's result", sup, s.handleDecideObjection)
	s.Handle("GET /scenario-reviews", "The bids given to me to review", rev, s.handleReviews)
	s.Handle("GET /scenario-reviews/{id}", "Review a bid: its content, scores, recusal", revStaff, s.handleReviewBid)
	s.Handle("POST /scenario-reviews/{id}/scores", "Score a bid given to me", rev, s.handleScores)
	s.Handle("POST /scenario-reviews/{id}/recuse", "Recuse from a bid given to me, with a reason", rev, s.handleRecuse)
	s.Handle("POST /scenarios/{id}/objections", "Object to a call's result on notice; answers with a receipt number", web.Public, s.handleObject)
	s.Handle("GET /scenarios/receipt", "Look up an objection's decision by its receipt number", web.Public, s.handleReceiptForm)
	s.Handle("POST /scenarios/receipt", "An objection's decision by its receipt number", web.Public, s.handleReceiptLookup)

	s.Handle("GET /api/v1/scenario/calls/{id}/result", "A call's published result: winner and panel scores (anyone)", web.Public, s.apiResult)
	s.Handle("GET /api/v1/scenario/calls/{id}/evaluation", "A call's evaluation (staff)", web.Staff, s.apiEvaluation)
	s.HandleBody("PUT /api/v1/scenario/calls/{id}/rules", "Set a call's criteria, trimAt and notice days", sup,
		scenario.Rules{Criteria: scenario.DefaultCriteria, TrimAt: 5, NoticeDays: 7}, s.apiRules)
	s.HandleBody("POST /api/v1/scenario/bids/{id}/assignments", "Give a bid to an expert (conflicts detected)", sup, assignRequest{ReviewerID: 7}, s.apiAssign)
	s.Handle("GET /api/v1/scenario/assignments", "The bids given to me to review", rev, s.apiMyAssignments)
	s.Handle("GET /api/v1/scenario/assignments/{id}", "One assignment with the bid (its expert, or staff)", revStaff, s.apiAssignment)
	s.HandleBody("PUT /api/v1/scenario/assignments/{id}/scores", "Score a bid given to me", rev,
		scoresRequest{Scores: []scenario.Score{{Criterion: "solution", Value: "34.5", Comment: "方案完整"}, {Criterion: "team", Value: "16"},
			{Criterion: "price", Value: "18"}, {Criterion: "plan", Value: "15"}}}, s.apiScores)
	s.HandleBody("POST /api/v1/scenario/assignments/{id}/recusal", "Recuse from a bid given to me", rev, reasonRequest{Reason: "曾为该企业提供咨询"}, s.apiRecuse)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/winner", "Choose the winner (another than the top needs a reason)", sup, winnerRequest{BidID: 12}, s.apiWinner)
	s.Handle("POST /api/v1/scenario/calls/{id}/confirmation", "Confirm the result after the notice", sup, s.apiConfirm)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/objections", "Object to a call's result on notice (anyone)", web.Public,
		scenario.NewObjection{BidID: 12, Name: "王五", Contact: "wang@example.com", Reason: "中标企业的团队人员与揭榜材料不符……"}, s.apiObject)
	s.Handle("GET /api/v1/scenario/calls/{id}/objections", "Objections to a call's result (staff)", web.Staff, s.apiObjections)
	s.HandleBody("POST /api/v1/scenario/objections/{id}/decision", "Decide an objection; upheld withdraws the result", sup,
		decisionRequest{Upheld: false, Finding: "经核查，团队人员与材料一致"}, s.apiDecide)
	s.HandleBody("POST /api/v1/scenario/objection-receipts", "An objection's decision by its receipt number (anyone)", web.Public,
		receiptRequest{Receipt: "12-ABCDEFGHJKMNPQRS"}, s.apiReceipt)
	s.Handle("GET /api/v1/scenario/calls/{id}/delivery", "A call's contract, stages and acceptances (staff, owner, winner)", signed, s.apiDelivery)
	s.HandleBody("POST /api/v1/scenario/calls/{id}/contract", "Sign the contract with the winner", sup,
		scenario.SignInput{ContractNo: "GX-CJ-2023-001", SignedOn: "2023-08-05"}, s.apiSign)
	s.Handle("POST /api/v1/scenario/calls/{id}/stages/{seq}/payment", "Request a stage payment", sup,
		s.apiStage(func(r *http.Request, id int64, seq int, _ stageRequest) (scenario.Contract, error) {
			return s.Scenario.RequestPayment(r.Context(), viewer(r), id, seq)
		}, false))
	s.Handle("POST /api/v1/scenario/calls/{id}/stages/{seq}/approval", "Approve a stage payment (not its requester)", web.Only(org.Supervisor, org.Leader),
		s.apiStage(func(r *http.Request, id int64, seq int, _ stageRequest) (scenario.Contract, error) {
			return s.Scenario.ApprovePayment(r.Context(), viewer(r), id, seq)
		}, false))
	s.HandleBody("POST /api/v1/scenario/calls/{id}/stages/{seq}/paid", "Record a stage payment as paid", sup, stageRequest{VoucherNo: "记-2023-0815", PaidOn: "2023-08-15"},
		s.apiStage(func(r *http.Request, id int64, seq int, req stageRequest) (scenario.Contract, error) {
			return s.Scenario.MarkPaid(r.Context(), viewer(r), id, seq, req.VoucherNo, req.PaidOn)
		}, true))
	s.HandleBody("POST /api/v1/scenario/calls/{id}/acceptances", "Record an acceptance verdict (files base64)", sup,
		acceptRequest{AcceptInput: scenario.AcceptInput{Passed: true, On: "2023-11-10", Opinion: "系统运行稳定，同意验收"}}, s.apiAccept)
	s.Handle("POST /api/v1/scenario/calls/{id}/closing", "Close an accepted call paid in full (结项)", sup, s.apiCloseCall)
}
