package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// Delivery of a call: once its result is confirmed (实施), staff sign the
// contract with the winner. Signing opens a contract in the awards ledger
// for the winning price and makes each milestone of the winning bid a task
// in the plan, under the year's 应用场景建设行动, led by the call's owner
// unit, so it is reported, flagged and chased like every plan task. Each
// milestone is a stage payment of its share of the price: requested once
// its task is done (the last one once delivery is accepted), approved by
// another person, paid — all by the ledger's rules. Acceptance (验收)
// records the verdict, opinion, date and files; a call accepted and paid in
// full is closed (结项).

// DeliveryAction is the plan action a call's milestones are tasks under.
const DeliveryAction = "应用场景建设行动"

// Contract is a call's delivery: the contract, its deliverables and the
// acceptance verdicts.
type Contract struct {
	NeedID         int64         `json:"need_id"`
	BidID          int64         `json:"bid_id"`
	EnterpriseID   int64         `json:"enterprise_id"`
	EnterpriseName string        `json:"enterprise_name"`
	ContractNo     string        `json:"contract_no"`
	SignedOn       string        `json:"signed_on"`
	AmountFen      int64         `json:"amount_fen"`
	GrantID        int64         `json:"grant_id"`
	LeadUnitID     int64         `json:"lead_unit_id"`
	LeadUnit       string        `json:"lead_unit"`
	PaidFen        int64         `json:"paid_fen"`
	Deliverables   []Deliverable `json:"deliverables"`
	Acceptances    []Acceptance  `json:"acceptances"`
}

// Deliverable is one milestone of the contract: a plan task and a stage
// payment.
type Deliverable struct {
	Seq       int    `json:"seq"`
	Title     string `json:"title"`
	DueOn     string `json:"due_on"`
	SharePct  int    `json:"share_pct"`
	AmountFen int64  `json:"amount_fen"`
	TaskID    int64  `json:"task_id"`
	Progress  string `json:"progress"` // the task's progress, "80.0%"
	TaskDone  bool   `json:"task_done"`
	// The stage payment in the ledger, once requested.
	PaymentID    int64  `json:"payment_id,omitempty"`
	PaymentState string `json:"payment_state,omitempty"` // pending, approved, paid, reversed, withdrawn
	RequestedBy  int64  `json:"requested_by,omitempty"`
	PaidOn       string `json:"paid_on,omitempty"`
	VoucherNo    string `json:"voucher_no,omitempty"`
}

// Acceptance is one acceptance verdict (验收).
type Acceptance struct {
	ID        int64  `json:"id"`
	Passed    bool   `json:"passed"`
	On        string `json:"on"`
	Opinion   string `json:"opinion"`
	Files     []File `json:"files,omitempty"`
	CreatedAt int64  `json:"created_at"`
}

// SignInput is the contract as staff record it.
type SignInput struct {
	ContractNo string `json:"contract_no"`
	SignedOn   string `json:"signed_on"`
	LeadUnit   string `json:"lead_unit,omitempty"` // unit code; the owner unit when empty
}

// AcceptInput is an acceptance verdict.
type AcceptInput struct {
	Passed  bool   `json:"passed"`
	On      string `json:"on"`
	Opinion string `json:"opinion"`
}

func (s *Service) planViewer(v Viewer) plan.Viewer {
	return plan.Viewer{UserID: v.UserID, Name: v.Name, Role: v.Role, UnitID: v.UnitID}
}

// shares splits a price by the milestones' shares, the remainder of the
// division going to the last, so the parts sum to the price exactly.
func shares(price int64, ms []Milestone) []int64 {
	out := make([]int64, len(ms))
	var sum int64
	for i, m := range ms {
		out[i] = price * int64(m.SharePct) / 100
		sum += out[i]
	}
	if len(out) > 0 {
		out[len(out)-1] += price - sum
	}
	return out
}

// Sign records the contract of a call in delivery with its winner: the
// ledger's contract, the plan's tasks and the deliverables commit together.
// Errors: Forbidden, NotFound, Conflict (not in delivery, already signed),
// Invalid naming contract_no, signed_on, lead_unit or the plan's missing
// action.
func (s *Service) Sign(ctx context.Context, v Viewer, id int64, in SignInput) (Contract, error) {
	if err := mustRun(v); err != nil {
		return Contract{}, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return Contract{}, err
	}
	if n.State != StateImplementing {
		return Contract{}, errs.New(errs.Conflict, "只有确认中标、进入实施的场景可以签约", "only a call in delivery can sign its contract")
	}
	win, err := s.Winner(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	in.ContractNo, in.SignedOn, in.LeadUnit = strings.TrimSpace(in.ContractNo), strings.TrimSpace(in.SignedOn), strings.TrimSpace(in.LeadUnit)
	var ds []errs.Detail
	if in.ContractNo == "" || utf8.RuneCountInString(in.ContractNo) > 50 {
		ds = append(ds, errs.Detail{Field: "contract_no", Value: in.ContractNo, Reason: "请填写合同编号（不超过 50 字）", ReasonEN: "a contract number of at most 50 characters is required"})
	}
	today := s.Today()
	switch {
	case !validDate(in.SignedOn):
		ds = append(ds, errs.Detail{Field: "signed_on", Value: in.SignedOn, Reason: "签约日期应为 YYYY-MM-DD", ReasonEN: "the signing date must be YYYY-MM-DD"})
	case in.SignedOn > today:
		ds = append(ds, errs.Detail{Field: "signed_on", Value: in.SignedOn, Reason: "签约日期不能晚于今天（" + today + "）", ReasonEN: "the signing date cannot be after today (" + today + ")"})
	}
	var unit org.Unit
	switch {
	case in.LeadUnit != "":
		if unit, err = s.Org.UnitByCode(ctx, in.LeadUnit); err != nil {
			ds = append(ds, errs.Detail{Field: "lead_unit", Value: in.LeadUnit, Reason: "没有这个单位", ReasonEN: "no such unit"})
		}
	case n.OwnerKind == OwnerUnit:
		if unit, err = s.Org.UnitByID(ctx, n.OwnerUnitID); err != nil {
			return Contract{}, err
		}
	default:
		ds = append(ds, errs.Detail{Field: "lead_unit", Reason: "企业提出的场景须指定负责督办的单位", ReasonEN: "a call raised by an enterprise needs a unit to lead its delivery"})
	}
	if len(ds) > 0 {
		return Contract{}, errs.List("合同信息填写有误，未签约", "the contract has errors; nothing was signed", ds)
	}
	action, err := s.Plan.FindAction(ctx, atoiYear(in.SignedOn), DeliveryAction)
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.NotFound {
			return Contract{}, errs.Field("signed_on", e.Msg+"：请先在督查督办中建立该行动", e.MsgEN+": add it to the plan first")
		}
		return Contract{}, err
	}
	amounts := shares(win.PriceFen, win.Milestones)
	tasks := make([]plan.NodeInput, len(win.Milestones))
	for i, m := range win.Milestones {
		start := min(in.SignedOn, m.DueOn)
		tasks[i] = plan.NodeInput{Title: fmt.Sprintf("【场景】%s：%s", n.Title, m.Title), LeadUnit: unit.Code, StartOn: start, DueOn: m.DueOn,
			Deliverable: fmt.Sprintf("%s（合同 %s 第 %d 期，付款 %d%%）", m.Title, in.ContractNo, i+1, m.SharePct),
			Description: fmt.Sprintf("场景合同 %s，实施方 %s", in.ContractNo, win.EnterpriseName),
			Code:        fmt.Sprintf("CJ%d-%d", n.ID, i+1),
		}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM scenario_contracts WHERE need_id = $1", id).Scan(&exists); err != nil {
			return fmt.Errorf("scenario: contract of %d: %w", id, err)
		}
		if exists > 0 {
			return errs.New(errs.Conflict, "该场景已签约", "the call's contract is already signed")
		}
		g, err := s.Ledger.OpenContract(ctx, tx, award.ContractInput{Year: atoiYear(in.SignedOn), NameZH: "场景合同 " + in.ContractNo + "：" + n.Title,
			NameEN: "Scenario contract " + in.ContractNo, EnterpriseID: win.EnterpriseID, AmountFen: win.PriceFen,
			Basis: "场景合同 " + in.ContractNo})
		if err != nil {
			return err
		}
		ids, err := s.Plan.AddTasks(ctx, tx, s.planViewer(v), action, tasks)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_contracts (need_id, bid_id, enterprise_id, contract_no, signed_on, amount_fen, grant_id,
			lead_unit_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, id, win.ID, win.EnterpriseID, in.ContractNo, in.SignedOn,
			win.PriceFen, g.ID, unit.ID, nullID(v.UserID), s.nowMS()); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.New(errs.Conflict, "该场景已签约", "the call's contract is already signed")
			}
			return fmt.Errorf("scenario: sign %d: %w", id, err)
		}
		for i, m := range win.Milestones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_deliverables (need_id, seq, title, due_on, share_pct, amount_fen, task_id)
				VALUES ($1,$2,$3,$4,$5,$6,$7)`, id, i+1, m.Title, m.DueOn, m.SharePct, amounts[i], ids[i]); err != nil {
				return fmt.Errorf("scenario: deliverable %d of %d: %w", i+1, id, err)
			}
		}
		return s.record(ctx, tx, "scenario.contract.sign", "scenario_need", id, nil, map[string]any{"contract_no": in.ContractNo,
			"signed_on": in.SignedOn, "price_fen": win.PriceFen, "milestones": len(win.Milestones), "lead_unit": unit.NameZH})
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Delivery(ctx, v, id)
}

// atoiYear is the year of a checked YYYY-MM-DD date.
func atoiYear(date string) int {
	y, _ := strconv.Atoi(date[:min(4, len(date))])
	return y
}

// mayReadDelivery: staff, the call's owner and the winning enterprises.
func (s *Service) mayReadDelivery(v Viewer, n Need, c Contract, partners []Partner) bool {
	if v.Staff() || v.owns(n) {
		return true
	}
	if v.Role == org.Enterprise && v.EnterpriseID != 0 {
		if v.EnterpriseID == c.EnterpriseID {
			return true
		}
		for _, p := range partners {
			if p.EnterpriseID == v.EnterpriseID {
				return true
			}
		}
	}
	return false
}

// Delivery reads a call's contract, deliverables (with their tasks'
// progress and payments) and acceptances, for those who may see it.
// Errors: NotFound (no contract yet, or not for v).
func (s *Service) Delivery(ctx context.Context, v Viewer, id int64) (Contract, error) {
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return Contract{}, err
	}
	c, err := s.contract(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	win, err := s.rawBid(ctx, c.BidID)
	if err != nil {
		return Contract{}, err
	}
	if !s.mayReadDelivery(v, n, c, win.Partners) {
		return Contract{}, errs.New(errs.NotFound, "该场景的实施信息不公开", "the call's delivery is not public")
	}
	return c, nil
}

var errNoContract = errs.New(errs.NotFound, "该场景尚未签约", "the call has no contract yet")

// contract reads a call's contract with everything under it, whoever asks.
func (s *Service) contract(ctx context.Context, id int64) (Contract, error) {
	c := Contract{NeedID: id}
	err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT bid_id, enterprise_id, contract_no, signed_on, amount_fen, grant_id, lead_unit_id
		FROM scenario_contracts WHERE need_id = $1`, id).Scan(&c.BidID, &c.EnterpriseID, &c.ContractNo, &c.SignedOn, &c.AmountFen, &c.GrantID, &c.LeadUnitID)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errNoContract
	}
	if err != nil {
		return c, fmt.Errorf("scenario: contract of %d: %w", id, err)
	}
	if bs, err := s.Registry.Briefs(ctx, nil, []int64{c.EnterpriseID}); err == nil {
		c.EnterpriseName = bs[c.EnterpriseID].Name
	}
	if u, err := s.Org.UnitByID(ctx, c.LeadUnitID); err == nil {
		c.LeadUnit = u.NameZH
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT seq, title, due_on, share_pct, amount_fen, task_id, COALESCE(payment_id, 0)
		FROM scenario_deliverables WHERE need_id = $1 ORDER BY seq`, id)
	if err != nil {
		return c, fmt.Errorf("scenario: deliverables of %d: %w", id, err)
	}
	for rows.Next() {
		var d Deliverable
		if err := rows.Scan(&d.Seq, &d.Title, &d.DueOn, &d.SharePct, &d.AmountFen, &d.TaskID, &d.PaymentID); err != nil {
			rows.Close()
			return c, err
		}
		c.Deliverables = append(c.Deliverables, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	// The tasks' progress from one read of their year's plan, the
	// payments from one read of the ledger.
	progress := map[int64]*plan.Node{}
	if t, err := s.Plan.Tree(ctx, plan.Viewer{Role: org.Supervisor}, atoiYear(c.SignedOn)); err == nil {
		for _, n := range t.Tasks("") {
			progress[n.ID] = n
		}
	}
	var payIDs []int64
	for _, d := range c.Deliverables {
		if d.PaymentID != 0 {
			payIDs = append(payIDs, d.PaymentID)
		}
	}
	pays, err := s.Ledger.PaymentsByID(ctx, payIDs)
	if err != nil {
		return c, err
	}
	for i := range c.Deliverables {
		d := &c.Deliverables[i]
		if t := progress[d.TaskID]; t != nil {
			d.Progress, d.TaskDone = t.ProgressPct, t.Progress >= 1000
		}
		if p, ok := pays[d.PaymentID]; ok {
			d.PaymentState, d.RequestedBy, d.PaidOn, d.VoucherNo = p.State, p.RequestedBy, p.PaidOn, p.VoucherNo
			if p.State == award.PayPaid {
				c.PaidFen += p.AmountFen
			}
		}
	}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, "SELECT id, passed, on_date, opinion, created_at FROM scenario_acceptances WHERE need_id = $1 ORDER BY id", id)
	if err != nil {
		return c, fmt.Errorf("scenario: acceptances of %d: %w", id, err)
	}
	for rows.Next() {
		var a Acceptance
		if err := rows.Scan(&a.ID, &a.Passed, &a.On, &a.Opinion, &a.CreatedAt); err != nil {
			rows.Close()
			return c, err
		}
		c.Acceptances = append(c.Acceptances, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	for i := range c.Acceptances {
		if c.Acceptances[i].Files, err = s.acceptanceFiles(ctx, c.Acceptances[i].ID); err != nil {
			return c, err
		}
	}
	return c, nil
}

// deliverable reads the call's contract for a payment step on milestone seq.
func (s *Service) deliverable(ctx context.Context, v Viewer, id int64, seq int) (Need, Contract, Deliverable, error) {
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, Contract{}, Deliverable{}, err
	}
	c, err := s.contract(ctx, id)
	if err != nil {
		return n, c, Deliverable{}, err
	}
	for _, d := range c.Deliverables {
		if d.Seq == seq {
			return n, c, d, nil
		}
	}
	return n, c, Deliverable{}, errs.Field("seq", fmt.Sprintf("合同没有第 %d 期", seq), fmt.Sprintf("the contract has no stage %d", seq))
}

// RequestPayment asks the ledger to pay milestone seq: once its task is
// done, the last milestone once delivery is accepted. A stage is paid once:
// a second request while one stands is a Conflict, and the ledger never
// pays above the contract. Errors: Forbidden, NotFound, Conflict, Invalid.
func (s *Service) RequestPayment(ctx context.Context, v Viewer, id int64, seq int) (Contract, error) {
	if err := mustRun(v); err != nil {
		return Contract{}, err
	}
	n, c, d, err := s.deliverable(ctx, v, id, seq)
	if err != nil {
		return Contract{}, err
	}
	switch {
	case d.PaymentID != 0 && d.PaymentState != award.PayWithdrawn:
		return Contract{}, errs.New(errs.Conflict, fmt.Sprintf("第 %d 期已申请付款", seq), fmt.Sprintf("stage %d has been requested already", seq))
	case seq == len(c.Deliverables) && n.State != StateAccepted:
		return Contract{}, errs.New(errs.Conflict, "最后一期须在验收通过后申请", "the last stage is paid after the delivery is accepted")
	case seq < len(c.Deliverables) && !d.TaskDone:
		return Contract{}, errs.New(errs.Conflict, fmt.Sprintf("第 %d 期对应的督办任务尚未完成（当前进度 %s）", seq, d.Progress),
			fmt.Sprintf("the task of stage %d is not done yet (%s)", seq, d.Progress))
	}
	key := fmt.Sprintf("scenario-%d-%d", id, seq)
	if d.PaymentID != 0 { // a withdrawn request: a new key for the new request
		key += fmt.Sprintf("-again-%d", d.PaymentID)
	}
	p, _, err := s.Ledger.RequestPayment(ctx, c.GrantID, key, award.PaymentRequest{AmountFen: d.AmountFen,
		Note: fmt.Sprintf("场景合同 %s 第 %d 期：%s", c.ContractNo, seq, d.Title)})
	if err != nil {
		return Contract{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE scenario_deliverables SET payment_id = $1 WHERE need_id = $2 AND seq = $3", p.ID, id, seq); err != nil {
			return fmt.Errorf("scenario: stage %d of %d: %w", seq, id, err)
		}
		return s.record(ctx, tx, "scenario.payment.request", "scenario_need", id, nil,
			map[string]any{"stage": seq, "amount_fen": d.AmountFen, "payment_id": p.ID})
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Delivery(ctx, v, id)
}

// ApprovePayment approves milestone seq's payment: a leader or a
// supervisor other than its requester (the ledger checks). Errors:
// Forbidden, NotFound, Conflict.
func (s *Service) ApprovePayment(ctx context.Context, v Viewer, id int64, seq int) (Contract, error) {
	if v.Role != org.Supervisor && v.Role != org.Leader {
		return Contract{}, errs.New(errs.Forbidden, "只有督查室（经发局）工作人员或领导可以审批付款", "only supervisors or leaders approve payments")
	}
	_, _, d, err := s.deliverable(ctx, v, id, seq)
	if err != nil {
		return Contract{}, err
	}
	if d.PaymentID == 0 {
		return Contract{}, errs.New(errs.Conflict, fmt.Sprintf("第 %d 期尚未申请付款", seq), fmt.Sprintf("stage %d has not been requested", seq))
	}
	if _, err := s.Ledger.Approve(ctx, d.PaymentID); err != nil {
		return Contract{}, err
	}
	return s.Delivery(ctx, v, id)
}

// MarkPaid records milestone seq's approved payment as paid, with its
// voucher and date. Errors: Forbidden, NotFound, Conflict, Invalid.
func (s *Service) MarkPaid(ctx context.Context, v Viewer, id int64, seq int, voucher, paidOn string) (Contract, error) {
	if err := mustRun(v); err != nil {
		return Contract{}, err
	}
	_, _, d, err := s.deliverable(ctx, v, id, seq)
	if err != nil {
		return Contract{}, err
	}
	if d.PaymentID == 0 {
		return Contract{}, errs.New(errs.Conflict, fmt.Sprintf("第 %d 期尚未申请付款", seq), fmt.Sprintf("stage %d has not been requested", seq))
	}
	if _, err := s.Ledger.MarkPaid(ctx, d.PaymentID, voucher, paidOn); err != nil {
		return Contract{}, err
	}
	// The money paid on calls, which the targets read, has moved.
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return memo.Bump(ctx, tx, Module) }); err != nil {
		return Contract{}, err
	}
	return s.Delivery(ctx, v, id)
}

// Accept records an acceptance verdict with its files. A passing verdict
// moves the call to 已验收; a failing one keeps it in delivery, to be
// accepted again later. Errors: Forbidden, NotFound, Conflict (not in
// delivery, already accepted, no contract), Invalid naming on or opinion.
func (s *Service) Accept(ctx context.Context, v Viewer, id int64, in AcceptInput, files []Upload) (Contract, error) {
	if err := mustRun(v); err != nil {
		return Contract{}, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return Contract{}, err
	}
	if n.State == StateAccepted || n.State == StateClosed {
		return Contract{}, errs.New(errs.Conflict, "该场景已验收通过，不能再次验收", "the call has been accepted already")
	}
	if n.State != StateImplementing {
		return Contract{}, errs.New(errs.Conflict, "只有实施中的场景可以验收", "only a call in delivery can be accepted")
	}
	if _, err := s.contract(ctx, id); err != nil {
		return Contract{}, err
	}
	in.On, in.Opinion = strings.TrimSpace(in.On), strings.TrimSpace(in.Opinion)
	var ds []errs.Detail
	today := s.Today()
	switch {
	case !validDate(in.On):
		ds = append(ds, errs.Detail{Field: "on", Value: in.On, Reason: "验收日期应为 YYYY-MM-DD", ReasonEN: "the date must be YYYY-MM-DD"})
	case in.On > today:
		ds = append(ds, errs.Detail{Field: "on", Value: in.On, Reason: "验收日期不能晚于今天（" + today + "）", ReasonEN: "the date cannot be after today (" + today + ")"})
	}
	if in.Opinion == "" || utf8.RuneCountInString(in.Opinion) > 4000 {
		ds = append(ds, errs.Detail{Field: "opinion", Reason: "请填写验收意见（不超过 4000 字）", ReasonEN: "an opinion of at most 4000 characters is required"})
	}
	if len(ds) > 0 {
		return Contract{}, errs.List("验收记录填写有误，未保存", "the acceptance has errors; nothing was saved", ds)
	}
	stored, err := s.checkFiles(files)
	if err != nil {
		return Contract{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var aid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_acceptances (need_id, passed, on_date, opinion, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, id, in.Passed, in.On, in.Opinion, nullID(v.UserID), s.nowMS()).Scan(&aid); err != nil {
			return fmt.Errorf("scenario: acceptance of %d: %w", id, err)
		}
		for i, u := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_files (need_id, acceptance_id, filename, content_type, size, sha256, data, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, id, aid, stored[i].Filename, stored[i].ContentType, stored[i].Size, stored[i].SHA256, u.Data, s.nowMS()); err != nil {
				return fmt.Errorf("scenario: acceptance file: %w", err)
			}
		}
		if in.Passed {
			return s.move(ctx, tx, n, StateAccepted, PhaseAccept, "", "")
		}
		return s.record(ctx, tx, "scenario.acceptance.failed", "scenario_need", id, nil, map[string]any{"on": in.On, "opinion": in.Opinion})
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Delivery(ctx, v, id)
}

// Close ends an accepted call whose every stage is paid (结项). Errors:
// Forbidden, NotFound, Conflict naming the stages still unpaid.
func (s *Service) Close(ctx context.Context, v Viewer, id int64) (Need, error) {
	if err := mustRun(v); err != nil {
		return Need{}, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return n, err
	}
	c, err := s.contract(ctx, id)
	if err != nil {
		return Need{}, err
	}
	var unpaid []string
	for _, d := range c.Deliverables {
		if d.PaymentState != award.PayPaid {
			unpaid = append(unpaid, fmt.Sprintf("第 %d 期", d.Seq))
		}
	}
	if len(unpaid) > 0 && n.State == StateAccepted {
		return Need{}, errs.New(errs.Conflict, "尚未付清："+strings.Join(unpaid, "、"), fmt.Sprintf("%d stages are not paid yet", len(unpaid)))
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.move(ctx, tx, n, StateClosed, PhaseClose, "", "") })
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}

func (s *Service) acceptanceFiles(ctx context.Context, aid int64) ([]File, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT id, filename, content_type, size, sha256 FROM scenario_files WHERE acceptance_id = $1 ORDER BY id", aid)
	if err != nil {
		return nil, fmt.Errorf("scenario: acceptance files: %w", err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
