package scenario

import "gaoxin/internal/errs"

// The states of a call (a need once it is reviewed), each defined once here
// with its labels, the phase it stands for and the moves allowed into it.
// Every write consults this table rather than comparing states itself.
const (
	StateCollecting   = "collecting"   // 征集: submitted, awaiting review; its owner may edit it
	StateApproved     = "approved"     // 审核通过: in a batch not yet published
	StateRejected     = "rejected"     // 未通过, with a reason
	StatePublished    = "published"    // 发布 · 揭榜中: open for bids until the deadline
	StateEvaluating   = "evaluating"   // 评审: bids closed, under evaluation
	StateFailed       = "failed"       // 未成交: the call failed, with a reason
	StateNotice       = "notice"       // 结果公示: a winner chosen, on public notice with objections
	StateImplementing = "implementing" // 实施: the result confirmed, the winner delivers
	StateAccepted     = "accepted"     // 验收通过: delivery accepted; the last payments follow
	StateClosed       = "closed"       // 结项: accepted and paid in full
)

// Phases of a call, in order, as the 场景机会清单 names them; a call records
// the date it reaches each (scenario_phases).
const (
	PhaseCollect   = "collect"   // 征集
	PhaseReview    = "review"    // 审核
	PhasePublish   = "publish"   // 发布
	PhaseBid       = "bid"       // 揭榜 (reached when bids close)
	PhaseEvaluate  = "evaluate"  // 评审
	PhaseImplement = "implement" // 实施
	PhaseAccept    = "accept"    // 验收
	PhaseClose     = "close"     // 结项
	PhaseRejected  = "rejected"  // ended: not approved
	PhaseFailed    = "failed"    // ended: the call failed
)

// PhaseInfo is a phase with its names.
type PhaseInfo struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Phases lists the eight phases of a call in order.
var Phases = []PhaseInfo{
	{PhaseCollect, "征集", "Collected"}, {PhaseReview, "审核", "Reviewed"}, {PhasePublish, "发布", "Published"},
	{PhaseBid, "揭榜", "Bids closed"}, {PhaseEvaluate, "评审", "Evaluated"}, {PhaseImplement, "实施", "In delivery"},
	{PhaseAccept, "验收", "Accepted"}, {PhaseClose, "结项", "Closed"},
}

var endPhases = map[string][2]string{PhaseRejected: {"未通过审核", "Not approved"}, PhaseFailed: {"未成交", "Call failed"}}

// PhaseLabel is a phase's Chinese and English name.
func PhaseLabel(code string) (string, string) {
	for _, p := range Phases {
		if p.Code == code {
			return p.NameZH, p.NameEN
		}
	}
	if l, ok := endPhases[code]; ok {
		return l[0], l[1]
	}
	return code, code
}

type callState struct {
	zh, en string
	public bool     // readable by everyone
	open   bool     // bids accepted (until the deadline)
	signed bool     // past the result's confirmation: the call may have a contract
	from   []string // the states a move into this one may start from ("" for a new need)
	refuse [2]string
}

var callStates = map[string]callState{
	StateCollecting: {zh: "征集中", en: "collecting", from: []string{""}},
	StateApproved: {zh: "审核通过", en: "approved", from: []string{StateCollecting},
		refuse: [2]string{"只有征集中的需求可以审核", "only a need being collected can be reviewed"}},
	StateRejected: {zh: "未通过审核", en: "not approved", from: []string{StateCollecting, StateApproved},
		refuse: [2]string{"已发布的场景不能退回", "a published call cannot be rejected"}},
	StatePublished: {zh: "揭榜中", en: "open for bids", public: true, open: true, from: []string{StateApproved},
		refuse: [2]string{"只有审核通过、编入批次的需求可以发布", "only approved needs in a batch can be published"}},
	// A call also goes back to evaluation from the notice when an
	// objection is upheld and its result is withdrawn.
	StateEvaluating: {zh: "评审中", en: "in evaluation", public: true, from: []string{StatePublished, StateNotice},
		refuse: [2]string{"只有揭榜中的场景可以截止揭榜", "only a call open for bids can close its bidding"}},
	StateFailed: {zh: "未成交", en: "failed", public: true, from: []string{StatePublished, StateEvaluating, StateNotice},
		refuse: [2]string{"只有揭榜、评审或公示中的场景可以宣布未成交", "only a call open for bids, in evaluation or on notice can fail"}},
	StateNotice: {zh: "结果公示中", en: "result on notice", public: true, from: []string{StateEvaluating},
		refuse: [2]string{"只有评审中的场景可以确定中标方", "only a call in evaluation can choose a winner"}},
	StateImplementing: {zh: "实施中", en: "in delivery", public: true, signed: true, from: []string{StateNotice},
		refuse: [2]string{"只有结果公示中的场景可以确认中标", "only a call whose result is on notice can be confirmed"}},
	StateAccepted: {zh: "已验收", en: "accepted", public: true, signed: true, from: []string{StateImplementing},
		refuse: [2]string{"只有实施中的场景可以验收", "only a call in delivery can be accepted"}},
	StateClosed: {zh: "已结项", en: "closed", public: true, signed: true, from: []string{StateAccepted},
		refuse: [2]string{"只有验收通过的场景可以结项", "only an accepted call can be closed"}},
}

// StateLabel is a call state's Chinese and English name.
func StateLabel(s string) (string, string) {
	if st, ok := callStates[s]; ok {
		return st.zh, st.en
	}
	return s, s
}

// PublicState reports whether a call in state s is on the public portal.
func PublicState(s string) bool { return callStates[s].public }

// DeliveryState reports whether a call in state s may have a contract
// and its delivery: only once its result is confirmed. A call in any
// other state has none, so its page need not look.
func DeliveryState(s string) bool { return callStates[s].signed }

// may says whether a call in state from may move to state to. Errors:
// Conflict.
func may(from, to string) error {
	st, ok := callStates[to]
	if !ok {
		return errs.New(errs.Conflict, "场景不能转为该状态", "a call cannot move to that state")
	}
	for _, f := range st.from {
		if f == from {
			return nil
		}
	}
	return errs.New(errs.Conflict, st.refuse[0], st.refuse[1])
}

// Bid states.
const (
	BidSubmitted = "submitted"
	BidWithdrawn = "withdrawn"
)

// BidStateLabel is a bid state's Chinese and English name.
func BidStateLabel(s string) (string, string) {
	switch s {
	case BidSubmitted:
		return "已揭榜", "submitted"
	case BidWithdrawn:
		return "已撤回", "withdrawn"
	}
	return s, s
}
