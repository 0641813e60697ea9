package scenario

import "testing"

// A contract is signed only in delivery (Sign refuses any other state),
// and a call never moves out of the signed states to one without: so the
// call page may skip looking for a delivery wherever DeliveryState says
// there can be none.
func TestDeliveryStatesAreClosed(t *testing.T) {
	if !DeliveryState(StateImplementing) {
		t.Fatal("a call in delivery signs its contract, so it must count as signed")
	}
	for to, st := range callStates {
		for _, from := range st.from {
			if DeliveryState(from) && !st.signed {
				t.Errorf("a signed call may move from %s to %s, which DeliveryState says has no contract", from, to)
			}
		}
	}
	for _, s := range []string{StateCollecting, StateApproved, StateRejected, StatePublished, StateEvaluating, StateFailed, StateNotice} {
		if DeliveryState(s) {
			t.Errorf("%s comes before the result is confirmed, yet counts as signed", s)
		}
	}
}
