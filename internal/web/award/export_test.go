package award

import "gaoxin/internal/web"

// Names the external tests (package award_test) use.

type AffiliationsRequest = affiliationsRequest
type ApplyRequest = applyRequest
type AssignRequest = assignRequest
type CheckRequest = checkRequest
type DecisionRequest = decisionRequest

var ExampleRules = exampleRules

type FileInput = web.FileInput
type GrantRequest = grantRequest
type NoticeView = noticeView
type ObjectionRequest = objectionRequest
type PaidRequest = paidRequest
type ReasonRequest = reasonRequest
type ScoresRequest = scoresRequest
type StateRequest = stateRequest
type WithdrawalRequest = withdrawalRequest
type ReceiptRequest = receiptRequest
