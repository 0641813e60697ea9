package enterprise

import (
	"encoding/json"
	"strings"
)

// unpublished reports whether a history side (before_json or after_json)
// holds a figure that is not confirmed: a self-reported value pending or
// rejected. Only figure actions carry figure records; an enterprise
// record's "status" (operating, moved_out…) never matches.
func unpublished(action, side string) bool {
	if side == "" || side == "null" || !strings.HasPrefix(action, "enterprise.figure.") {
		return false
	}
	var f struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(side), &f); err != nil {
		return true // unreadable: show nothing rather than too much
	}
	return f.Status == Pending || f.Status == Rejected
}

// visibleHistory removes from rows what v may not see of enterprise id: for
// a viewer who sees confirmed figures only (a unit), a change whose result
// is an unpublished figure is dropped, and an unpublished value it replaced
// (the pending value a confirmation settled) is blanked.
func visibleHistory(v Viewer, id int64, rows []HistoryRow) []HistoryRow {
	if v.SeesPending(id) {
		return rows
	}
	out := rows[:0]
	for _, h := range rows {
		if unpublished(h.Action, h.After) {
			continue
		}
		if unpublished(h.Action, h.Before) {
			h.Before = ""
		}
		out = append(out, h)
	}
	return out
}
