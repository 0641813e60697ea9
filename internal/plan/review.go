package plan

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Review accepts (accept true) or returns a submitted report. Returning needs
// a comment. Accepting sets the task's progress to the percentage of its
// latest accepted report. version, when not 0, must match. Errors:
// Forbidden (not a supervisor), NotFound, Invalid (comment), Conflict
// (not submitted, stale version).
func (s *Service) Review(ctx context.Context, v Viewer, id int64, accept bool, comment string, version int) (Report, error) {
	if v.Role != org.Supervisor {
		return Report{}, errs.New(errs.Forbidden, "只有督查人员可以审核进展报告", "only supervisors review progress reports")
	}
	before, err := s.Report(ctx, v, id)
	if err != nil {
		return before, err
	}
	comment = strings.TrimSpace(comment)
	if !accept && comment == "" {
		return before, errs.Field("comment", "退回报告须写明原因", "returning a report needs a comment")
	}
	action := actReturn
	if accept {
		action = actAccept
	}
	state, err := reportMove(action, before.State)
	if err != nil {
		return before, err
	}
	if version != 0 && version != before.Version {
		return before, staleVersion("version", version)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE plan_reports SET state=$1, review_comment=$2, reviewed_by=$3, reviewed_at=$4,
			version=version+1, updated_at=$4 WHERE id=$5 AND state='submitted' AND version=$6`, state, comment, v.UserID, s.nowMS(), id, before.Version)
		if err != nil {
			return fmt.Errorf("plan: review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleVersion("version", before.Version)
		}
		if err := s.event(ctx, tx, v, id, before.TaskID, action, comment); err != nil {
			return err
		}
		if accept {
			if _, err := tx.ExecContext(ctx, `UPDATE plan_nodes SET reported_pct = (SELECT pct FROM plan_reports
				WHERE task_id = $1 AND state = 'accepted' ORDER BY period DESC LIMIT 1), updated_at = $2 WHERE id = $1`,
				before.TaskID, s.nowMS()); err != nil {
				return fmt.Errorf("plan: task progress: %w", err)
			}
		} else {
			st, err := s.settings(ctx, tx)
			if err != nil {
				return err
			}
			if err := s.enqueue(ctx, tx, st, "report.returned", []string{fmt.Sprintf("【督查督办】%s 的 %s 进展报告被退回：%s", before.TaskTitle, before.Period, comment)}); err != nil {
				return err
			}
		}
		if err := s.refreshTx(ctx, tx, before.Year, before.TaskID); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.report." + action, ObjectType: "plan_report",
			ObjectID: strconv.FormatInt(id, 10), Before: map[string]any{"state": before.State, "pct": before.Pct},
			After: map[string]any{"state": state, "comment": comment}})
	})
	if err != nil {
		return Report{}, err
	}
	return s.Report(ctx, v, id)
}

// TaskReports lists a task's reports, newest period first. Errors as task.
func (s *Service) TaskReports(ctx context.Context, v Viewer, taskID int64) ([]Report, error) {
	if _, err := s.task(ctx, v, taskID); err != nil {
		return nil, err
	}
	return s.listReports(ctx, " WHERE r.task_id = $1 ORDER BY r.period DESC, r.id DESC LIMIT 200", taskID)
}

func (s *Service) listReports(ctx context.Context, where string, args ...any) ([]Report, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT "+reportCols+reportFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("plan: reports: %w", err)
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Event is one step in a task's report history.
type Event struct {
	ReportID int64  `json:"report_id"`
	Period   string `json:"period"`
	Action   string `json:"action"`
	Comment  string `json:"comment,omitempty"`
	Actor    string `json:"actor"`
	At       int64  `json:"at"`
}

// History lists a task's report events, newest first. Errors as task.
func (s *Service) History(ctx context.Context, v Viewer, taskID int64) ([]Event, error) {
	if _, err := s.task(ctx, v, taskID); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT e.report_id, r.period, e.action, e.comment, e.actor, e.at FROM plan_report_events e
		JOIN plan_reports r ON r.id = e.report_id WHERE e.task_id = $1 ORDER BY e.id DESC LIMIT 200`, taskID)
	if err != nil {
		return nil, fmt.Errorf("plan: history: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ReportID, &e.Period, &e.Action, &e.Comment, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
