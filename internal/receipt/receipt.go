// Package receipt is the receipt number (回执号) given to whoever files an
// objection during a public notice (公示): "<id>-<secret>", where the id
// finds the objection and the secret (80 random bits in base32) proves the
// holder filed it. Only the secret's digest is stored (SHA-256, or SM3 in
// the national cryptographic mode: crypt.Suite.Digest, the rule for every
// kept secret), so a database reader cannot look an objection up as its
// filer. The awards and scenario
// modules give and check receipts through it, and count failed look-ups
// per address through Look, each in a misses table of its own.
package receipt

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a fresh secret part of a receipt.
func NewSecret() (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("receipt: %w", err)
	}
	return encoding.EncodeToString(b[:]), nil
}

// Hash is what is stored of a secret under the database's suite c.
func Hash(c *crypt.Suite, secret string) string { return c.Digest(secret) }

// Of is the receipt number of objection id with its secret.
func Of(id int64, secret string) string { return strconv.FormatInt(id, 10) + "-" + secret }

// Parse splits a receipt as people type it (spaces, lower case) into the
// objection's id and the secret; ok is false for anything malformed.
func Parse(r string) (id int64, secret string, ok bool) {
	r = strings.ToUpper(strings.Join(strings.Fields(r), ""))
	head, secret, found := strings.Cut(r, "-")
	id, err := strconv.ParseInt(head, 10, 64)
	if !found || err != nil || id <= 0 || len(secret) != 16 {
		return 0, "", false
	}
	return id, secret, true
}

// Matches reports, in constant time, whether secret is the one whose hash
// was stored under suite c; an empty stored hash (an objection filed
// before receipts) matches nothing.
func Matches(c *crypt.Suite, storedHash, secret string) bool {
	return storedHash != "" && subtle.ConstantTimeCompare([]byte(storedHash), []byte(Hash(c, secret))) == 1
}

// MissesPerHour is how many failed look-ups one source address may make in
// an hour before further look-ups are refused.
const MissesPerHour = 20

// Misses is a module's table of failed look-ups (columns ip, at in Unix
// milliseconds): the module owns it and names it; the counting is here.
type Misses struct {
	DB    *db.DB
	Table string
}

// Look answers a receipt look-up from the source address ip at instant now
// (Unix ms): refused (RateLimited) once the address has MissesPerHour
// failures in the last hour, and a NotFound answer is recorded as one.
// An empty ip is not counted.
func Look[T any](ctx context.Context, m Misses, ip string, now int64, lookup func() (T, error)) (T, error) {
	var zero T
	const hour = 3_600_000
	if ip != "" {
		var misses int
		if err := m.DB.Read(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM "+m.Table+" WHERE ip = $1 AND at > $2", ip, now-hour).Scan(&misses); err != nil {
			return zero, fmt.Errorf("receipt: misses: %w", err)
		}
		if misses >= MissesPerHour {
			return zero, errs.New(errs.RateLimited, "同一来源一小时内查询失败次数过多，请稍后再试", "too many failed look-ups from this address in an hour; try later")
		}
	}
	v, err := lookup()
	if errs.CodeOf(err) == errs.NotFound && ip != "" {
		if err := m.DB.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+m.Table+" WHERE at <= $1", now-hour); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO "+m.Table+" (ip, at) VALUES ($1, $2)", ip, now)
			return err
		}); err != nil {
			return zero, fmt.Errorf("receipt: record a miss: %w", err)
		}
	}
	return v, err
}
