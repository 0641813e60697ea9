package plan

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

const nodeCols = `n.id, n.year, COALESCE(n.parent_id, 0), n.level, n.code, n.title, n.title_en, n.description, n.sort,
	n.weight, COALESCE(n.lead_unit_id, 0), COALESCE(u.code, ''), COALESCE(u.name_zh, ''), n.start_on, n.due_on,
	n.deliverable, n.indicator_code, n.cycle, n.reported_pct, n.override_pct, n.override_reason, n.override_by,
	n.override_at, n.done_on, n.flag, n.flag_reason, n.flag_as_of, n.version`

const nodeFrom = " FROM plan_nodes n LEFT JOIN units u ON u.id = n.lead_unit_id"

func scanNode(sc scanner) (*Node, error) {
	n := &Node{}
	var weight, override sql.NullInt64
	var lead UnitRef
	var level, flag string
	err := sc.Scan(&n.ID, &n.Year, &n.ParentID, &level, &n.Code, &n.Title, &n.TitleEN, &n.Description, &n.Sort,
		&weight, &lead.ID, &lead.Code, &lead.NameZH, &n.StartOn, &n.DueOn, &n.Deliverable, &n.IndicatorCode, &n.Cycle,
		&n.ReportedPct, &override, &n.OverrideReason, &n.OverrideBy, &n.OverrideAt, &n.DoneOn, &flag, &n.FlagReason,
		&n.FlagAsOf, &n.Version)
	if err != nil {
		return nil, err
	}
	n.Level, n.Flag = Level(level), Flag(flag)
	if weight.Valid {
		w := int(weight.Int64)
		n.Weight = &w
	}
	if override.Valid {
		o := int(override.Int64)
		n.Override = &o
	}
	if lead.ID != 0 {
		n.Lead = &lead
	}
	if n.Level != Task {
		n.Cycle = ""
	}
	return n, nil
}

// Tree is a year's plan, with progress rolled up and flags aggregated.
type Tree struct {
	Year  int              `json:"year"`
	AsOf  string           `json:"as_of"`
	Roots []*Node          `json:"roots"`
	Index map[int64]*Node  `json:"-"`
	Count map[Flag]int     `json:"flags"` // tasks per flag
	Units map[int64]string `json:"-"`
}

// Tree loads the plan of a year as v may see it: the whole tree for staff;
// for a unit, the tasks its unit leads or co-operates on and their
// ancestors. Progress of a node is its override when set, else the roll-up
// of its children; flags of non-task nodes are the worst of their tasks. In
// a unit's view both count only the unit's own tasks (see prune).
func (s *Service) Tree(ctx context.Context, v Viewer, year int) (*Tree, error) {
	if !v.ReadsAll() && v.Role != "unit" {
		return nil, errs.New(errs.Forbidden, "您的角色无权查看工作计划", "your role may not see the work plan")
	}
	whole, err := s.trees.Get(ctx, s.treeKey(year), func() (*Tree, error) { return s.loadTree(ctx, year) })
	if err != nil {
		return nil, err
	}
	t := *whole // shallow copy: the memoised nodes are shared and read-only
	if !v.ReadsAll() {
		t.Roots = prune(t.Roots, v.UnitID)
		t.Count = map[Flag]int{}
		walk(t.Roots, func(n *Node) {
			if n.Level == Task {
				t.Count[n.Flag]++
			}
		})
	}
	return &t, nil
}

// loadTree reads and rolls up the whole plan of a year.
func (s *Service) loadTree(ctx context.Context, year int) (*Tree, error) {
	today, err := s.Today(ctx, year)
	if err != nil {
		return nil, err
	}
	t := &Tree{Year: year, AsOf: today.Format(dateLayout), Index: map[int64]*Node{}, Count: map[Flag]int{}}
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, "SELECT "+nodeCols+nodeFrom+" WHERE n.year = $1 ORDER BY n.sort, n.id LIMIT 20000", year)
	if err != nil {
		return nil, fmt.Errorf("plan: tree %d: %w", year, err)
	}
	var all []*Node
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, n)
		t.Index[n.ID] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.loadCoUnits(ctx, year, t.Index); err != nil {
		return nil, err
	}
	if err := s.loadMilestones(ctx, year, t.Index); err != nil {
		return nil, err
	}
	for _, n := range all {
		if p := t.Index[n.ParentID]; p != nil {
			p.Children = append(p.Children, n)
		} else {
			t.Roots = append(t.Roots, n)
		}
	}
	for _, r := range t.Roots {
		settle(r)
	}
	for _, n := range all {
		if n.Level == Task {
			t.Count[n.Flag]++
		}
	}
	return t, nil
}

// settle computes progress and the aggregated flag bottom-up.
func settle(n *Node) {
	if n.Level == Task {
		n.Progress = n.ReportedPct * 10
		n.Tasks = 0
	} else {
		n.Flag = Green
		n.Tasks = 0
		cs := make([]Child, len(n.Children))
		for i, c := range n.Children {
			settle(c)
			cs[i] = Child{Weight: c.Weight, Progress: c.Progress}
			n.Flag = Worse(n.Flag, c.Flag)
			if c.Level == Task {
				n.Tasks++
			} else {
				n.Tasks += c.Tasks
			}
		}
		if CheckWeights(weightsOf(n.Children)) != nil {
			for i := range cs {
				cs[i].Weight = nil // stored weights never break the rule; be safe if they do
			}
		}
		n.Progress = Rollup(cs)
	}
	if n.Override != nil {
		n.Progress = *n.Override * 10
	}
	n.ProgressPct = Pct(n.Progress)
}

func weightsOf(ns []*Node) []*int {
	out := make([]*int, len(ns))
	for i, n := range ns {
		out[i] = n.Weight
	}
	return out
}

// visibleTo reports whether a unit leads or co-operates on task n.
func visibleTo(n *Node, unitID int64) bool {
	if unitID == 0 {
		return false
	}
	if n.Lead != nil && n.Lead.ID == unitID {
		return true
	}
	for _, c := range n.CoUnits {
		if c.ID == unitID {
			return true
		}
	}
	return false
}

// prune keeps the unit's tasks and their ancestors. A kept ancestor is
// settled again from what the unit may see: its flag is the worst of the
// unit's tasks below it, its task count theirs, and its progress their
// roll-up (weights renormalised over the visible children) unless a
// supervisor's override stands. Whole-plan figures would give away other
// units' tasks: with two tasks under an action, the action's mean and one's
// own task yield the other's progress, and a red action names a red task.
func prune(ns []*Node, unitID int64) []*Node {
	var out []*Node
	for _, n := range ns {
		if n.Level == Task {
			if visibleTo(n, unitID) {
				out = append(out, n)
			}
			continue
		}
		kids := prune(n.Children, unitID)
		if len(kids) == 0 {
			continue
		}
		cp := *n
		cp.Children, cp.Flag, cp.FlagReason, cp.Tasks = kids, Green, "", 0
		cs := make([]Child, len(kids))
		for i, k := range kids {
			cp.Flag = Worse(cp.Flag, k.Flag)
			if k.Level == Task {
				cp.Tasks++
			} else {
				cp.Tasks += k.Tasks
			}
			cs[i] = Child{Weight: k.Weight, Progress: k.Progress}
		}
		if cp.Override == nil {
			cp.Progress = partialRollup(cs)
			cp.ProgressPct = Pct(cp.Progress)
		}
		out = append(out, &cp)
	}
	return out
}

// partialRollup is the weighted mean of some of a node's children: their
// weights no longer sum to 100, so they are renormalised; unset (or all
// zero) weights give equal shares. Rounded half up to a tenth.
func partialRollup(cs []Child) int {
	sum, wsum := 0, 0
	for _, c := range cs {
		if c.Weight == nil {
			wsum = 0
			break
		}
		sum += *c.Weight * c.Progress
		wsum += *c.Weight
	}
	if wsum == 0 {
		for i := range cs {
			cs[i].Weight = nil
		}
		return Rollup(cs)
	}
	return (sum + wsum/2) / wsum
}

func walk(ns []*Node, fn func(*Node)) {
	for _, n := range ns {
		fn(n)
		walk(n.Children, fn)
	}
}

func (s *Service) loadCoUnits(ctx context.Context, year int, idx map[int64]*Node) error {
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, `SELECT c.node_id, u.id, u.code, u.name_zh FROM plan_co_units c
		JOIN plan_nodes n ON n.id = c.node_id JOIN units u ON u.id = c.unit_id
		WHERE n.year = $1 ORDER BY c.node_id, u.code LIMIT 50000`, year)
	if err != nil {
		return fmt.Errorf("plan: co-units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var u UnitRef
		if err := rows.Scan(&id, &u.ID, &u.Code, &u.NameZH); err != nil {
			return err
		}
		if n := idx[id]; n != nil {
			n.CoUnits = append(n.CoUnits, u)
		}
	}
	return rows.Err()
}

func (s *Service) loadMilestones(ctx context.Context, year int, idx map[int64]*Node) error {
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, `SELECT m.id, m.task_id, m.title, m.due_on, m.done_on FROM plan_milestones m
		JOIN plan_nodes n ON n.id = m.task_id WHERE n.year = $1 ORDER BY m.task_id, m.due_on, m.id LIMIT 50000`, year)
	if err != nil {
		return fmt.Errorf("plan: milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Milestone
		if err := rows.Scan(&m.ID, &m.TaskID, &m.Title, &m.DueOn, &m.DoneOn); err != nil {
			return err
		}
		if n := idx[m.TaskID]; n != nil {
			n.Milestones = append(n.Milestones, m)
		}
	}
	return rows.Err()
}

// Node returns one node, with its children, progress and flags as in the
// tree, if v may see it. Errors: NotFound (also for a unit's view of a task
// its unit is not on), Forbidden (roles outside the plan).
func (s *Service) Node(ctx context.Context, v Viewer, id int64) (*Node, *Tree, error) {
	var year int
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT year FROM plan_nodes WHERE id = $1", id).Scan(&year)
	if err == sql.ErrNoRows {
		return nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("plan: node %d: %w", id, err)
	}
	t, err := s.Tree(ctx, v, year)
	if err != nil {
		return nil, nil, err
	}
	var found *Node
	walk(t.Roots, func(n *Node) {
		if n.ID == id {
			found = n
		}
	})
	if found == nil {
		return nil, nil, notFound()
	}
	return found, t, nil
}

// Tasks returns the tasks of a year v may see, in tree order, optionally only
// those with the given flag.
func (t *Tree) Tasks(flag Flag) []*Node {
	var out []*Node
	walk(t.Roots, func(n *Node) {
		if n.Level == Task && (flag == "" || n.Flag == flag) {
			out = append(out, n)
		}
	})
	return out
}

// ByDeadline sorts tasks by deadline, then id.
func ByDeadline(ns []*Node) {
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].DueOn != ns[j].DueOn {
			return ns[i].DueOn < ns[j].DueOn
		}
		return ns[i].ID < ns[j].ID
	})
}

// Path returns the titles from the root down to n's parent.
func (t *Tree) Path(n *Node) []*Node {
	var out []*Node
	for p := t.Index[n.ParentID]; p != nil; p = t.Index[p.ParentID] {
		out = append([]*Node{p}, out...)
	}
	return out
}
