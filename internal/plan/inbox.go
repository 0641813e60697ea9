package plan

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Inbox item kinds.
const (
	KindReportDue      = "report_due"      // unit: a period's report to file
	KindReportReturned = "report_returned" // unit: a returned report to fix
	KindChaseOpen      = "chase_open"      // unit: a 督办单 to answer
	KindReview         = "review"          // supervisor: a submitted report to review
	KindChaseOverdue   = "chase_overdue"   // supervisor: a 督办单 past its reply-by date
	KindChaseReplied   = "chase_replied"   // supervisor: a reply to read and close
	KindTaskRed        = "task_red"        // leader/admin: a red task
)

// InboxItem is one thing that needs the user.
type InboxItem struct {
	Kind     string `json:"kind"`
	TaskID   int64  `json:"task_id"`
	Task     string `json:"task"`
	ReportID int64  `json:"report_id,omitempty"`
	ChaseID  int64  `json:"chase_id,omitempty"`
	Period   string `json:"period,omitempty"`
	Due      string `json:"due,omitempty"` // due day, reply-by date or deadline
	Note     string `json:"note,omitempty"`
	Overdue  bool   `json:"overdue"`
}

// Inbox lists what needs v in a plan year: for units the reports to file
// (every overdue period, even when later ones are filed, and any due within
// 7 days), returned reports and
// open 督办单; for supervisors reports to review and 督办单 overdue or
// answered; for leaders and admins the red tasks. Errors: Forbidden.
func (s *Service) Inbox(ctx context.Context, v Viewer, year int) ([]InboxItem, error) {
	out := []InboxItem{}
	switch {
	case v.Role == org.UnitStaff:
		return s.unitInbox(ctx, v, year)
	case v.Role == org.Supervisor:
		reports, err := s.listReports(ctx, " WHERE r.state = 'submitted' AND n.year = $1 ORDER BY r.submitted_at, r.id LIMIT 200", year)
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			out = append(out, InboxItem{Kind: KindReview, TaskID: r.TaskID, Task: r.TaskTitle, ReportID: r.ID, Period: r.Period,
				Due: r.DueOn, Note: r.UnitName})
		}
		for _, state := range []string{"open", "replied"} {
			cs, err := s.Chases(ctx, v, 0, state)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				if c.Year != year || (state == "open" && !c.Overdue) {
					continue
				}
				kind := KindChaseReplied
				if state == "open" {
					kind = KindChaseOverdue
				}
				out = append(out, InboxItem{Kind: kind, TaskID: c.TaskID, Task: c.TaskTitle, ChaseID: c.ID, Due: c.ReplyBy,
					Note: c.UnitName + "：" + c.Subject, Overdue: c.Overdue})
			}
		}
		return out, nil
	case v.ReadsAll():
		t, err := s.Tree(ctx, v, year)
		if err != nil {
			return nil, err
		}
		red := t.Tasks(Red)
		ByDeadline(red)
		for _, n := range red {
			lead := ""
			if n.Lead != nil {
				lead = n.Lead.NameZH
			}
			out = append(out, InboxItem{Kind: KindTaskRed, TaskID: n.ID, Task: n.Title, Due: n.DueOn, Note: lead, Overdue: true})
		}
		return out, nil
	}
	return nil, errs.New(errs.Forbidden, "您的角色没有督查督办事项", "your role has no supervision inbox")
}

func (s *Service) unitInbox(ctx context.Context, v Viewer, year int) ([]InboxItem, error) {
	out := []InboxItem{}
	t, err := s.Tree(ctx, v, year)
	if err != nil {
		return nil, err
	}
	today, err := s.Today(ctx, year)
	if err != nil {
		return nil, err
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	reports, err := s.listReports(ctx, ` WHERE n.year = $1 AND (n.lead_unit_id = $2 OR EXISTS (SELECT 1 FROM plan_co_units c
		WHERE c.node_id = n.id AND c.unit_id = $2)) ORDER BY r.task_id, r.period LIMIT 20000`, year, v.UnitID)
	if err != nil {
		return nil, err
	}
	filed := map[int64]map[string]bool{}
	drafts := map[string]int64{} // "task/period" → draft report id
	for _, r := range reports {
		if r.State == Draft {
			drafts[fmt.Sprintf("%d/%s", r.TaskID, r.Period)] = r.ID
		}
		if filed[r.TaskID] == nil {
			filed[r.TaskID] = map[string]bool{}
		}
		filed[r.TaskID][r.Period] = r.State != Draft
		if r.State == Returned {
			out = append(out, InboxItem{Kind: KindReportReturned, TaskID: r.TaskID, Task: r.TaskTitle, ReportID: r.ID,
				Period: r.Period, Due: r.DueOn, Note: r.ReviewComment})
		}
	}
	tasks := t.Tasks("")
	ByDeadline(tasks)
	soon := today.AddDate(0, 0, 7)
	for _, n := range tasks {
		if n.Progress >= Full {
			continue
		}
		start, _ := time.Parse(dateLayout, n.StartOn)
		due, _ := time.Parse(dateLayout, n.DueOn)
		sched := Schedule(n.Cycle, start, due, st.DueDay)
		missing, _ := ScheduleState(sched, filed[n.ID], today)
		overdue := map[string]bool{}
		for _, k := range missing {
			overdue[k] = true
		}
		for _, p := range sched {
			late := overdue[p.Key]
			upcoming := !p.DueOn.Before(today) && !p.DueOn.After(soon) && !filed[n.ID][p.Key]
			if late || upcoming {
				out = append(out, InboxItem{Kind: KindReportDue, TaskID: n.ID, Task: n.Title, Period: p.Key, Due: p.Due, Overdue: late,
					ReportID: drafts[fmt.Sprintf("%d/%s", n.ID, p.Key)]})
			}
		}
	}
	cs, err := s.Chases(ctx, v, 0, "open")
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Year == year {
			out = append(out, InboxItem{Kind: KindChaseOpen, TaskID: c.TaskID, Task: c.TaskTitle, ChaseID: c.ID, Due: c.ReplyBy,
				Note: c.Subject, Overdue: c.Overdue})
		}
	}
	return out, nil
}
