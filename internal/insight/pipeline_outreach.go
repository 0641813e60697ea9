package insight

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
	"gaoxin/internal/plan"
)

// Outreach (走访服务): a supervisor turns enterprises of the "close to the
// next tier" list into tasks of the work plan, under an action of the
// plan year, one task per enterprise and tier naming the gaps. The tasks
// and the module's record of them commit together.

// OutreachPick is one enterprise of the list and the tier it is close to.
type OutreachPick struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Tier         string `json:"tier"`
}

// OutreachInput asks for outreach tasks.
type OutreachInput struct {
	ParentID int64          `json:"parent_id"`           // the plan action (行动) the tasks go under
	LeadUnit string         `json:"lead_unit,omitempty"` // unit code; "": each enterprise's office area
	DueOn    string         `json:"due_on,omitempty"`    // YYYY-MM-DD; "": the plan year's last day
	Picks    []OutreachPick `json:"candidates"`
}

// OutreachTask is a plan task made for one enterprise.
type OutreachTask struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Tier         string `json:"tier"`
	TaskID       int64  `json:"task_id"`
	Title        string `json:"title"`
	Deliverable  string `json:"deliverable"`
}

// Outreach is what one request made.
type Outreach struct {
	PlanYear int            `json:"plan_year"`
	ParentID int64          `json:"parent_id"`
	Tasks    []OutreachTask `json:"tasks"`
}

// MaxOutreach is how many enterprises one request may take.
const MaxOutreach = 100

// OutreachActions lists the plan actions of a year that outreach tasks
// may go under, as v sees the plan, with the one that fits best first
// (a title naming 梯度培育, then 培育 or 企业).
func (s *Service) OutreachActions(ctx context.Context, v Viewer, year int) ([]*plan.Node, error) {
	if !v.Staff() {
		return nil, errs.New(errs.Forbidden, "您的角色无权生成走访任务", "your role may not make outreach tasks")
	}
	t, err := s.Plan.Tree(ctx, s.planViewer(v), year)
	if err != nil {
		return nil, err
	}
	var best, rest []*plan.Node
	var walk func([]*plan.Node)
	walk = func(ns []*plan.Node) {
		for _, n := range ns {
			if n.Level == plan.Action {
				if strings.Contains(n.Title, "梯度培育") {
					best = append([]*plan.Node{n}, best...)
				} else if strings.Contains(n.Title, "培育") || strings.Contains(n.Title, "企业") {
					best = append(best, n)
				} else {
					rest = append(rest, n)
				}
				continue
			}
			walk(n.Children)
		}
	}
	walk(t.Roots)
	return append(best, rest...), nil
}

func (s *Service) planViewer(v Viewer) plan.Viewer {
	return plan.Viewer{UserID: v.UserID, Role: v.Role, UnitID: v.UnitID}
}

// MakeOutreach adds a plan task per pick under in.ParentID, each naming the
// enterprise, the tier and its gaps, records them and audits the request.
// Errors: Forbidden (not a supervisor), Invalid (no pick, too many, a
// pick not on the list, an enterprise without an office area and no lead
// unit, the parent not an action, the plan's own checks), Conflict (a
// task already made for an enterprise and tier this plan year), NotFound
// (the parent).
func (s *Service) MakeOutreach(ctx context.Context, v Viewer, in OutreachInput) (Outreach, error) {
	if v.Role != org.Supervisor {
		return Outreach{}, errs.New(errs.Forbidden, "只有督查人员可以生成走访任务", "only supervisors make outreach tasks")
	}
	if len(in.Picks) == 0 || len(in.Picks) > MaxOutreach {
		return Outreach{}, errs.Field("candidates", fmt.Sprintf("请选择 1–%d 家企业", MaxOutreach), fmt.Sprintf("choose 1 to %d enterprises", MaxOutreach))
	}
	if in.ParentID <= 0 {
		return Outreach{}, errs.Field("parent_id", "请选择任务所属的行动", "choose the plan action the tasks go under")
	}
	parent, _, err := s.Plan.Node(ctx, s.planViewer(v), in.ParentID)
	if err != nil {
		if e := errs.As(err); e != nil && e.Code == errs.NotFound {
			return Outreach{}, errs.Field("parent_id", "所选行动不存在", "the chosen action does not exist")
		}
		return Outreach{}, err
	}
	if parent.Level != plan.Action {
		return Outreach{}, errs.Field("parent_id", "任务须建在“行动”之下", "tasks go under an action")
	}
	out := Outreach{PlanYear: parent.Year, ParentID: parent.ID}
	end := strconv.Itoa(parent.Year) + "-12-31"
	start := min(max(s.today(), strconv.Itoa(parent.Year)+"-01-01"), end)
	due := in.DueOn
	if due == "" {
		due = end
	}
	type pick struct {
		OutreachPick
		cand Candidate
		area string
	}
	var picks []pick
	var bad []errs.Detail
	seen := map[OutreachPick]bool{}
	for i, p := range in.Picks {
		if seen[p] {
			continue
		}
		seen[p] = true
		var c Candidate
		var area, gaps string
		err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT figures_year, unmet, gaps, area FROM insight_candidates WHERE enterprise_id = $1 AND tier = $2",
			p.EnterpriseID, p.Tier).Scan(&c.FiguresYear, &c.Unmet, &gaps, &area)
		if err == sql.ErrNoRows {
			bad = append(bad, errs.Detail{Field: fmt.Sprintf("candidates[%d]", i), Value: fmt.Sprint(p.EnterpriseID, " ", p.Tier),
				Reason: "该企业不在接近此梯队的名单中", ReasonEN: "the enterprise is not on the list for this tier"})
			continue
		}
		if err != nil {
			return out, fmt.Errorf("insight: outreach pick: %w", err)
		}
		c.EnterpriseID, c.Tier = p.EnterpriseID, p.Tier
		c.TierZH, c.TierEN = tierName(p.Tier)
		if c.Gaps, err = readGaps(p.Tier, gaps); err != nil {
			return out, err
		}
		if in.LeadUnit == "" && area == None {
			bad = append(bad, errs.Detail{Field: "lead_unit", Value: fmt.Sprint(p.EnterpriseID),
				Reason: "该企业未划归办事处，请指定牵头单位", ReasonEN: "the enterprise has no office area: choose a lead unit"})
			continue
		}
		picks = append(picks, pick{p, c, area})
	}
	if len(bad) > 0 {
		return out, errs.List("所选企业有误，未生成任务", "some picks are wrong; no task was made", bad)
	}
	ids := make([]int64, len(picks))
	for i, p := range picks {
		ids[i] = p.EnterpriseID
	}
	briefs, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return out, err
	}
	units := map[string]string{} // area unit id → code
	tasks := make([]plan.NodeInput, len(picks))
	for i, p := range picks {
		name := briefs[p.EnterpriseID].Name
		lead := in.LeadUnit
		if lead == "" {
			if lead = units[p.area]; lead == "" {
				id, _ := strconv.ParseInt(p.area, 10, 64)
				u, err := s.Org.UnitByID(ctx, id)
				if err != nil {
					return out, err
				}
				lead, units[p.area] = u.Code, u.Code
			}
		}
		rule, _ := TierRuleOf(p.Tier)
		deliverable := fmt.Sprintf("走访%s，指导申报%s（各项可测条件已达标）", name, p.cand.TierZH)
		if len(p.cand.Gaps) > 0 {
			words := make([]string, len(p.cand.Gaps))
			for j, g := range p.cand.Gaps {
				words[j] = g.TextZH
			}
			deliverable = fmt.Sprintf("走访%s，对照%s认定条件补齐差距：%s", name, p.cand.TierZH, strings.Join(words, "；"))
		}
		tasks[i] = plan.NodeInput{Title: fmt.Sprintf("【梯度培育】%s：冲刺%s", name, p.cand.TierZH), LeadUnit: lead, StartOn: start, DueOn: due,
			Deliverable: deliverable, Code: fmt.Sprintf("TD%d-%s", p.EnterpriseID, p.Tier),
			Description: fmt.Sprintf("产业大脑梯度培育名单（%d 年数据）。依据：%s", p.cand.FiguresYear, rule.Source)}
		out.Tasks = append(out.Tasks, OutreachTask{EnterpriseID: p.EnterpriseID, Name: name, Tier: p.Tier, Title: tasks[i].Title, Deliverable: deliverable})
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, t := range out.Tasks {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM insight_outreach WHERE enterprise_id = $1 AND tier = $2 AND plan_year = $3",
				t.EnterpriseID, t.Tier, out.PlanYear).Scan(&n); err != nil {
				return fmt.Errorf("insight: outreach: %w", err)
			}
			if n > 0 {
				zh, en := tierName(t.Tier)
				return errs.New(errs.Conflict, fmt.Sprintf("%s 已有 %d 年冲刺%s的走访任务", t.Name, out.PlanYear, zh),
					fmt.Sprintf("%s already has a %d outreach task for %s", t.Name, out.PlanYear, en))
			}
		}
		ids, err := s.Plan.AddTasks(ctx, tx, s.planViewer(v), parent.ID, tasks)
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		for i := range out.Tasks {
			out.Tasks[i].TaskID = ids[i]
			if _, err := tx.ExecContext(ctx, "INSERT INTO insight_outreach (enterprise_id, tier, plan_year, task_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
				out.Tasks[i].EnterpriseID, out.Tasks[i].Tier, out.PlanYear, ids[i], v.UserID, now); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.New(errs.Conflict, "走访任务已由他人生成，请刷新", "the outreach task was just made by someone else; reload")
				}
				return fmt.Errorf("insight: outreach: %w", err)
			}
		}
		type row struct {
			EnterpriseID int64  `json:"enterprise_id"`
			Tier         string `json:"tier"`
			TaskID       int64  `json:"task_id"`
		}
		made := make([]row, len(out.Tasks))
		for i, t := range out.Tasks {
			made[i] = row{t.EnterpriseID, t.Tier, t.TaskID}
		}
		if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "insight.outreach", ObjectType: "plan_node", ObjectID: strconv.FormatInt(parent.ID, 10),
			After: map[string]any{"plan_year": out.PlanYear, "tasks": made}}); err != nil {
			return err
		}
		return memo.Bump(ctx, tx, Module)
	})
	return out, err
}
