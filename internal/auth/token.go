package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Token is an API token for scripts. Only its hash is stored; the plain
// token is shown once, when it is created.
type Token struct {
	ID         int64  `json:"id"`
	UserID     int64  `json:"user_id"`
	Name       string `json:"name"`
	Prefix     string `json:"prefix"`
	CreatedAt  int64  `json:"created_at"`
	LastUsedAt int64  `json:"last_used_at,omitempty"`
	RevokedAt  int64  `json:"revoked_at,omitempty"`
	ParentID   int64  `json:"parent_id,omitempty"` // the token whose bearer made it (before tokens were refused that)
}

type bearerKey struct{}

// WithBearer marks ctx as a request authenticated by the API token
// tokenID (not by a person's session).
func WithBearer(ctx context.Context, tokenID int64) context.Context {
	return context.WithValue(ctx, bearerKey{}, tokenID)
}

// BearerFrom returns the API token a request was authenticated by, or 0.
func BearerFrom(ctx context.Context) int64 {
	id, _ := ctx.Value(bearerKey{}).(int64)
	return id
}

// CreateToken makes an API token for a user and returns the plain token.
// Only a person makes tokens (a session, or the CLI): a request carrying an
// API token (WithBearer) is refused, so a leaked token cannot make itself
// successors that outlive its revocation. Errors: Forbidden (asked with an
// API token), Invalid (empty name), NotFound (user).
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, Token, error) {
	if BearerFrom(ctx) != 0 {
		return "", Token{}, errs.New(errs.Forbidden, "API 令牌不能创建令牌：请登录后在“我的账号”中创建", "an API token cannot create tokens: sign in and create one under My account")
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return "", Token{}, errs.Field("name", "请为令牌填写 1–80 字的名称", "token name must be 1–80 characters")
	}
	if _, err := s.Org.UserByID(ctx, userID); err != nil {
		return "", Token{}, err
	}
	plain := newToken("gx_")
	t := Token{UserID: userID, Name: name, Prefix: plain[:10], CreatedAt: s.now()}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
			VALUES ($1,$2,$3,$4,$5) RETURNING id`, userID, name, s.hashToken(plain), t.Prefix, t.CreatedAt).Scan(&t.ID); err != nil {
			return fmt.Errorf("auth: create token: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "token.create", ObjectType: "api_token", ObjectID: strconv.FormatInt(t.ID, 10), After: t})
	})
	return plain, t, err
}

// Tokens lists a user's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at, parent_id
		FROM api_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 200`, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt, &t.ParentID); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of a user's tokens and every token it made, and
// the tokens those made, in one transaction (tokens could make tokens
// before that was refused; parent_id keeps who made whom). Errors:
// NotFound (no such live token of that user).
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at = 0", now, tokenID, userID)
		if err != nil {
			return fmt.Errorf("auth: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "令牌不存在或已撤销", "token not found or already revoked")
		}
		var made []int64
		for frontier := []int64{tokenID}; len(frontier) > 0 && len(made) < 10_000; {
			next, err := s.revokeChildren(ctx, tx, frontier, now)
			if err != nil {
				return err
			}
			made, frontier = append(made, next...), next
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "token.revoke", ObjectType: "api_token", ObjectID: strconv.FormatInt(tokenID, 10),
			After: map[string]any{"revoked_with_it": made}})
	})
}

// revokeChildren revokes the live tokens made by any of parents and
// returns their ids.
func (s *Service) revokeChildren(ctx context.Context, tx *sql.Tx, parents []int64, now int64) ([]int64, error) {
	var kids []int64
	for _, p := range parents {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM api_tokens WHERE parent_id = $1 AND revoked_at = 0 ORDER BY id LIMIT 1000", p)
		if err != nil {
			return nil, fmt.Errorf("auth: revoke made tokens: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			kids = append(kids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, id := range kids {
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2", now, id); err != nil {
			return nil, fmt.Errorf("auth: revoke made tokens: %w", err)
		}
	}
	return kids, nil
}

// tokenUserSQL reads a token's user (prepared once: every API request).
var tokenUserSQL = strings.Replace(org.UserSelect, " FROM ", ", t.id, t.last_used_at FROM ", 1) +
	" JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND t.revoked_at = 0"

// TokenUser returns the user of a bearer token. Errors: Unauthorized.
func (s *Service) TokenUser(ctx context.Context, plain string) (org.User, error) {
	u, _, err := s.Bearer(ctx, plain)
	return u, err
}

// Bearer returns the user of a bearer token and the token's id. Errors:
// Unauthorized.
func (s *Service) Bearer(ctx context.Context, plain string) (org.User, int64, error) {
	bad := errs.New(errs.Unauthorized, "API 令牌无效或已撤销", "invalid or revoked API token")
	if !strings.HasPrefix(plain, "gx_") {
		return org.User{}, 0, bad
	}
	h := s.hashToken(plain)
	var tokID, lastUsed int64
	st, err := s.DB.Prepared(ctx, tokenUserSQL)
	if err != nil {
		return org.User{}, 0, fmt.Errorf("auth: token: %w", err)
	}
	u, err := scanUserWith(st.QueryRowContext(ctx, h), &tokID, &lastUsed)
	if err == sql.ErrNoRows || (err == nil && u.Disabled) {
		return org.User{}, 0, bad
	}
	if err != nil {
		return org.User{}, 0, fmt.Errorf("auth: token: %w", err)
	}
	if now := s.now(); now-lastUsed > 60_000 {
		s.DB.W.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, tokID)
	}
	return u, tokID, nil
}
