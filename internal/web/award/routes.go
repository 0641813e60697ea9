// Package award serves the pages and JSON API of the 评优奖补 (awards and subsidies) module: its
// handlers, its routes (listed in this file) and its templates, embedded
// from templates/.
package award

import (
	"embed"
	"io/fs"

	"gaoxin/internal/award"
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
	if err := s.AddPages("award", pages); err != nil {
		return err
	}
	(&handlers{s}).routes()
	return s.Describe(docs)
}

// routes registers the pages and API of awards and subsidies (评优与奖补).
// Supervisors run programmes; leaders and admins read (leaders also approve
// payments); reviewers score what is assigned to them; enterprises apply and
// see their own; anyone reads public notices and may object.
func (s *handlers) routes() {
	staff := web.Staff
	sup := web.Only(org.Supervisor)
	approver := web.Only(org.Supervisor, org.Leader)
	rev := web.Only(org.Reviewer)
	ent := web.Only(org.Enterprise)
	readers := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise, org.Reviewer, org.UnitStaff, org.Investor)

	// Pages.
	s.Handle("GET /awards", "Award programmes", web.Public, s.handleAwards)
	s.Handle("GET /awards/new", "New programme form", sup, s.handleNew)
	s.Handle("POST /awards", "Create programme", sup, s.handleCreate)
	s.Handle("GET /awards/programmes/{id}", "Programme page", readers, s.handlePage)
	s.Handle("GET /awards/programmes/{id}/edit", "Edit draft form", sup, s.handleEdit)
	s.Handle("POST /awards/programmes/{id}/edit", "Save draft", sup, s.handleUpdate)
	s.Handle("POST /awards/programmes/{id}/delete", "Delete a draft", sup, s.handleDelete)
	s.Handle("POST /awards/programmes/{id}/state", "Advance programme", sup, s.handleAdvance)
	s.Handle("POST /awards/programmes/{id}/rank", "Rank programme", sup, s.handleRank)
	s.Handle("POST /awards/programmes/{id}/apply", "Apply (multipart, evidence files)", ent, s.handleApply)
	s.Handle("POST /awards/programmes/{id}/grants", "Grant a winner (manual money rule)", sup, s.handleGrantForm)
	s.Handle("GET /awards/programmes/{id}/payments.xlsx", "Payment list for the finance bureau", staff, s.handleExport)
	s.Handle("GET /awards/applications/{id}", "Application page", readers, s.handleApplication)
	s.Handle("POST /awards/applications/{id}/check", "Formal check", sup, s.handleCheckForm)
	s.Handle("POST /awards/applications/{id}/withdraw", "Withdraw my enterprise's application", ent, s.handleWithdrawAppForm)
	s.Handle("POST /awards/applications/{id}/assign", "Assign reviewer", sup, s.handleAssignForm)
	s.Handle("GET /awards/reviews", "My review assignments", rev, s.handleReviews)
	s.Handle("POST /awards/reviews/affiliations", "Declare my affiliations", rev, s.handleAffiliationsForm)
	s.Handle("GET /awards/assignments/{id}", "Score an assignment", web.Only(org.Reviewer, org.Admin, org.Leader, org.Supervisor), s.handleAssignment)
	s.Handle("POST /awards/assignments/{id}/scores", "Submit scores", rev, s.handleScoresForm)
	s.Handle("POST /awards/assignments/{id}/recuse", "Recuse", rev, s.handleRecuseForm)
	s.Handle("GET /awards/evidence/{id}", "Download evidence", readers, s.handleEvidence)
	s.Handle("POST /awards/objections/{id}/decide", "Decide an objection", sup, s.handleDecideForm)
	s.Handle("POST /awards/grants/{id}/pay", "Request payment", sup, s.handlePayForm)
	s.Handle("POST /awards/payments/{id}/approve", "Approve payment", approver, s.handleApproveForm)
	s.Handle("POST /awards/payments/{id}/paid", "Mark payment paid", sup, s.handlePaidForm)
	s.Handle("POST /awards/payments/{id}/reverse", "Reverse payment", sup, s.handleReverseForm)
	s.Handle("POST /awards/payments/{id}/withdraw", "Withdraw a payment not yet paid", sup, s.handleWithdrawForm)
	s.Handle("GET /awards/totals", "Totals by programme and year", staff, s.handleTotals)
	s.Handle("GET /awards/flags", "Enterprise flags", staff, s.handleFlags)
	s.Handle("POST /awards/flags", "Add flag", sup, s.handleFlagForm)
	s.Handle("POST /awards/flags/{id}/clear", "Clear flag", sup, s.handleFlagClearForm)
	s.Handle("GET /notices/{id}", "Public notice (公示)", web.Public, s.handleNotice)
	s.Handle("GET /notices/{id}/pdf", "Public notice as an A4 PDF", web.Public, s.handleNoticePDF)
	s.Handle("POST /notices/{id}/objections", "File an objection; answers with its receipt number", web.Public, s.handleNoticeObject)
	s.Handle("GET /notices/receipt", "Look up an objection's decision by its receipt number", web.Public, s.handleReceiptForm)
	s.Handle("POST /notices/receipt", "Objection decision by receipt number", web.Public, s.handleReceiptLookup)

	// JSON API.
	example := award.NewProgramme{Year: 2023, NameZH: "2023 科技创新20强", NameEN: "Top 20 innovators 2023", Kind: award.KindRanking,
		Quota: 20, BudgetFen: 18_800_000_000, NoticeDays: 7, Rules: exampleRules()}
	s.Handle("GET /api/v1/award/programmes", "List programmes (drafts: staff only)", readers, s.apiProgrammes)
	s.HandleBody("POST /api/v1/award/programmes", "Create a draft programme", sup, example, s.apiProgrammeCreate)
	s.Handle("GET /api/v1/award/programmes/{id}", "One programme", readers, s.apiProgramme)
	s.HandleBody("PUT /api/v1/award/programmes/{id}", "Edit a draft programme", sup, example, s.apiProgrammeUpdate)
	s.Handle("DELETE /api/v1/award/programmes/{id}", "Delete a draft programme (audited)", sup, s.apiProgrammeDelete)
	s.HandleBody("POST /api/v1/award/programmes/preview", "Preview the ranking of draft rules over the registry (nothing stored)", sup, example, s.apiPreview)
	s.HandleBody("POST /api/v1/award/programmes/{id}/state", "Advance: open, review, notice, confirmed, closed", sup, stateRequest{To: "open"}, s.apiAdvance)
	s.Handle("POST /api/v1/award/programmes/{id}/rank", "Rank a programme in review (new round)", sup, s.apiRank)
	s.Handle("GET /api/v1/award/programmes/{id}/ranking", "Latest ranking with every score explained", staff, s.apiRanking)
	s.Handle("GET /api/v1/award/programmes/{id}/rounds", "Ranking history", staff, s.apiRounds)
	s.Handle("GET /api/v1/award/programmes/{id}/audit", "Audit trail of a programme", staff, s.apiTrail)
	s.Handle("GET /api/v1/award/programmes/{id}/applications", "Applications to a programme", staff, s.apiApplications)
	s.HandleBody("POST /api/v1/award/programmes/{id}/applications", "Apply as my enterprise (files base64)", ent,
		applyRequest{Summary: "申报说明……", Contact: "张三 138…", Files: []web.FileInput{{Name: "证明.pdf", Base64: "JVBERi0…"}}}, s.apiApply)
	s.Handle("GET /api/v1/award/applications", "My enterprise's applications and grants", ent, s.apiMyApplications)
	s.Handle("GET /api/v1/award/applications/{id}", "One application (own, assigned or staff)", readers, s.apiApplication)
	s.HandleBody("POST /api/v1/award/applications/{id}/withdrawal", "Withdraw my enterprise's application, with a reason", ent,
		reasonRequest{Reason: "资料需要补充，下次再申报"}, s.apiWithdrawApp)
	s.HandleBody("POST /api/v1/award/applications/{id}/check", "Formal check: accept or return with reason", sup, checkRequest{Accept: false, Reason: "缺少审计报告"}, s.apiCheck)
	s.HandleBody("POST /api/v1/award/applications/{id}/assignments", "Assign a reviewer (conflicts detected)", sup, assignRequest{ReviewerID: 7}, s.apiAssign)
	s.Handle("GET /api/v1/award/assignments", "My review assignments", rev, s.apiMyAssignments)
	s.Handle("GET /api/v1/award/assignments/{id}", "One assignment (own or staff)", web.Only(org.Reviewer, org.Admin, org.Leader, org.Supervisor), s.apiAssignment)
	s.HandleBody("PUT /api/v1/award/assignments/{id}/scores", "Score every criterion", rev,
		scoresRequest{Scores: []award.Score{{Criterion: "inno", Value: "52.5", Comment: "……"}}}, s.apiScores)
	s.HandleBody("POST /api/v1/award/assignments/{id}/recuse", "Recuse with a reason", rev, reasonRequest{Reason: "曾为该企业提供咨询"}, s.apiRecuse)
	s.HandleBody("PUT /api/v1/award/reviewers/{id}/affiliations", "Declare a reviewer's affiliations", web.Only(org.Reviewer, org.Supervisor),
		affiliationsRequest{Affiliations: "某某科技有限公司\n91410100XXXXXXXXXX"}, s.apiAffiliations)
	s.Handle("GET /api/v1/award/evidence/{id}", "Download an evidence file", readers, s.handleEvidence)
	s.Handle("GET /api/v1/award/notices", "Public notices", web.Public, s.apiNotices)
	s.Handle("GET /api/v1/award/notices/{id}", "A public notice: method and winners with scores", web.Public, s.apiNotice)
	s.HandleBody("POST /api/v1/award/notices/{id}/objections", "File an objection (anyone, during the notice)", web.Public,
		objectionRequest{NewObjection: award.NewObjection{EnterpriseID: 3, Indicator: "rd_spend", Name: "王五", Contact: "wang@example.com", Reason: "……"}}, s.apiObject)
	s.HandleBody("POST /api/v1/award/objection-receipts", "An objection's decision by its receipt number (anyone)", web.Public,
		receiptRequest{Receipt: "12-ABCDEFGHJKMNPQRS"}, s.apiReceipt)
	s.Handle("GET /api/v1/award/programmes/{id}/objections", "Objections to a programme", staff, s.apiObjections)
	s.HandleBody("POST /api/v1/award/objections/{id}/decision", "Decide an objection; upheld corrections re-rank", sup,
		decisionRequest{Upheld: true, Finding: "经核实……", Corrections: []award.Correction{{Kind: "figure", EnterpriseID: 3, Indicator: "taxes", Year: 2022, Value: 100000}}}, s.apiDecide)
	s.Handle("GET /api/v1/award/programmes/{id}/grants", "Grants with balances", staff, s.apiGrants)
	s.HandleBody("POST /api/v1/award/programmes/{id}/grants", "Grant a winner (manual money rule)", sup, grantRequest{EnterpriseID: 3, AmountFen: 100000000, Basis: "评审委员会决定"}, s.apiGrantCreate)
	s.HandleBody("POST /api/v1/award/grants/{id}/payments", "Request a payment (Idempotency-Key header)", sup, award.PaymentRequest{AmountFen: 100000000, Note: "一次性兑现"}, s.apiPay)
	s.Handle("GET /api/v1/award/grants/{id}/payments", "Payments of a grant", staff, s.apiPayments)
	s.Handle("POST /api/v1/award/payments/{id}/approve", "Approve a payment (not by its requester)", approver, s.apiApprove)
	s.HandleBody("POST /api/v1/award/payments/{id}/paid", "Record payment with voucher", sup, paidRequest{VoucherNo: "记-2023-0815", PaidOn: "2023-08-15"}, s.apiPaid)
	s.HandleBody("POST /api/v1/award/payments/{id}/reversal", "Reverse a paid payment (ledger entry)", sup, reversalRequest{Reason: "账户有误", Date: "2023-08-20"}, s.apiReverse)
	s.HandleBody("POST /api/v1/award/payments/{id}/withdrawal", "Withdraw a payment not yet paid (reason kept)", sup, withdrawalRequest{Reason: "重复申请"}, s.apiWithdraw)
	s.Handle("GET /api/v1/award/programmes/{id}/payments.xlsx", "Payment list (.xlsx)", staff, s.handleExport)
	s.Handle("GET /api/v1/award/totals", "Granted and paid by programme; ?year= adds the year's ledger total", staff, s.apiTotals)
	s.Handle("GET /api/v1/award/flags", "Enterprise flags", staff, s.apiFlags)
	s.HandleBody("POST /api/v1/award/flags", "Add an enterprise flag", sup, flagRequest{EnterpriseID: 3, Kind: "严重失信", Note: "列入名单，文号……"}, s.apiFlagCreate)
	s.Handle("POST /api/v1/award/flags/{id}/clear", "Clear a flag", sup, s.apiFlagClear)
}

// exampleRules is the formula shown in the API document (the example body
// of creating, editing and previewing a programme).
func exampleRules() award.Rules {
	return award.Rules{DataYear: 2022, RequireApplication: true,
		Eligibility: award.Eligibility{TiersAny: []string{"hnte"}, NoFlag: true, MinYearsInZone: 1, RequiredFigures: []string{"revenue", "taxes"}},
		Terms: []award.Term{
			{Code: "rd", NameZH: "研发投入强度", NameEN: "R&D intensity", Source: award.SourceRatio, Indicator: "rd_spend", Denominator: "revenue",
				Transform: award.TransformBenchmark, Benchmark: 50_000, Weight: 30, Cap: 2 * award.One},
			{Code: "mu", NameZH: "亩均税收", NameEN: "Tax per mu", Source: award.SourceRatio, Indicator: "taxes", Denominator: "land",
				Transform: award.TransformPercentile, Weight: 25},
			{Code: "growth", NameZH: "营业收入增长率", NameEN: "Revenue growth", Source: award.SourceGrowth, Indicator: "revenue",
				Transform: award.TransformPercentile, Weight: 20},
			{Code: "expert", NameZH: "专家评审", NameEN: "Expert panel", Source: award.SourceExpert, Transform: award.TransformBenchmark,
				Benchmark: 100 * award.One, Weight: 25},
		},
		Criteria: []award.Criterion{{Code: "inno", NameZH: "创新能力", NameEN: "Innovation", Max: 60}, {Code: "mgmt", NameZH: "经营管理", NameEN: "Management", Max: 40}},
		Grading:  award.Grading{Enabled: true, ExemptTiers: []string{"listed"}},
		Money:    award.MoneyRule{Kind: "bands", Bands: []award.Band{{ToRank: 3, AmountFen: 15_000_000_00}, {ToRank: 10, AmountFen: 10_000_000_00}, {ToRank: 20, AmountFen: 5_800_000_00}}},
	}
}
