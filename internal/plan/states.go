package plan

import "gaoxin/internal/errs"

// The progress report machine, defined once: draft → submitted → accepted
// or returned; a returned report is edited and submitted again. Every write
// of a report asks reportMove for the state it reaches.

// Report states.
const (
	Draft     = "draft"
	Submitted = "submitted"
	Returned  = "returned"
	Accepted  = "accepted"
)

// reportLabels name the report states in Chinese and English.
var reportLabels = map[string][2]string{
	Draft: {"草稿", "draft"}, Submitted: {"待审核", "submitted"}, Returned: {"已退回", "returned"}, Accepted: {"已采纳", "accepted"},
}

// StateLabel names a report state in Chinese and English.
func StateLabel(state string) (zh, en string) {
	if l, ok := reportLabels[state]; ok {
		return l[0], l[1]
	}
	return state, state
}

// Acts on a report.
const (
	actFile   = "file"   // create as a draft
	actSubmit = "submit" // create or edit, and submit
	actSave   = "save"   // edit without submitting
	actAttach = "attach" // add an attachment
	actAccept = "accept" // supervisor accepts
	actReturn = "return" // supervisor returns, with a comment
)

// reportMoves is the machine: for each act, the state a report in a given
// state reaches ("" is a report not filed yet). A pair not listed is refused.
var reportMoves = map[string]map[string]string{
	actFile:   {"": Draft},
	actSubmit: {"": Submitted, Draft: Submitted, Returned: Submitted},
	actSave:   {Draft: Draft, Returned: Returned},
	actAttach: {Draft: Draft, Returned: Returned},
	actAccept: {Submitted: Accepted},
	actReturn: {Submitted: Returned},
}

// reportMove is the state a report in state from reaches by act. Errors:
// Conflict (the act is not allowed in that state).
func reportMove(act, from string) (string, error) {
	if to, ok := reportMoves[act][from]; ok {
		return to, nil
	}
	zh, en := StateLabel(from)
	if act == actAccept || act == actReturn {
		return "", errs.New(errs.Conflict, "只能审核待审核的报告（当前：“"+zh+"”）", "only submitted reports can be reviewed (this one is "+en+")")
	}
	return "", errs.New(errs.Conflict, "报告状态为“"+zh+"”，不能再修改", "the report is "+en+" and can no longer be changed")
}
