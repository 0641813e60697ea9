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

// NewUser is what it takes to create an account.
type NewUser struct {
	Username    string
	DisplayName string
	Role        Role
	UnitCode    string // required for the unit role; optional otherwise
	Password    string
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{2,39}$`)

// CreateUser adds an account. Errors: Invalid (field named), Conflict
// (username taken), NotFound (unit).
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	nu.Username = strings.ToLower(strings.TrimSpace(nu.Username))
	var u User
	switch {
	case !usernameRe.MatchString(nu.Username):
		return u, errs.Field("username", "用户名须为 3–40 位小写字母、数字、-、_ 或 .", "username must be 3–40 lower-case letters, digits, -, _ or .")
	case !nu.Role.Valid():
		return u, errs.Field("role", "角色无效："+string(nu.Role), "unknown role: "+string(nu.Role))
	case nu.Role == UnitStaff && nu.UnitCode == "":
		return u, errs.Field("unit", "责任单位账号必须属于一个单位", "a unit account must belong to a unit")
	}
	if err := s.Policy.Check(nu.Password); err != nil {
		return u, err
	}
	hash, err := HashPassword(nu.Password, s.Argon)
	if err != nil {
		return u, err
	}
	u = User{Username: nu.Username, DisplayName: strings.TrimSpace(nu.DisplayName), Role: nu.Role, CreatedAt: audit.Stamp(ctx)}
	if nu.UnitCode != "" {
		unit, err := s.UnitByCode(ctx, nu.UnitCode)
		if err != nil {
			return User{}, errs.Field("unit", "单位不存在："+nu.UnitCode, "unit not found: "+nu.UnitCode)
		}
		u.UnitID, u.UnitCode, u.UnitName, u.UnitScope = unit.ID, unit.Code, unit.NameZH, unit.RegistryScope
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var unit any
		if u.UnitID != 0 {
			unit = u.UnitID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, role, unit_id, password_hash, created_at, updated_at, password_changed_at)
			VALUES ($1,$2,$3,$4,$5,$6,$6,$6) RETURNING id`, u.Username, u.DisplayName, string(u.Role), unit, hash, u.CreatedAt).Scan(&u.ID)
		if db.IsUniqueViolation(err) {
			return errs.Field("username", "用户名已存在："+u.Username, "username already exists: "+u.Username)
		}
		if err != nil {
			return fmt.Errorf("org: create user: %w", err)
		}
		u.PasswordChangedAt = u.CreatedAt
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), After: u})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

const userCols = `u.id, u.username, u.display_name, u.role, COALESCE(u.unit_id, 0), COALESCE(n.code, ''), COALESCE(n.name_zh, ''),
	u.disabled, u.locked_until, u.failed_logins, u.password_hash, u.created_at, COALESCE(u.enterprise_id, 0),
	COALESCE(n.registry_scope, ''), u.password_changed_at`

// UserSelect is the SELECT … FROM clause that ScanUser reads; other packages
// (auth) append their own joins and conditions to it.
const UserSelect = "SELECT " + userCols + " FROM users u LEFT JOIN units n ON n.id = u.unit_id"

// ScanUser scans one row selected with UserSelect.
func ScanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var role string
	err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.UnitID, &u.UnitCode, &u.UnitName,
		&u.Disabled, &u.LockedUntil, &u.FailedLogins, &u.PasswordHash, &u.CreatedAt, &u.EnterpriseID, &u.UnitScope, &u.PasswordChangedAt)
	u.Role = Role(role)
	return u, err
}

// UserByUsername returns an account. Errors: NotFound.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := ScanUser(s.DB.R.QueryRowContext(ctx, UserSelect+" WHERE u.username = $1", strings.ToLower(strings.TrimSpace(username))))
	if err == sql.ErrNoRows {
		return u, errs.New(errs.NotFound, "用户不存在："+username, "user not found: "+username)
	}
	return u, err
}

// UserByID returns an account. Errors: NotFound.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := ScanUser(s.DB.R.QueryRowContext(ctx, UserSelect+" WHERE u.id = $1", id))
	if err == sql.ErrNoRows {
		return u, errs.New(errs.NotFound, "用户不存在", "user not found")
	}
	return u, err
}

// Users lists accounts ordered by username.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	rows, err := s.DB.R.QueryContext(ctx, UserSelect+" ORDER BY u.username LIMIT 10000")
	if err != nil {
		return nil, fmt.Errorf("org: list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := ScanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UsersByID returns the accounts of ids by id, in one query; unknown ids
// are absent.
func (s *Service) UsersByID(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var ph []string
	var args []any
	for _, id := range ids {
		args = append(args, id)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	rows, err := s.DB.R.QueryContext(ctx, UserSelect+" WHERE u.id IN ("+strings.Join(ph, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("org: users by id: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := ScanUser(rows)
		if err != nil {
			return nil, err
		}
		out[u.ID] = u
	}
	return out, rows.Err()
}

// SetUserDisabled disables or re-enables an account; disabling ends its
// sessions and revokes its API tokens. Errors: NotFound.
func (s *Service) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3", disabled, db.Now(), id)
		if err != nil {
			return fmt.Errorf("org: disable user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "用户不存在", "user not found")
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0", db.Now(), id); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "user.set_disabled", ObjectType: "user",
			ObjectID: strconv.FormatInt(id, 10), After: map[string]bool{"disabled": disabled}})
	})
}

// SetPassword replaces a password after checking the policy, ends every
// session of the user except keepSession (a session token hash, or ""), and
// clears any lockout. Errors: Invalid, NotFound.
func (s *Service) SetPassword(ctx context.Context, id int64, pw, keepSession string) error {
	if err := s.Policy.Check(pw); err != nil {
		return err
	}
	hash, err := HashPassword(pw, s.Argon)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = 0, updated_at = $2, password_changed_at = $2 WHERE id = $3", hash, db.Now(), id)
		if err != nil {
			return fmt.Errorf("org: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "用户不存在", "user not found")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", id, keepSession); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_locks WHERE user_id = $1", id); err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "user.password", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10)})
	})
}
