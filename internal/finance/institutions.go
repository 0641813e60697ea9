package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// Institution states.
const (
	InstPending  = "pending"  // 待审核: registered, awaiting staff
	InstApproved = "approved" // 已入库
	InstRejected = "rejected" // 未通过, with a reason
)

// InstStates lists the institution states.
var InstStates = []Label{{InstPending, "待审核", "pending"}, {InstApproved, "已入库", "approved"}, {InstRejected, "未通过", "rejected"}}

// Institution is an investment institution, bank or fund (金融机构).
type Institution struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	Name         string     `json:"name"`
	CreditCode   string     `json:"credit_code"`
	AUMFen       int64      `json:"aum_fen"` // capital under management
	TicketMinFen int64      `json:"ticket_min_fen"`
	TicketMaxFen int64      `json:"ticket_max_fen"` // 0: no upper bound
	SettledOn    string     `json:"settled_on"`     // 入驻科技金融广场; "" not settled
	Intro        string     `json:"intro"`
	State        string     `json:"state"`
	Reason       string     `json:"reason,omitempty"`
	ParentID     int64      `json:"parent_id,omitempty"` // the government fund a sub-fund belongs to
	CommittedFen int64      `json:"committed_fen"`       // a fund's committed capital (认缴)
	PaidInFen    int64      `json:"paid_in_fen"`         // its paid-in capital (实缴)
	Stages       []string   `json:"stages"`
	Instruments  []string   `json:"instruments"`
	Chains       []ChainRef `json:"chains"` // empty: every chain
	Contacts     []Contact  `json:"contacts,omitempty"`
	Synthetic    bool       `json:"synthetic"`
	CreatedAt    int64      `json:"created_at"`
	UpdatedAt    int64      `json:"updated_at"`
}

// Contact is a person to reach at an institution.
type Contact struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// ChainRef is one of the registry's chain nodes.
type ChainRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// InstitutionInput is what an institution or staff write.
type InstitutionInput struct {
	Kind         string    `json:"kind"`
	Name         string    `json:"name"`
	CreditCode   string    `json:"credit_code"`
	AUMFen       int64     `json:"aum_fen"`
	TicketMinFen int64     `json:"ticket_min_fen"`
	TicketMaxFen int64     `json:"ticket_max_fen"`
	SettledOn    string    `json:"settled_on"`
	Intro        string    `json:"intro"`
	Stages       []string  `json:"stages"`
	Instruments  []string  `json:"instruments"`
	Chains       []string  `json:"chains"` // chain node codes; none: every chain
	Contacts     []Contact `json:"contacts"`
	ParentID     int64     `json:"parent_id"`
	CommittedFen int64     `json:"committed_fen"`
	PaidInFen    int64     `json:"paid_in_fen"`
}

var phoneRE = regexp.MustCompile(`^[0-9+][0-9 \-]{6,19}$`)
var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// checkInstitution validates in, normalising it, and resolves its chains.
func (s *Service) checkInstitution(ctx context.Context, in *InstitutionInput) ([]ChainRef, error) {
	var p problems
	in.Name, in.Intro, in.SettledOn = strings.TrimSpace(in.Name), strings.TrimSpace(in.Intro), strings.TrimSpace(in.SettledOn)
	if !known(Kinds, in.Kind) {
		p.add("kind", in.Kind, "机构类型无效："+in.Kind, "unknown institution kind: "+in.Kind)
	}
	p.text("name", in.Name, true, 100, "机构名称", "name")
	p.text("intro", in.Intro, false, 2000, "机构简介", "introduction")
	if code, err := uscc.Parse(in.CreditCode); err != nil {
		var ue *uscc.Error
		if errors.As(err, &ue) {
			p.add("credit_code", in.CreditCode, ue.ZH(), ue.EN())
		} else {
			p.add("credit_code", in.CreditCode, "统一社会信用代码无效", "invalid credit code")
		}
	} else {
		in.CreditCode = code
	}
	p.amount("aum_fen", in.AUMFen, 0, false, "管理资本规模")
	p.amount("ticket_min_fen", in.TicketMinFen, MaxNeedFen, false, "单笔投资下限")
	p.amount("ticket_max_fen", in.TicketMaxFen, MaxNeedFen, false, "单笔投资上限")
	if in.TicketMaxFen > 0 && in.TicketMaxFen < in.TicketMinFen {
		p.add("ticket_max_fen", strconv.FormatInt(in.TicketMaxFen, 10), "单笔投资上限不能低于下限", "the ticket's upper bound is below its lower bound")
	}
	switch {
	case in.SettledOn == "":
	case !validDate(in.SettledOn):
		p.add("settled_on", in.SettledOn, "入驻日期应为 YYYY-MM-DD", "the settling date must be YYYY-MM-DD")
	case in.SettledOn > s.Today():
		p.add("settled_on", in.SettledOn, "入驻日期不能晚于今天", "the settling date cannot be in the future")
	}
	in.Stages = p.codes("stages", in.Stages, Stages, true, "投资阶段", "stage")
	in.Instruments = p.codes("instruments", in.Instruments, Instruments, true, "金融工具", "instrument")
	if len(in.Contacts) > 10 {
		p.add("contacts", "", "联系人不超过 10 位", "at most 10 contacts")
	}
	for i := range in.Contacts {
		c := &in.Contacts[i]
		c.Name, c.Title, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
		f := fmt.Sprintf("contacts[%d].", i)
		p.text(f+"name", c.Name, true, 50, "联系人姓名", "contact name")
		p.text(f+"title", c.Title, false, 50, "联系人职务", "contact title")
		if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
			p.add(f+"phone", c.Phone, "联系电话应为 7–20 位数字（可含 +、- 和空格）", "phone: 7 to 20 digits (+, - and spaces allowed)")
		}
		if c.Email != "" && !emailRE.MatchString(c.Email) {
			p.add(f+"email", c.Email, "电子邮箱格式不正确", "not an e-mail address")
		}
	}
	fund := in.Kind == KindGovFund || in.ParentID != 0
	p.amount("committed_fen", in.CommittedFen, 0, false, "认缴规模")
	p.amount("paid_in_fen", in.PaidInFen, 0, false, "实缴规模")
	switch {
	case !fund && (in.CommittedFen != 0 || in.PaidInFen != 0):
		p.add("committed_fen", "", "只有政府引导基金及其子基金记录认缴、实缴规模", "only government funds and their sub-funds record committed and paid-in capital")
	case in.PaidInFen > in.CommittedFen:
		p.add("paid_in_fen", strconv.FormatInt(in.PaidInFen, 10), "实缴规模不能超过认缴规模", "paid-in capital cannot exceed committed capital")
	}
	refs, bad, err := s.chainRefs(ctx, in.Chains)
	if err != nil {
		return nil, err
	}
	for _, c := range bad {
		p.add("chains", c, "没有这条产业链："+c, "unknown industry chain: "+c)
	}
	return refs, p.err("金融机构信息填写有误", "the institution has errors")
}

// chainRefs resolves chain node codes (or Chinese names) through the
// registry; bad are those that name no node.
func (s *Service) chainRefs(ctx context.Context, codes []string) (refs []ChainRef, bad []string, err error) {
	if len(codes) == 0 {
		return nil, nil, nil
	}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		found := false
		for _, n := range tree {
			if n.Code == c || n.NameZH == c {
				refs = append(refs, ChainRef{ID: n.ID, Code: n.Code, NameZH: n.NameZH, NameEN: n.NameEN})
				found = true
				break
			}
		}
		if !found {
			bad = append(bad, c)
		}
	}
	return refs, bad, nil
}

// checkParent checks a sub-fund's parent inside tx: a government fund that
// is not itself a sub-fund, and whose sub-funds' commitments (with this
// one's, replacing self's) stay within its own. Errors: Invalid.
func checkParent(ctx context.Context, tx *sql.Tx, in InstitutionInput, self int64) error {
	if in.ParentID == 0 {
		return nil
	}
	if in.ParentID == self {
		return errs.Field("parent_id", "基金不能是自己的子基金", "a fund cannot be its own sub-fund")
	}
	var kind string
	var parent, committed int64
	err := tx.QueryRowContext(ctx, "SELECT kind, COALESCE(parent_id, 0), committed_fen FROM finance_institutions WHERE id = $1", in.ParentID).
		Scan(&kind, &parent, &committed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (kind != KindGovFund || parent != 0)) {
		return errs.Field("parent_id", "母基金应为一只政府引导基金（不能是子基金）", "the parent must be a government fund that is not itself a sub-fund")
	}
	if err != nil {
		return fmt.Errorf("finance: parent fund: %w", err)
	}
	var others int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(committed_fen), 0) FROM finance_institutions WHERE parent_id = $1 AND id <> $2",
		in.ParentID, self).Scan((*money.SQLSum)(&others)); err != nil {
		return fmt.Errorf("finance: sub-funds: %w", err)
	}
	if sum, ok := money.Add(others, in.CommittedFen); !ok || sum > committed {
		return errs.Field("committed_fen", "各子基金认缴规模之和不能超过母基金认缴规模", "the sub-funds' commitments cannot exceed the parent fund's")
	}
	return nil
}

// Register records a new institution from an investor account not yet
// linked to one, pending staff approval, and links the account to it.
// Errors: Forbidden (not an investor account), Conflict (already linked, or
// the credit code is registered), Invalid naming each bad field.
func (s *Service) Register(ctx context.Context, v Viewer, in InstitutionInput) (Institution, error) {
	if !v.investor() {
		return Institution{}, errs.New(errs.Forbidden, "只有金融机构账号可以登记机构", "only an investor account can register an institution")
	}
	if id, _, err := s.member(ctx, s.DB.R, v); err != nil {
		return Institution{}, err
	} else if id != 0 {
		return Institution{}, errs.New(errs.Conflict, "该账号已关联一家金融机构", "this account already acts for an institution")
	}
	return s.create(ctx, v, in, InstPending)
}

// Create records an institution staff recruited, approved at once.
// Errors: Forbidden, Conflict, Invalid.
func (s *Service) Create(ctx context.Context, v Viewer, in InstitutionInput) (Institution, error) {
	if err := mustRun(v); err != nil {
		return Institution{}, err
	}
	return s.create(ctx, v, in, InstApproved)
}

func (s *Service) create(ctx context.Context, v Viewer, in InstitutionInput, state string) (Institution, error) {
	refs, err := s.checkInstitution(ctx, &in)
	if err != nil {
		return Institution{}, err
	}
	var id int64
	now := s.nowMS()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkParent(ctx, tx, in, 0); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO finance_institutions (kind, name, credit_code, aum_fen, ticket_min_fen, ticket_max_fen,
			settled_on, intro, state, parent_id, committed_fen, paid_in_fen, synthetic, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15) RETURNING id`,
			in.Kind, in.Name, in.CreditCode, in.AUMFen, in.TicketMinFen, in.TicketMaxFen, in.SettledOn, in.Intro, state,
			nullID(in.ParentID), in.CommittedFen, in.PaidInFen, s.Synthetic, nullID(v.UserID), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.Field("credit_code", "该统一社会信用代码的机构已登记："+in.CreditCode, "an institution with this credit code is registered: "+in.CreditCode)
		}
		if err != nil {
			return fmt.Errorf("finance: create institution: %w", err)
		}
		if err := s.writeProfile(ctx, tx, id, in, refs); err != nil {
			return err
		}
		if err := s.mapCells(ctx, tx, id, 1); err != nil {
			return err
		}
		if state == InstPending {
			if _, err := tx.ExecContext(ctx, "INSERT INTO finance_members (user_id, institution_id, created_at) VALUES ($1,$2,$3)", v.UserID, id, now); err != nil {
				return fmt.Errorf("finance: link account: %w", err)
			}
		}
		return s.record(ctx, tx, "finance.institution."+map[string]string{InstPending: "register", InstApproved: "create"}[state],
			"finance_institution", id, nil, auditInstitution(in, state))
	})
	if err != nil {
		return Institution{}, err
	}
	return s.institution(ctx, s.DB.R, id)
}

// contactPhone is the sealed column of a contact's phone number: stored
// sealed with SM4-GCM in the national cryptographic mode (internal/crypt),
// as typed otherwise. Names, titles and e-mail addresses are not sealed.
var contactPhone = crypt.Column{Table: "finance_contacts", Name: "phone"}

// Sealed lists the finance module's sealed columns, for a key rotation.
var Sealed = []crypt.Column{contactPhone}

// writeProfile replaces an institution's stages, instruments, chains and
// contacts.
func (s *Service) writeProfile(ctx context.Context, tx *sql.Tx, id int64, in InstitutionInput, refs []ChainRef) error {
	for _, t := range []string{"finance_institution_stages", "finance_institution_instruments", "finance_institution_chains", "finance_contacts"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE institution_id = $1", id); err != nil {
			return fmt.Errorf("finance: profile %d: %w", id, err)
		}
	}
	ins := func(q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("finance: profile %d: %w", id, err)
		}
		return nil
	}
	for _, st := range in.Stages {
		if err := ins("INSERT INTO finance_institution_stages (institution_id, stage) VALUES ($1,$2)", id, st); err != nil {
			return err
		}
	}
	for _, x := range in.Instruments {
		if err := ins("INSERT INTO finance_institution_instruments (institution_id, instrument) VALUES ($1,$2)", id, x); err != nil {
			return err
		}
	}
	for _, c := range refs {
		if err := ins("INSERT INTO finance_institution_chains (institution_id, node_id) VALUES ($1,$2)", id, c.ID); err != nil {
			return err
		}
	}
	for _, c := range in.Contacts {
		phone, err := s.DB.Crypto.Seal(contactPhone.Field(), c.Phone)
		if err != nil {
			return fmt.Errorf("finance: profile %d: %w", id, err)
		}
		if err := ins("INSERT INTO finance_contacts (institution_id, name, title, phone, email) VALUES ($1,$2,$3,$4,$5)",
			id, c.Name, c.Title, phone, c.Email); err != nil {
			return err
		}
	}
	return nil
}

// auditInstitution is the trail's view of an institution: no contacts.
func auditInstitution(in InstitutionInput, state string) map[string]any {
	return map[string]any{"kind": in.Kind, "name": in.Name, "credit_code": in.CreditCode, "aum_fen": in.AUMFen,
		"ticket_min_fen": in.TicketMinFen, "ticket_max_fen": in.TicketMaxFen, "settled_on": in.SettledOn,
		"stages": strings.Join(in.Stages, "、"), "instruments": strings.Join(in.Instruments, "、"), "chains": strings.Join(in.Chains, "、"),
		"committed_fen": in.CommittedFen, "paid_in_fen": in.PaidInFen, "state": state}
}

// Update rewrites an institution's profile: its own account or a
// supervisor. A change of name or credit code by the institution itself,
// or any change to a rejected one, sends it back for approval. Errors: NotFound, Forbidden, Conflict,
// Invalid.
func (s *Service) Update(ctx context.Context, v Viewer, id int64, in InstitutionInput) (Institution, error) {
	before, err := s.Institution(ctx, v, id)
	if err != nil {
		return Institution{}, err
	}
	mine, _, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return Institution{}, err
	}
	if !v.Runs() && mine != id {
		return Institution{}, errs.New(errs.Forbidden, "只有机构本身或工作人员可以修改机构信息", "only the institution or staff may edit it")
	}
	refs, err := s.checkInstitution(ctx, &in)
	if err != nil {
		return Institution{}, err
	}
	state := before.State
	if !v.Runs() && (in.Name != before.Name || in.CreditCode != before.CreditCode || before.State == InstRejected) {
		state = InstPending
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkParent(ctx, tx, in, id); err != nil {
			return err
		}
		if err := s.mapCells(ctx, tx, id, -1); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE finance_institutions SET kind = $1, name = $2, credit_code = $3, aum_fen = $4, ticket_min_fen = $5,
			ticket_max_fen = $6, settled_on = $7, intro = $8, state = $9, parent_id = $10, committed_fen = $11, paid_in_fen = $12, updated_at = $13
			WHERE id = $14`, in.Kind, in.Name, in.CreditCode, in.AUMFen, in.TicketMinFen, in.TicketMaxFen, in.SettledOn, in.Intro, state,
			nullID(in.ParentID), in.CommittedFen, in.PaidInFen, s.nowMS(), id)
		if db.IsUniqueViolation(err) {
			return errs.Field("credit_code", "该统一社会信用代码的机构已登记："+in.CreditCode, "an institution with this credit code is registered: "+in.CreditCode)
		}
		if err != nil {
			return fmt.Errorf("finance: update institution %d: %w", id, err)
		}
		if err := s.writeProfile(ctx, tx, id, in, refs); err != nil {
			return err
		}
		if err := s.mapCells(ctx, tx, id, 1); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.institution.update", "finance_institution", id, auditInstitution(inputOf(before), before.State), auditInstitution(in, state))
	})
	if err != nil {
		return Institution{}, err
	}
	return s.Institution(ctx, v, id)
}

func inputOf(i Institution) InstitutionInput {
	in := InstitutionInput{Kind: i.Kind, Name: i.Name, CreditCode: i.CreditCode, AUMFen: i.AUMFen, TicketMinFen: i.TicketMinFen,
		TicketMaxFen: i.TicketMaxFen, SettledOn: i.SettledOn, Intro: i.Intro, Stages: i.Stages, Instruments: i.Instruments,
		Contacts: i.Contacts, ParentID: i.ParentID, CommittedFen: i.CommittedFen, PaidInFen: i.PaidInFen}
	for _, c := range i.Chains {
		in.Chains = append(in.Chains, c.Code)
	}
	return in
}

// Approve admits a pending institution. Errors: Forbidden, NotFound,
// Conflict (not pending).
func (s *Service) Approve(ctx context.Context, v Viewer, id int64) (Institution, error) {
	return s.decide(ctx, v, id, InstApproved, "")
}

// Reject refuses a pending institution with a reason. Errors: Forbidden,
// NotFound, Conflict, Invalid (no reason).
func (s *Service) Reject(ctx context.Context, v Viewer, id int64, reason string) (Institution, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return Institution{}, errs.Field("reason", "请填写不通过的理由（500 字以内）", "give a reason (at most 500 characters)")
	}
	return s.decide(ctx, v, id, InstRejected, reason)
}

func (s *Service) decide(ctx context.Context, v Viewer, id int64, to, reason string) (Institution, error) {
	if err := mustRun(v); err != nil {
		return Institution{}, err
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, "SELECT state FROM finance_institutions WHERE id = $1"+s.DB.ForUpdate(), id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoInstitution
		}
		if err != nil {
			return fmt.Errorf("finance: decide institution %d: %w", id, err)
		}
		if state != InstPending {
			return errs.New(errs.Conflict, "只有待审核的机构可以审核", "only a pending institution can be decided")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE finance_institutions SET state = $1, reason = $2, updated_at = $3 WHERE id = $4",
			to, reason, s.nowMS(), id); err != nil {
			return fmt.Errorf("finance: decide institution %d: %w", id, err)
		}
		if err := s.mapCells(ctx, tx, id, 1); err != nil {
			return err
		}
		return s.record(ctx, tx, "finance.institution."+to, "finance_institution", id, map[string]string{"state": state},
			map[string]string{"state": to, "reason": reason})
	})
	if err != nil {
		return Institution{}, err
	}
	return s.institution(ctx, s.DB.R, id)
}

// LinkAccount makes an investor account act for an institution (staff
// only); an account acts for one institution at a time. Errors:
// Forbidden, NotFound, Invalid (not an investor account).
func (s *Service) LinkAccount(ctx context.Context, v Viewer, id int64, username string) error {
	if err := mustRun(v); err != nil {
		return err
	}
	if _, err := s.institution(ctx, s.DB.R, id); err != nil {
		return err
	}
	u, err := s.Org.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.Role != org.Investor {
		return errs.Field("username", "只能关联金融机构角色的账号", "only an investor-role account can be linked")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM finance_members WHERE user_id = $1", u.ID); err != nil {
			return fmt.Errorf("finance: link account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO finance_members (user_id, institution_id, created_at) VALUES ($1,$2,$3)", u.ID, id, s.nowMS()); err != nil {
			return fmt.Errorf("finance: link account: %w", err)
		}
		return s.record(ctx, tx, "finance.institution.link", "finance_institution", id, nil, map[string]any{"user": u.Username})
	})
}
