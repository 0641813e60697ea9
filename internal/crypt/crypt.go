// Package crypt is gaoxin's cryptographic mode (密码模式), the one place
// that chooses its algorithms. In the default mode the platform hashes
// with SHA-256, keys the audit chain with HMAC-SHA256 and stores every
// field as it was typed. In the national mode (国密, `--crypto gm`, for a
// 商用密码应用安全性评估) it hashes with SM3 (GB/T 32905), keys the audit
// chain with HMAC-SM3, and seals sensitive fields at rest with SM4
// (GB/T 32907) in GCM mode under a key kept in a file outside the
// database.
//
// A *Suite is a mode with its key. The database handle carries the suite
// of its database (db.DB.Crypto), checked against the mode recorded in the
// database when it is opened, so every service over one database hashes
// and seals alike. A nil *Suite is the default mode.
package crypt

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Mode is a cryptographic mode.
type Mode string

// The modes.
const (
	Default Mode = "default" // SHA-256, HMAC-SHA256, fields stored as typed
	GM      Mode = "gm"      // 国密: SM3, HMAC-SM3, fields sealed with SM4-GCM
)

// ParseMode reads a mode's name ("" is the default mode).
func ParseMode(s string) (Mode, error) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", Default:
		return Default, nil
	case GM:
		return GM, nil
	}
	return "", fmt.Errorf("密码模式须为 default 或 gm，而不是 %q / --crypto must be default or gm, got %q", s, s)
}

// KeySize is the size of an SM4 key in bytes.
const KeySize = sm4.BlockSize

// Suite is a mode and, in the national mode, the SM4 key that seals fields.
type Suite struct {
	mode  Mode
	aead  cipher.AEAD
	keyID string
	demo  bool
}

// New returns the suite of mode. The national mode needs a 16-byte SM4
// key; the default mode takes none.
func New(mode Mode, key []byte) (*Suite, error) {
	switch mode {
	case Default, "":
		if len(key) > 0 {
			return nil, errors.New("默认密码模式不使用密钥文件 / the default mode takes no key file (use --crypto gm)")
		}
		return &Suite{mode: Default}, nil
	case GM:
	default:
		return nil, fmt.Errorf("crypt: unknown mode %q", mode)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("SM4 密钥须为 16 字节，而不是 %d 字节 / an SM4 key is 16 bytes, not %d", len(key), len(key))
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return &Suite{mode: GM, aead: aead, keyID: KeyID(key)}, nil
}

// newAEAD is SM4 in GCM mode (the standard 12-byte nonce and 16-byte tag)
// under key.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("crypt: sm4: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("crypt: sm4-gcm: %w", err)
	}
	return aead, nil
}

// DemoKey is the SM4 key of a demonstration server in the national mode
// that was given no key file. It is public (it is in the source), so it
// protects nothing: only --demo uses it.
var DemoKey = []byte("gaoxin-demo-sm4!")

// NewDemo returns the national suite under DemoKey, labelled as such.
func NewDemo() *Suite {
	s, err := New(GM, DemoKey)
	if err != nil {
		panic(err) // DemoKey is 16 bytes
	}
	s.demo = true
	return s
}

// ReadKeyFile reads an SM4 key from a file: 16 bytes written as 32
// hexadecimal digits or in base64, surrounding white space ignored.
func ReadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取 SM4 密钥文件失败 / reading the SM4 key file: %w", err)
	}
	key, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// ParseKey reads a 16-byte key written as 32 hexadecimal digits or in
// base64 (padded or not).
func ParseKey(text string) ([]byte, error) {
	t := strings.TrimSpace(text)
	if k, err := hex.DecodeString(t); err == nil && len(k) == KeySize {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(t); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, errors.New("SM4 密钥须为 16 字节，写作 32 位十六进制数或 base64（如 head -c 16 /dev/urandom | xxd -p > FILE）" +
		" / an SM4 key is 16 bytes, written as 32 hex digits or base64 (e.g. head -c 16 /dev/urandom | xxd -p > FILE)")
}

// KeyID names a key without revealing it: the first 8 hex digits of the
// SM3 of a label and the key. Sealed values carry it, and the database
// records the id of the key its fields are sealed under.
func KeyID(key []byte) string {
	h := sm3.New()
	h.Write([]byte("gaoxin-sm4-key-id|"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil))[:8]
}

// Mode is the suite's mode.
func (s *Suite) Mode() Mode {
	if s == nil {
		return Default
	}
	return s.mode
}

// GM reports whether the suite is the national mode.
func (s *Suite) GM() bool { return s.Mode() == GM }

// KeyID is the id of the suite's SM4 key ("" in the default mode).
func (s *Suite) KeyID() string {
	if s == nil {
		return ""
	}
	return s.keyID
}

// Demo reports whether the suite seals under the public DemoKey.
func (s *Suite) Demo() bool { return s != nil && s.demo }

// String describes the suite for logs and the operator.
func (s *Suite) String() string {
	if !s.GM() {
		return "default (SHA-256, HMAC-SHA256, fields unsealed)"
	}
	d := "gm (SM3, HMAC-SM3, SM4-GCM key " + s.keyID
	if s.demo {
		d += ", the public demo key"
	}
	return d + ")"
}

// Hash returns the constructor of the suite's hash: SM3 in the national
// mode, SHA-256 otherwise. Both give 32 bytes.
func (s *Suite) Hash() func() hash.Hash {
	if s.GM() {
		return sm3.New
	}
	return sha256.New
}

// HashName is the name of the suite's hash.
func (s *Suite) HashName() string {
	if s.GM() {
		return "SM3"
	}
	return "SHA-256"
}

// Digest is the hex digest of a secret that is kept only as its hash: a
// session token, an API token, a receipt's secret. One rule for all.
func (s *Suite) Digest(secret string) string {
	h := s.Hash()()
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))
}

// MAC returns a keyed hash under key: HMAC-SM3 in the national mode,
// HMAC-SHA256 otherwise (the audit chain's links and checkpoints).
func (s *Suite) MAC(key []byte) hash.Hash { return hmac.New(s.Hash(), key) }

// sealPrefix starts every sealed value: the form's version (gm1: SM4-GCM,
// 12-byte nonce, 16-byte tag, the field's name as additional data), then
// the key's id, then base64 of nonce, ciphertext and tag.
const sealPrefix = "gm1:"

// Sealed reports whether a stored value is in the sealed form.
func Sealed(stored string) bool { return strings.HasPrefix(stored, sealPrefix) }

// SealedKeyID is the id of the key a stored value is sealed under ("" for
// a value that is not sealed).
func SealedKeyID(stored string) string {
	rest, ok := strings.CutPrefix(stored, sealPrefix)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ":")
	return id
}

// Seal is how a sensitive field is stored. field names the column
// ("enterprises.bank_account") and is bound into the seal, so a sealed
// value copied into another column does not open. In the default mode,
// and for an empty value in either mode, the value is stored as it is.
func (s *Suite) Seal(field, plain string) (string, error) {
	if !s.GM() || plain == "" {
		return plain, nil
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("crypt: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(field))
	return sealPrefix + s.keyID + ":" + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open reads a stored field back. A value not in the sealed form is
// returned as it is (typed in the default mode, or empty); a sealed value
// needs the national mode and the key it was sealed under. Errors name
// the field, never its content.
func (s *Suite) Open(field, stored string) (string, error) {
	if !Sealed(stored) {
		return stored, nil
	}
	id := SealedKeyID(stored)
	switch {
	case !s.GM():
		return "", fmt.Errorf("crypt: %s is sealed (SM4 key %s) but the server runs in the default mode; start it with --crypto gm", field, id)
	case id != s.keyID:
		return "", fmt.Errorf("crypt: %s is sealed under SM4 key %s, the server has key %s (was the key rotated? restart with the new key file)", field, id, s.keyID)
	}
	raw, err := base64.RawStdEncoding.DecodeString(stored[len(sealPrefix)+len(id)+1:])
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", fmt.Errorf("crypt: %s: malformed sealed value", field)
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(field))
	if err != nil {
		return "", fmt.Errorf("crypt: %s: the sealed value does not open (altered, or moved from another field)", field)
	}
	return string(plain), nil
}

// Reseal moves a stored value from the suite from to s: opened under
// from's key (or taken as it is when not sealed) and sealed under s's.
// A value already under s's key is returned unchanged (changed false), so
// a rotation that stopped half-way can run again.
func (s *Suite) Reseal(from *Suite, field, stored string) (out string, changed bool, err error) {
	if stored == "" || (Sealed(stored) && s.GM() && SealedKeyID(stored) == s.keyID) {
		return stored, false, nil
	}
	plain, err := from.Open(field, stored)
	if err != nil {
		return "", false, err
	}
	out, err = s.Seal(field, plain)
	return out, out != stored, err
}
