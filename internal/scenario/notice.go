package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/receipt"
)

// Objections to a call's result (异议), as the awards module's notice has
// them: anyone, signed in or not, may object while the result is on
// notice, about the result as a whole or one bid, and gets a receipt
// number (回执号, internal/receipt) with which to look up the decision
// without an account. Supervisors decide: an objection upheld withdraws
// the result and the call goes back to evaluation; the other objections
// still open then lapse with it.

// Objection states.
const (
	ObjectionFiled     = "filed"
	ObjectionUpheld    = "upheld"
	ObjectionDismissed = "dismissed"
	ObjectionLapsed    = "lapsed" // the result it was about was withdrawn
)

// ObjectionStateLabel is an objection state's Chinese and English name.
func ObjectionStateLabel(s string) (string, string) {
	switch s {
	case ObjectionFiled:
		return "待处理", "open"
	case ObjectionUpheld:
		return "异议成立", "upheld"
	case ObjectionDismissed:
		return "异议不成立", "dismissed"
	case ObjectionLapsed:
		return "结果已撤回，不再处理", "lapsed: the result was withdrawn"
	}
	return s, s
}

// Objection is a challenge to a call's result.
type Objection struct {
	ID        int64  `json:"id"`
	NeedID    int64  `json:"need_id"`
	BidID     int64  `json:"bid_id,omitempty"` // the bid objected to; 0: the result as a whole
	Lead      string `json:"lead,omitempty"`   // that bid's lead enterprise
	Name      string `json:"name"`
	Contact   string `json:"contact,omitempty"`
	Reason    string `json:"reason"`
	State     string `json:"state"`
	Finding   string `json:"finding,omitempty"`
	DecidedAt int64  `json:"decided_at,omitempty"`
	CreatedAt int64  `json:"created_at"`
	// Receipt is given once, to the objector, when the objection is filed.
	Receipt string `json:"receipt,omitempty"`
}

// NewObjection is what the public files.
type NewObjection struct {
	BidID   int64  `json:"bid_id"` // a standing bid of the call, 0 for the result as a whole
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Reason  string `json:"reason"`
}

// ObjectionsPerHour is how many objections one address may file in an hour.
const ObjectionsPerHour = 20

func (n *NewObjection) check() error {
	n.Name, n.Contact, n.Reason = strings.TrimSpace(n.Name), strings.TrimSpace(n.Contact), strings.TrimSpace(n.Reason)
	var ds []errs.Detail
	if n.Name == "" || utf8Len(n.Name) > 100 {
		ds = append(ds, errs.Detail{Field: "name", Reason: "请填写姓名或单位名称（不超过 100 字）", ReasonEN: "a name of at most 100 characters is required"})
	}
	if n.Contact == "" || utf8Len(n.Contact) > 200 {
		ds = append(ds, errs.Detail{Field: "contact", Reason: "请填写联系方式（不超过 200 字）", ReasonEN: "a contact of at most 200 characters is required"})
	}
	if l := utf8Len(n.Reason); l < 10 || l > 5000 {
		ds = append(ds, errs.Detail{Field: "reason", Reason: "异议理由须为 10–5000 字", ReasonEN: "the reason must be 10–5000 characters"})
	}
	if len(ds) > 0 {
		return errs.List("异议内容有误，未提交", "the objection is not valid; nothing was filed", ds)
	}
	return nil
}

// FileObjection records an objection to call needID's result while it is
// on notice, and returns it with its receipt number. Errors: Invalid
// (name, contact, reason, bid_id), NotFound, Conflict (no result on
// notice, or the period has ended), RateLimited.
func (s *Service) FileObjection(ctx context.Context, needID int64, in NewObjection) (Objection, error) {
	if err := in.check(); err != nil {
		return Objection{}, err
	}
	secret, err := receipt.NewSecret()
	if err != nil {
		return Objection{}, err
	}
	contact, err := s.DB.Crypto.Seal(objectionContact.Field(), in.Contact)
	if err != nil {
		return Objection{}, fmt.Errorf("scenario: objection to %d: %w", needID, err)
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if ip := audit.ActorFrom(ctx).IP; ip != "" {
			recent, err := s.Audit.CountRecent(ctx, tx, "scenario.objection.file", ip, db.Now()-3_600_000)
			if err != nil {
				return err
			}
			if recent >= ObjectionsPerHour {
				return errs.New(errs.RateLimited, "同一来源一小时内提交的异议过多，请稍后再试", "too many objections from this address in an hour; try later")
			}
		}
		n, err := s.lockNeed(ctx, tx, needID)
		if err != nil {
			return err
		}
		if !PublicState(n.State) {
			return notFound()
		}
		r, err := s.resultRow(ctx, tx, needID)
		if err != nil {
			return err
		}
		now := s.nowMS()
		if n.State != StateNotice || now > r.until {
			return errs.New(errs.Conflict, "该场景不在结果公示期，不能提出异议", "the call's result is not on notice; objections are not accepted")
		}
		lead := ""
		if in.BidID != 0 {
			var state string
			var bidNeed int64
			err := tx.QueryRowContext(ctx, "SELECT need_id, state FROM scenario_bids WHERE id = $1", in.BidID).Scan(&bidNeed, &state)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && (bidNeed != needID || state != BidSubmitted)) {
				return errs.Field("bid_id", "该揭榜不在本场景的公示名单中", "this bid is not on the call's result")
			}
			if err != nil {
				return fmt.Errorf("scenario: objection to %d: %w", needID, err)
			}
			b, err := s.rawBid(ctx, in.BidID)
			if err != nil {
				return err
			}
			lead = b.EnterpriseName
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_objections (need_id, bid_id, name, contact, reason, receipt_hash, synthetic, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, needID, nullID(in.BidID), in.Name, contact, in.Reason, receipt.Hash(s.DB.Crypto, secret), s.Synthetic, now).Scan(&id); err != nil {
			return fmt.Errorf("scenario: objection to %d: %w", needID, err)
		}
		return s.record(ctx, tx, "scenario.objection.file", "scenario_objection", id, nil,
			map[string]any{"need": n.Title, "bid": lead, "name": in.Name, "reason": in.Reason, "state": ObjectionFiled})
	})
	if err != nil {
		return Objection{}, err
	}
	o, err := s.objection(ctx, s.DB.R, id)
	o.Receipt = receipt.Of(id, secret)
	return o, err
}

const objCols = `SELECT o.id, o.need_id, COALESCE(o.bid_id, 0), o.name, o.contact, o.reason, o.state, o.finding, o.decided_at, o.created_at
	FROM scenario_objections o`

// scanObjection reads an objection, opening its sealed contact with c.
func scanObjection(c *crypt.Suite, sc interface{ Scan(...any) error }) (Objection, error) {
	var o Objection
	err := sc.Scan(&o.ID, &o.NeedID, &o.BidID, &o.Name, &o.Contact, &o.Reason, &o.State, &o.Finding, &o.DecidedAt, &o.CreatedAt)
	if err == nil {
		if o.Contact, err = c.Open(objectionContact.Field(), o.Contact); err != nil {
			err = fmt.Errorf("scenario: objection %d: %w", o.ID, err)
		}
	}
	return o, err
}

func (s *Service) objection(ctx context.Context, q db.Querier, id int64) (Objection, error) {
	o, err := scanObjection(s.DB.Crypto, q.QueryRowContext(ctx, objCols+" WHERE o.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, errs.New(errs.NotFound, "异议不存在", "objection not found")
	}
	if err != nil {
		return o, fmt.Errorf("scenario: objection %d: %w", id, err)
	}
	return o, s.nameObjections(ctx, []*Objection{&o})
}

// objections lists a call's objections, oldest first.
func (s *Service) objections(ctx context.Context, needID int64) ([]Objection, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, objCols+" WHERE o.need_id = $1 ORDER BY o.id LIMIT 1000", needID)
	if err != nil {
		return nil, fmt.Errorf("scenario: objections of %d: %w", needID, err)
	}
	out := []Objection{}
	for rows.Next() {
		o, err := scanObjection(s.DB.Crypto, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ps := make([]*Objection, len(out))
	for i := range out {
		ps[i] = &out[i]
	}
	return out, s.nameObjections(ctx, ps)
}

// nameObjections adds the lead enterprise of each objected bid.
func (s *Service) nameObjections(ctx context.Context, os []*Objection) error {
	leads := map[int64]string{}
	for _, o := range os {
		if o.BidID == 0 {
			continue
		}
		if _, ok := leads[o.BidID]; !ok {
			b, err := s.rawBid(ctx, o.BidID)
			if err != nil {
				return err
			}
			leads[o.BidID] = b.EnterpriseName
		}
		o.Lead = leads[o.BidID]
	}
	return nil
}

// Objections lists a call's objections with who filed them, for staff.
// Errors: Forbidden, NotFound.
func (s *Service) Objections(ctx context.Context, v Viewer, needID int64) ([]Objection, error) {
	if !v.Staff() {
		return nil, errs.New(errs.Forbidden, "只有管委会工作人员可以查看异议", "only staff may read objections")
	}
	if _, err := s.needFor(ctx, v, needID); err != nil {
		return nil, err
	}
	return s.objections(ctx, needID)
}

// DecideObjection records the finding on an open objection while the
// result is on notice. Upheld, it withdraws the result: the call goes back
// to evaluation (the panel may score again and staff choose anew), and
// the call's other open objections lapse. Errors: Forbidden, Invalid
// (finding), NotFound, Conflict (already decided, not on notice).
func (s *Service) DecideObjection(ctx context.Context, v Viewer, id int64, upheld bool, finding string) (Objection, error) {
	if err := mustRun(v); err != nil {
		return Objection{}, err
	}
	finding = strings.TrimSpace(finding)
	if finding == "" || utf8Len(finding) > 5000 {
		return Objection{}, errs.Field("finding", "须写明核查结论（不超过 5000 字）", "a finding of at most 5000 characters is required")
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		o, err := s.objection(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := s.lockNeed(ctx, tx, o.NeedID)
		if err != nil {
			return err
		}
		if o.State != ObjectionFiled {
			return errs.New(errs.Conflict, "该异议已处理", "this objection is already decided")
		}
		if n.State != StateNotice {
			return errs.New(errs.Conflict, "场景不在结果公示期", "the call's result is not on notice")
		}
		to := ObjectionDismissed
		if upheld {
			to = ObjectionUpheld
		}
		now := s.nowMS()
		res, err := tx.ExecContext(ctx, "UPDATE scenario_objections SET state = $1, finding = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = $6",
			to, finding, nullID(v.UserID), now, id, ObjectionFiled)
		if err != nil {
			return fmt.Errorf("scenario: decide objection %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "该异议已处理", "this objection is already decided")
		}
		if err := s.record(ctx, tx, "scenario.objection."+to, "scenario_objection", id, map[string]any{"state": ObjectionFiled},
			map[string]any{"state": to, "finding": finding}); err != nil {
			return err
		}
		if !upheld {
			return nil
		}
		return s.withdrawResult(ctx, tx, n, id)
	})
	if err != nil {
		return Objection{}, err
	}
	return s.objection(ctx, s.DB.R, id)
}

// withdrawResult takes call n's result off notice because objection obj
// was upheld: no winner, the call back in evaluation, the other open
// objections lapsed.
func (s *Service) withdrawResult(ctx context.Context, tx *sql.Tx, n Need, obj int64) error {
	if err := may(n.State, StateEvaluating); err != nil {
		return err
	}
	r, err := s.resultRow(ctx, tx, n.ID)
	if err != nil {
		return err
	}
	now := s.nowMS()
	if _, err := tx.ExecContext(ctx, `UPDATE scenario_results SET winner_bid_id = NULL, winner_reason = '', chosen_on = '', chosen_by = NULL,
		chosen_actor = '', notice_from = 0, notice_until = 0, updated_at = $1 WHERE need_id = $2`, now, n.ID); err != nil {
		return fmt.Errorf("scenario: withdraw the result of %d: %w", n.ID, err)
	}
	res, err := tx.ExecContext(ctx, "UPDATE scenario_needs SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4", StateEvaluating, now, n.ID, n.State)
	if err != nil {
		return fmt.Errorf("scenario: withdraw the result of %d: %w", n.ID, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return errs.New(errs.Conflict, "场景状态已被他人改变，请刷新后重试", "the call changed meanwhile; reload and try again")
	}
	lapsed, err := tx.ExecContext(ctx, "UPDATE scenario_objections SET state = $1, finding = $2, decided_at = $3 WHERE need_id = $4 AND state = $5",
		ObjectionLapsed, fmt.Sprintf("异议 #%d 成立，评审结果已撤回 / objection #%d was upheld and the result withdrawn", obj, obj), now, n.ID, ObjectionFiled)
	if err != nil {
		return fmt.Errorf("scenario: lapse objections of %d: %w", n.ID, err)
	}
	k, _ := lapsed.RowsAffected()
	winner := ""
	if r.winner != 0 {
		b, err := s.rawBid(ctx, r.winner)
		if err != nil {
			return err
		}
		winner = b.EnterpriseName
	}
	return s.record(ctx, tx, "scenario.result.withdraw", "scenario_need", n.ID, map[string]any{"state": n.State, "winner": winner},
		map[string]any{"state": StateEvaluating, "objection": obj, "lapsed": k})
}

// ReceiptStatus is what a receipt shows of its objection: what it was
// about and what was decided; never who filed it or how to reach them.
type ReceiptStatus struct {
	ObjectionID int64  `json:"objection_id"`
	NeedID      int64  `json:"need_id"`
	NeedTitle   string `json:"need_title"`
	Lead        string `json:"lead,omitempty"` // the bid objected to; "" for the result as a whole
	State       string `json:"state"`
	StateZH     string `json:"state_zh"`
	StateEN     string `json:"state_en"`
	Finding     string `json:"finding,omitempty"`
	FiledAt     int64  `json:"filed_at"`
	DecidedAt   int64  `json:"decided_at,omitempty"`
}

func errNoReceipt() error {
	return errs.New(errs.NotFound, "回执号不存在或有误，请核对后再试", "no objection has this receipt number; check it and try again")
}

// LookupReceipt returns the objection a receipt was given for, to anyone
// holding it. Errors: NotFound (a wrong id, a wrong secret or a malformed
// number alike), RateLimited (more than receipt.MissesPerHour failed
// look-ups from this address in the last hour).
func (s *Service) LookupReceipt(ctx context.Context, number string) (ReceiptStatus, error) {
	return receipt.Look(ctx, receipt.Misses{DB: s.DB, Table: "scenario_receipt_misses"}, audit.ActorFrom(ctx).IP, db.Now(),
		func() (ReceiptStatus, error) { return s.receiptStatus(ctx, number) })
}

func (s *Service) receiptStatus(ctx context.Context, number string) (ReceiptStatus, error) {
	id, secret, ok := receipt.Parse(number)
	if !ok {
		return ReceiptStatus{}, errNoReceipt()
	}
	var hash string
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT receipt_hash FROM scenario_objections WHERE id = $1", id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !receipt.Matches(s.DB.Crypto, hash, secret)) {
		return ReceiptStatus{}, errNoReceipt()
	}
	if err != nil {
		return ReceiptStatus{}, fmt.Errorf("scenario: receipt: %w", err)
	}
	o, err := s.objection(ctx, s.DB.R, id)
	if err != nil {
		return ReceiptStatus{}, err
	}
	n, err := s.need(ctx, s.DB.R, o.NeedID)
	if err != nil {
		return ReceiptStatus{}, err
	}
	st := ReceiptStatus{ObjectionID: o.ID, NeedID: n.ID, NeedTitle: n.Title, Lead: o.Lead, State: o.State, Finding: o.Finding,
		FiledAt: o.CreatedAt, DecidedAt: o.DecidedAt}
	st.StateZH, st.StateEN = ObjectionStateLabel(o.State)
	return st, nil
}
