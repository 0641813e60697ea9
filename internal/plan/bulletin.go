package plan

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gaoxin/internal/errs"
)

// The monthly bulletin (通报) counts, per lead unit, as of the bulletin date
// D (the last day of the month, or the plan's today if earlier):
//
//	tasks     tasks the unit leads
//	done      tasks whose progress reached 100 % on or before D
//	on time   done tasks finished on or before their deadline
//	late      tasks finished after their deadline, or open past it at D
//	red       tasks open past their deadline at D
//	reports   reporting periods due by D (periods starting after the task
//	          was done are not counted); on time = first submitted on or
//	          before the period's due day
//
// and scores the unit (ScoreCounts) from three rates, each in tenths of a percent:
//
//	completion  = done / (tasks due by D + tasks done early)   (1000 when 0/0)
//	on-time     = on time / (on time + late)                   (1000 when 0/0)
//	report rate = reports on time / reports due                (1000 when 0/0)
//	score = (Wd·completion + Wo·on-time + Wr·report) / (Wd + Wo + Wr) − P·red·10
//
// rounded half up to a tenth of a point and clamped to 0–100 points. Wd, Wo,
// Wr and P are Settings.ScoreDone, ScoreOnTime, ScoreReport and
// ScoreRedCost (defaults 40, 30, 30 and 5).

// UnitScore is one unit's line of the bulletin.
type UnitScore struct {
	Unit          UnitRef     `json:"unit"`
	Rank          int         `json:"rank"`
	Tasks         int         `json:"tasks"`
	DueByDate     int         `json:"due_by_date"`
	Done          int         `json:"done"`
	OnTime        int         `json:"on_time"`
	Late          int         `json:"late"`
	Red           int         `json:"red"`
	ReportsDue    int         `json:"reports_due"`
	ReportsOnTime int         `json:"reports_on_time"`
	Completion    int         `json:"completion_tenths"`
	OnTimeRate    int         `json:"on_time_rate_tenths"`
	ReportRate    int         `json:"report_rate_tenths"`
	Score         int         `json:"score_tenths"`
	Rows          []TaskState `json:"tasks_detail,omitempty"`
}

// TaskState is one task's standing in a bulletin.
type TaskState struct {
	TaskID int64  `json:"task_id"`
	Title  string `json:"title"`
	DueOn  string `json:"due_on"`
	DoneOn string `json:"done_on,omitempty"`
	Status string `json:"status"` // on_time, done_late, late, open
}

// Bulletin is a month's 通报.
type Bulletin struct {
	Year     int         `json:"year"`
	Month    int         `json:"month"`
	Date     string      `json:"date"`
	Settings Settings    `json:"formula"`
	Units    []UnitScore `json:"units"`
}

// Bulletin computes the 通报 of a month for every unit that leads a task.
// Errors: Forbidden (units and outside roles see their own line only through
// UnitBulletin), Invalid (month).
func (s *Service) Bulletin(ctx context.Context, v Viewer, year, month int) (*Bulletin, error) {
	if !v.ReadsAll() {
		return nil, errs.New(errs.Forbidden, "只有领导和督查人员可以查看全区通报", "only leaders and supervisors see the zone bulletin")
	}
	return s.bulletin(ctx, year, month, 0)
}

// UnitBulletin is one unit's bulletin line with its task detail; a unit
// user may read only its own. Errors: Forbidden, NotFound (unit), Invalid.
func (s *Service) UnitBulletin(ctx context.Context, v Viewer, year, month int, unitID int64) (*UnitScore, *Bulletin, error) {
	if !v.ReadsAll() && !(v.Role == "unit" && v.UnitID == unitID) {
		if v.Role == "unit" {
			return nil, nil, errs.New(errs.NotFound, "没有该单位的通报", "no bulletin for this unit")
		}
		return nil, nil, errs.New(errs.Forbidden, "您的角色无权查看通报", "your role may not see bulletins")
	}
	b, err := s.bulletin(ctx, year, month, unitID)
	if err != nil {
		return nil, nil, err
	}
	for i := range b.Units {
		if b.Units[i].Unit.ID == unitID {
			return &b.Units[i], b, nil
		}
	}
	return nil, nil, errs.New(errs.NotFound, "该单位本年度没有牵头任务", "this unit leads no task this year")
}

func (s *Service) bulletin(ctx context.Context, year, month int, detailUnit int64) (*Bulletin, error) {
	if month < 1 || month > 12 {
		return nil, errs.Field("month", "月份须在 1–12 之间", "month must be 1–12")
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	today, err := s.Today(ctx, year)
	if err != nil {
		return nil, err
	}
	date := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
	if today.Before(date) {
		date = today
	}
	D := date.Format(dateLayout)
	formula := st
	formula.WebhookURL = "" // the robot URL carries its key; the bulletin only needs the formula
	b := &Bulletin{Year: year, Month: month, Date: D, Settings: formula}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT n.id, n.title, n.start_on, n.due_on, n.done_on, n.cycle, u.id, u.code, u.name_zh
		FROM plan_nodes n JOIN units u ON u.id = n.lead_unit_id WHERE n.year = $1 AND n.level = 'task' ORDER BY u.code, n.due_on, n.id LIMIT 100000`, year)
	if err != nil {
		return nil, fmt.Errorf("plan: bulletin tasks: %w", err)
	}
	type task struct {
		id                    int64
		start, due, done, cyc string
		unit                  int
		title                 string
	}
	var tasks []task
	idx := map[int64]int{}
	for rows.Next() {
		var t task
		var u UnitRef
		if err := rows.Scan(&t.id, &t.title, &t.start, &t.due, &t.done, &t.cyc, &u.ID, &u.Code, &u.NameZH); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := idx[u.ID]
		if !ok {
			i = len(b.Units)
			idx[u.ID] = i
			b.Units = append(b.Units, UnitScore{Unit: u})
		}
		t.unit = i
		tasks = append(tasks, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	firstOn := map[int64]map[string]string{}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, `SELECT r.task_id, r.period, r.first_submitted_on FROM plan_reports r JOIN plan_nodes n ON n.id = r.task_id
		WHERE n.year = $1 AND r.first_submitted_on <> '' ORDER BY r.task_id, r.period LIMIT 1000000`, year)
	if err != nil {
		return nil, fmt.Errorf("plan: bulletin reports: %w", err)
	}
	for rows.Next() {
		var id int64
		var p, on string
		if err := rows.Scan(&id, &p, &on); err != nil {
			rows.Close()
			return nil, err
		}
		if firstOn[id] == nil {
			firstOn[id] = map[string]string{}
		}
		firstOn[id][p] = on
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	early := make([]int, len(b.Units))
	for _, t := range tasks {
		u := &b.Units[t.unit]
		u.Tasks++
		done := t.done != "" && t.done <= D
		dueBy := t.due <= D
		row := TaskState{TaskID: t.id, Title: t.title, DueOn: t.due, Status: "open"}
		if dueBy {
			u.DueByDate++
		}
		switch {
		case done && t.done <= t.due:
			u.Done++
			u.OnTime++
			row.DoneOn, row.Status = t.done, "on_time"
			if !dueBy {
				early[t.unit]++
			}
		case done:
			u.Done++
			u.Late++
			row.DoneOn, row.Status = t.done, "done_late"
		case t.due < D:
			u.Late++
			u.Red++
			row.Status = "late"
		}
		start, _ := time.Parse(dateLayout, t.start)
		due, _ := time.Parse(dateLayout, t.due)
		for _, p := range Schedule(t.cyc, start, due, st.DueDay) {
			if p.DueOn.After(date) || (done && p.Start.Format(dateLayout) > t.done) {
				continue
			}
			u.ReportsDue++
			if on := firstOn[t.id][p.Key]; on != "" && on <= p.Due {
				u.ReportsOnTime++
			}
		}
		if detailUnit == u.Unit.ID || detailUnit < 0 {
			u.Rows = append(u.Rows, row)
		}
	}
	for i := range b.Units {
		u := &b.Units[i]
		u.Completion, u.OnTimeRate, u.ReportRate, u.Score = scoreWith(st, *u, early[i])
	}
	sort.SliceStable(b.Units, func(i, j int) bool {
		if b.Units[i].Score != b.Units[j].Score {
			return b.Units[i].Score > b.Units[j].Score
		}
		return b.Units[i].Unit.Code < b.Units[j].Unit.Code
	})
	for i := range b.Units {
		b.Units[i].Rank = i + 1
		if i > 0 && b.Units[i].Score == b.Units[i-1].Score {
			b.Units[i].Rank = b.Units[i-1].Rank
		}
	}
	return b, nil
}

// scoreWith is Score with the count of tasks done before they were due.
func scoreWith(st Settings, u UnitScore, early int) (int, int, int, int) {
	return ScoreCounts(st, u.Done, u.DueByDate+early, u.OnTime, u.Late, u.ReportsOnTime, u.ReportsDue, u.Red)
}

// ScoreCounts computes the three rates and the score (all tenths) from the
// counts: done of completable, on time of (on time + late), reports on time
// of reports due, and red tasks.
func ScoreCounts(st Settings, done, completable, onTime, late, repOnTime, repDue, red int) (int, int, int, int) {
	rate := func(num, den int) int {
		if den == 0 {
			return Full
		}
		return (num*Full*2 + den) / (den * 2)
	}
	c, o, r := rate(done, completable), rate(onTime, onTime+late), rate(repOnTime, repDue)
	wsum := st.ScoreDone + st.ScoreOnTime + st.ScoreReport
	if wsum == 0 {
		return c, o, r, 0
	}
	score := (2*(st.ScoreDone*c+st.ScoreOnTime*o+st.ScoreReport*r)+wsum)/(2*wsum) - st.ScoreRedCost*red*10
	return c, o, r, max(0, min(Full, score))
}

// Points renders a score in tenths as "87.5".
func Points(tenths int) string { return fmt.Sprintf("%d.%d", tenths/10, tenths%10) }
