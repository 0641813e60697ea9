package award

import "gaoxin/internal/errs"

// The state machines of the awards module, each defined once here: the
// states, their labels and the allowed moves. Every write consults these
// tables rather than comparing states itself.

// programmeState is one state of a programme: its labels, the one forward
// step Advance may take from it, and whether the ranking is public in it.
type programmeState struct {
	zh, en string
	next   string
	public bool
}

// programmeStates is the programme machine: draft → open → review → notice
// → confirmed → closed. An upheld objection restarts the notice (notice →
// notice, a new round and a new period; see Decide), which is no step of
// Advance.
var programmeStates = map[string]programmeState{
	StateDraft:     {zh: "草稿", en: "draft", next: StateOpen},
	StateOpen:      {zh: "申报中", en: "open for applications", next: StateReview},
	StateReview:    {zh: "评审中", en: "in review", next: StateNotice},
	StateNotice:    {zh: "公示中", en: "on public notice", next: StateConfirmed, public: true},
	StateConfirmed: {zh: "已认定", en: "confirmed", next: StateClosed, public: true},
	StateClosed:    {zh: "已结束", en: "closed", public: true},
}

// NextState is the one state Advance may move a programme in state s to;
// "" when none.
func NextState(s string) string { return programmeStates[s].next }

// StateLabel is a state's name in Chinese and English.
func StateLabel(s string) (string, string) {
	if st, ok := programmeStates[s]; ok {
		return st.zh, st.en
	}
	return s, s
}

// PublicState reports whether a programme in state s shows its ranking and
// notice to everyone.
func PublicState(s string) bool { return programmeStates[s].public }

// machine is a state machine of one kind of object: its noun and its states'
// labels (Chinese, English), and, keyed by the state a move reaches, the
// states it may start from ("" for a new object) with the Conflict message
// when the object is in another.
type machine struct {
	noun   [2]string
	labels map[string][2]string
	moves  map[string]move
}

type move struct {
	from   []string
	zh, en string
}

// may says whether an object in state from may move to state to. Errors:
// Conflict.
func (m machine) may(from, to string) error {
	mv, ok := m.moves[to]
	if !ok {
		zh, en := m.label(to)
		return errs.New(errs.Conflict, m.noun[0]+"不能转为"+zh, m.noun[1]+" cannot become "+en)
	}
	for _, f := range mv.from {
		if f == from {
			return nil
		}
	}
	return errs.New(errs.Conflict, mv.zh, mv.en)
}

func (m machine) label(s string) (string, string) {
	if l, ok := m.labels[s]; ok {
		return l[0], l[1]
	}
	return s, s
}

// Application states.
const (
	AppSubmitted = "submitted" // waiting for the formal check
	AppAccepted  = "accepted"  // passed the formal check; may be assigned
	AppReturned  = "returned"  // sent back with a reason; may be resubmitted
	AppWithdrawn = "withdrawn" // withdrawn by the enterprise, with its reason; may be resubmitted
)

// applications is the application machine: submitted → accepted or
// returned; a returned application is submitted again. The enterprise may
// withdraw it before the notice, and submit it again while the programme
// is open.
var applications = machine{noun: [2]string{"申报", "an application"},
	labels: map[string][2]string{
		AppSubmitted: {"已提交", "submitted"}, AppAccepted: {"形式审查通过", "accepted"}, AppReturned: {"已退回", "returned"},
		AppWithdrawn: {"已撤回", "withdrawn"}},
	moves: map[string]move{
		AppSubmitted: {from: []string{"", AppReturned, AppWithdrawn}, zh: "已提交过申报，不能重复提交", en: "an application is already submitted"},
		AppAccepted:  {from: []string{AppSubmitted}, zh: "该申报已审查过", en: "this application has already been checked"},
		AppReturned:  {from: []string{AppSubmitted}, zh: "该申报已审查过", en: "this application has already been checked"},
		AppWithdrawn: {from: []string{AppSubmitted, AppAccepted, AppReturned}, zh: "该申报已撤回", en: "this application is already withdrawn"},
	}}

// Payment states.
const (
	PayPending   = "pending"   // requested, waiting for approval
	PayApproved  = "approved"  // approved by a second person, waiting for the bank
	PayPaid      = "paid"      // paid, in the ledger
	PayReversed  = "reversed"  // paid and corrected by a reversal entry
	PayWithdrawn = "withdrawn" // cancelled before it was paid
)

// payments is the payment machine. A payment is created pending; paid may
// only be reversed; reversed and withdrawn are final.
var payments = machine{noun: [2]string{"付款", "a payment"},
	labels: map[string][2]string{
		PayPending: {"待审批", "pending"}, PayApproved: {"已审批", "approved"}, PayPaid: {"已支付", "paid"},
		PayReversed: {"已冲正", "reversed"}, PayWithdrawn: {"已撤回", "withdrawn"}},
	moves: map[string]move{
		PayApproved:  {from: []string{PayPending}, zh: "只有待审批的付款可以审批", en: "only a pending payment can be approved"},
		PayPaid:      {from: []string{PayApproved}, zh: "只有已审批的付款可以登记支付", en: "only an approved payment can be marked paid"},
		PayReversed:  {from: []string{PayPaid}, zh: "只有已支付的付款可以冲正", en: "only a paid payment can be reversed"},
		PayWithdrawn: {from: []string{PayPending, PayApproved}, zh: "只有待审批或已审批未支付的付款可以撤回", en: "only a pending or approved payment, not yet paid, can be withdrawn"},
	}}

// Labels of the states of assignments and objections, which change in one
// place each (review.go, notice.go).
var otherLabels = map[string][2]string{
	"assigned": {"待评分", "to score"}, "scored": {"已评分", "scored"}, "conflict": {"利益冲突，已回避", "conflict of interest"},
	"recused": {"主动回避", "recused"}, "filed": {"待处理", "filed"}, "upheld": {"成立", "upheld"}, "dismissed": {"不成立", "dismissed"},
}

// Label is the name in Chinese and English of a state of an application,
// assignment, objection or payment; an unknown state is its own name.
func Label(s string) (string, string) {
	for _, m := range []machine{applications, payments} {
		if _, ok := m.labels[s]; ok {
			return m.label(s)
		}
	}
	if l, ok := otherLabels[s]; ok {
		return l[0], l[1]
	}
	return s, s
}
