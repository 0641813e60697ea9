package plan

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Report is a unit's progress report on a task for one cycle (进展报告).
type Report struct {
	ID               int64        `json:"id"`
	TaskID           int64        `json:"task_id"`
	TaskTitle        string       `json:"task_title"`
	Year             int          `json:"year"`
	Period           string       `json:"period"`
	DueOn            string       `json:"due_on"`
	UnitID           int64        `json:"unit_id"`
	UnitName         string       `json:"unit_name"`
	State            string       `json:"state"`
	Pct              int          `json:"pct"`
	Done             string       `json:"done"`
	Problems         string       `json:"problems"`
	NextSteps        string       `json:"next_steps"`
	ReviewComment    string       `json:"review_comment,omitempty"`
	SubmittedAt      int64        `json:"submitted_at,omitempty"`
	FirstSubmittedOn string       `json:"first_submitted_on,omitempty"`
	ReviewedAt       int64        `json:"reviewed_at,omitempty"`
	Version          int          `json:"version"`
	CreatedAt        int64        `json:"created_at"`
	UpdatedAt        int64        `json:"updated_at"`
	Attachments      []Attachment `json:"attachments"`
}

// ReportInput is what a unit fills in. Pct is required.
type ReportInput struct {
	TaskID    int64    `json:"task_id"`
	Period    string   `json:"period"`
	Pct       *int     `json:"pct"`
	Done      string   `json:"done"`
	Problems  string   `json:"problems"`
	NextSteps string   `json:"next_steps"`
	Submit    bool     `json:"submit"`  // submit now instead of keeping a draft
	Version   int      `json:"version"` // for updates: the version being edited
	Files     []Upload `json:"-"`       // attachments uploaded with the form
}

// Upload is a file sent with a report.
type Upload struct {
	Name string
	Data []byte
}

const reportCols = `r.id, r.task_id, n.title, n.year, r.period, r.due_on, r.unit_id, u.name_zh, r.state, r.pct, r.done_text,
	r.problems, r.next_steps, r.review_comment, r.submitted_at, r.first_submitted_on, r.reviewed_at, r.version, r.created_at, r.updated_at`

const reportFrom = " FROM plan_reports r JOIN plan_nodes n ON n.id = r.task_id JOIN units u ON u.id = r.unit_id"

func scanReport(sc scanner) (Report, error) {
	var r Report
	err := sc.Scan(&r.ID, &r.TaskID, &r.TaskTitle, &r.Year, &r.Period, &r.DueOn, &r.UnitID, &r.UnitName, &r.State, &r.Pct,
		&r.Done, &r.Problems, &r.NextSteps, &r.ReviewComment, &r.SubmittedAt, &r.FirstSubmittedOn, &r.ReviewedAt,
		&r.Version, &r.CreatedAt, &r.UpdatedAt)
	return r, err
}

// task returns a task v may see. Errors: Forbidden (role), NotFound (absent,
// not a task, or a unit not on it).
func (s *Service) task(ctx context.Context, v Viewer, id int64) (*Node, error) {
	if !v.ReadsAll() && v.Role != org.UnitStaff {
		return nil, errs.New(errs.Forbidden, "您的角色无权查看工作计划", "your role may not see the work plan")
	}
	n, err := s.rawNode(ctx, id)
	if err != nil {
		return nil, err
	}
	if n.Level != Task || (!v.ReadsAll() && !visibleTo(n, v.UnitID)) {
		return nil, taskNotYours()
	}
	return n, nil
}

func taskNotYours() error {
	e := errs.New(errs.NotFound, "任务不存在，或不由本单位牵头或配合", "task not found, or your unit neither leads nor co-operates on it")
	e.Field = "task_id"
	e.Details = []errs.Detail{{Field: "task_id", Reason: e.Msg, ReasonEN: e.MsgEN}}
	return e
}

func (in *ReportInput) check() error {
	in.Period = strings.TrimSpace(in.Period)
	in.Done, in.Problems, in.NextSteps = strings.TrimSpace(in.Done), strings.TrimSpace(in.Problems), strings.TrimSpace(in.NextSteps)
	var ds []errs.Detail
	switch {
	case in.Pct == nil:
		ds = append(ds, errs.Detail{Field: "pct", Reason: "请填写完成百分比（0–100）", ReasonEN: "percentage (0–100) is required"})
	case *in.Pct < 0 || *in.Pct > 100:
		ds = append(ds, errs.Detail{Field: "pct", Value: strconv.Itoa(*in.Pct), Reason: "完成百分比须在 0–100 之间", ReasonEN: "percentage must be between 0 and 100"})
	}
	if in.Submit && in.Done == "" {
		ds = append(ds, errs.Detail{Field: "done", Reason: "提交前请填写本期完成情况", ReasonEN: "say what was done before submitting"})
	}
	for f, v := range map[string]string{"done": in.Done, "problems": in.Problems, "next_steps": in.NextSteps} {
		if len([]rune(v)) > 5000 {
			ds = append(ds, errs.Detail{Field: f, Reason: "不能超过 5000 字", ReasonEN: "at most 5000 characters"})
		}
	}
	if len(ds) > 0 {
		return errs.List(ds[0].Reason+"（"+ds[0].Field+"）", ds[0].ReasonEN+" ("+ds[0].Field+")", ds)
	}
	return nil
}

// CreateReport files a report on a task for a period, as a draft or
// submitted. Only users of the task's lead or co-units may. Errors:
// Forbidden (role), NotFound (task not the unit's, field task_id), Invalid
// (pct, text; period not one of the task's or not yet begun), Conflict (a
// report for that period exists).
func (s *Service) CreateReport(ctx context.Context, v Viewer, in ReportInput) (Report, error) {
	if v.Role != org.UnitStaff {
		return Report{}, errs.New(errs.Forbidden, "只有责任单位可以填报进展", "only unit staff file progress reports")
	}
	t, err := s.task(ctx, v, in.TaskID)
	if err != nil {
		return Report{}, err
	}
	if err := in.check(); err != nil {
		return Report{}, err
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Report{}, err
	}
	start, _ := time.Parse(dateLayout, t.StartOn)
	due, _ := time.Parse(dateLayout, t.DueOn)
	sched := Schedule(t.Cycle, start, due, st.DueDay)
	dueOn, ok := PeriodDue(sched, in.Period)
	if !ok {
		return Report{}, errs.Field("period", "报告周期不在任务的报送周期内："+in.Period, "period is not one of the task's reporting periods: "+in.Period)
	}
	// A period that has not begun cannot be reported on: accepted, its
	// report would outrank every later-filed report of an earlier period
	// (progress follows the latest accepted period) and freeze the task.
	today, err := s.Today(ctx, t.Year)
	if err != nil {
		return Report{}, err
	}
	for _, p := range sched {
		if p.Key == in.Period && p.Start.After(today) {
			return Report{}, errs.Field("period", "报告周期 "+in.Period+" 尚未开始（今天是 "+today.Format(dateLayout)+"）",
				"period "+in.Period+" has not begun (today is "+today.Format(dateLayout)+")")
		}
	}
	files, err := checkUploads(in.Files, int64(st.MaxAttachmentKB)*1024)
	if err != nil {
		return Report{}, err
	}
	act := actFile
	if in.Submit {
		act = actSubmit
	}
	state, err := reportMove(act, "")
	if err != nil {
		return Report{}, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		submittedAt, firstOn := int64(0), ""
		if in.Submit {
			submittedAt, firstOn = now, s.realToday().Format(dateLayout)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO plan_reports (task_id, period, due_on, unit_id, state, pct, done_text, problems,
			next_steps, created_by, submitted_at, first_submitted_on, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13) RETURNING id`, t.ID, in.Period, dueOn.Format(dateLayout), v.UnitID,
			state, *in.Pct, in.Done, in.Problems, in.NextSteps, v.UserID, submittedAt, firstOn, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "该任务本周期（"+in.Period+"）已有报告，请编辑原报告", "a report for "+in.Period+" already exists; edit it instead")
		}
		if err != nil {
			return fmt.Errorf("plan: insert report: %w", err)
		}
		if err := s.event(ctx, tx, v, id, t.ID, "create", ""); err != nil {
			return err
		}
		if err := s.insertFiles(ctx, tx, v, id, files); err != nil {
			return err
		}
		if in.Submit {
			if err := s.event(ctx, tx, v, id, t.ID, "submit", ""); err != nil {
				return err
			}
			if err := s.refreshTx(ctx, tx, t.Year, t.ID); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.report.create", ObjectType: "plan_report",
			ObjectID: strconv.FormatInt(id, 10), After: in})
	})
	if err != nil {
		return Report{}, err
	}
	return s.Report(ctx, v, id)
}

func (s *Service) event(ctx context.Context, tx *sql.Tx, v Viewer, reportID, taskID int64, action, comment string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO plan_report_events (report_id, task_id, action, comment, actor, at) VALUES ($1,$2,$3,$4,$5,$6)",
		reportID, taskID, action, comment, v.Name, s.nowMS())
	if err != nil {
		return fmt.Errorf("plan: report event: %w", err)
	}
	return nil
}

// Report returns one report if v may see its task. Errors: Forbidden,
// NotFound.
func (s *Service) Report(ctx context.Context, v Viewer, id int64) (Report, error) {
	r, err := scanReport(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+reportCols+reportFrom+" WHERE r.id = $1", id))
	if err == sql.ErrNoRows {
		return r, errs.New(errs.NotFound, "报告不存在", "report not found")
	}
	if err != nil {
		return r, fmt.Errorf("plan: report %d: %w", id, err)
	}
	if _, err := s.task(ctx, v, r.TaskID); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return Report{}, errs.New(errs.NotFound, "报告不存在", "report not found")
		}
		return Report{}, err
	}
	r.Attachments, err = s.attachments(ctx, r.ID)
	return r, err
}

// UpdateReport edits a draft or returned report; with in.Submit it is
// submitted too. in.Version must be the version the editor loaded, so two
// people never overwrite each other. Errors: Forbidden, NotFound, Invalid,
// Conflict (stale version, or the report is no longer editable).
func (s *Service) UpdateReport(ctx context.Context, v Viewer, id int64, in ReportInput) (Report, error) {
	if v.Role != org.UnitStaff {
		return Report{}, errs.New(errs.Forbidden, "只有责任单位可以修改进展报告", "only unit staff edit progress reports")
	}
	before, err := s.Report(ctx, v, id)
	if err != nil {
		return before, err
	}
	if err := in.check(); err != nil {
		return before, err
	}
	act := actSave
	if in.Submit {
		act = actSubmit
	}
	state, err := reportMove(act, before.State)
	if err != nil {
		return before, err
	}
	max, err := s.MaxAttachment(ctx)
	if err != nil {
		return before, err
	}
	files, err := checkUploads(in.Files, max)
	if err != nil {
		return before, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		q := `UPDATE plan_reports SET pct=$1, done_text=$2, problems=$3, next_steps=$4, state=$5, version=version+1, updated_at=$6`
		args := []any{*in.Pct, in.Done, in.Problems, in.NextSteps}
		if in.Submit {
			q += `, submitted_at=$6, first_submitted_on=CASE WHEN first_submitted_on = '' THEN $9 ELSE first_submitted_on END`
		}
		q += ` WHERE id=$7 AND version=$8 AND state IN ('draft', 'returned')`
		args = append(args, state, now, id, in.Version)
		if in.Submit {
			args = append(args, s.realToday().Format(dateLayout))
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("plan: update report: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleVersion("version", in.Version)
		}
		if err := s.event(ctx, tx, v, id, before.TaskID, "update", ""); err != nil {
			return err
		}
		if err := s.insertFiles(ctx, tx, v, id, files); err != nil {
			return err
		}
		if in.Submit {
			if err := s.event(ctx, tx, v, id, before.TaskID, "submit", ""); err != nil {
				return err
			}
			if err := s.refreshTx(ctx, tx, before.Year, before.TaskID); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.report.update", ObjectType: "plan_report",
			ObjectID: strconv.FormatInt(id, 10), Before: before, After: in})
	})
	if err != nil {
		return Report{}, err
	}
	return s.Report(ctx, v, id)
}
