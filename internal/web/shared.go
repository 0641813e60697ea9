package web

import (
	"net/http"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// Lookups more than one module's pages show.

// EnterpriseViewer is the caller as the registry's services take it (the
// registry's pages and the awards, which read flags and figures through it).
func EnterpriseViewer(r *http.Request) enterprise.Viewer { return enterprise.ViewerOf(CurrentUser(r)) }

// OverdueFigures lists the indicator figures that are past due and missing
// and that u should chase: a unit's own, every unit's for a supervisor, none
// for other roles. "Today" is the newest target year's as-of date, as on the
// targets dashboard.
func (s *Server) OverdueFigures(r *http.Request, u *org.User) ([]kpi.Overdue, error) {
	return s.KPI.OverdueOwed(r.Context(), kpi.ScopeOf(u))
}

// InboxKindText names an inbox item kind (the plan's 待办) in the page's
// language; the home page and the inbox show them.
func InboxKindText(p Page, k string) string {
	switch k {
	case plan.KindReportDue:
		return p.L("待填报", "report to file")
	case plan.KindReportReturned:
		return p.L("报告被退回", "report returned")
	case plan.KindChaseOpen:
		return p.L("督办单待回复", "chase to answer")
	case plan.KindReview:
		return p.L("报告待审核", "report to review")
	case plan.KindChaseOverdue:
		return p.L("督办单逾期未回复", "chase reply overdue")
	case plan.KindChaseReplied:
		return p.L("督办单已回复", "chase answered")
	}
	return p.L("红牌任务", "red task")
}
