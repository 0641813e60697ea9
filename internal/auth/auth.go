// Package auth signs people in: password login with account lockout and a
// per-IP throttle, database-held sessions, and API tokens for scripts.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Config holds the login and session limits.
type Config struct {
	MaxFailures     int           // consecutive failures that lock an account (5)
	LockFor         time.Duration // how long a lock lasts (15 min)
	IPWindow        time.Duration // window of the per-IP throttle (15 min)
	IPMaxFailures   int           // failures from one IP in the window before it is throttled (20)
	SessionIdle     time.Duration // idle timeout (30 min)
	SessionAbsolute time.Duration // absolute lifetime (12 h)
}

// DefaultConfig is the configuration the issue text names.
var DefaultConfig = Config{MaxFailures: 5, LockFor: 15 * time.Minute, IPWindow: 15 * time.Minute, IPMaxFailures: 20,
	SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour}

// Service authenticates users.
type Service struct {
	DB    *db.DB
	Org   *org.Service
	Audit *audit.Log
	Cfg   Config
	Now   func() time.Time // for tests; time.Now by default
}

// New returns a Service with DefaultConfig.
func New(d *db.DB, o *org.Service, a *audit.Log) *Service {
	return &Service{DB: d, Org: o, Audit: a, Cfg: DefaultConfig, Now: time.Now}
}

func (s *Service) now() int64 { return s.Now().UnixMilli() }

// hashToken is how session and API tokens are stored: only their SHA-256.
func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// dummyHash is checked against when the username is unknown, so that an
// unknown name costs as much time as a wrong password.
var dummyHash, _ = org.HashPassword("gaoxin-no-such-user", org.DefaultArgon2)

// Login checks a username and password from ip. On success it returns a new
// session token (to put in the cookie) and the user. Errors: Unauthorized
// (wrong name or password, disabled), Locked (with Retry), RateLimited (too
// many failures from ip, with Retry).
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, org.User, error) {
	now := s.now()
	ctx = audit.WithActor(ctx, audit.Actor{Name: username, IP: ip})
	var fails int
	since := now - s.Cfg.IPWindow.Milliseconds()
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2", ip, since).Scan(&fails); err != nil {
		return "", org.User{}, fmt.Errorf("auth: throttle: %w", err)
	}
	if fails >= s.Cfg.IPMaxFailures {
		s.Audit.Record(ctx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: username, Outcome: audit.Refused, After: map[string]string{"reason": "ip_throttled"}})
		e := errs.New(errs.RateLimited, "此地址登录失败次数过多，请稍后再试", "too many failed logins from this address; try again later")
		e.Retry = (now + s.Cfg.IPWindow.Milliseconds()) / 1000
		return "", org.User{}, e
	}
	u, err := s.Org.UserByUsername(ctx, username)
	known := err == nil
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return "", org.User{}, err
	}
	if known && u.LockedUntil > now {
		s.Audit.Record(ctx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Outcome: audit.Refused, After: map[string]string{"reason": "locked"}})
		return "", org.User{}, lockedError(u.LockedUntil)
	}
	hash := dummyHash
	if known {
		hash = u.PasswordHash
	}
	ok := org.CheckPassword(password, hash) && known && !u.Disabled
	if !ok {
		return "", org.User{}, s.fail(ctx, u, known, ip, now)
	}
	tok := newToken("")
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1,$2,$3,$3,$4,$5,$6)`, hashToken(tok), u.ID, now, now+s.Cfg.SessionAbsolute.Milliseconds(), ip, truncate(userAgent, 200)); err != nil {
			return err
		}
		actx := audit.WithActor(ctx, audit.Actor{ID: u.ID, Name: u.Username, IP: ip})
		return s.Audit.RecordTx(actx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
	if err != nil {
		return "", org.User{}, fmt.Errorf("auth: login: %w", err)
	}
	u.FailedLogins, u.LockedUntil = 0, 0
	return tok, u, nil
}

func lockedError(until int64) error {
	t := time.UnixMilli(until).In(db.CST).Format("15:04")
	e := errs.New(errs.Locked, "账号因连续登录失败已锁定，"+t+" 后可再试", "account locked after repeated failed logins; try again after "+t+" (UTC+8)")
	e.Retry = until / 1000
	return e
}

// fail records a failed login: per IP always, per account when the account
// exists, locking it at the configured count.
func (s *Service) fail(ctx context.Context, u org.User, known bool, ip string, now int64) error {
	var lockedUntil int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (ip, at) VALUES ($1, $2)", ip, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < $1", now-24*time.Hour.Milliseconds()); err != nil {
			return err
		}
		objID := "unknown"
		detail := map[string]any{"reason": "bad_credentials"}
		if known {
			objID = strconv.FormatInt(u.ID, 10)
			var n int
			if err := tx.QueryRowContext(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins", u.ID).Scan(&n); err != nil {
				return err
			}
			detail["consecutive_failures"] = n
			if n >= s.Cfg.MaxFailures {
				lockedUntil = now + s.Cfg.LockFor.Milliseconds()
				if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2", lockedUntil, u.ID); err != nil {
					return err
				}
				detail["locked_until"] = lockedUntil
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: objID, Outcome: audit.Failed, After: detail})
	})
	if err != nil {
		return fmt.Errorf("auth: record failure: %w", err)
	}
	if lockedUntil != 0 {
		return lockedError(lockedUntil)
	}
	return errs.New(errs.Unauthorized, "用户名或密码错误", "wrong username or password")
}

// sessionUserSQL reads a session's user (prepared once: every request).
var sessionUserSQL = strings.Replace(org.UserSelect, " FROM ", ", s.last_seen_at, s.expires_at FROM ", 1) +
	" JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1"

// Session returns the user of a session token, extending its idle timer.
// Errors: Unauthorized (unknown, idle, expired, or the user disabled).
func (s *Service) Session(ctx context.Context, tok string) (org.User, string, error) {
	if tok == "" {
		return org.User{}, "", errs.New(errs.Unauthorized, "请先登录", "please sign in")
	}
	h := hashToken(tok)
	now := s.now()
	var lastSeen, expires int64
	st, err := s.DB.Prepared(ctx, sessionUserSQL)
	if err != nil {
		return org.User{}, "", fmt.Errorf("auth: session: %w", err)
	}
	u, err := scanUserWith(st.QueryRowContext(ctx, h), &lastSeen, &expires)
	if err == sql.ErrNoRows || (err == nil && (expires <= now || lastSeen+s.Cfg.SessionIdle.Milliseconds() <= now || u.Disabled)) {
		if err == nil {
			s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", h)
		}
		return org.User{}, "", errs.New(errs.Unauthorized, "登录已过期，请重新登录", "session expired; please sign in again")
	}
	if err != nil {
		return org.User{}, "", fmt.Errorf("auth: session: %w", err)
	}
	if now-lastSeen > 60_000 { // touch at most once a minute
		if _, err := s.DB.W.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", now, h); err != nil {
			return org.User{}, "", fmt.Errorf("auth: touch session: %w", err)
		}
	}
	return u, h, nil
}

func scanUserWith(row *sql.Row, extra ...any) (org.User, error) {
	var u org.User
	var role string
	dest := []any{&u.ID, &u.Username, &u.DisplayName, &role, &u.UnitID, &u.UnitCode, &u.UnitName,
		&u.Disabled, &u.LockedUntil, &u.FailedLogins, &u.PasswordHash, &u.CreatedAt, &u.EnterpriseID, &u.UnitScope}
	err := row.Scan(append(dest, extra...)...)
	u.Role = org.Role(role)
	return u, err
}

// Logout revokes a session token.
func (s *Service) Logout(ctx context.Context, tok string) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", hashToken(tok))
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	return s.Audit.Record(ctx, audit.Entry{Action: "auth.logout"})
}

// PurgeSessions deletes expired sessions; run from the scheduler.
func (s *Service) PurgeSessions(ctx context.Context) error {
	now := s.now()
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2", now, now-s.Cfg.SessionIdle.Milliseconds())
	return err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
