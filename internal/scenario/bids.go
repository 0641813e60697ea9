package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
)

// Bid is an enterprise's bid on a call (揭榜), alone or as the lead of a
// joint bid.
type Bid struct {
	ID             int64       `json:"id"`
	NeedID         int64       `json:"need_id"`
	NeedTitle      string      `json:"need_title"`
	EnterpriseID   int64       `json:"enterprise_id"`
	EnterpriseName string      `json:"enterprise_name"`
	State          string      `json:"state"`
	Solution       string      `json:"solution"`
	Team           string      `json:"team"`
	PriceFen       int64       `json:"price_fen"`
	WithdrawReason string      `json:"withdraw_reason,omitempty"`
	Partners       []Partner   `json:"partners"`
	Milestones     []Milestone `json:"milestones"`
	Files          []File      `json:"files,omitempty"`
	CreatedAt      int64       `json:"created_at"`
	UpdatedAt      int64       `json:"updated_at"`
}

// Confirmed reports whether every partner of a joint bid has confirmed.
func (b Bid) Confirmed() bool {
	for _, p := range b.Partners {
		if p.ConfirmedAt == 0 {
			return false
		}
	}
	return true
}

// Partner is a partner enterprise of a joint bid.
type Partner struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	Role         string `json:"role"`
	ConfirmedAt  int64  `json:"confirmed_at,omitempty"` // 0: not yet
}

// Milestone is one step of a bid's schedule, with the share of the price
// paid when it is accepted.
type Milestone struct {
	Title    string `json:"title"`
	DueOn    string `json:"due_on"`
	SharePct int    `json:"share_pct"`
}

// BidInput is what a bidding enterprise writes.
type BidInput struct {
	Solution   string         `json:"solution"`
	Team       string         `json:"team"`
	PriceFen   int64          `json:"price_fen"`
	Partners   []PartnerInput `json:"partners"`
	Milestones []Milestone    `json:"milestones"`
}

// PartnerInput names a partner by its 统一社会信用代码.
type PartnerInput struct {
	CreditCode string `json:"credit_code"`
	Role       string `json:"role"`
}

// biddable reads call needID for bidding by v's enterprise today. Errors:
// Forbidden (not an enterprise, or the call's own owner), NotFound,
// Conflict (not open, past the deadline).
func (s *Service) biddable(ctx context.Context, v Viewer, needID int64) (Need, error) {
	if v.Role != org.Enterprise || v.EnterpriseID == 0 {
		return Need{}, errs.New(errs.Forbidden, "只有企业账号可以揭榜", "only an enterprise account can bid")
	}
	n, err := s.needFor(ctx, v, needID)
	if err != nil {
		return n, err
	}
	if n.OwnerKind == OwnerEnterprise && n.OwnerEnterpriseID == v.EnterpriseID {
		return n, errs.New(errs.Forbidden, "不能揭榜本企业发布的场景", "an enterprise cannot bid on its own call")
	}
	if !callStates[n.State].open {
		zh, en := StateLabel(n.State)
		return n, errs.New(errs.Conflict, "该场景当前"+zh+"，不接受揭榜", "the call is "+en+" and takes no bids")
	}
	if today := s.Today(); today > n.Deadline {
		return n, errs.Field("deadline", "揭榜已于 "+n.Deadline+" 截止", "bidding closed on "+n.Deadline)
	}
	return n, nil
}

// checkBid validates in against call n for the lead enterprise lead,
// returning the partners it names. Every problem names its field (and
// its row for partners and milestones).
func (s *Service) checkBid(ctx context.Context, n Need, lead int64, in *BidInput) ([]Partner, error) {
	var ds []errs.Detail
	bad := func(row int, field, value, zh, en string) {
		ds = append(ds, errs.Detail{Row: row, Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	in.Solution, in.Team = strings.TrimSpace(in.Solution), strings.TrimSpace(in.Team)
	if in.Solution == "" {
		bad(0, "solution", "", "请填写解决方案", "the solution is required")
	} else if utf8.RuneCountInString(in.Solution) > 8000 {
		bad(0, "solution", "", "解决方案不超过 8000 字", "the solution: at most 8000 characters")
	}
	if in.Team == "" {
		bad(0, "team", "", "请填写团队情况", "the team is required")
	} else if utf8.RuneCountInString(in.Team) > 4000 {
		bad(0, "team", "", "团队情况不超过 4000 字", "the team: at most 4000 characters")
	}
	price := strconv.FormatInt(in.PriceFen, 10)
	switch {
	case in.PriceFen <= 0:
		bad(0, "price_fen", price, "报价应大于 0", "the price must be above 0")
	case money.Check("price_fen", in.PriceFen) != nil:
		zh, en := money.Reason()
		bad(0, "price_fen", price, zh, en)
	case n.PriceCap && in.PriceFen > n.BudgetFen:
		bad(0, "price_fen", price, "报价超过该场景的预算（"+enterprise.FormatFen(n.BudgetFen)+"）", "the price is over the call's budget ("+enterprise.FormatFen(n.BudgetFen)+")")
	}
	if len(in.Milestones) == 0 {
		bad(0, "milestones", "", "请至少列出一个里程碑", "list at least one milestone")
	}
	if len(in.Milestones) > 20 {
		bad(0, "milestones", "", "里程碑不超过 20 个", "at most 20 milestones")
	}
	share, prev, today := 0, "", s.Today()
	for i := range in.Milestones {
		m := &in.Milestones[i]
		m.Title, m.DueOn = strings.TrimSpace(m.Title), strings.TrimSpace(m.DueOn)
		row := i + 1
		if m.Title == "" {
			bad(row, "milestones.title", "", fmt.Sprintf("第 %d 个里程碑缺少名称", row), fmt.Sprintf("milestone %d has no title", row))
		}
		switch {
		case !validDate(m.DueOn):
			bad(row, "milestones.due_on", m.DueOn, fmt.Sprintf("第 %d 个里程碑的日期应为 YYYY-MM-DD", row), fmt.Sprintf("milestone %d: the date must be YYYY-MM-DD", row))
		case m.DueOn < today:
			bad(row, "milestones.due_on", m.DueOn, fmt.Sprintf("第 %d 个里程碑的日期早于今天", row), fmt.Sprintf("milestone %d is due before today", row))
		case m.DueOn > n.EndsOn:
			bad(row, "milestones.due_on", m.DueOn, fmt.Sprintf("第 %d 个里程碑晚于场景的实施完成日期 %s", row, n.EndsOn),
				fmt.Sprintf("milestone %d is due after the call's end date %s", row, n.EndsOn))
		case m.DueOn < prev:
			bad(row, "milestones.due_on", m.DueOn, fmt.Sprintf("第 %d 个里程碑早于前一个", row), fmt.Sprintf("milestone %d is due before the one above it", row))
		}
		if validDate(m.DueOn) {
			prev = m.DueOn
		}
		if m.SharePct < 0 || m.SharePct > 100 {
			bad(row, "milestones.share_pct", strconv.Itoa(m.SharePct), fmt.Sprintf("第 %d 个里程碑的付款比例应在 0–100 之间", row), fmt.Sprintf("milestone %d: the share must be 0 to 100", row))
		}
		share += m.SharePct
	}
	if len(in.Milestones) > 0 && share != 100 {
		bad(0, "milestones.share_pct", strconv.Itoa(share), fmt.Sprintf("各里程碑的付款比例合计应为 100%%，现为 %d%%", share), fmt.Sprintf("the shares must sum to 100%%, not %d%%", share))
	}
	if len(in.Partners) > 5 {
		bad(0, "partners", "", "联合揭榜的伙伴不超过 5 家", "at most 5 partners")
	}
	var out []Partner
	seen := map[int64]bool{lead: true}
	for i, p := range in.Partners {
		row := i + 1
		code := strings.ToUpper(strings.TrimSpace(p.CreditCode))
		if code == "" {
			continue
		}
		b, err := s.Registry.BriefByCode(ctx, code)
		if err != nil {
			if errs.CodeOf(err) == errs.Invalid {
				bad(row, "partners.credit_code", code, "企业库中没有统一社会信用代码为 "+code+" 的企业", "no enterprise in the registry has the credit code "+code)
				continue
			}
			return nil, err
		}
		switch {
		case b.ID == lead:
			bad(row, "partners.credit_code", code, "牵头企业不能同时作为伙伴", "the lead cannot also be a partner")
		case seen[b.ID]:
			bad(row, "partners.credit_code", code, "伙伴重复："+b.Name, "partner listed twice: "+b.Name)
		case n.OwnerKind == OwnerEnterprise && b.ID == n.OwnerEnterpriseID:
			bad(row, "partners.credit_code", code, "场景的提出方不能参与揭榜", "the call's owner cannot take part in a bid")
		default:
			seen[b.ID] = true
			out = append(out, Partner{EnterpriseID: b.ID, Name: b.Name, CreditCode: b.CreditCode, Role: strings.TrimSpace(p.Role)})
		}
	}
	if len(ds) > 0 {
		return nil, errs.List("揭榜材料填写有误，未保存", "the bid has errors; nothing was saved", ds)
	}
	return out, nil
}

// taken refuses an enterprise already in another standing bid on the
// call, as lead or partner (one bid per enterprise per call).
func taken(ctx context.Context, tx *sql.Tx, needID, exceptBid int64, ents map[int64]string) error {
	for id, name := range ents {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scenario_bids b WHERE b.need_id = $1 AND b.id <> $2 AND b.state <> 'withdrawn'
			AND (b.enterprise_id = $3 OR EXISTS (SELECT 1 FROM scenario_bid_partners p WHERE p.bid_id = b.id AND p.enterprise_id = $3))`,
			needID, exceptBid, id).Scan(&n)
		if err != nil {
			return fmt.Errorf("scenario: bids of %d: %w", needID, err)
		}
		if n > 0 {
			return errs.Field("partners", name+"已参与该场景的另一份揭榜", name+" already takes part in another bid on this call")
		}
	}
	return nil
}

// SubmitBid records v's enterprise's bid on call needID, with its evidence
// files. A bid withdrawn earlier is replaced. Errors: Forbidden, NotFound,
// Conflict, Invalid naming each field.
func (s *Service) SubmitBid(ctx context.Context, v Viewer, needID int64, in BidInput, files []Upload) (Bid, error) {
	n, err := s.biddable(ctx, v, needID)
	if err != nil {
		return Bid{}, err
	}
	partners, err := s.checkBid(ctx, n, v.EnterpriseID, &in)
	if err != nil {
		return Bid{}, err
	}
	stored, err := s.checkFiles(files)
	if err != nil {
		return Bid{}, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// One bid at a time per call, on every app server: the checks
		// below then see every bid committed before this one.
		if err := s.DB.Lock(ctx, tx, fmt.Sprintf("scenario.bids.%d", needID)); err != nil {
			return err
		}
		var old int64
		var state string
		err := tx.QueryRowContext(ctx, "SELECT id, state FROM scenario_bids WHERE need_id = $1 AND enterprise_id = $2", needID, v.EnterpriseID).Scan(&old, &state)
		switch {
		case err == nil && state != BidWithdrawn:
			return errs.New(errs.Conflict, "本企业已揭榜该场景，请修改原揭榜材料", "your enterprise already bid on this call; edit that bid")
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("scenario: bid on %d: %w", needID, err)
		}
		ents := map[int64]string{v.EnterpriseID: "本企业"}
		for _, p := range partners {
			ents[p.EnterpriseID] = p.Name
		}
		if err := taken(ctx, tx, needID, old, ents); err != nil {
			return err
		}
		now := s.nowMS()
		if old != 0 {
			id = old
			if _, err := tx.ExecContext(ctx, `UPDATE scenario_bids SET state = $1, solution = $2, team = $3, price_fen = $4, withdraw_reason = '',
				created_by = $5, updated_at = $6 WHERE id = $7`, BidSubmitted, in.Solution, in.Team, in.PriceFen, nullID(v.UserID), now, id); err != nil {
				return fmt.Errorf("scenario: bid again on %d: %w", needID, err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM scenario_files WHERE bid_id = $1", id); err != nil {
				return err
			}
		} else if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_bids (need_id, enterprise_id, state, solution, team, price_fen, created_by, created_at, updated_at, synthetic)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8,$9) RETURNING id`, needID, v.EnterpriseID, BidSubmitted, in.Solution, in.Team, in.PriceFen, nullID(v.UserID), now, s.Synthetic).Scan(&id); err != nil {
			if db.IsUniqueViolation(err) { // a second bid sent at the same moment
				return errs.New(errs.Conflict, "本企业已揭榜该场景，请修改原揭榜材料", "your enterprise already bid on this call; edit that bid")
			}
			return fmt.Errorf("scenario: bid on %d: %w", needID, err)
		}
		if err := writeSchedule(ctx, tx, id, partners, in.Milestones); err != nil {
			return err
		}
		if err := s.storeFiles(ctx, tx, needID, id, files, stored); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.bid.submit", "scenario_bid", id, nil, auditBid(n, in, partners))
	})
	if err != nil {
		return Bid{}, err
	}
	return s.Bid(ctx, v, id)
}

// writeSchedule replaces a bid's partners (unconfirmed again) and
// milestones.
func writeSchedule(ctx context.Context, tx *sql.Tx, id int64, partners []Partner, ms []Milestone) error {
	for _, q := range []string{"DELETE FROM scenario_bid_partners WHERE bid_id = $1", "DELETE FROM scenario_bid_milestones WHERE bid_id = $1"} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("scenario: schedule of bid %d: %w", id, err)
		}
	}
	for _, p := range partners {
		if _, err := tx.ExecContext(ctx, "INSERT INTO scenario_bid_partners (bid_id, enterprise_id, role) VALUES ($1,$2,$3)", id, p.EnterpriseID, p.Role); err != nil {
			return fmt.Errorf("scenario: partner of bid %d: %w", id, err)
		}
	}
	for i, m := range ms {
		if _, err := tx.ExecContext(ctx, "INSERT INTO scenario_bid_milestones (bid_id, seq, title, due_on, share_pct) VALUES ($1,$2,$3,$4,$5)",
			id, i+1, m.Title, m.DueOn, m.SharePct); err != nil {
			return fmt.Errorf("scenario: milestone of bid %d: %w", id, err)
		}
	}
	return nil
}

func auditBid(n Need, in BidInput, ps []Partner) map[string]any {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return map[string]any{"need": n.Title, "price_fen": in.PriceFen, "partners": strings.Join(names, "、"),
		"milestones": len(in.Milestones), "state": BidSubmitted}
}

// UpdateBid rewrites the lead's bid before the deadline; partners confirm
// the new version again. Errors: as SubmitBid.
func (s *Service) UpdateBid(ctx context.Context, v Viewer, id int64, in BidInput) (Bid, error) {
	b, n, err := s.ownBid(ctx, v, id)
	if err != nil {
		return Bid{}, err
	}
	partners, err := s.checkBid(ctx, n, v.EnterpriseID, &in)
	if err != nil {
		return Bid{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.Lock(ctx, tx, fmt.Sprintf("scenario.bids.%d", n.ID)); err != nil {
			return err
		}
		ents := map[int64]string{}
		for _, p := range partners {
			ents[p.EnterpriseID] = p.Name
		}
		if err := taken(ctx, tx, n.ID, id, ents); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE scenario_bids SET solution = $1, team = $2, price_fen = $3, updated_at = $4 WHERE id = $5 AND state = $6`,
			in.Solution, in.Team, in.PriceFen, s.nowMS(), id, BidSubmitted)
		if err != nil {
			return fmt.Errorf("scenario: update bid %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "揭榜已撤回", "the bid was withdrawn")
		}
		if err := writeSchedule(ctx, tx, id, partners, in.Milestones); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.bid.update", "scenario_bid", id, map[string]any{"price_fen": b.PriceFen}, auditBid(n, in, partners))
	})
	if err != nil {
		return Bid{}, err
	}
	return s.Bid(ctx, v, id)
}

// ownBid reads a standing bid v's enterprise leads on a call still open.
func (s *Service) ownBid(ctx context.Context, v Viewer, id int64) (Bid, Need, error) {
	b, err := s.Bid(ctx, v, id)
	if err != nil {
		return b, Need{}, err
	}
	if v.Role != org.Enterprise || b.EnterpriseID != v.EnterpriseID {
		return b, Need{}, errs.New(errs.Forbidden, "只有牵头企业可以修改或撤回揭榜", "only the lead enterprise may change or withdraw the bid")
	}
	if b.State != BidSubmitted {
		return b, Need{}, errs.New(errs.Conflict, "揭榜已撤回", "the bid was withdrawn")
	}
	n, err := s.biddable(ctx, v, b.NeedID)
	return b, n, err
}

// WithdrawBid withdraws the lead's bid before the deadline, with a reason.
// Errors: Forbidden, NotFound, Conflict, Invalid.
func (s *Service) WithdrawBid(ctx context.Context, v Viewer, id int64, reason string) (Bid, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Bid{}, errs.Field("reason", "请写明撤回理由", "a reason is required")
	}
	if _, _, err := s.ownBid(ctx, v, id); err != nil {
		return Bid{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE scenario_bids SET state = $1, withdraw_reason = $2, updated_at = $3 WHERE id = $4 AND state = $5",
			BidWithdrawn, reason, s.nowMS(), id, BidSubmitted)
		if err != nil {
			return fmt.Errorf("scenario: withdraw bid %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "揭榜已撤回", "the bid was withdrawn")
		}
		return s.record(ctx, tx, "scenario.bid.withdraw", "scenario_bid", id, map[string]any{"state": BidSubmitted},
			map[string]any{"state": BidWithdrawn, "reason": reason})
	})
	if err != nil {
		return Bid{}, err
	}
	return s.Bid(ctx, v, id)
}

// ConfirmPartner records that v's enterprise agrees to be a partner of the
// joint bid id, before the deadline. Errors: Forbidden, NotFound,
// Conflict.
func (s *Service) ConfirmPartner(ctx context.Context, v Viewer, id int64) (Bid, error) {
	b, err := s.Bid(ctx, v, id)
	if err != nil {
		return b, err
	}
	partner := false
	for _, p := range b.Partners {
		partner = partner || (v.Role == org.Enterprise && p.EnterpriseID == v.EnterpriseID)
	}
	if !partner {
		return Bid{}, errs.New(errs.Forbidden, "只有被列为伙伴的企业可以确认联合揭榜", "only a listed partner may confirm")
	}
	if b.State != BidSubmitted {
		return Bid{}, errs.New(errs.Conflict, "揭榜已撤回", "the bid was withdrawn")
	}
	n, err := s.needFor(ctx, v, b.NeedID)
	if err != nil {
		return Bid{}, err
	}
	if !callStates[n.State].open || s.Today() > n.Deadline {
		return Bid{}, errs.New(errs.Conflict, "揭榜已截止，不能再确认", "bidding has closed")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE scenario_bid_partners SET confirmed_at = $1, confirmed_by = $2 WHERE bid_id = $3 AND enterprise_id = $4 AND confirmed_at = 0",
			s.nowMS(), nullID(v.UserID), id, v.EnterpriseID)
		if err != nil {
			return fmt.Errorf("scenario: confirm bid %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "本企业已确认过", "your enterprise has confirmed already")
		}
		return s.record(ctx, tx, "scenario.bid.confirm", "scenario_bid", id, nil, map[string]any{"partner": v.EnterpriseID})
	})
	if err != nil {
		return Bid{}, err
	}
	return s.Bid(ctx, v, id)
}

const bidCols = `SELECT b.id, b.need_id, n.title, b.enterprise_id, b.state, b.solution, b.team, b.price_fen, b.withdraw_reason, b.created_at, b.updated_at,
	n.owner_kind, COALESCE(n.owner_unit_id, 0), COALESCE(n.owner_enterprise_id, 0), n.deadline
	FROM scenario_bids b JOIN scenario_needs n ON n.id = b.need_id`

type bidRow struct {
	Bid
	owner Need // the call's owner and deadline, for access
}

func scanBid(sc interface{ Scan(...any) error }) (bidRow, error) {
	var r bidRow
	err := sc.Scan(&r.ID, &r.NeedID, &r.NeedTitle, &r.EnterpriseID, &r.State, &r.Solution, &r.Team, &r.PriceFen, &r.WithdrawReason,
		&r.CreatedAt, &r.UpdatedAt, &r.owner.OwnerKind, &r.owner.OwnerUnitID, &r.owner.OwnerEnterpriseID, &r.owner.Deadline)
	return r, err
}

// mayReadBid: staff, the lead and partners always; the call's owner after
// the deadline; nobody else.
func (s *Service) mayReadBid(v Viewer, r bidRow) bool {
	if v.Staff() {
		return true
	}
	if v.Role == org.Enterprise && v.EnterpriseID != 0 {
		if r.EnterpriseID == v.EnterpriseID {
			return true
		}
		for _, p := range r.Partners {
			if p.EnterpriseID == v.EnterpriseID {
				return true
			}
		}
	}
	return v.owns(r.owner) && s.Today() > r.owner.Deadline
}

// Bid reads one bid v may read. Errors: NotFound.
func (s *Service) Bid(ctx context.Context, v Viewer, id int64) (Bid, error) {
	r, err := scanBid(s.DB.Read(ctx).QueryRowContext(ctx, bidCols+" WHERE b.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Bid{}, errs.New(errs.NotFound, "揭榜不存在", "bid not found")
	}
	if err != nil {
		return Bid{}, fmt.Errorf("scenario: bid %d: %w", id, err)
	}
	rs := []*bidRow{&r}
	if err := s.fillBids(ctx, rs); err != nil {
		return Bid{}, err
	}
	if !s.mayReadBid(v, r) {
		return Bid{}, errs.New(errs.NotFound, "揭榜不存在", "bid not found")
	}
	if r.Files, err = s.files(ctx, s.DB.R, r.NeedID, r.ID); err != nil {
		return Bid{}, err
	}
	return r.Bid, nil
}

// Bids lists the bids on call needID that v may read: staff all, the
// owner all once the deadline has passed, an enterprise those it takes
// part in.
func (s *Service) Bids(ctx context.Context, v Viewer, needID int64) ([]Bid, error) {
	if err := s.readable(ctx, v, needID); err != nil {
		return nil, err
	}
	return s.bidsWhere(ctx, v, "b.need_id = $1", needID)
}

// MyBids lists the bids v's enterprise leads or partners in, newest first.
func (s *Service) MyBids(ctx context.Context, v Viewer) ([]Bid, error) {
	if v.Role != org.Enterprise || v.EnterpriseID == 0 {
		return nil, nil
	}
	return s.bidsWhere(ctx, v, "(b.enterprise_id = $1 OR EXISTS (SELECT 1 FROM scenario_bid_partners p WHERE p.bid_id = b.id AND p.enterprise_id = $1))", v.EnterpriseID)
}

func (s *Service) bidsWhere(ctx context.Context, v Viewer, cond string, arg any) ([]Bid, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, bidCols+" WHERE "+cond+" ORDER BY b.id DESC", arg)
	if err != nil {
		return nil, fmt.Errorf("scenario: bids: %w", err)
	}
	var rs []*bidRow
	for rows.Next() {
		r, err := scanBid(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillBids(ctx, rs); err != nil {
		return nil, err
	}
	var out []Bid
	for _, r := range rs {
		if s.mayReadBid(v, *r) {
			out = append(out, r.Bid)
		}
	}
	return out, nil
}

// fillBids adds the enterprises' names, partners and milestones.
func (s *Service) fillBids(ctx context.Context, rs []*bidRow) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]string, len(rs))
	byID := map[int64]*bidRow{}
	ents := []int64{}
	for i, r := range rs {
		ids[i] = strconv.FormatInt(r.ID, 10)
		byID[r.ID] = r
		ents = append(ents, r.EnterpriseID)
	}
	list := strings.Join(ids, ",")
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT bid_id, enterprise_id, role, confirmed_at FROM scenario_bid_partners WHERE bid_id IN ("+list+") ORDER BY bid_id, enterprise_id")
	if err != nil {
		return fmt.Errorf("scenario: partners: %w", err)
	}
	for rows.Next() {
		var bid int64
		var p Partner
		if err := rows.Scan(&bid, &p.EnterpriseID, &p.Role, &p.ConfirmedAt); err != nil {
			rows.Close()
			return err
		}
		byID[bid].Partners = append(byID[bid].Partners, p)
		ents = append(ents, p.EnterpriseID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.DB.Read(ctx).QueryContext(ctx, "SELECT bid_id, title, due_on, share_pct FROM scenario_bid_milestones WHERE bid_id IN ("+list+") ORDER BY bid_id, seq")
	if err != nil {
		return fmt.Errorf("scenario: milestones: %w", err)
	}
	for rows.Next() {
		var bid int64
		var m Milestone
		if err := rows.Scan(&bid, &m.Title, &m.DueOn, &m.SharePct); err != nil {
			rows.Close()
			return err
		}
		byID[bid].Milestones = append(byID[bid].Milestones, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	names, err := s.Registry.Briefs(ctx, nil, ents)
	if err != nil {
		return err
	}
	for _, r := range rs {
		r.EnterpriseName = names[r.EnterpriseID].Name
		for i := range r.Partners {
			b := names[r.Partners[i].EnterpriseID]
			r.Partners[i].Name, r.Partners[i].CreditCode = b.Name, b.CreditCode
		}
	}
	return nil
}
