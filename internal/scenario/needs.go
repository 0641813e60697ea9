package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
)

// Owner kinds of a need.
const (
	OwnerUnit       = "unit"       // a unit of the zone (a department, an office area)
	OwnerEnterprise = "enterprise" // an enterprise or research institute in the registry
)

// Need is a scenario need, and once published a call (场景).
type Need struct {
	ID                int64       `json:"id"`
	Title             string      `json:"title"`
	Category          string      `json:"category"`
	OwnerKind         string      `json:"owner_kind"`
	OwnerUnitID       int64       `json:"owner_unit_id,omitempty"`
	OwnerEnterpriseID int64       `json:"owner_enterprise_id,omitempty"`
	OwnerName         string      `json:"owner_name"`
	Problem           string      `json:"problem"`
	Capabilities      string      `json:"capabilities"`
	Site              string      `json:"site"`
	DataOpen          string      `json:"data_open"`
	BudgetFen         int64       `json:"budget_fen"`
	PriceCap          bool        `json:"price_cap"`
	Deadline          string      `json:"deadline"`
	EndsOn            string      `json:"ends_on"`
	ContactName       string      `json:"contact_name,omitempty"`
	ContactPhone      string      `json:"contact_phone,omitempty"`
	State             string      `json:"state"`
	Reason            string      `json:"reason,omitempty"`
	BatchID           int64       `json:"batch_id,omitempty"`
	BatchSeq          int         `json:"batch_seq,omitempty"`
	Synthetic         bool        `json:"synthetic"`
	Chains            []ChainRef  `json:"chains"`
	Phases            []PhaseDate `json:"phases,omitempty"`
	Files             []File      `json:"files,omitempty"`
	Bids              int         `json:"bids"` // bids standing (not withdrawn)
	CreatedAt         int64       `json:"created_at"`
	UpdatedAt         int64       `json:"updated_at"`
}

// ChainRef is one of the zone's industry chains a need concerns.
type ChainRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// PhaseDate is the date a call reached a phase, and who moved it.
type PhaseDate struct {
	Phase string `json:"phase"`
	On    string `json:"on"`
	At    int64  `json:"at"`
	Actor string `json:"actor"`
}

// NeedInput is what a need's owner writes.
type NeedInput struct {
	Title        string   `json:"title"`
	Category     string   `json:"category"`
	Chains       []string `json:"chains"` // chain node codes
	Problem      string   `json:"problem"`
	Capabilities string   `json:"capabilities"`
	Site         string   `json:"site"`
	DataOpen     string   `json:"data_open"`
	BudgetFen    int64    `json:"budget_fen"`
	PriceCap     bool     `json:"price_cap"`
	Deadline     string   `json:"deadline"`
	EndsOn       string   `json:"ends_on"`
	ContactName  string   `json:"contact_name"`
	ContactPhone string   `json:"contact_phone"`
}

var phoneRE = regexp.MustCompile(`^[0-9+][0-9 \-]{6,19}$`)

// validDate reports whether s is a YYYY-MM-DD date.
func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil && len(s) == 10
}

// check validates in against the chain tree and today's date, returning
// the chain nodes it names; every problem is a detail naming its field.
func (s *Service) check(ctx context.Context, in *NeedInput) ([]ChainRef, error) {
	var ds []errs.Detail
	bad := func(field, value, zh, en string) {
		ds = append(ds, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&in.Title, &in.Category, &in.Problem, &in.Capabilities, &in.Site, &in.DataOpen,
		&in.Deadline, &in.EndsOn, &in.ContactName, &in.ContactPhone} {
		trim(p)
	}
	text := func(field, v string, need bool, max int, zh, en string) {
		switch {
		case need && v == "":
			bad(field, v, "请填写"+zh, en+" is required")
		case utf8.RuneCountInString(v) > max:
			bad(field, "", fmt.Sprintf("%s不超过 %d 字", zh, max), fmt.Sprintf("%s: at most %d characters", en, max))
		}
	}
	text("title", in.Title, true, 100, "场景名称", "title")
	text("problem", in.Problem, true, 4000, "需解决的问题", "problem")
	text("capabilities", in.Capabilities, false, 4000, "所需能力", "capabilities")
	text("site", in.Site, false, 500, "场景地点", "site")
	text("data_open", in.DataOpen, false, 2000, "开放的数据与资源", "data opened")
	text("contact_name", in.ContactName, true, 50, "联系人", "contact")
	if zh, _ := CategoryLabel(in.Category); zh == in.Category {
		bad("category", in.Category, "场景类别应为：重大项目载体、产业数字化转型、城市建设与城市更新、城市管理和民生服务", "unknown category")
	}
	if !phoneRE.MatchString(in.ContactPhone) {
		bad("contact_phone", in.ContactPhone, "联系电话应为 7–20 位数字（可含 +、- 和空格）", "phone: 7 to 20 digits (+, - and spaces allowed)")
	}
	if in.BudgetFen <= 0 {
		bad("budget_fen", strconv.FormatInt(in.BudgetFen, 10), "预算应大于 0", "budget must be above 0")
	} else if err := money.Check("budget_fen", in.BudgetFen); err != nil {
		zh, en := money.Reason()
		bad("budget_fen", strconv.FormatInt(in.BudgetFen, 10), zh, en)
	}
	today := s.Today()
	switch {
	case !validDate(in.Deadline):
		bad("deadline", in.Deadline, "揭榜截止日期应为 YYYY-MM-DD", "deadline must be YYYY-MM-DD")
	case in.Deadline < today:
		bad("deadline", in.Deadline, "揭榜截止日期不能早于今天（"+today+"）", "the deadline cannot be before today ("+today+")")
	}
	switch {
	case !validDate(in.EndsOn):
		bad("ends_on", in.EndsOn, "实施完成日期应为 YYYY-MM-DD", "end date must be YYYY-MM-DD")
	case validDate(in.Deadline) && in.EndsOn <= in.Deadline:
		bad("ends_on", in.EndsOn, "实施完成日期应晚于揭榜截止日期", "the end date must be after the deadline")
	}
	var refs []ChainRef
	if len(in.Chains) == 0 {
		bad("chains", "", "请至少选择一条产业链", "choose at least one industry chain")
	} else {
		tree, err := s.Registry.ChainTree(ctx)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, c := range in.Chains {
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
				bad("chains", c, "没有这条产业链："+c, "unknown industry chain: "+c)
			}
		}
	}
	if len(ds) > 0 {
		return nil, errs.List("场景需求填写有误", "the need has errors", ds)
	}
	return refs, nil
}

// Submit records a new need from v's unit or enterprise, with its
// attachments. Errors: Forbidden for a caller with neither, Invalid naming
// each bad field or file.
func (s *Service) Submit(ctx context.Context, v Viewer, in NeedInput, files []Upload) (Need, error) {
	n := Need{}
	switch {
	case v.Role == org.UnitStaff && v.UnitID != 0:
		n.OwnerKind, n.OwnerUnitID, n.OwnerName = OwnerUnit, v.UnitID, v.UnitName
	case v.Role == org.Enterprise && v.EnterpriseID != 0:
		bs, err := s.Registry.Briefs(ctx, nil, []int64{v.EnterpriseID})
		if err != nil {
			return n, err
		}
		n.OwnerKind, n.OwnerEnterpriseID, n.OwnerName = OwnerEnterprise, v.EnterpriseID, bs[v.EnterpriseID].Name
	default:
		return n, errs.New(errs.Forbidden, "只有责任单位或企业（科研院所）账号可以提交场景需求", "only a unit or an enterprise account can submit a need")
	}
	refs, err := s.check(ctx, &in)
	if err != nil {
		return n, err
	}
	stored, err := s.checkFiles(files)
	if err != nil {
		return n, err
	}
	now := s.nowMS()
	phone, err := s.DB.Crypto.Seal(needPhone.Field(), in.ContactPhone)
	if err != nil {
		return n, fmt.Errorf("scenario: submit: %w", err)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO scenario_needs (title, category, owner_kind, owner_unit_id, owner_enterprise_id, owner_name,
			problem, capabilities, site, data_open, budget_fen, price_cap, deadline, ends_on, contact_name, contact_phone, state,
			submitted_by, created_at, updated_at, synthetic) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$19,$20) RETURNING id`,
			in.Title, in.Category, n.OwnerKind, nullID(n.OwnerUnitID), nullID(n.OwnerEnterpriseID), n.OwnerName,
			in.Problem, in.Capabilities, in.Site, in.DataOpen, in.BudgetFen, in.PriceCap, in.Deadline, in.EndsOn,
			in.ContactName, phone, StateCollecting, nullID(v.UserID), now, s.Synthetic).Scan(&n.ID); err != nil {
			return fmt.Errorf("scenario: submit: %w", err)
		}
		if err := setChains(ctx, tx, n.ID, refs); err != nil {
			return err
		}
		if err := s.storeFiles(ctx, tx, n.ID, 0, files, stored); err != nil {
			return err
		}
		if err := s.phase(ctx, tx, n.ID, PhaseCollect); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.need.submit", "scenario_need", n.ID, nil, auditNeed(in, StateCollecting))
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, n.ID)
}

// Update rewrites a need its owner is still allowed to edit (while it is
// being collected). Errors: NotFound, Forbidden, Conflict, Invalid.
func (s *Service) Update(ctx context.Context, v Viewer, id int64, in NeedInput) (Need, error) {
	before, err := s.needFor(ctx, v, id)
	if err != nil {
		return Need{}, err
	}
	if !v.owns(before) {
		return Need{}, errs.New(errs.Forbidden, "只有提交需求的单位或企业可以修改", "only the need's owner may edit it")
	}
	if before.State != StateCollecting {
		return Need{}, errs.New(errs.Conflict, "需求已审核，不能再修改", "the need has been reviewed and can no longer be edited")
	}
	refs, err := s.check(ctx, &in)
	if err != nil {
		return Need{}, err
	}
	phone, err := s.DB.Crypto.Seal(needPhone.Field(), in.ContactPhone)
	if err != nil {
		return Need{}, fmt.Errorf("scenario: update need %d: %w", id, err)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE scenario_needs SET title = $1, category = $2, problem = $3, capabilities = $4, site = $5,
			data_open = $6, budget_fen = $7, price_cap = $8, deadline = $9, ends_on = $10, contact_name = $11, contact_phone = $12,
			updated_at = $13 WHERE id = $14 AND state = $15`, in.Title, in.Category, in.Problem, in.Capabilities, in.Site, in.DataOpen,
			in.BudgetFen, in.PriceCap, in.Deadline, in.EndsOn, in.ContactName, phone, s.nowMS(), id, StateCollecting)
		if err != nil {
			return fmt.Errorf("scenario: update need %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.New(errs.Conflict, "需求已审核，不能再修改", "the need has been reviewed and can no longer be edited")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM scenario_need_chains WHERE need_id = $1", id); err != nil {
			return fmt.Errorf("scenario: update need %d: %w", id, err)
		}
		if err := setChains(ctx, tx, id, refs); err != nil {
			return err
		}
		return s.record(ctx, tx, "scenario.need.update", "scenario_need", id, auditNeed(inputOf(before), before.State), auditNeed(in, before.State))
	})
	if err != nil {
		return Need{}, err
	}
	return s.needFor(ctx, v, id)
}

func inputOf(n Need) NeedInput {
	in := NeedInput{Title: n.Title, Category: n.Category, Problem: n.Problem, Capabilities: n.Capabilities, Site: n.Site,
		DataOpen: n.DataOpen, BudgetFen: n.BudgetFen, PriceCap: n.PriceCap, Deadline: n.Deadline, EndsOn: n.EndsOn,
		ContactName: n.ContactName, ContactPhone: n.ContactPhone}
	for _, c := range n.Chains {
		in.Chains = append(in.Chains, c.Code)
	}
	return in
}

// auditNeed is the audit trail's view of a need: what a person reads, no
// contact phone.
func auditNeed(in NeedInput, state string) map[string]any {
	return map[string]any{"title": in.Title, "category": in.Category, "chains": strings.Join(in.Chains, "、"),
		"budget_fen": in.BudgetFen, "deadline": in.Deadline, "ends_on": in.EndsOn, "state": state}
}

func setChains(ctx context.Context, tx *sql.Tx, id int64, refs []ChainRef) error {
	for _, c := range refs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO scenario_need_chains (need_id, node_id) VALUES ($1, $2)", id, c.ID); err != nil {
			return fmt.Errorf("scenario: chains of need %d: %w", id, err)
		}
	}
	return nil
}

// phase records that need id reached phase p today, by the caller.
func (s *Service) phase(ctx context.Context, tx *sql.Tx, id int64, p string) error {
	a := s.actor(ctx)
	_, err := tx.ExecContext(ctx, `INSERT INTO scenario_phases (need_id, phase, on_date, at, actor_id, actor) VALUES ($1,$2,$3,$4,$5,$6)`,
		id, p, s.Today(), s.nowMS(), nullID(a.ID), a.Name)
	if err != nil {
		return fmt.Errorf("scenario: phase %s of %d: %w", p, id, err)
	}
	return nil
}

// record appends an audit entry and bumps the module's version, the last
// statements of a write.
func (s *Service) record(ctx context.Context, tx *sql.Tx, action, objType string, id int64, before, after any) error {
	if err := s.Audit.RecordTx(ctx, tx, audit.Entry{Action: action, ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Before: before, After: after}); err != nil {
		return err
	}
	return memo.Bump(ctx, tx, Module)
}

// needPhone is the sealed column of a need's contact phone: stored sealed
// with SM4-GCM in the national cryptographic mode (internal/crypt), as
// typed otherwise. objectionContact is the public's contact on an
// objection (a phone number or an address). Contact names are not sealed.
var (
	needPhone        = crypt.Column{Table: "scenario_needs", Name: "contact_phone"}
	objectionContact = crypt.Column{Table: "scenario_objections", Name: "contact"}
)

// Sealed lists the scenario module's sealed columns, for a key rotation.
var Sealed = []crypt.Column{needPhone, objectionContact}

// openNeed opens a need's sealed contact phone in place.
func (s *Service) openNeed(n *Need) error {
	phone, err := s.DB.Crypto.Open(needPhone.Field(), n.ContactPhone)
	if err != nil {
		return fmt.Errorf("scenario: need %d: %w", n.ID, err)
	}
	n.ContactPhone = phone
	return nil
}

const needCols = `SELECT n.id, n.title, n.category, n.owner_kind, COALESCE(n.owner_unit_id, 0), COALESCE(n.owner_enterprise_id, 0), n.owner_name,
	n.problem, n.capabilities, n.site, n.data_open, n.budget_fen, n.price_cap, n.deadline, n.ends_on, n.contact_name, n.contact_phone,
	n.state, n.reason, COALESCE(n.batch_id, 0), COALESCE(b.seq, 0), n.synthetic, n.created_at, n.updated_at,
	(SELECT COUNT(*) FROM scenario_bids x WHERE x.need_id = n.id AND x.state <> 'withdrawn')
	FROM scenario_needs n LEFT JOIN scenario_batches b ON b.id = n.batch_id`

func scanNeed(sc interface{ Scan(...any) error }) (Need, error) {
	var n Need
	err := sc.Scan(&n.ID, &n.Title, &n.Category, &n.OwnerKind, &n.OwnerUnitID, &n.OwnerEnterpriseID, &n.OwnerName,
		&n.Problem, &n.Capabilities, &n.Site, &n.DataOpen, &n.BudgetFen, &n.PriceCap, &n.Deadline, &n.EndsOn, &n.ContactName, &n.ContactPhone,
		&n.State, &n.Reason, &n.BatchID, &n.BatchSeq, &n.Synthetic, &n.CreatedAt, &n.UpdatedAt, &n.Bids)
	return n, err
}

// need reads one need with its chains, phases and attachments, whoever
// asks. Errors: NotFound.
func (s *Service) need(ctx context.Context, q db.Querier, id int64) (Need, error) {
	n, err := scanNeed(q.QueryRowContext(ctx, needCols+" WHERE n.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, notFound()
	}
	if err != nil {
		return n, fmt.Errorf("scenario: need %d: %w", id, err)
	}
	if err := s.openNeed(&n); err != nil {
		return n, err
	}
	ns := []*Need{&n}
	if err := s.fillChains(ctx, q, ns); err != nil {
		return n, err
	}
	rows, err := q.QueryContext(ctx, "SELECT phase, on_date, at, actor FROM scenario_phases WHERE need_id = $1 ORDER BY at, phase", id)
	if err != nil {
		return n, fmt.Errorf("scenario: phases of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p PhaseDate
		if err := rows.Scan(&p.Phase, &p.On, &p.At, &p.Actor); err != nil {
			return n, err
		}
		n.Phases = append(n.Phases, p)
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	n.Files, err = s.files(ctx, q, id, 0)
	return n, err
}

// needFor reads need id for v: contact details only for signed-in
// callers. Errors: NotFound when v may not know of it.
func (s *Service) needFor(ctx context.Context, v Viewer, id int64) (Need, error) {
	n, err := s.need(ctx, s.DB.R, id)
	if err != nil {
		return n, err
	}
	if !v.canRead(n) {
		return Need{}, notFound()
	}
	if v.UserID == 0 {
		n.ContactName, n.ContactPhone = "", ""
	}
	return n, nil
}

// Need reads one call or need as v may see it. Errors: NotFound.
func (s *Service) Need(ctx context.Context, v Viewer, id int64) (Need, error) {
	return s.needFor(ctx, v, id)
}

// fillChains adds each need's chains, in one query.
func (s *Service) fillChains(ctx context.Context, q db.Querier, ns []*Need) error {
	if len(ns) == 0 {
		return nil
	}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return err
	}
	return fillChainsFrom(ctx, q, ns, tree)
}

// fillChainsFrom is fillChains with the chain tree at hand.
func fillChainsFrom(ctx context.Context, q db.Querier, ns []*Need, tree []enterprise.ChainNode) error {
	if len(ns) == 0 {
		return nil
	}
	byID := make(map[int64]*Need, len(ns))
	ids := make([]string, len(ns))
	for i, n := range ns {
		byID[n.ID] = n
		ids[i] = strconv.FormatInt(n.ID, 10)
	}
	nodes := make(map[int64]ChainRef, len(tree))
	for _, c := range tree {
		nodes[c.ID] = ChainRef{ID: c.ID, Code: c.Code, NameZH: c.NameZH, NameEN: c.NameEN}
	}
	rows, err := q.QueryContext(ctx, "SELECT need_id, node_id FROM scenario_need_chains WHERE need_id IN ("+strings.Join(ids, ",")+") ORDER BY need_id, node_id")
	if err != nil {
		return fmt.Errorf("scenario: chains: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var nid, cid int64
		if err := rows.Scan(&nid, &cid); err != nil {
			return err
		}
		if n := byID[nid]; n != nil {
			n.Chains = append(n.Chains, nodes[cid])
		}
	}
	return rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
