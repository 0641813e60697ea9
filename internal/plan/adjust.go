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

// SetWeights sets the weights of every child of parent at once: weights maps
// child id → weight (nil or absent for unset). Errors: Forbidden, NotFound,
// Invalid (a child not under parent, or weights breaking CheckWeights).
func (s *Service) SetWeights(ctx context.Context, v Viewer, parent int64, weights map[int64]*int) error {
	if v.Role != org.Supervisor {
		return forbiddenEdit()
	}
	if _, err := s.rawNode(ctx, parent); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, "plan.tree"); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, weight FROM plan_nodes WHERE parent_id = $1 ORDER BY id LIMIT 10000", parent)
		if err != nil {
			return fmt.Errorf("plan: children: %w", err)
		}
		before := map[int64]*int{}
		var ids []int64
		for rows.Next() {
			var id int64
			var w sql.NullInt64
			if err := rows.Scan(&id, &w); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			if w.Valid {
				x := int(w.Int64)
				before[id] = &x
			} else {
				before[id] = nil
			}
		}
		rows.Close()
		if len(weights) == 0 {
			return errs.Field("weights", "权重为空：请为每个下级给出权重，或将每个下级设为空以清除权重",
				"no weights given: give every child a weight, or set every child to null to clear them")
		}
		for _, id := range ids {
			if _, ok := weights[id]; !ok {
				return errs.Field("weights", fmt.Sprintf("未给出下级节点 %d 的权重（要清除，请设为空）", id),
					fmt.Sprintf("no weight given for child %d (set it to null to clear it)", id))
			}
		}
		for id := range weights {
			if _, ok := before[id]; !ok {
				return errs.Field("weight", fmt.Sprintf("节点 %d 不是该节点的下级", id), fmt.Sprintf("node %d is not a child of this node", id))
			}
		}
		ws := make([]*int, len(ids))
		for i, id := range ids {
			ws[i] = weights[id]
		}
		if err := CheckWeights(ws); err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE plan_nodes SET weight = $1, version = version + 1, updated_at = $2 WHERE id = $3",
				nullInt(ws[i]), s.nowMS(), id); err != nil {
				return fmt.Errorf("plan: set weight: %w", err)
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.node.weights", ObjectType: "plan_node",
			ObjectID: strconv.FormatInt(parent, 10), Before: before, After: weights})
	})
}

// Override sets (pct non-nil) or clears (pct nil) a supervisor's override of
// a node's progress. Setting needs a written reason. Errors: Forbidden,
// NotFound, Invalid (pct outside 0–100, reason missing).
func (s *Service) Override(ctx context.Context, v Viewer, id int64, pct *int, reason string) error {
	if v.Role != org.Supervisor {
		return forbiddenEdit()
	}
	reason = strings.TrimSpace(reason)
	if pct != nil && (*pct < 0 || *pct > 100) {
		return errs.Field("pct", fmt.Sprintf("进度须在 0–100 之间，收到 %d", *pct), fmt.Sprintf("progress must be 0–100, got %d", *pct))
	}
	if pct != nil && len([]rune(reason)) < 4 {
		return errs.Field("reason", "调整进度必须写明理由（至少 4 个字）", "an override needs a written reason (at least 4 characters)")
	}
	before, err := s.rawNode(ctx, id)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		by, at := v.Name, s.nowMS()
		if pct == nil {
			by, at, reason = "", 0, ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_nodes SET override_pct = $1, override_reason = $2, override_by = $3,
			override_at = $4, version = version + 1, updated_at = $5 WHERE id = $6`, nullInt(pct), reason, by, at, s.nowMS(), id); err != nil {
			return fmt.Errorf("plan: override: %w", err)
		}
		if before.Level == Task {
			if err := s.refreshTx(ctx, tx, before.Year, id); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.node.override", ObjectType: "plan_node",
			ObjectID: strconv.FormatInt(id, 10),
			Before:   map[string]any{"override_pct": before.Override, "reason": before.OverrideReason},
			After:    map[string]any{"override_pct": pct, "reason": reason}})
	})
}

// AddMilestone adds a milestone to a task. Errors: Forbidden, NotFound,
// Invalid (title, due date; not a task).
func (s *Service) AddMilestone(ctx context.Context, v Viewer, taskID int64, title, dueOn string) (Milestone, error) {
	m := Milestone{TaskID: taskID, Title: strings.TrimSpace(title), DueOn: strings.TrimSpace(dueOn)}
	if v.Role != org.Supervisor {
		return m, forbiddenEdit()
	}
	n, err := s.rawNode(ctx, taskID)
	if err != nil {
		return m, err
	}
	if n.Level != Task {
		return m, errs.Field("task_id", "里程碑只能建在任务下", "milestones belong under tasks")
	}
	if m.Title == "" {
		return m, errs.Field("title", "请填写里程碑名称", "milestone title is required")
	}
	if _, err := ParseDate("due_on", m.DueOn); err != nil {
		return m, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "INSERT INTO plan_milestones (task_id, title, due_on, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
			taskID, m.Title, m.DueOn, s.nowMS()).Scan(&m.ID); err != nil {
			return fmt.Errorf("plan: milestone: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.milestone.create", ObjectType: "plan_node",
			ObjectID: strconv.FormatInt(taskID, 10), After: m})
	})
	return m, err
}

// SetAsOf sets a plan year's review date ("" for today) and recomputes its
// flags. Errors: Forbidden, NotFound (year), Invalid (date).
func (s *Service) SetAsOf(ctx context.Context, v Viewer, year int, asOf string) error {
	if v.Role != org.Supervisor && v.Role != org.Admin {
		return forbiddenEdit()
	}
	asOf = strings.TrimSpace(asOf)
	if asOf != "" {
		if _, err := ParseDate("as_of", asOf); err != nil {
			return err
		}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE plan_years SET as_of = $1 WHERE year = $2", asOf, year)
		if err != nil {
			return fmt.Errorf("plan: as-of: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.Field("year", "该年度没有工作计划", "no plan for this year")
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.year.as_of", ObjectType: "plan_year",
			ObjectID: strconv.Itoa(year), After: map[string]string{"as_of": asOf}})
	})
	if err != nil {
		return err
	}
	_, err = s.RefreshFlags(ctx, year)
	return err
}

// SetMilestoneDone marks a milestone done on a date, or reopens it with "".
// Supervisors and users of the task's lead or co-units may. Errors:
// Forbidden, NotFound, Invalid (date).
func (s *Service) SetMilestoneDone(ctx context.Context, v Viewer, id int64, doneOn string) (Milestone, error) {
	var m Milestone
	if v.Role != org.Supervisor && v.Role != org.UnitStaff {
		return m, errs.New(errs.Forbidden, "只有督查人员或责任单位可以更新里程碑", "only supervisors or unit staff update milestones")
	}
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id, task_id, title, due_on, done_on FROM plan_milestones WHERE id = $1", id).
		Scan(&m.ID, &m.TaskID, &m.Title, &m.DueOn, &m.DoneOn)
	if err == sql.ErrNoRows {
		return m, errs.New(errs.NotFound, "里程碑不存在", "milestone not found")
	}
	if err != nil {
		return m, fmt.Errorf("plan: milestone %d: %w", id, err)
	}
	if _, err := s.task(ctx, v, m.TaskID); err != nil {
		return m, err
	}
	doneOn = strings.TrimSpace(doneOn)
	if doneOn != "" {
		if _, err := ParseDate("done_on", doneOn); err != nil {
			return m, err
		}
	}
	before := m
	m.DoneOn = doneOn
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE plan_milestones SET done_on = $1 WHERE id = $2", doneOn, id); err != nil {
			return fmt.Errorf("plan: milestone done: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.milestone.done", ObjectType: "plan_node",
			ObjectID: strconv.FormatInt(m.TaskID, 10), Before: before, After: m})
	})
	return m, err
}
