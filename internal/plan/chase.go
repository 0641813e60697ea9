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

// Chase is a 督办单: a supervisor's formal chase of a unit about a task,
// with a date by which the unit must reply.
type Chase struct {
	ID        int64  `json:"id"`
	TaskID    int64  `json:"task_id"`
	TaskTitle string `json:"task_title"`
	Year      int    `json:"year"`
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	IssuedOn  string `json:"issued_on"`
	ReplyBy   string `json:"reply_by"`
	State     string `json:"state"` // open, replied, closed
	Reply     string `json:"reply,omitempty"`
	RepliedOn string `json:"replied_on,omitempty"`
	Overdue   bool   `json:"overdue"` // open past its reply-by date (the plan's today)
}

// ChaseInput is what a supervisor writes. Unit defaults to the task's lead.
type ChaseInput struct {
	TaskID  int64  `json:"task_id"`
	Unit    string `json:"unit,omitempty"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	ReplyBy string `json:"reply_by"`
}

const chaseCols = `c.id, c.task_id, n.title, n.year, c.unit_id, u.name_zh, c.subject, c.body, c.issued_on, c.reply_by, c.state, c.reply, c.replied_on`
const chaseFrom = " FROM plan_chases c JOIN plan_nodes n ON n.id = c.task_id JOIN units u ON u.id = c.unit_id"

func scanChase(sc scanner) (Chase, error) {
	var c Chase
	err := sc.Scan(&c.ID, &c.TaskID, &c.TaskTitle, &c.Year, &c.UnitID, &c.UnitName, &c.Subject, &c.Body, &c.IssuedOn,
		&c.ReplyBy, &c.State, &c.Reply, &c.RepliedOn)
	return c, err
}

// IssueChase issues a 督办单 on a task to one of its units. Errors: Forbidden
// (not a supervisor), NotFound, Invalid (subject, reply_by before today,
// unit not on the task).
func (s *Service) IssueChase(ctx context.Context, v Viewer, in ChaseInput) (Chase, error) {
	if v.Role != org.Supervisor {
		return Chase{}, errs.New(errs.Forbidden, "只有督查人员可以下发督办单", "only supervisors issue chases")
	}
	t, err := s.task(ctx, v, in.TaskID)
	if err != nil {
		return Chase{}, err
	}
	in.Subject, in.Body, in.ReplyBy, in.Unit = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Body), strings.TrimSpace(in.ReplyBy), strings.TrimSpace(in.Unit)
	if in.Subject == "" {
		return Chase{}, errs.Field("subject", "请填写督办事项", "subject is required")
	}
	replyBy, err := ParseDate("reply_by", in.ReplyBy)
	if err != nil {
		return Chase{}, err
	}
	today, err := s.Today(ctx, t.Year)
	if err != nil {
		return Chase{}, err
	}
	if replyBy.Before(today) {
		return Chase{}, errs.Field("reply_by", "回复期限不能早于今天 "+today.Format(dateLayout), "reply-by date is before today "+today.Format(dateLayout))
	}
	unitID := t.Lead.ID
	if in.Unit != "" && in.Unit != t.Lead.Code {
		unitID = 0
		for _, c := range t.CoUnits {
			if c.Code == in.Unit {
				unitID = c.ID
			}
		}
		if unitID == 0 {
			return Chase{}, errs.Field("unit", "该单位不是此任务的牵头或配合单位："+in.Unit, "unit neither leads nor co-operates on this task: "+in.Unit)
		}
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_chases (task_id, unit_id, subject, body, issued_on, reply_by, issued_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id`, t.ID, unitID, in.Subject, in.Body, today.Format(dateLayout), in.ReplyBy,
			v.UserID, now).Scan(&id); err != nil {
			return fmt.Errorf("plan: insert chase: %w", err)
		}
		st, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, st, "chase.issued", []string{fmt.Sprintf("【督办单】%s：%s（请于 %s 前回复）", t.Title, in.Subject, in.ReplyBy)}); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.chase.issue", ObjectType: "plan_chase",
			ObjectID: strconv.FormatInt(id, 10), After: in})
	})
	if err != nil {
		return Chase{}, err
	}
	return s.Chase(ctx, v, id)
}

// Chase returns one 督办单: staff see all, a unit only those addressed to it.
// Errors: Forbidden, NotFound.
func (s *Service) Chase(ctx context.Context, v Viewer, id int64) (Chase, error) {
	if !v.ReadsAll() && v.Role != org.UnitStaff {
		return Chase{}, errs.New(errs.Forbidden, "您的角色无权查看督办单", "your role may not see chases")
	}
	c, err := scanChase(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+chaseCols+chaseFrom+" WHERE c.id = $1", id))
	if err == sql.ErrNoRows || (err == nil && !v.ReadsAll() && c.UnitID != v.UnitID) {
		return Chase{}, errs.New(errs.NotFound, "督办单不存在", "chase not found")
	}
	if err != nil {
		return c, fmt.Errorf("plan: chase %d: %w", id, err)
	}
	return s.markOverdue(ctx, c)
}

func (s *Service) markOverdue(ctx context.Context, c Chase) (Chase, error) {
	today, err := s.Today(ctx, c.Year)
	c.Overdue = c.State == "open" && c.ReplyBy < today.Format(dateLayout)
	return c, err
}

// ReplyChase records the addressed unit's reply. Errors: Forbidden (not unit
// staff), NotFound, Invalid (empty reply), Conflict (already replied).
func (s *Service) ReplyChase(ctx context.Context, v Viewer, id int64, reply string) (Chase, error) {
	if v.Role != org.UnitStaff {
		return Chase{}, errs.New(errs.Forbidden, "只有责任单位可以回复督办单", "only unit staff reply to chases")
	}
	c, err := s.Chase(ctx, v, id)
	if err != nil {
		return c, err
	}
	reply = strings.TrimSpace(reply)
	if reply == "" {
		return c, errs.Field("reply", "请填写回复内容", "reply is required")
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE plan_chases SET state='replied', reply=$1, replied_on=$2, replied_by=$3, updated_at=$4
			WHERE id=$5 AND state='open'`, reply, s.realToday().Format(dateLayout), v.UserID, s.nowMS(), id)
		if err != nil {
			return fmt.Errorf("plan: reply chase: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "该督办单已回复", "this chase has already been answered")
		}
		st, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, st, "chase.replied", []string{fmt.Sprintf("【督办单回复】%s（%s）：%s", c.TaskTitle, c.UnitName, reply)}); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.chase.reply", ObjectType: "plan_chase",
			ObjectID: strconv.FormatInt(id, 10), After: map[string]string{"reply": reply}})
	})
	if err != nil {
		return Chase{}, err
	}
	return s.Chase(ctx, v, id)
}

// CloseChase closes a replied 督办单 once the supervisor has read the reply.
// Errors: Forbidden, NotFound, Conflict (not replied).
func (s *Service) CloseChase(ctx context.Context, v Viewer, id int64) error {
	if v.Role != org.Supervisor {
		return errs.New(errs.Forbidden, "只有督查人员可以办结督办单", "only supervisors close chases")
	}
	if _, err := s.Chase(ctx, v, id); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE plan_chases SET state='closed', updated_at=$1 WHERE id=$2 AND state='replied'", s.nowMS(), id)
		if err != nil {
			return fmt.Errorf("plan: close chase: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "只能办结已回复的督办单", "only answered chases can be closed")
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.chase.close", ObjectType: "plan_chase", ObjectID: strconv.FormatInt(id, 10)})
	})
}

// Chases lists 督办单 v may see (a unit: addressed to it), optionally of one
// task and state, newest first.
func (s *Service) Chases(ctx context.Context, v Viewer, taskID int64, state string) ([]Chase, error) {
	if !v.ReadsAll() && v.Role != org.UnitStaff {
		return nil, errs.New(errs.Forbidden, "您的角色无权查看督办单", "your role may not see chases")
	}
	q, args := " WHERE 1=1", []any{}
	add := func(cond string, val any) {
		args = append(args, val)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if !v.ReadsAll() {
		add("c.unit_id = $%d", v.UnitID)
	}
	if taskID != 0 {
		add("c.task_id = $%d", taskID)
	}
	if state != "" {
		add("c.state = $%d", state)
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT "+chaseCols+chaseFrom+q+" ORDER BY c.id DESC LIMIT 200", args...)
	if err != nil {
		return nil, fmt.Errorf("plan: chases: %w", err)
	}
	var out []Chase
	for rows.Next() {
		c, err := scanChase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	todays := map[int]string{} // one review-date query per plan year, not per row
	for i := range out {
		c := &out[i]
		today, ok := todays[c.Year]
		if !ok {
			t, err := s.Today(ctx, c.Year)
			if err != nil {
				return nil, err
			}
			today = t.Format(dateLayout)
			todays[c.Year] = today
		}
		c.Overdue = c.State == "open" && c.ReplyBy < today
	}
	return out, nil
}
