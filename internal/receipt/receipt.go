// Package receipt is the receipt number (回执号) given to whoever files an
// objection during a public notice (公示): "<id>-<secret>", where the id
// finds the objection and the secret (80 random bits in base32) proves the
// holder filed it. Only the secret's SHA-256 is stored, so a database
// reader cannot look an objection up as its filer. The awards and scenario
// modules give and check receipts through it; each keeps its own
// objections, and counts its own failed look-ups.
package receipt

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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

// Hash is what is stored of a secret.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

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
// was stored; an empty stored hash (an objection filed before receipts)
// matches nothing.
func Matches(storedHash, secret string) bool {
	return storedHash != "" && subtle.ConstantTimeCompare([]byte(storedHash), []byte(Hash(secret))) == 1
}

// MissesPerHour is how many failed look-ups one source address may make in
// an hour before further look-ups are refused.
const MissesPerHour = 20
