package award

import (
	"testing"

	"gaoxin/internal/errs"
)

func TestProgrammeMachine(t *testing.T) {
	order := []string{StateDraft, StateOpen, StateReview, StateNotice, StateConfirmed, StateClosed}
	for i, from := range order {
		want := ""
		if i+1 < len(order) {
			want = order[i+1]
		}
		if got := NextState(from); got != want {
			t.Errorf("NextState(%s) = %q, want %q", from, got, want)
		}
		if zh, en := StateLabel(from); zh == from || en == "" {
			t.Errorf("state %s has no label", from)
		}
		if pub := i >= 3; PublicState(from) != pub {
			t.Errorf("PublicState(%s) = %v", from, !pub)
		}
	}
	// Refused: skipping, going back, leaving closed, unknown states.
	for _, c := range [][2]string{{StateDraft, StateReview}, {StateOpen, StateDraft}, {StateReview, StateOpen},
		{StateNotice, StateClosed}, {StateClosed, StateDraft}, {"nonsense", StateOpen}} {
		if NextState(c[0]) == c[1] {
			t.Errorf("%s → %s allowed", c[0], c[1])
		}
	}
	if zh, en := StateLabel("nonsense"); zh != "nonsense" || en != "nonsense" {
		t.Errorf("unknown state label = %q %q", zh, en)
	}
	if got := publicStates(); len(got) != 3 || got[0] != StateNotice || got[2] != StateClosed {
		t.Errorf("publicStates = %v", got)
	}
}

func TestPaymentMachine(t *testing.T) {
	allowed := [][2]string{
		{PayPending, PayApproved}, {PayApproved, PayPaid}, {PayPaid, PayReversed},
		{PayPending, PayWithdrawn}, {PayApproved, PayWithdrawn},
	}
	for _, c := range allowed {
		if err := payments.may(c[0], c[1]); err != nil {
			t.Errorf("%s → %s refused: %v", c[0], c[1], err)
		}
	}
	refused := []struct{ from, to, en string }{
		{PayApproved, PayApproved, "only a pending payment can be approved"},
		{PayPaid, PayApproved, "only a pending payment can be approved"},
		{PayPending, PayPaid, "only an approved payment can be marked paid"},
		{PayWithdrawn, PayPaid, "only an approved payment can be marked paid"},
		{PayApproved, PayReversed, "only a paid payment can be reversed"},
		{PayReversed, PayReversed, "only a paid payment can be reversed"},
		{PayPaid, PayWithdrawn, "only a pending or approved payment, not yet paid, can be withdrawn"},
		{PayWithdrawn, PayWithdrawn, "only a pending or approved payment, not yet paid, can be withdrawn"},
		{PayPaid, PayPending, "a payment cannot become pending"},
	}
	for _, c := range refused {
		e := asErr(payments.may(c.from, c.to))
		if e.Code != errs.Conflict || e.MsgEN != c.en {
			t.Errorf("%s → %s: %+v", c.from, c.to, e)
		}
	}
}

func TestApplicationMachine(t *testing.T) {
	for _, c := range [][2]string{{"", AppSubmitted}, {AppReturned, AppSubmitted}, {AppSubmitted, AppAccepted}, {AppSubmitted, AppReturned}} {
		if err := applications.may(c[0], c[1]); err != nil {
			t.Errorf("%q → %s refused: %v", c[0], c[1], err)
		}
	}
	refused := []struct{ from, to, en string }{
		{AppSubmitted, AppSubmitted, "an application is already submitted"},
		{AppAccepted, AppSubmitted, "an application is already submitted"},
		{AppAccepted, AppReturned, "this application has already been checked"},
		{AppReturned, AppAccepted, "this application has already been checked"},
		{AppAccepted, AppAccepted, "this application has already been checked"},
		{AppAccepted, "", "an application cannot become "},
	}
	for _, c := range refused {
		e := asErr(applications.may(c.from, c.to))
		if e.Code != errs.Conflict || e.MsgEN != c.en {
			t.Errorf("%s → %q: %+v", c.from, c.to, e)
		}
	}
}

func TestLabels(t *testing.T) {
	for s, want := range map[string]string{AppReturned: "已退回", PayPaid: "已支付", "recused": "主动回避", "nonsense": "nonsense"} {
		if zh, _ := Label(s); zh != want {
			t.Errorf("Label(%s) = %s, want %s", s, zh, want)
		}
	}
}
