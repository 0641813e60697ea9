// Package plan keeps the year's work plan and its supervision (督查督办).
//
// The plan is a tree per year: a theme (主题) → focus areas (提升) → actions
// (行动) → tasks (任务), with milestones under tasks. A node's level is fixed
// by its parent's, so the tree can never hold a cycle. Tasks carry a lead
// unit (牵头单位), co-units (配合单位), start and deadline, a measurable
// deliverable, an optional indicator code and a weight.
//
// Progress is kept in tenths of a percent. A task's progress is the
// percentage of its latest accepted report; every other node's is the
// weighted mean of its children (Rollup). A supervisor may override any
// node's progress with a written reason.
//
// Units file progress reports per task and cycle (Report); supervisors accept
// or return them; only accepted reports move progress. Each task carries a
// flag (red, yellow, blue, green: see ComputeFlag) recomputed on every change
// and daily by the "plan.flags" job. Supervisors issue 督办单 (Chase) that
// units answer. The monthly bulletin (通报) scores each unit with the formula
// in Settings.Score (see bulletin.go).
//
// Dates: each plan year has an optional review date (as_of). When set, the
// plan's "today" — for flags, inboxes, chases and bulletins — is that date;
// when empty it is today in China time. Demo data sets it so that a past
// year's plan shows as it stood mid-year.
package plan

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
)

// Level is a node's place in the tree.
type Level string

// Levels, top down.
const (
	Theme  Level = "theme"  // 主题
	Focus  Level = "focus"  // 提升
	Action Level = "action" // 行动
	Task   Level = "task"   // 任务
)

// ChildLevel is the level of a child of l, or "" when l takes no children.
func (l Level) ChildLevel() Level {
	switch l {
	case Theme:
		return Focus
	case Focus:
		return Action
	case Action:
		return Task
	}
	return ""
}

// Label is the level's name in Chinese and English.
func (l Level) Label() (zh, en string) {
	switch l {
	case Theme:
		return "主题", "Theme"
	case Focus:
		return "提升", "Focus area"
	case Action:
		return "行动", "Action"
	}
	return "任务", "Task"
}

// UnitRef names a unit.
type UnitRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
}

// Node is one node of the plan tree.
type Node struct {
	ID             int64       `json:"id"`
	Year           int         `json:"year"`
	ParentID       int64       `json:"parent_id,omitempty"`
	Level          Level       `json:"level"`
	Code           string      `json:"code,omitempty"`
	Title          string      `json:"title"`
	TitleEN        string      `json:"title_en,omitempty"`
	Description    string      `json:"description,omitempty"`
	Sort           int         `json:"sort"`
	Weight         *int        `json:"weight"`
	Lead           *UnitRef    `json:"lead_unit,omitempty"`
	CoUnits        []UnitRef   `json:"co_units,omitempty"`
	StartOn        string      `json:"start_on,omitempty"`
	DueOn          string      `json:"due_on,omitempty"`
	Deliverable    string      `json:"deliverable,omitempty"`
	IndicatorCode  string      `json:"indicator_code,omitempty"`
	Cycle          string      `json:"cycle,omitempty"`
	ReportedPct    int         `json:"reported_pct"`
	Override       *int        `json:"override_pct"`
	OverrideReason string      `json:"override_reason,omitempty"`
	OverrideBy     string      `json:"override_by,omitempty"`
	OverrideAt     int64       `json:"override_at,omitempty"`
	DoneOn         string      `json:"done_on,omitempty"`
	Progress       int         `json:"progress_tenths"` // effective, tenths of a percent
	ProgressPct    string      `json:"progress"`        // "42.5%"
	Flag           Flag        `json:"flag"`
	FlagReason     string      `json:"flag_reason,omitempty"`
	FlagAsOf       string      `json:"flag_as_of,omitempty"`
	Version        int         `json:"version"`
	Milestones     []Milestone `json:"milestones,omitempty"`
	Children       []*Node     `json:"children,omitempty"`
	Tasks          int         `json:"tasks,omitempty"` // tasks below (for non-task nodes)
}

// Milestone is a checkpoint under a task.
type Milestone struct {
	ID     int64  `json:"id"`
	TaskID int64  `json:"task_id"`
	Title  string `json:"title"`
	DueOn  string `json:"due_on"`
	DoneOn string `json:"done_on,omitempty"`
}

// Viewer is who asks: the service checks every object against it.
type Viewer struct {
	UserID int64
	Name   string
	Role   org.Role
	UnitID int64
}

// ViewerOf makes a Viewer of a signed-in user.
func ViewerOf(u *org.User) Viewer {
	return Viewer{UserID: u.ID, Name: u.Username, Role: u.Role, UnitID: u.UnitID}
}

// ReadsAll reports whether v sees the whole plan (leader, supervisor, admin).
func (v Viewer) ReadsAll() bool {
	return v.Role == org.Leader || v.Role == org.Supervisor || v.Role == org.Admin
}

// Service is the plan module.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Org   *org.Service
	// Now is the clock (demo loading replaces it); nil means time.Now.
	Now func() time.Time
	// HTTP posts webhook notifications; nil means a client with a 10 s timeout.
	HTTP *http.Client

	trees *memo.Cache[*Tree] // whole-plan trees per year and day; see memo.go
}

// New returns the plan service.
func New(d *db.DB, a *audit.Log, o *org.Service, opt Options) *Service {
	a.Describe("plan", auditLabels())
	return &Service{DB: d, Audit: a, Org: o, trees: newTrees(memo.Module{DB: d, Name: Module}, opt)}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) nowMS() int64 { return s.now().UnixMilli() }

// realToday is today's date in China time, as a UTC midnight.
func (s *Service) realToday() time.Time {
	t := s.now().In(db.CST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Today is the plan year's "today": its review date when set, else today in
// China time.
func (s *Service) Today(ctx context.Context, year int) (time.Time, error) {
	var asOf string
	err := db.Reader{D: s.DB}.QueryRowContext(ctx, "SELECT as_of FROM plan_years WHERE year = $1", year).Scan(&asOf)
	if err != nil && err != sql.ErrNoRows {
		return time.Time{}, fmt.Errorf("plan: as-of of %d: %w", year, err)
	}
	return s.todayAt(asOf), nil
}

// TodayIn is Today read from years, as Years returned them: a page that
// lists the years already knows each year's review date.
func (s *Service) TodayIn(years []Year, year int) time.Time {
	for _, y := range years {
		if y.Year == year {
			return s.todayAt(y.AsOf)
		}
	}
	return s.realToday()
}

// todayAt is the stored review date asOf, or the real date when none is set.
func (s *Service) todayAt(asOf string) time.Time {
	if asOf != "" {
		if t, err := time.Parse(dateLayout, asOf); err == nil {
			return t
		}
	}
	return s.realToday()
}

func notFound() error {
	return errs.New(errs.NotFound, "任务或节点不存在", "plan node not found")
}

func forbiddenEdit() error {
	return errs.New(errs.Forbidden, "只有督查人员可以编辑计划", "only supervisors may edit the plan")
}

type scanner interface{ Scan(...any) error }

// Year is a plan year.
type Year struct {
	Year  int    `json:"year"`
	Title string `json:"title"`
	AsOf  string `json:"as_of"`
}

// Years lists the plan years, newest first.
func (s *Service) Years(ctx context.Context) ([]Year, error) {
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, "SELECT year, title, as_of FROM plan_years ORDER BY year DESC LIMIT 100")
	if err != nil {
		return nil, fmt.Errorf("plan: years: %w", err)
	}
	defer rows.Close()
	var out []Year
	for rows.Next() {
		var y Year
		if err := rows.Scan(&y.Year, &y.Title, &y.AsOf); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}
