package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// The funnel. An approved institution that sees a need expresses interest
// (意向); the enterprise accepts (匹配) or declines (closed). From 匹配 the
// institution, or a supervisor for it, records each step in turn: 对接, 尽调,
// 投资意向/授信 (with the amount of the term sheet or credit line, if any),
// 到位 (with the amount received, above 0). No step is skipped, none is
// dated after today or before the step it follows. An open match may be
// closed with a reason by the institution, the enterprise or a
// supervisor; a funded match is final. Every step is a dated row of
// finance_match_steps and an audit entry.

// Match is an institution's interest in a need and where it stands.
type Match struct {
	ID              int64       `json:"id"`
	NeedID          int64       `json:"need_id"`
	NeedTitle       string      `json:"need_title"`
	EnterpriseID    int64       `json:"enterprise_id"`
	EnterpriseName  string      `json:"enterprise_name"`
	InstitutionID   int64       `json:"institution_id"`
	InstitutionName string      `json:"institution_name"`
	Step            string      `json:"step"` // the last step reached
	State           string      `json:"state"`
	Reason          string      `json:"reason,omitempty"`
	StepOn          string      `json:"step_on"`
	TermFen         int64       `json:"term_fen"`
	FundedFen       int64       `json:"funded_fen"`
	FundedOn        string      `json:"funded_on,omitempty"`
	Synthetic       bool        `json:"synthetic"`
	Steps           []StepEvent `json:"steps,omitempty"`
	CreatedAt       int64       `json:"created_at"`
	UpdatedAt       int64       `json:"updated_at"`
}

// Match states.
const (
	MatchOpen   = "open"
	MatchClosed = "closed"
)

// StepEvent is a dated step of a match.
type StepEvent struct {
	Step      string `json:"step"`
	On        string `json:"on"`
	AmountFen int64  `json:"amount_fen,omitempty"`
	Note      string `json:"note,omitempty"`
	Actor     string `json:"actor"`
	At        int64  `json:"at"`
}

// StepInput records a step.
type StepInput struct {
	Step      string `json:"step"`
	On        string `json:"on"`         // YYYY-MM-DD; "" today
	AmountFen int64  `json:"amount_fen"` // term: the amount offered (may be 0); funded: received (above 0)
	Note      string `json:"note"`
}

const matchCols = `SELECT m.id, m.need_id, n.title, n.enterprise_id, n.enterprise_name, m.institution_id, i.name, m.step, m.state, m.reason,
	m.step_on, m.term_fen, m.funded_fen, m.funded_on, m.synthetic, m.created_at, m.updated_at
	FROM finance_matches m JOIN finance_needs n ON n.id = m.need_id JOIN finance_institutions i ON i.id = m.institution_id`

func scanMatch(sc interface{ Scan(...any) error }) (Match, error) {
	var m Match
	err := sc.Scan(&m.ID, &m.NeedID, &m.NeedTitle, &m.EnterpriseID, &m.EnterpriseName, &m.InstitutionID, &m.InstitutionName,
		&m.Step, &m.State, &m.Reason, &m.StepOn, &m.TermFen, &m.FundedFen, &m.FundedOn, &m.Synthetic, &m.CreatedAt, &m.UpdatedAt)
	return m, err
}

func (s *Service) match(ctx context.Context, q db.Querier, id int64, lock string) (Match, error) {
	m, err := scanMatch(q.QueryRowContext(ctx, matchCols+" WHERE m.id = $1"+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, errNoMatch
	}
	if err != nil {
		return m, fmt.Errorf("finance: match %d: %w", id, err)
	}
	return m, nil
}

// party is how v stands to match m.
type party struct{ staff, runs, institution, enterprise bool }

func (s *Service) partyTo(ctx context.Context, q db.Querier, v Viewer, m Match) (party, error) {
	p := party{staff: v.Staff(), runs: v.Runs(), enterprise: v.enterprise() && v.EnterpriseID == m.EnterpriseID}
	if v.investor() {
		id, state, err := s.member(ctx, q, v)
		if err != nil {
			return p, err
		}
		p.institution = id == m.InstitutionID && state == InstApproved
	}
	return p, nil
}

func (p party) reads() bool { return p.staff || p.institution || p.enterprise }

// ExpressInterest records an approved institution's interest in a need it
// sees (its investor account). Errors: Forbidden (not an investor of an
// approved institution), NotFound (a need it cannot see), Conflict
// (already answered), Invalid (note).
func (s *Service) ExpressInterest(ctx context.Context, v Viewer, needID int64, note string) (Match, error) {
	inst, state, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return Match{}, err
	}
	if inst == 0 || state != InstApproved {
		return Match{}, errs.New(errs.Forbidden, "只有审核通过的金融机构可以表达对接意向", "only an approved institution can express interest")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return Match{}, errs.Field("note", "留言不超过 1000 字", "note: at most 1000 characters")
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.need(ctx, tx, needID)
		if err != nil {
			return err
		}
		i, err := s.institution(ctx, tx, inst)
		if err != nil {
			return err
		}
		if ok, err := s.sees(ctx, tx, i, n); err != nil {
			return err
		} else if !ok {
			return errNoNeed
		}
		now, today := s.nowMS(), s.Today()
		err = tx.QueryRowContext(ctx, `INSERT INTO finance_matches (need_id, institution_id, step, state, step_on, synthetic, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, needID, inst, StepInterest, MatchOpen, today, s.Synthetic, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.New(errs.Conflict, "已对该需求表达过意向", "the institution already answered this need")
		}
		if err != nil {
			return fmt.Errorf("finance: interest in need %d: %w", needID, err)
		}
		if err := s.stepRow(ctx, tx, id, StepInterest, today, 0, note); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.match.interest", "finance_match", id, nil,
			map[string]any{"need": needID, "institution": inst, "step": StepInterest, "on": today})
	})
	if err != nil {
		return Match{}, err
	}
	return s.Match(ctx, v, id)
}

// stepRow records that a match reached step on a date, and counts it in
// the funnel's monthly rollup under every chain node its need sits on or
// under, and under node 0.
func (s *Service) stepRow(ctx context.Context, tx *sql.Tx, match int64, step, on string, fen int64, note string) error {
	a := audit.ActorFrom(ctx)
	_, err := tx.ExecContext(ctx, `INSERT INTO finance_match_steps (match_id, step, on_date, amount_fen, note, actor_id, actor, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, match, step, on, fen, note, nullID(a.ID), a.Name, s.nowMS())
	if db.IsUniqueViolation(err) {
		return stepErr("该环节已记录", "the step is already recorded")
	}
	if err != nil {
		return fmt.Errorf("finance: step %s of match %d: %w", step, match, err)
	}
	return s.stepMonths(ctx, tx, match, step, on[:7], 1, fen)
}

// stepMonths moves the funnel's monthly rollup of match's need by n
// matches and fen at step in month ym (YYYY-MM), for every chain node the
// need sits on or under, and node 0.
func (s *Service) stepMonths(ctx context.Context, tx *sql.Tx, match int64, step, ym string, n int, fen int64) error {
	ps, err := pairs(ctx, tx, `SELECT c.node_id, '' FROM finance_need_chains c JOIN finance_matches m ON m.need_id = c.need_id
		WHERE m.id = $1 ORDER BY c.node_id`, match)
	if err != nil {
		return err
	}
	anc, err := s.ancestry(ctx)
	if err != nil {
		return err
	}
	nodes := []int64{0}
	seen := map[int64]bool{0: true}
	for _, p := range ps {
		for _, x := range anc.up(p.id) {
			if !seen[x] {
				seen[x] = true
				nodes = append(nodes, x)
			}
		}
	}
	for _, node := range nodes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO finance_step_months (node_id, step, ym, n, fen) VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT (node_id, step, ym) DO UPDATE SET n = finance_step_months.n + excluded.n, fen = finance_step_months.fen + excluded.fen`,
			node, step, ym, n, fen); err != nil {
			return fmt.Errorf("finance: funnel rollup: %w", err)
		}
	}
	return nil
}

// Answer is the enterprise's answer to an institution's interest: accept
// (匹配) or decline (closed, with the reason given or a default). Errors:
// NotFound, Forbidden (not the need's enterprise), Conflict (already
// answered).
func (s *Service) Answer(ctx context.Context, v Viewer, matchID int64, accept bool, reason string) (Match, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return Match{}, errs.Field("reason", "理由不超过 500 字", "reason: at most 500 characters")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, p, err := s.lockMatch(ctx, tx, v, matchID)
		if err != nil {
			return err
		}
		if !p.enterprise {
			return errs.New(errs.Forbidden, "只有发布需求的企业可以回应对接意向", "only the need's enterprise answers an interest")
		}
		if m.State != MatchOpen || m.Step != StepInterest {
			return errs.New(errs.Conflict, "该意向已回应", "the interest was already answered")
		}
		today := s.Today()
		if accept {
			return s.moveTo(ctx, tx, m, StepMatched, today, 0, "")
		}
		if reason == "" {
			reason = "企业暂不考虑"
		}
		return s.closeTx(ctx, tx, m, today, reason)
	})
	if err != nil {
		return Match{}, err
	}
	return s.Match(ctx, v, matchID)
}

// lockMatch reads a match for update inside tx, with how v stands to it.
// Errors: NotFound when v may not read it.
func (s *Service) lockMatch(ctx context.Context, tx *sql.Tx, v Viewer, id int64) (Match, party, error) {
	m, err := s.match(ctx, tx, id, s.DB.ForUpdate())
	if err != nil {
		return m, party{}, err
	}
	p, err := s.partyTo(ctx, tx, v, m)
	if err != nil {
		return m, p, err
	}
	if !p.reads() {
		return m, p, errNoMatch
	}
	return m, p, nil
}

// stepErr is the refusal of a step out of order, naming the field step.
func stepErr(zh, en string) error {
	e := errs.New(errs.Conflict, zh, en)
	e.Field = "step"
	e.Details = []errs.Detail{{Field: "step", Reason: zh, ReasonEN: en}}
	return e
}

// Advance records the match's next step: the institution or a supervisor.
// Errors: NotFound, Forbidden, Conflict naming step (a step skipped or
// repeated, the match closed or funded), Invalid (date, amount, note).
func (s *Service) Advance(ctx context.Context, v Viewer, matchID int64, in StepInput) (Match, error) {
	in.On, in.Note = strings.TrimSpace(in.On), strings.TrimSpace(in.Note)
	if in.On == "" {
		in.On = s.Today()
	}
	var p problems
	switch {
	case !validDate(in.On):
		p.add("on", in.On, "日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
	case in.On > s.Today():
		p.add("on", in.On, "日期不能晚于今天（"+s.Today()+"）", "the date cannot be after today ("+s.Today()+")")
	}
	switch in.Step {
	case StepFunded:
		p.amount("amount_fen", in.AmountFen, MaxNeedFen, true, "到位金额")
	case StepTerm:
		p.amount("amount_fen", in.AmountFen, MaxNeedFen, false, "投资意向/授信金额")
	default:
		if in.AmountFen != 0 {
			p.add("amount_fen", strconv.FormatInt(in.AmountFen, 10), "只有投资意向/授信和到位记录金额", "only a term sheet and money received carry an amount")
		}
	}
	p.text("note", in.Note, false, 1000, "说明", "note")
	if err := p.err("对接环节填写有误", "the step has errors"); err != nil {
		return Match{}, err
	}
	if i := stepIndex(in.Step); i < stepIndex(StepMeeting) {
		return Match{}, errs.Field("step", "环节应为：对接、尽调、投资意向/授信或到位", "the step must be meeting, diligence, term or funded")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, pt, err := s.lockMatch(ctx, tx, v, matchID)
		if err != nil {
			return err
		}
		if !pt.institution && !pt.runs {
			return errs.New(errs.Forbidden, "只有对接机构或工作人员可以记录对接环节", "only the institution or staff record a step")
		}
		switch {
		case m.State != MatchOpen:
			return stepErr("对接已关闭，不能再推进", "the match is closed")
		case m.Step == StepFunded:
			return stepErr("资金已到位，对接已完成", "the money was received; the match is done")
		case nextStep(m.Step) != in.Step:
			nz, ne := StepLabel(nextStep(m.Step))
			wz, we := StepLabel(in.Step)
			return stepErr("不能跳过环节：当前应记录“"+nz+"”，不能直接记录“"+wz+"”",
				"steps cannot be skipped: the next step is "+ne+", not "+we)
		case in.On < m.StepOn:
			return errs.Field("on", "日期不能早于上一环节（"+m.StepOn+"）", "the date cannot be before the previous step ("+m.StepOn+")")
		}
		return s.moveTo(ctx, tx, m, in.Step, in.On, in.AmountFen, in.Note)
	})
	if err != nil {
		return Match{}, err
	}
	return s.Match(ctx, v, matchID)
}

// moveTo writes a match's new step, its dated row, the deals rollup when
// funded, and the audit entry.
func (s *Service) moveTo(ctx context.Context, tx *sql.Tx, m Match, step, on string, fen int64, note string) error {
	q := "UPDATE finance_matches SET step = $1, step_on = $2, updated_at = $3"
	args := []any{step, on, s.nowMS()}
	switch step {
	case StepTerm:
		q += ", term_fen = $5"
		args = append(args, m.ID, fen)
	case StepFunded:
		q += ", funded_fen = $5, funded_on = $6"
		args = append(args, m.ID, fen, on)
	default:
		args = append(args, m.ID)
	}
	if _, err := tx.ExecContext(ctx, q+" WHERE id = $4", args...); err != nil {
		return fmt.Errorf("finance: move match %d: %w", m.ID, err)
	}
	if err := s.stepRow(ctx, tx, m.ID, step, on, fen, note); err != nil {
		return err
	}
	if step == StepFunded {
		if err := s.rollDeals(ctx, tx, m, 1, fen); err != nil {
			return err
		}
	}
	after := map[string]any{"step": step, "on": on}
	if fen != 0 {
		after["amount_fen"] = fen
	}
	return s.record(ctx, tx, "finance.match.step", "finance_match", m.ID, map[string]any{"step": m.Step, "on": m.StepOn}, after)
}

// rollDeals moves the institution's deals rollup by deals and fen in each
// industry of m's need.
func (s *Service) rollDeals(ctx context.Context, tx *sql.Tx, m Match, deals int, fen int64) error {
	n, err := s.need(ctx, tx, m.NeedID)
	if err != nil {
		return err
	}
	a, err := s.ancestry(ctx)
	if err != nil {
		return err
	}
	for _, k := range a.industries(n.Chains) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO finance_institution_deals (institution_id, node_id, deals, funded_fen) VALUES ($1,$2,$3,$4)
			ON CONFLICT (node_id, institution_id) DO UPDATE SET deals = finance_institution_deals.deals + excluded.deals,
			funded_fen = finance_institution_deals.funded_fen + excluded.funded_fen`, m.InstitutionID, k, deals, fen); err != nil {
			return fmt.Errorf("finance: deals rollup: %w", err)
		}
	}
	return nil
}

// CloseMatch ends an open match with a reason: the institution, the
// enterprise or a supervisor. Errors: NotFound, Forbidden, Conflict
// (closed or funded), Invalid (no reason).
func (s *Service) CloseMatch(ctx context.Context, v Viewer, matchID int64, reason string) (Match, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return Match{}, errs.Field("reason", "请填写关闭理由（500 字以内）", "give a reason (at most 500 characters)")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, p, err := s.lockMatch(ctx, tx, v, matchID)
		if err != nil {
			return err
		}
		if !p.institution && !p.enterprise && !p.runs {
			return errs.New(errs.Forbidden, "只有对接双方或工作人员可以关闭对接", "only the parties or staff close a match")
		}
		switch {
		case m.State != MatchOpen:
			return stepErr("对接已关闭", "the match is already closed")
		case m.Step == StepFunded:
			return stepErr("资金已到位的对接不能关闭", "a funded match cannot be closed")
		}
		return s.closeTx(ctx, tx, m, s.Today(), reason)
	})
	if err != nil {
		return Match{}, err
	}
	return s.Match(ctx, v, matchID)
}

func (s *Service) closeTx(ctx context.Context, tx *sql.Tx, m Match, on, reason string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE finance_matches SET state = $1, reason = $2, updated_at = $3 WHERE id = $4",
		MatchClosed, reason, s.nowMS(), m.ID); err != nil {
		return fmt.Errorf("finance: close match %d: %w", m.ID, err)
	}
	if err := s.stepRow(ctx, tx, m.ID, StepClosed, on, 0, reason); err != nil {
		return err
	}
	return s.record(ctx, tx, "finance.match.closed", "finance_match", m.ID, map[string]any{"state": MatchOpen, "step": m.Step},
		map[string]any{"state": MatchClosed, "reason": reason})
}
