package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// Input is what a form, the API or an import row gives to create or change
// an enterprise. Area is a unit code; Chains are chain-node codes.
type Input struct {
	CreditCode    string   `json:"credit_code"`
	CodeException string   `json:"code_exception,omitempty"` // staff's reason to accept a code that fails a check
	Name          string   `json:"name"`
	FormerNames   []string `json:"former_names,omitempty"`
	LegalForm     string   `json:"legal_form,omitempty"`
	RegisteredOn  string   `json:"registered_on,omitempty"`
	CapitalFen    int64    `json:"registered_capital_fen,omitempty"`
	Area          string   `json:"area,omitempty"`
	Address       string   `json:"address,omitempty"`
	IndustryCode  string   `json:"industry_code,omitempty"`
	Chains        []string `json:"chains,omitempty"`
	Status        Status   `json:"status,omitempty"`
	Version       int      `json:"version,omitempty"` // for updates: the version read, 0 to skip the check
}

// resolved is an Input checked against the catalogues.
type resolved struct {
	in       Input
	areaID   int64
	chainIDs []int64
}

// catalog is what validation looks things up in: units, the chain tree and
// the industry codes, loaded once per call or per import.
type catalog struct {
	unitByCode map[string]int64
	unitByName map[string]int64
	tree       []ChainNode
	chainIdx   map[string]int64 // code, Chinese name and lower-case English name
	industries industrySet
	indicators []Indicator
	indByCode  map[string]Indicator
}

func (s *Service) catalog(ctx context.Context) (*catalog, error) {
	c := &catalog{unitByCode: map[string]int64{}, unitByName: map[string]int64{}, chainIdx: map[string]int64{}, indByCode: map[string]Indicator{}}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		c.unitByCode[u.Code] = u.ID
		c.unitByName[u.NameZH] = u.ID
	}
	if c.tree, err = s.ChainTree(ctx); err != nil {
		return nil, err
	}
	for _, n := range c.tree {
		c.chainIdx[n.Code] = n.ID
		c.chainIdx[n.NameZH] = n.ID
		if n.NameEN != "" {
			c.chainIdx[strings.ToLower(n.NameEN)] = n.ID
		}
	}
	if c.industries, err = s.industrySet(ctx); err != nil {
		return nil, err
	}
	if c.indicators, err = s.Indicators(ctx); err != nil {
		return nil, err
	}
	for _, i := range c.indicators {
		c.indByCode[i.Code] = i
	}
	return c, nil
}

func (c *catalog) chain(s string) int64 {
	s = strings.TrimSpace(s)
	if id, ok := c.chainIdx[s]; ok {
		return id
	}
	return c.chainIdx[strings.ToLower(s)]
}

func (c *catalog) area(s string) int64 {
	s = strings.TrimSpace(s)
	if id, ok := c.unitByCode[s]; ok {
		return id
	}
	return c.unitByName[s]
}

// validate checks and normalises in, returning every bad field. today is
// the date after which a registration date is refused.
func (s *Service) validate(ctx context.Context, in Input, today string) (resolved, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return resolved{}, err
	}
	r, bad := c.validate(in, today)
	if len(bad) > 0 {
		return r, errs.List("企业信息有误", "the enterprise record has errors", bad)
	}
	return r, nil
}

func (c *catalog) validate(in Input, today string) (resolved, []errs.Detail) {
	var bad []errs.Detail
	add := func(field, value, zh, en string) {
		bad = append(bad, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	r := resolved{in: in}
	code, err := uscc.Parse(in.CreditCode)
	if err != nil {
		var ue *uscc.Error
		errors.As(err, &ue)
		in.CodeException = strings.TrimSpace(in.CodeException)
		checkOnly := ue.Reason == uscc.OrgCheck || ue.Reason == uscc.FinalCheck
		if checkOnly {
			if _, serr := uscc.ParseShape(code); serr != nil {
				checkOnly = false
			}
		}
		switch {
		case checkOnly && in.CodeException == "":
			add("credit_code", in.CreditCode, ue.ZH()+"（如该代码确为登记机关核发，工作人员可填写接受理由后登记）", ue.EN()+" (if the registry really issued it, staff may accept it with a recorded reason)")
		case !checkOnly:
			add("credit_code", in.CreditCode, ue.ZH(), ue.EN())
		}
	} else {
		in.CodeException = ""
	}
	in.CreditCode = code
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		add("name", "", "请填写企业名称", "name is required")
	}
	var names []string
	for _, n := range in.FormerNames {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	in.FormerNames = names
	in.LegalForm, in.Address = strings.TrimSpace(in.LegalForm), strings.TrimSpace(in.Address)
	if in.RegisteredOn != "" {
		d, derr := ParseDate(in.RegisteredOn)
		switch {
		case derr != nil:
			add("registered_on", in.RegisteredOn, derr.zh, derr.en)
		case d > today:
			add("registered_on", in.RegisteredOn, "成立日期晚于今天", "registration date is in the future")
		default:
			in.RegisteredOn = d
		}
	}
	if in.CapitalFen < 0 {
		add("registered_capital_fen", strconv.FormatInt(in.CapitalFen, 10), "注册资本不能为负数", "registered capital cannot be negative")
	} else if !money.Credible(in.CapitalFen) {
		add("registered_capital_fen", strconv.FormatInt(in.CapitalFen, 10), "注册资本"+errNotCredible.zh, "registered capital: "+errNotCredible.en)
	}
	if in.Status == "" {
		in.Status = Operating
	}
	if !in.Status.Valid() {
		add("status", string(in.Status), "状态无效（存续、迁出或注销）", "status must be operating, moved_out or deregistered")
	}
	in.IndustryCode = NormalizeIndustry(in.IndustryCode)
	if in.IndustryCode != "" {
		if _, d := c.industries.check(in.IndustryCode); d != nil {
			add("industry_code", in.IndustryCode, d.Reason, d.ReasonEN)
		}
	}
	if in.Area = strings.TrimSpace(in.Area); in.Area != "" {
		if r.areaID = c.area(in.Area); r.areaID == 0 {
			add("area", in.Area, "所属办事处（单位）不存在："+in.Area, "office area (unit) not found: "+in.Area)
		}
	}
	for _, ch := range in.Chains {
		id := c.chain(ch)
		if id == 0 {
			add("chains", ch, "产业链节点不存在："+ch, "unknown industry-chain node: "+ch)
			continue
		}
		if !contains(r.chainIDs, id) {
			r.chainIDs = append(r.chainIDs, id)
		}
	}
	r.in = in
	return r, bad
}

func chainByCodeOrName(tree []ChainNode, s string) int64 {
	s = strings.TrimSpace(s)
	for _, n := range tree {
		if n.Code == s || n.NameZH == s || (n.NameEN != "" && strings.EqualFold(n.NameEN, s)) {
			return n.ID
		}
	}
	return 0
}

// Today is the current date in China time, YYYY-MM-DD.
func Today() string { return time.Now().In(db.CST).Format("2006-01-02") }

// Today is the registry's date in China time, YYYY-MM-DD, on its clock.
func (s *Service) Today() string {
	if s.Now == nil {
		return Today()
	}
	return s.Now().In(db.CST).Format("2006-01-02")
}

// nowMS is the registry's clock in Unix milliseconds: what its records are
// stamped with.
func (s *Service) nowMS() int64 {
	if s.Now == nil {
		return db.Now()
	}
	return s.Now().UnixMilli()
}

// Create adds an enterprise. Errors: Forbidden (not staff who write),
// Invalid (every bad field named; a credit code already registered is
// named on credit_code).
func (s *Service) Create(ctx context.Context, v Viewer, in Input) (Enterprise, error) {
	if !v.Writes() {
		return Enterprise{}, errNoWrite
	}
	r, err := s.validate(ctx, in, s.Today())
	if err != nil {
		return Enterprise{}, err
	}
	in = r.in
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprises (credit_code, code_exception, name, former_names, legal_form, registered_on,
			registered_capital_fen, area_unit_id, address, industry_code, status, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) RETURNING id`,
			in.CreditCode, in.CodeException, in.Name, strings.Join(in.FormerNames, "\n"), in.LegalForm, in.RegisteredOn,
			in.CapitalFen, nullID(r.areaID), in.Address, in.IndustryCode, string(in.Status), now).Scan(&id)
		if isUnique(err) {
			return errs.Field("credit_code", "该统一社会信用代码已登记："+in.CreditCode, "credit code already registered: "+in.CreditCode)
		}
		if err != nil {
			return fmt.Errorf("enterprise: create: %w", err)
		}
		if err := setChains(ctx, tx, id, r.chainIDs); err != nil {
			return err
		}
		if err := s.stampNames(ctx, tx, []int64{id}); err != nil {
			return err
		}
		after, err := getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.feed(ctx, tx, []int64{id}, 0); err != nil {
			return err
		}
		return s.record(ctx, tx, id, "enterprise.create", nil, after)
	})
	if err != nil {
		return Enterprise{}, err
	}
	return s.get(ctx, id)
}

// Update changes an enterprise. Staff who write change every field; an
// enterprise account changes only its own former names, legal form and
// address. A stale Version gives Conflict. Errors: Forbidden, NotFound,
// Invalid, Conflict.
func (s *Service) Update(ctx context.Context, v Viewer, id int64, in Input) (Enterprise, error) {
	cur, err := s.Get(ctx, v, id)
	if err != nil {
		return Enterprise{}, err
	}
	if !v.Writes() {
		if v.Role != org.Enterprise || v.EnterpriseID != id {
			return Enterprise{}, errNoWrite
		}
		// An enterprise keeps its registry facts; it edits the rest.
		keep := inputOf(cur)
		keep.FormerNames, keep.LegalForm, keep.Address, keep.Version = in.FormerNames, in.LegalForm, in.Address, in.Version
		in = keep
	}
	if in.CodeException == "" && in.CreditCode == cur.CreditCode {
		in.CodeException = cur.CodeException
	}
	r, err := s.validate(ctx, in, s.Today())
	if err != nil {
		return Enterprise{}, err
	}
	in = r.in
	err = s.tx(ctx, func(tx *sql.Tx) error {
		before, err := getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != before.Version {
			return errs.New(errs.Conflict, "该企业已被他人修改，请刷新后重试", "the enterprise was changed by someone else; reload and try again")
		}
		_, err = tx.ExecContext(ctx, `UPDATE enterprises SET credit_code = $1, code_exception = $2, name = $3, former_names = $4, legal_form = $5,
			registered_on = $6, registered_capital_fen = $7, area_unit_id = $8, address = $9, industry_code = $10, status = $11,
			version = version + 1, updated_at = $12 WHERE id = $13`,
			in.CreditCode, in.CodeException, in.Name, strings.Join(in.FormerNames, "\n"), in.LegalForm, in.RegisteredOn, in.CapitalFen,
			nullID(r.areaID), in.Address, in.IndustryCode, string(in.Status), s.nowMS(), id)
		if isUnique(err) {
			return errs.Field("credit_code", "该统一社会信用代码已登记："+in.CreditCode, "credit code already registered: "+in.CreditCode)
		}
		if err != nil {
			return fmt.Errorf("enterprise: update: %w", err)
		}
		if err := s.stampNames(ctx, tx, []int64{id}); err != nil {
			return err
		}
		if v.Writes() && in.Chains != nil {
			if err := setChains(ctx, tx, id, r.chainIDs); err != nil {
				return err
			}
		}
		after, err := getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.feed(ctx, tx, []int64{id}, 0); err != nil {
			return err
		}
		return s.record(ctx, tx, id, "enterprise.update", before, after)
	})
	if err != nil {
		return Enterprise{}, err
	}
	return s.get(ctx, id)
}

func inputOf(e Enterprise) Input {
	in := Input{CreditCode: e.CreditCode, CodeException: e.CodeException, Name: e.Name, FormerNames: e.FormerNames,
		LegalForm: e.LegalForm, RegisteredOn: e.RegisteredOn, CapitalFen: e.CapitalFen, Area: e.AreaCode, Address: e.Address,
		IndustryCode: e.IndustryCode, Status: e.Status, Version: e.Version}
	in.Chains = []string{}
	for _, c := range e.Chains {
		in.Chains = append(in.Chains, c.Code)
	}
	return in
}

func setChains(ctx context.Context, tx *sql.Tx, id int64, nodes []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_chains WHERE enterprise_id = $1", id); err != nil {
		return fmt.Errorf("enterprise: chains: %w", err)
	}
	for _, n := range nodes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO enterprise_chains (enterprise_id, node_id) VALUES ($1, $2)", id, n); err != nil {
			return fmt.Errorf("enterprise: chains: %w", err)
		}
	}
	return nil
}

// record writes a history row and the audit row of one change.
func (s *Service) record(ctx context.Context, tx *sql.Tx, id int64, action string, before, after any) error {
	a := audit.ActorFrom(ctx)
	bj, aj, err := marshal2(before, after)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_history (enterprise_id, at, actor_id, actor, action, before_json, after_json)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, id, s.nowMS(), nullID(a.ID), a.Name, action, bj, aj); err != nil {
		return fmt.Errorf("enterprise: history: %w", err)
	}
	return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: action, ObjectType: "enterprise", ObjectID: strconv.FormatInt(id, 10), Before: before, After: after})
}

const entCols = `e.id, e.credit_code, e.code_exception, e.name, e.former_names, e.legal_form, e.registered_on, e.registered_capital_fen,
	COALESCE(e.area_unit_id, 0), COALESCE(u.code, ''), COALESCE(u.name_zh, ''), e.address, e.industry_code, e.status, e.synthetic,
	e.version, e.created_at, e.updated_at, COALESCE(ic.name_zh, ic3.name_zh, ic2.name_zh, '')`

// entFrom joins the office area and the most specific name of the industry
// code: the code's own entry (小类, 中类, 大类 or 门类); for a code stored
// before codes were checked exactly and not in the classification, the
// name of its longest known prefix.
const entFrom = ` FROM enterprises e LEFT JOIN units u ON u.id = e.area_unit_id
	LEFT JOIN industry_codes ic ON ic.code = e.industry_code
	LEFT JOIN industry_codes ic3 ON ic.code IS NULL AND length(e.industry_code) = 4 AND ic3.code = substr(e.industry_code, 1, 3)
	LEFT JOIN industry_codes ic2 ON ic.code IS NULL AND length(e.industry_code) > 2 AND ic2.code = substr(e.industry_code, 1, 2)`

type scanner interface{ Scan(...any) error }

func scanEnterprise(sc scanner) (Enterprise, error) {
	var e Enterprise
	var former, status string
	err := sc.Scan(&e.ID, &e.CreditCode, &e.CodeException, &e.Name, &former, &e.LegalForm, &e.RegisteredOn, &e.CapitalFen,
		&e.AreaUnitID, &e.AreaCode, &e.AreaName, &e.Address, &e.IndustryCode, &status, &e.Synthetic, &e.Version, &e.CreatedAt, &e.UpdatedAt, &e.IndustryName)
	e.Status = Status(status)
	e.FormerNames = []string{}
	if former != "" {
		e.FormerNames = strings.Split(former, "\n")
	}
	e.Chains = []ChainRef{}
	return e, err
}

func getTx(ctx context.Context, q db.Querier, id int64) (Enterprise, error) {
	e, err := scanEnterprise(q.QueryRowContext(ctx, "SELECT "+entCols+entFrom+" WHERE e.id = $1", id))
	if err == sql.ErrNoRows {
		return e, errNotFound
	}
	if err != nil {
		return e, fmt.Errorf("enterprise: get %d: %w", id, err)
	}
	if err := fillChains(ctx, q, []*Enterprise{&e}); err != nil {
		return e, err
	}
	return e, nil
}

// fillChains loads the chain nodes of the given enterprises in one query.
func fillChains(ctx context.Context, q db.Querier, es []*Enterprise) error {
	if len(es) == 0 {
		return nil
	}
	idx := map[int64]*Enterprise{}
	var ph []string
	var args []any
	for i, e := range es {
		idx[e.ID] = e
		ph = append(ph, "$"+strconv.Itoa(i+1))
		args = append(args, e.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT c.enterprise_id, n.id, n.code, n.name_zh FROM enterprise_chains c
		JOIN chain_nodes n ON n.id = c.node_id WHERE c.enterprise_id IN (`+strings.Join(ph, ",")+`) ORDER BY c.enterprise_id, n.sort, n.id`, args...)
	if err != nil {
		return fmt.Errorf("enterprise: chains: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var c ChainRef
		if err := rows.Scan(&eid, &c.ID, &c.Code, &c.NameZH); err != nil {
			return err
		}
		idx[eid].Chains = append(idx[eid].Chains, c)
	}
	return rows.Err()
}

func (s *Service) get(ctx context.Context, id int64) (Enterprise, error) {
	return getTx(ctx, db.Reader{D: s.DB}, id)
}

// Get returns an enterprise v may read. An enterprise v may not know of is
// NotFound, as is one that does not exist. Errors: Forbidden (no registry
// access at all), NotFound.
func (s *Service) Get(ctx context.Context, v Viewer, id int64) (Enterprise, error) {
	if !v.Reads() {
		return Enterprise{}, errNoAccess
	}
	e, err := s.get(ctx, id)
	if err != nil {
		return e, err
	}
	if !v.canRead(e) {
		return Enterprise{}, errNotFound
	}
	return e, nil
}

// ByCode returns the enterprise with a credit code (normalised first).
// Errors as Get.
func (s *Service) ByCode(ctx context.Context, v Viewer, code string) (Enterprise, error) {
	var id int64
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id FROM enterprises WHERE credit_code = $1", uscc.Normalize(code)).Scan(&id)
	if err == sql.ErrNoRows {
		return Enterprise{}, errNotFound
	}
	if err != nil {
		return Enterprise{}, err
	}
	return s.Get(ctx, v, id)
}

// LinkAccount makes an enterprise-role account belong to an enterprise.
// Errors: Forbidden, NotFound, Invalid (the account is not an enterprise
// account).
func (s *Service) LinkAccount(ctx context.Context, v Viewer, id int64, username string) error {
	if !v.Writes() {
		return errNoWrite
	}
	if _, err := s.Get(ctx, v, id); err != nil {
		return err
	}
	u, err := s.Org.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.Role != org.Enterprise {
		return errs.Field("username", "只能关联企业角色的账号", "only an enterprise-role account can be linked")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET enterprise_id = $1, updated_at = $2 WHERE id = $3", id, s.nowMS(), u.ID); err != nil {
			return fmt.Errorf("enterprise: link account: %w", err)
		}
		return s.record(ctx, tx, id, "enterprise.account.link", map[string]int64{"enterprise_id": u.EnterpriseID},
			map[string]any{"user": u.Username, "enterprise_id": id})
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func isUnique(err error) bool { return db.IsUniqueViolation(err) }
