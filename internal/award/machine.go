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

// Payment states.
const (
	PayPending   = "pending"   // requested, waiting for approval
	PayApproved  = "approved"  // approved by a second person, waiting for the bank
	PayPaid      = "paid"      // paid, in the ledger
	PayReversed  = "reversed"  // paid and corrected by a reversal entry
	PayWithdrawn = "withdrawn" // cancelled before it was paid
)

// paymentMove is one kind of payment move: the states it starts from and the
// Conflict message when the payment is in another.
type paymentMove struct {
	from   []string
	zh, en string
}

// paymentMoves is the payment machine, keyed by the state a move reaches.
// A payment is created pending; paid, reversed and withdrawn are final but
// for the reversal of a paid one.
var paymentMoves = map[string]paymentMove{
	PayApproved:  {from: []string{PayPending}, zh: "只有待审批的付款可以审批", en: "only a pending payment can be approved"},
	PayPaid:      {from: []string{PayApproved}, zh: "只有已审批的付款可以登记支付", en: "only an approved payment can be marked paid"},
	PayReversed:  {from: []string{PayPaid}, zh: "只有已支付的付款可以冲正", en: "only a paid payment can be reversed"},
	PayWithdrawn: {from: []string{PayPending, PayApproved}, zh: "只有待审批或已审批未支付的付款可以撤回", en: "only a pending or approved payment, not yet paid, can be withdrawn"},
}

// paymentMay says whether a payment in state from may move to state to.
// Errors: Conflict.
func paymentMay(from, to string) error {
	m, ok := paymentMoves[to]
	if !ok {
		return errs.New(errs.Conflict, "付款不能转到 "+to, "a payment cannot move to "+to)
	}
	for _, f := range m.from {
		if f == from {
			return nil
		}
	}
	return errs.New(errs.Conflict, m.zh, m.en)
}
