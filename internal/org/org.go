// Package org keeps the zone's units (单位) and the user accounts that belong
// to them, with their roles and password hashes.
package org

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Role is what a user may do; see DESIGN.md.
type Role string

const (
	Admin      Role = "admin"      // platform operator
	Leader     Role = "leader"     // 党工委/管委会 leadership: reads everything
	Supervisor Role = "supervisor" // 督查室/经发局 staff
	UnitStaff  Role = "unit"       // staff of a responsible unit
	Enterprise Role = "enterprise" // a registered company's account
	Reviewer   Role = "reviewer"   // review panel expert
	// Investor is an investment institution's or bank's account (投资机构);
	// the finance module keeps which institution it acts for.
	Investor Role = "investor"
	// SecAdmin (安全管理员) and Auditor (审计管理员) take the security and
	// the audit duties off the administrator when the zone separates the
	// three administrators (等保 三员分立, web.Config.SeparateAdmins): the
	// security administrator disables and enables accounts, the audit
	// administrator reads, exports and verifies the audit trail.
	SecAdmin Role = "secadmin"
	Auditor  Role = "auditor"
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Leader, Supervisor, UnitStaff, Enterprise, Reviewer, Investor, SecAdmin, Auditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label returns the role's name in Chinese and English.
func (r Role) Label() (zh, en string) {
	switch r {
	case Admin:
		return "系统管理员", "Administrator"
	case Leader:
		return "领导", "Leader"
	case Supervisor:
		return "督查/经发人员", "Supervisor"
	case UnitStaff:
		return "责任单位", "Unit staff"
	case Enterprise:
		return "企业", "Enterprise"
	case Reviewer:
		return "评审专家", "Reviewer"
	case Investor:
		return "金融机构", "Investor"
	case SecAdmin:
		return "安全管理员", "Security administrator"
	case Auditor:
		return "审计管理员", "Audit administrator"
	}
	return string(r), string(r)
}

// UnitKinds are the kinds of unit, as the zone names them.
var UnitKinds = []string{"党工委管委会", "内设机构", "办事处", "园区", "派驻机构", "国有企业", "企业"}

// A unit's registry scope says which enterprises its staff read in the
// enterprise registry (企业库).
const (
	// ScopeZone is a zone-wide department (经济发展局, 科技创新局, 统计局…):
	// it reads every enterprise's confirmed data.
	ScopeZone = "zone"
	// ScopeArea is an office area (办事处) or park: it reads the
	// enterprises of its own area.
	ScopeArea = "area"
)

// RegistryScopes lists the scopes in display order.
var RegistryScopes = []string{ScopeZone, ScopeArea}

// ScopeLabel returns a registry scope in Chinese and English.
func ScopeLabel(scope string) (zh, en string) {
	switch scope {
	case ScopeZone:
		return "全区（读取全部企业）", "zone-wide (all enterprises)"
	case ScopeArea:
		return "本辖区（读取本区域企业）", "own area (its area's enterprises)"
	}
	return scope, scope
}

// DefaultScope is the registry scope a unit of kind takes unless told
// otherwise: the leadership, internal bureaus and stationed agencies work
// zone-wide; office areas, parks and companies for their own area.
func DefaultScope(kind string) string {
	switch kind {
	case "党工委管委会", "内设机构", "派驻机构":
		return ScopeZone
	}
	return ScopeArea
}

func validScope(s string) bool { return s == ScopeZone || s == ScopeArea }

// Unit is an organisation in the zone: an office, a sub-district, a park, a
// state-owned group, or an enterprise.
type Unit struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en"`
	Kind     string `json:"kind"`
	ParentID int64  `json:"parent_id,omitempty"`
	// RegistryScope is ScopeZone or ScopeArea ("" on create: the kind's
	// DefaultScope).
	RegistryScope string `json:"registry_scope"`
	Disabled      bool   `json:"disabled"`
	CreatedAt     int64  `json:"created_at"`
}

// User is an account. The password hash never leaves this package's callers
// in JSON.
type User struct {
	ID           int64  `json:"id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Role         Role   `json:"role"`
	UnitID       int64  `json:"unit_id,omitempty"`
	UnitCode     string `json:"unit,omitempty"`
	UnitName     string `json:"unit_name,omitempty"`
	UnitScope    string `json:"unit_scope,omitempty"`    // the unit's RegistryScope
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // enterprise accounts: the enterprise they belong to
	Disabled     bool   `json:"disabled"`
	LockedUntil  int64  `json:"locked_until,omitempty"`
	FailedLogins int    `json:"-"`
	PasswordHash string `json:"-"`
	CreatedAt    int64  `json:"created_at"`
	// PasswordChangedAt is when the password was last set (Unix ms).
	PasswordChangedAt int64 `json:"password_changed_at"`
}

// Service manages units and users.
type Service struct {
	DB     *db.DB
	Audit  *audit.Log
	Policy PasswordPolicy
	Argon  Argon2Params
}

// New returns a Service with the default password policy and argon2 cost.
func New(d *db.DB, a *audit.Log) *Service {
	return &Service{DB: d, Audit: a, Policy: PasswordPolicy{MinLength: 12}, Argon: DefaultArgon2}
}

var codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// CreateUnit adds a unit. Errors: Invalid (field named), Conflict (code taken).
func (s *Service) CreateUnit(ctx context.Context, u Unit) (Unit, error) {
	u.Code = strings.TrimSpace(u.Code)
	u.NameZH = strings.TrimSpace(u.NameZH)
	u.NameEN = strings.TrimSpace(u.NameEN)
	switch {
	case !codeRe.MatchString(u.Code):
		return u, errs.Field("code", "单位代码须为 1–40 位字母、数字、-、_ 或 .", "unit code must be 1–40 letters, digits, -, _ or .")
	case u.NameZH == "":
		return u, errs.Field("name_zh", "请填写单位中文名称", "Chinese name is required")
	case !validKind(u.Kind):
		return u, errs.Field("kind", "单位类型无效："+u.Kind, "unknown unit kind: "+u.Kind)
	}
	if u.RegistryScope == "" {
		u.RegistryScope = DefaultScope(u.Kind)
	}
	if !validScope(u.RegistryScope) {
		return u, errs.Field("registry_scope", "企业库范围无效："+u.RegistryScope, "unknown registry scope: "+u.RegistryScope)
	}
	u.CreatedAt = db.Now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var parent any
		if u.ParentID != 0 {
			parent = u.ParentID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name_zh, name_en, kind, parent_id, registry_scope, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, u.Code, u.NameZH, u.NameEN, u.Kind, parent, u.RegistryScope, u.CreatedAt).Scan(&u.ID)
		if db.IsUniqueViolation(err) {
			return errs.Field("code", "单位代码已存在："+u.Code, "unit code already exists: "+u.Code)
		}
		if db.IsForeignKeyViolation(err) {
			return errs.Field("parent_id", "上级单位不存在", "parent unit does not exist")
		}
		if err != nil {
			return fmt.Errorf("org: create unit: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "unit.create", ObjectType: "unit", ObjectID: strconv.FormatInt(u.ID, 10), After: u})
	})
	if err != nil {
		var zero Unit
		return zero, err
	}
	return u, nil
}

func validKind(k string) bool {
	for _, x := range UnitKinds {
		if k == x {
			return true
		}
	}
	return false
}

const unitCols = "id, code, name_zh, name_en, kind, COALESCE(parent_id, 0), registry_scope, disabled, created_at"

func scanUnit(sc interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	err := sc.Scan(&u.ID, &u.Code, &u.NameZH, &u.NameEN, &u.Kind, &u.ParentID, &u.RegistryScope, &u.Disabled, &u.CreatedAt)
	return u, err
}

// Units lists units ordered by kind order then code.
func (s *Service) Units(ctx context.Context) ([]Unit, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+unitCols+" FROM units ORDER BY code LIMIT 5000")
	if err != nil {
		return nil, fmt.Errorf("org: list units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UnitByCode returns a unit. Errors: NotFound.
func (s *Service) UnitByCode(ctx context.Context, code string) (Unit, error) {
	u, err := scanUnit(s.DB.R.QueryRowContext(ctx, "SELECT "+unitCols+" FROM units WHERE code = $1", code))
	if err == sql.ErrNoRows {
		return u, errs.New(errs.NotFound, "单位不存在："+code, "unit not found: "+code)
	}
	return u, err
}

// UnitByID returns a unit. Errors: NotFound.
func (s *Service) UnitByID(ctx context.Context, id int64) (Unit, error) {
	u, err := scanUnit(s.DB.R.QueryRowContext(ctx, "SELECT "+unitCols+" FROM units WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return u, errs.New(errs.NotFound, "单位不存在", "unit not found")
	}
	return u, err
}

// SetUnitDisabled disables or re-enables a unit. Errors: NotFound.
func (s *Service) SetUnitDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE units SET disabled = $1 WHERE id = $2", disabled, id)
		if err != nil {
			return fmt.Errorf("org: disable unit: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "单位不存在", "unit not found")
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "unit.set_disabled", ObjectType: "unit",
			ObjectID: strconv.FormatInt(id, 10), After: map[string]bool{"disabled": disabled}})
	})
}

// SetUnitScope changes which enterprises a unit's staff read in the
// registry (ScopeZone or ScopeArea); the change is audited. Errors:
// Invalid, NotFound.
func (s *Service) SetUnitScope(ctx context.Context, id int64, scope string) error {
	if !validScope(scope) {
		return errs.Field("registry_scope", "企业库范围无效："+scope, "unknown registry scope: "+scope)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, "SELECT registry_scope FROM units WHERE id = $1"+s.DB.ForUpdate(), id).Scan(&before)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "单位不存在", "unit not found")
		}
		if err != nil {
			return fmt.Errorf("org: unit scope: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE units SET registry_scope = $1 WHERE id = $2", scope, id); err != nil {
			return fmt.Errorf("org: set unit scope: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "unit.set_registry_scope", ObjectType: "unit",
			ObjectID: strconv.FormatInt(id, 10), Before: map[string]string{"registry_scope": before},
			After: map[string]string{"registry_scope": scope}})
	})
}
