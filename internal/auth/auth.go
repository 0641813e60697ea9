// Package auth signs people in: password login with account lockout and a
// per-IP throttle, database-held sessions, and API tokens for scripts.
package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
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

// hashToken is how session and API tokens are stored: only their digest
// under the database's cryptographic mode (SHA-256, or SM3 in the national
// mode; internal/crypt's one rule for kept secrets).
func (s *Service) hashToken(tok string) string { return s.DB.Crypto.Digest(tok) }

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

// badLogin is the one answer to every failed login: a wrong name, a wrong
// password, a disabled account and an account locked from this address all
// read alike, so the answer does not tell which accounts exist or are
// locked.
func (s *Service) badLogin() error {
	m := int(s.Cfg.LockFor / time.Minute)
	return errs.New(errs.Unauthorized,
		fmt.Sprintf("用户名或密码错误（同一账号从同一地址连续失败 %d 次后锁定 %d 分钟）", s.Cfg.MaxFailures, m),
		fmt.Sprintf("wrong username or password (%d failures in a row from one address lock the account there for %d minutes)", s.Cfg.MaxFailures, m))
}

// Login checks a username and password from ip. On success it returns a new
// session token (to put in the cookie) and the user. Errors: Unauthorized
// (the same for a wrong name or password, a disabled account and an
// account locked from ip), RateLimited (too many failures from ip, with
// Retry).
//
// Lockout counts per account and source address: failures from one
// address lock the account from that address only, so nobody can lock an
// administrator out from everywhere; the per-address throttle bounds how
// many accounts one address may try. `gaoxin user unlock` clears a lock.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, org.User, error) {
	now := s.now()
	ctx = audit.WithActor(ctx, audit.Actor{Name: username, IP: ip})
	var fails int
	since := now - s.Cfg.IPWindow.Milliseconds()
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2", ip, since).Scan(&fails); err != nil {
		return "", org.User{}, fmt.Errorf("auth: throttle: %w", err)
	}
	if fails >= s.Cfg.IPMaxFailures {
		// Counted as a refusal by the web layer, not a chained row each.
		e := errs.New(errs.RateLimited, "此地址登录失败次数过多，请稍后再试", "too many failed logins from this address; try again later")
		e.Retry = (now + s.Cfg.IPWindow.Milliseconds()) / 1000
		return "", org.User{}, e
	}
	u, err := s.Org.UserByUsername(ctx, username)
	known := err == nil
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return "", org.User{}, err
	}
	var lockedUntil int64
	if known {
		err := s.DB.R.QueryRowContext(ctx, "SELECT locked_until FROM login_locks WHERE user_id = $1 AND ip = $2", u.ID, ip).Scan(&lockedUntil)
		if err != nil && err != sql.ErrNoRows {
			return "", org.User{}, fmt.Errorf("auth: lock: %w", err)
		}
	}
	hash := dummyHash
	if known {
		hash = u.PasswordHash
	}
	// The hash is checked in every case, so that no answer is quicker.
	pwOK := org.CheckPassword(password, hash)
	switch {
	case !known:
		return "", org.User{}, s.fail(ctx, u, "unknown", ip, now)
	case lockedUntil > now:
		return "", org.User{}, s.fail(ctx, u, "locked", ip, now)
	case u.Disabled:
		return "", org.User{}, s.fail(ctx, u, "disabled", ip, now)
	case !pwOK:
		return "", org.User{}, s.fail(ctx, u, "bad_credentials", ip, now)
	}
	tok := newToken("")
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_locks WHERE user_id = $1 AND ip = $2", u.ID, ip); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1,$2,$3,$3,$4,$5,$6)`, s.hashToken(tok), u.ID, now, now+s.Cfg.SessionAbsolute.Milliseconds(), ip, truncate(userAgent, 200)); err != nil {
			return err
		}
		actx := audit.WithActor(ctx, audit.Actor{ID: u.ID, Name: u.Username, IP: ip})
		return s.Audit.RecordTx(actx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
	if err != nil {
		return "", org.User{}, fmt.Errorf("auth: login: %w", err)
	}
	return tok, u, nil
}

// fail records a failed login, one audit row each: per address always
// (the throttle), and per account and address when the account exists,
// locking it from that address at the configured count. reason is
// unknown, locked, disabled or bad_credentials; the caller is told none of
// them.
func (s *Service) fail(ctx context.Context, u org.User, reason, ip string, now int64) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (ip, at) VALUES ($1, $2)", ip, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < $1", now-24*time.Hour.Milliseconds()); err != nil {
			return err
		}
		objID := "unknown"
		detail := map[string]any{"reason": reason}
		if reason == "bad_credentials" || reason == "disabled" {
			objID = strconv.FormatInt(u.ID, 10)
			var n int
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_locks (user_id, ip, failures, locked_until, updated_at) VALUES ($1, $2, 1, 0, $3)
				ON CONFLICT (user_id, ip) DO UPDATE SET failures = login_locks.failures + 1, updated_at = excluded.updated_at
				RETURNING failures`, u.ID, ip, now).Scan(&n); err != nil {
				return err
			}
			detail["consecutive_failures"] = n
			if n >= s.Cfg.MaxFailures {
				until := now + s.Cfg.LockFor.Milliseconds()
				if _, err := tx.ExecContext(ctx, "UPDATE login_locks SET failures = 0, locked_until = $1 WHERE user_id = $2 AND ip = $3", until, u.ID, ip); err != nil {
					return err
				}
				detail["locked_until"] = until
			}
		} else if reason == "locked" {
			objID = strconv.FormatInt(u.ID, 10)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: objID, Outcome: audit.Failed, After: detail})
	})
	if err != nil {
		return fmt.Errorf("auth: record failure: %w", err)
	}
	return s.badLogin()
}

// Unlock clears every login lock and failure count of a user, from every
// address (an administrator's way out of a lockout: `gaoxin user unlock`).
// Errors: NotFound.
func (s *Service) Unlock(ctx context.Context, userID int64) error {
	if _, err := s.Org.UserByID(ctx, userID); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM login_locks WHERE user_id = $1", userID)
		if err != nil {
			return fmt.Errorf("auth: unlock: %w", err)
		}
		n, _ := res.RowsAffected()
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "user.unlock", ObjectType: "user",
			ObjectID: strconv.FormatInt(userID, 10), After: map[string]int64{"locks_cleared": n}})
	})
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
	h := s.hashToken(tok)
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
		&u.Disabled, &u.LockedUntil, &u.FailedLogins, &u.PasswordHash, &u.CreatedAt, &u.EnterpriseID, &u.UnitScope, &u.PasswordChangedAt}
	err := row.Scan(append(dest, extra...)...)
	u.Role = org.Role(role)
	return u, err
}

// Logout revokes a session token.
func (s *Service) Logout(ctx context.Context, tok string) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", s.hashToken(tok))
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	return s.Audit.Record(ctx, audit.Entry{Action: "auth.logout"})
}

// EndSession ends the session of a token if it is live, recording it as a
// sign-out of its user (a new sign-in in the same browser calls it).
func (s *Service) EndSession(ctx context.Context, tok string) error {
	h := s.hashToken(tok)
	var userID int64
	err := s.DB.R.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE token_hash = $1", h).Scan(&userID)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: end session: %w", err)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", h); err != nil {
			return fmt.Errorf("auth: end session: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "auth.logout", ObjectType: "user",
			ObjectID: strconv.FormatInt(userID, 10), After: map[string]string{"reason": "another_sign_in"}})
	})
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
