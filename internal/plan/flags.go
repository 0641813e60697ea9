package plan

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/memo"
)

// taskRow is what the flag rule needs of a stored task.
type taskRow struct {
	id                     int64
	title, lead            string
	start, due, cycle      string
	reported               int
	override               sql.NullInt64
	doneOn, flag, asOfSeen string
}

// today reads the plan year's review date through q.
func (s *Service) today(ctx context.Context, q db.Querier, year int) (time.Time, error) {
	var asOf string
	err := q.QueryRowContext(ctx, "SELECT as_of FROM plan_years WHERE year = $1", year).Scan(&asOf)
	if err != nil && err != sql.ErrNoRows {
		return time.Time{}, fmt.Errorf("plan: as-of %d: %w", year, err)
	}
	if t, err := time.Parse(dateLayout, asOf); asOf != "" && err == nil {
		return t, nil
	}
	return s.realToday(), nil
}

// RefreshFlags recomputes the flag of every task of a year and returns how
// many changed. The daily job and settings changes call it.
func (s *Service) RefreshFlags(ctx context.Context, year int) (int, error) {
	changed := 0
	// Not s.tx: a run that changes no flag leaves the memo alone.
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.refresh(ctx, tx, year, 0)
		changed = n
		if err != nil || n == 0 {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
	return changed, err
}

// refreshTx recomputes one task's flag and completion date inside tx.
func (s *Service) refreshTx(ctx context.Context, tx *sql.Tx, year int, taskID int64) error {
	_, err := s.refresh(ctx, tx, year, taskID)
	return err
}

// refresh recomputes flags of the year's tasks (one task when taskID != 0),
// writes those that changed, and queues a notification for each task that
// turned red.
func (s *Service) refresh(ctx context.Context, q db.Querier, year int, taskID int64) (int, error) {
	st, err := s.settings(ctx, q)
	if err != nil {
		return 0, err
	}
	asOf, err := s.today(ctx, q, year)
	if err != nil {
		return 0, err
	}
	filter, args := "", []any{year}
	if taskID != 0 {
		filter, args = " AND n.id = $2", append(args, taskID)
	}
	// On PostgreSQL the task rows are locked (in id order) before their
	// reports are read: a report accepted or submitted while the daily job
	// runs then waits for it, or the job waits for that change and reads it,
	// so the job never writes a flag computed from data older than the
	// flag it overwrites. SQLite's single writer already serialises them.
	lock := ""
	if fu := s.DB.ForUpdate(); fu != "" {
		lock = fu + " OF n"
	}
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.title, COALESCE(u.name_zh, ''), n.start_on, n.due_on, n.cycle, n.reported_pct,
		n.override_pct, n.done_on, n.flag, n.flag_as_of FROM plan_nodes n LEFT JOIN units u ON u.id = n.lead_unit_id
		WHERE n.year = $1 AND n.level = 'task'`+filter+" ORDER BY n.id LIMIT 100000"+lock, args...)
	if err != nil {
		return 0, fmt.Errorf("plan: flag tasks: %w", err)
	}
	var tasks []taskRow
	for rows.Next() {
		var t taskRow
		if err := rows.Scan(&t.id, &t.title, &t.lead, &t.start, &t.due, &t.cycle, &t.reported, &t.override, &t.doneOn, &t.flag, &t.asOfSeen); err != nil {
			rows.Close()
			return 0, err
		}
		tasks = append(tasks, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	filed := map[int64]map[string]bool{}
	rows, err = q.QueryContext(ctx, `SELECT r.task_id, r.period FROM plan_reports r JOIN plan_nodes n ON n.id = r.task_id
		WHERE n.year = $1 AND r.state <> 'draft'`+filter+" ORDER BY r.task_id, r.period LIMIT 1000000", args...)
	if err != nil {
		return 0, fmt.Errorf("plan: flag reports: %w", err)
	}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return 0, err
		}
		if filed[id] == nil {
			filed[id] = map[string]bool{}
		}
		filed[id][p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	lastTwo := map[int64][]string{}
	rows, err = q.QueryContext(ctx, `SELECT e.task_id, e.action FROM plan_report_events e JOIN plan_nodes n ON n.id = e.task_id
		WHERE n.year = $1 AND e.action IN ('return', 'accept')`+filter+" ORDER BY e.task_id, e.id DESC LIMIT 1000000", args...)
	if err != nil {
		return 0, fmt.Errorf("plan: flag reviews: %w", err)
	}
	for rows.Next() {
		var id int64
		var a string
		if err := rows.Scan(&id, &a); err != nil {
			rows.Close()
			return 0, err
		}
		if len(lastTwo[id]) < 2 {
			lastTwo[id] = append(lastTwo[id], a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	changed := 0
	asOfText := asOf.Format(dateLayout)
	for _, t := range tasks {
		progress := t.reported * 10
		if t.override.Valid {
			progress = int(t.override.Int64) * 10
		}
		doneOn := t.doneOn
		if progress >= Full && doneOn == "" {
			doneOn = asOfText
		} else if progress < Full {
			doneOn = ""
		}
		start, _ := time.Parse(dateLayout, t.start)
		due, err := time.Parse(dateLayout, t.due)
		if err != nil {
			continue
		}
		sched := Schedule(t.cycle, start, due, st.DueDay)
		missing, next := ScheduleState(sched, filed[t.id], asOf)
		lt := lastTwo[t.id]
		flag, zh, en := ComputeFlag(FlagInput{AsOf: asOf, Start: start, Due: due, Progress: progress, MarginPct: st.MarginPct,
			Missing: missing, NextReportDue: next, ReturnedTwice: len(lt) == 2 && lt[0] == "return" && lt[1] == "return"})
		reason := zh + " / " + en
		if string(flag) == t.flag && doneOn == t.doneOn && t.asOfSeen == asOfText && taskID == 0 {
			continue
		}
		if _, err := q.ExecContext(ctx, "UPDATE plan_nodes SET flag = $1, flag_reason = $2, flag_as_of = $3, done_on = $4 WHERE id = $5",
			string(flag), reason, asOfText, doneOn, t.id); err != nil {
			return changed, fmt.Errorf("plan: write flag: %w", err)
		}
		changed++
		if flag == Red && t.flag != string(Red) {
			if err := s.enqueue(ctx, q, st, "task.red", []string{fmt.Sprintf("【督查督办】任务转为红牌：%s（牵头：%s）— %s", t.title, t.lead, zh)}); err != nil {
				return changed, err
			}
		}
	}
	return changed, nil
}

// FlagJob is the supervision job: it recomputes the flags of every plan
// year. cmd/gaoxin runs it every hour, claimed through db.ClaimJob so one
// app server does each run; a task's flag is rewritten only when it changed
// or the plan's date moved, so the first run after midnight (China time)
// does the day's work and the others are reads.
func (s *Service) FlagJob(ctx context.Context) error {
	years, err := s.Years(ctx)
	if err != nil {
		return err
	}
	for _, y := range years {
		if _, err := s.RefreshFlags(ctx, y.Year); err != nil {
			return fmt.Errorf("plan: flags %d: %w", y.Year, err)
		}
	}
	return nil
}
