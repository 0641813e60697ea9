package plan

import (
	"errors"
	"testing"

	"gaoxin/internal/errs"
)

func TestReportMachine(t *testing.T) {
	allowed := []struct{ act, from, to string }{
		{actFile, "", Draft}, {actSubmit, "", Submitted}, {actSubmit, Draft, Submitted}, {actSubmit, Returned, Submitted},
		{actSave, Draft, Draft}, {actSave, Returned, Returned}, {actAttach, Draft, Draft}, {actAttach, Returned, Returned},
		{actAccept, Submitted, Accepted}, {actReturn, Submitted, Returned},
	}
	for _, c := range allowed {
		if to, err := reportMove(c.act, c.from); err != nil || to != c.to {
			t.Errorf("%s from %q = %q, %v; want %q", c.act, c.from, to, err, c.to)
		}
	}
	refused := []struct{ act, from, en string }{
		{actSave, Submitted, "the report is submitted and can no longer be changed"},
		{actSubmit, Submitted, "the report is submitted and can no longer be changed"},
		{actSubmit, Accepted, "the report is accepted and can no longer be changed"},
		{actAttach, Accepted, "the report is accepted and can no longer be changed"},
		{actFile, Draft, "the report is draft and can no longer be changed"},
		{actAccept, Draft, "only submitted reports can be reviewed (this one is draft)"},
		{actAccept, Accepted, "only submitted reports can be reviewed (this one is accepted)"},
		{actReturn, Returned, "only submitted reports can be reviewed (this one is returned)"},
	}
	for _, c := range refused {
		_, err := reportMove(c.act, c.from)
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Conflict || e.MsgEN != c.en {
			t.Errorf("%s from %q: %v", c.act, c.from, err)
		}
	}
	for s, want := range map[string]string{Draft: "草稿", Submitted: "待审核", Returned: "已退回", Accepted: "已采纳", "x": "x"} {
		if zh, _ := StateLabel(s); zh != want {
			t.Errorf("StateLabel(%s) = %s", s, zh)
		}
	}
}
