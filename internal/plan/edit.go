package plan

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
)

// NodeInput is what a supervisor gives to create or edit a node. Task fields
// are ignored on other levels.
type NodeInput struct {
	ParentID      int64    `json:"parent_id,omitempty"` // 0 for a theme
	Year          int      `json:"year,omitempty"`      // for a theme; children take their parent's
	Code          string   `json:"code"`
	Title         string   `json:"title"`
	TitleEN       string   `json:"title_en"`
	Description   string   `json:"description"`
	Sort          int      `json:"sort"`
	Weight        *int     `json:"weight"`
	LeadUnit      string   `json:"lead_unit,omitempty"` // unit code
	CoUnits       []string `json:"co_units,omitempty"`  // unit codes
	StartOn       string   `json:"start_on,omitempty"`
	DueOn         string   `json:"due_on,omitempty"`
	Deliverable   string   `json:"deliverable,omitempty"`
	IndicatorCode string   `json:"indicator_code,omitempty"`
	Cycle         string   `json:"cycle,omitempty"` // monthly (default) or quarterly
	Version       int      `json:"version,omitempty"`
}

func (in *NodeInput) trim() {
	for _, p := range []*string{&in.Code, &in.Title, &in.TitleEN, &in.Description, &in.LeadUnit, &in.StartOn,
		&in.DueOn, &in.Deliverable, &in.IndicatorCode, &in.Cycle} {
		*p = strings.TrimSpace(*p)
	}
}

// resolved is a validated NodeInput with its units looked up.
type resolved struct {
	lead    any // unit id or nil
	coUnits []int64
}

// validate checks a node's fields for its level. Errors: Invalid listing
// every bad field.
func (s *Service) validate(ctx context.Context, level Level, in *NodeInput) (resolved, error) {
	in.trim()
	var r resolved
	var ds []errs.Detail
	bad := func(field, value, zh, en string) {
		ds = append(ds, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	if in.Title == "" {
		bad("title", "", "请填写标题", "title is required")
	}
	if len([]rune(in.Title)) > 500 {
		bad("title", "", "标题不能超过 500 字", "title must be at most 500 characters")
	}
	if in.Weight != nil && (*in.Weight < 0 || *in.Weight > 100) {
		bad("weight", strconv.Itoa(*in.Weight), "权重须在 0–100 之间", "weight must be between 0 and 100")
	}
	if level == Task {
		if in.Cycle == "" {
			in.Cycle = "monthly"
		}
		if in.Cycle != "monthly" && in.Cycle != "quarterly" {
			bad("cycle", in.Cycle, "报送周期须为 monthly（月）或 quarterly（季）", "cycle must be monthly or quarterly")
		}
		if in.Deliverable == "" {
			bad("deliverable", "", "请填写可衡量的成果（交付物）", "a measurable deliverable is required")
		}
		start, err1 := ParseDate("start_on", in.StartOn)
		due, err2 := ParseDate("due_on", in.DueOn)
		if err1 != nil {
			bad("start_on", in.StartOn, "开始日期格式应为 YYYY-MM-DD", "start date must be YYYY-MM-DD")
		}
		if err2 != nil {
			bad("due_on", in.DueOn, "截止日期格式应为 YYYY-MM-DD", "deadline must be YYYY-MM-DD")
		}
		if err1 == nil && err2 == nil && due.Before(start) {
			bad("due_on", in.DueOn, "截止日期不能早于开始日期 "+in.StartOn, "deadline is before the start date "+in.StartOn)
		}
		if in.LeadUnit == "" {
			bad("lead_unit", "", "请指定牵头单位", "a lead unit is required")
		} else if u, err := s.Org.UnitByCode(ctx, in.LeadUnit); err != nil {
			bad("lead_unit", in.LeadUnit, "牵头单位不存在", "lead unit not found")
		} else {
			r.lead = u.ID
		}
		seen := map[string]bool{in.LeadUnit: true}
		for _, c := range in.CoUnits {
			c = strings.TrimSpace(c)
			if c == "" || seen[c] {
				continue
			}
			seen[c] = true
			u, err := s.Org.UnitByCode(ctx, c)
			if err != nil {
				bad("co_units", c, "配合单位不存在", "co-unit not found")
				continue
			}
			r.coUnits = append(r.coUnits, u.ID)
		}
		if len(in.IndicatorCode) > 64 {
			bad("indicator_code", in.IndicatorCode, "指标代码不能超过 64 个字符", "indicator code must be at most 64 characters")
		}
	} else {
		in.LeadUnit, in.CoUnits, in.StartOn, in.DueOn, in.Deliverable, in.IndicatorCode, in.Cycle = "", nil, "", "", "", "", "monthly"
	}
	if len(ds) > 0 {
		return r, errs.List(fmt.Sprintf("有 %d 处填写错误：%s", len(ds), ds[0].Reason),
			fmt.Sprintf("%d fields are invalid: %s", len(ds), ds[0].ReasonEN), ds)
	}
	return r, nil
}

// siblingWeights returns the weights of parent's children other than except.
func siblingWeights(ctx context.Context, q db.Querier, year int, parentID, except int64) ([]*int, error) {
	var rows *sql.Rows
	var err error
	if parentID == 0 {
		rows, err = q.QueryContext(ctx, "SELECT weight FROM plan_nodes WHERE year = $1 AND parent_id IS NULL AND id <> $2 ORDER BY id LIMIT 10000", year, except)
	} else {
		rows, err = q.QueryContext(ctx, "SELECT weight FROM plan_nodes WHERE parent_id = $1 AND id <> $2 ORDER BY id LIMIT 10000", parentID, except)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: sibling weights: %w", err)
	}
	defer rows.Close()
	var out []*int
	for rows.Next() {
		var w sql.NullInt64
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		if w.Valid {
			x := int(w.Int64)
			out = append(out, &x)
		} else {
			out = append(out, nil)
		}
	}
	return out, rows.Err()
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// CreateNode adds a node under in.ParentID (a theme when 0, which also opens
// the plan year). The level is the parent's child level, so no cycle can
// form. With a weight, the siblings' weights must then satisfy CheckWeights.
// Errors: Forbidden (not a supervisor), NotFound (parent), Invalid (fields,
// weights; a task cannot take children).
func (s *Service) CreateNode(ctx context.Context, v Viewer, in NodeInput) (*Node, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.createTx(ctx, tx, v, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.rawNode(ctx, id)
}

// AddTasks creates tasks under the action parent inside the caller's
// transaction tx, with every check, audit row and roll-up of CreateNode,
// and moves the plan's version on: a module that delivers its work
// through the plan (a scenario call's milestones) commits its own write
// and the tasks together. Errors: as CreateNode, the first task's first.
func (s *Service) AddTasks(ctx context.Context, tx *sql.Tx, v Viewer, parent int64, ins []NodeInput) ([]int64, error) {
	ids := make([]int64, 0, len(ins))
	for _, in := range ins {
		in.ParentID = parent
		id, err := s.createTx(ctx, tx, v, in)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, memo.Bump(ctx, tx, Module)
}

// FindAction returns the id of the year's action (行动) titled title.
// Errors: NotFound naming the year and title.
func (s *Service) FindAction(ctx context.Context, year int, title string) (int64, error) {
	var id int64
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id FROM plan_nodes WHERE year = $1 AND level = $2 AND title = $3 ORDER BY id LIMIT 1",
		year, string(Action), title).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, errs.New(errs.NotFound, fmt.Sprintf("%d 年度工作计划中没有“%s”", year, title), fmt.Sprintf("the %d plan has no action %q", year, title))
	}
	if err != nil {
		return 0, fmt.Errorf("plan: find action: %w", err)
	}
	return id, nil
}

// createTx inserts one node inside tx (see CreateNode).
func (s *Service) createTx(ctx context.Context, tx *sql.Tx, v Viewer, in NodeInput) (int64, error) {
	if v.Role != org.Supervisor {
		return 0, forbiddenEdit()
	}
	level, year := Theme, in.Year
	if in.ParentID != 0 {
		var pl string
		err := tx.QueryRowContext(ctx, "SELECT level, year FROM plan_nodes WHERE id = $1", in.ParentID).Scan(&pl, &year)
		if err == sql.ErrNoRows {
			return 0, errs.Field("parent_id", "上级节点不存在", "parent node not found")
		}
		if err != nil {
			return 0, fmt.Errorf("plan: parent: %w", err)
		}
		level = Level(pl).ChildLevel()
		if level == "" {
			return 0, errs.Field("parent_id", "任务下不能再建子节点（请用里程碑）", "a task takes no child nodes (use milestones)")
		}
	} else if year < 2000 || year > 2100 {
		return 0, errs.Field("year", "年度无效", "invalid year")
	}
	r, err := s.validate(ctx, level, &in)
	if err != nil {
		return 0, err
	}
	if err := s.DB.Lock(ctx, tx, "plan.tree"); err != nil {
		return 0, err
	}
	ws, err := siblingWeights(ctx, tx, year, in.ParentID, 0)
	if err != nil {
		return 0, err
	}
	if err := CheckWeights(append(ws, in.Weight)); err != nil {
		return 0, err
	}
	if level == Theme {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plan_years (year, title, created_at) VALUES ($1, $2, $3) ON CONFLICT (year) DO NOTHING",
			year, in.Title, s.nowMS()); err != nil {
			return 0, fmt.Errorf("plan: open year: %w", err)
		}
	}
	var parent any
	if in.ParentID != 0 {
		parent = in.ParentID
	}
	now := s.nowMS()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO plan_nodes (year, parent_id, level, code, title, title_en, description, sort,
		weight, lead_unit_id, start_on, due_on, deliverable, indicator_code, cycle, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16) RETURNING id`,
		year, parent, string(level), in.Code, in.Title, in.TitleEN, in.Description, in.Sort, nullInt(in.Weight), r.lead,
		in.StartOn, in.DueOn, in.Deliverable, in.IndicatorCode, in.Cycle, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("plan: insert node: %w", err)
	}
	if err := setCoUnits(ctx, tx, id, r.coUnits); err != nil {
		return 0, err
	}
	if level == Task {
		if err := s.refreshTx(ctx, tx, year, id); err != nil {
			return 0, err
		}
	}
	return id, s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.node.create", ObjectType: "plan_node",
		ObjectID: strconv.FormatInt(id, 10), After: in})
}

func setCoUnits(ctx context.Context, tx *sql.Tx, id int64, units []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM plan_co_units WHERE node_id = $1", id); err != nil {
		return fmt.Errorf("plan: clear co-units: %w", err)
	}
	for _, u := range units {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plan_co_units (node_id, unit_id) VALUES ($1, $2)", id, u); err != nil {
			return fmt.Errorf("plan: co-unit: %w", err)
		}
	}
	return nil
}

// rawNode reads one node row without roll-up (for write answers).
func (s *Service) rawNode(ctx context.Context, id int64) (*Node, error) {
	n, err := scanNode(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+nodeCols+nodeFrom+" WHERE n.id = $1", id))
	if err == sql.ErrNoRows {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("plan: node %d: %w", id, err)
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT u.id, u.code, u.name_zh FROM plan_co_units c JOIN units u ON u.id = c.unit_id WHERE c.node_id = $1 ORDER BY u.code LIMIT 200", id)
	if err != nil {
		return nil, fmt.Errorf("plan: co-units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u UnitRef
		if err := rows.Scan(&u.ID, &u.Code, &u.NameZH); err != nil {
			return nil, err
		}
		n.CoUnits = append(n.CoUnits, u)
	}
	n.Progress = n.ReportedPct * 10
	if n.Override != nil {
		n.Progress = *n.Override * 10
	}
	n.ProgressPct = Pct(n.Progress)
	return n, rows.Err()
}

// UpdateNode edits a node's fields. in.Version must match the stored
// version. Errors: Forbidden, NotFound, Invalid (fields, weights), Conflict
// (stale version).
func (s *Service) UpdateNode(ctx context.Context, v Viewer, id int64, in NodeInput) (*Node, error) {
	if v.Role != org.Supervisor {
		return nil, forbiddenEdit()
	}
	before, err := s.rawNode(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.validate(ctx, before.Level, &in)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, "plan.tree"); err != nil {
			return err
		}
		ws, err := siblingWeights(ctx, tx, before.Year, before.ParentID, id)
		if err != nil {
			return err
		}
		if err := CheckWeights(append(ws, in.Weight)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE plan_nodes SET code=$1, title=$2, title_en=$3, description=$4, sort=$5, weight=$6,
			lead_unit_id=$7, start_on=$8, due_on=$9, deliverable=$10, indicator_code=$11, cycle=$12, version=version+1, updated_at=$13
			WHERE id=$14 AND version=$15`, in.Code, in.Title, in.TitleEN, in.Description, in.Sort, nullInt(in.Weight), r.lead,
			in.StartOn, in.DueOn, in.Deliverable, in.IndicatorCode, in.Cycle, s.nowMS(), id, in.Version)
		if err != nil {
			return fmt.Errorf("plan: update node: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return staleVersion("version", in.Version)
		}
		if before.Level == Task {
			if err := setCoUnits(ctx, tx, id, r.coUnits); err != nil {
				return err
			}
			if err := s.refreshTx(ctx, tx, before.Year, id); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "plan.node.update", ObjectType: "plan_node",
			ObjectID: strconv.FormatInt(id, 10), Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.rawNode(ctx, id)
}

func staleVersion(field string, got int) error {
	e := errs.New(errs.Conflict, fmt.Sprintf("内容已被他人修改（您提交的版本 %d 已过时），请刷新后重试", got),
		fmt.Sprintf("someone else changed this first (your version %d is stale); reload and try again", got))
	e.Field = field
	return e
}
