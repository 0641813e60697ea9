// Package audit keeps gaoxin's append-only audit trail (审计日志).
//
// Every row records who did what to which object, when, from where, the
// before and after state as JSON, and the outcome. Each row carries the
// hash of its content chained to the previous row's hash, so changing,
// deleting or reordering any row is detected by Verify. With a key kept
// outside the database, each row also carries an HMAC link over its hash
// and the previous link (chain.go), so rewriting rows and recomputing
// their hashes is detected; signed checkpoints of the head, written to a
// file outside the database, detect the newest rows being cut off. The
// hash is the database's cryptographic mode's (internal/crypt): SHA-256
// and HMAC-SHA256 by default, SM3 and HMAC-SM3 in the national mode.
// Refused requests are counted per source and minute, not row by row
// (refusals.go).
package audit

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"sync"
	"time"

	"gaoxin/internal/db"
)

// Outcomes.
const (
	OK      = "ok"
	Refused = "refused"
	Failed  = "failed"
)

// genesis is the prev_hash of the first row.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Actor is who acts: carried in the request context.
type Actor struct {
	ID   int64
	Name string
	IP   string
}

type actorKey struct{}

// WithActor returns ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx ("system" when none).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system"}
}

type clockKey struct{}

// WithClock returns ctx whose audit rows are stamped by now instead of the
// real time: a demo writes its history at the dates it tells of, and a
// demo server runs at the demo's one date.
func WithClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// Stamp is the time a write in ctx happens at, in Unix milliseconds: the
// clock WithClock gave ctx, or the real time. Modules stamp the rows they
// write with it where their history must agree with their audit rows (a
// demo's accounts created on the dates it tells of).
func Stamp(ctx context.Context) int64 { return stamp(ctx) }

// stamp is the time to record a row at, in Unix milliseconds.
func stamp(ctx context.Context) int64 {
	if now, ok := ctx.Value(clockKey{}).(func() time.Time); ok {
		return now().UnixMilli()
	}
	return db.Now()
}

// Entry is one event to record.
type Entry struct {
	Action     string // dotted verb, e.g. "user.create", "auth.login"
	ObjectType string
	ObjectID   string
	Before     any // marshalled to JSON; nil for none. Never pass secrets.
	After      any
	Outcome    string // OK when empty
}

// Row is a stored audit row.
type Row struct {
	ID         int64  `json:"id"`
	At         int64  `json:"at"`
	ActorID    int64  `json:"actor_id,omitempty"`
	Actor      string `json:"actor"`
	IP         string `json:"ip"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Before     string `json:"before,omitempty"`
	After      string `json:"after,omitempty"`
	Outcome    string `json:"outcome"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
	Mac        string `json:"mac,omitempty"`
}

// rowColumns are the columns every reader of whole rows selects, in the
// order scanRow reads them.
const rowColumns = `id, at, COALESCE(actor_id, 0), actor, ip, action, object_type, object_id,
		before_json, after_json, outcome, prev_hash, hash, mac`

func scanRow(sc interface{ Scan(...any) error }) (Row, error) {
	var r Row
	err := sc.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID,
		&r.Before, &r.After, &r.Outcome, &r.PrevHash, &r.Hash, &r.Mac)
	return r, err
}

// Options configure the log's keyed chain.
type Options struct {
	// Key is the HMAC key of the keyed chain and of checkpoints,
	// kept outside the database. Empty: rows carry no keyed link and
	// Verify checks the unkeyed hashes only.
	Key []byte
	// Checkpoints is the file signed checkpoints of the head are appended
	// to, outside the database; empty for none.
	Checkpoints string
}

// Log writes and verifies the audit trail.
type Log struct {
	db    *db.DB
	opt   Options
	vocab *vocabulary

	cpMu     sync.Mutex // serialises appends to the checkpoint file
	refusals refusals   // refusal counts not yet written
}

// New returns the audit log of d, without a key.
func New(d *db.DB) *Log { return NewWith(d, Options{}) }

// NewWith returns the audit log of d with its key and checkpoint file.
func NewWith(d *db.DB, o Options) *Log { return &Log{db: d, opt: o, vocab: newVocabulary()} }

// Keyed reports whether the log has a key: new rows carry a keyed link and
// Verify checks it.
func (l *Log) Keyed() bool { return len(l.opt.Key) > 0 }

// Record appends e in its own transaction, with the actor from ctx.
func (l *Log) Record(ctx context.Context, e Entry) error {
	return l.db.Tx(ctx, func(tx *sql.Tx) error { return l.RecordTx(ctx, tx, e) })
}

// RecordTx appends e inside the caller's transaction, so the event and the
// change it describes commit or roll back together.
func (l *Log) RecordTx(ctx context.Context, tx *sql.Tx, e Entry) error {
	if err := l.db.Lock(ctx, tx, "audit"); err != nil {
		return fmt.Errorf("audit: lock: %w", err)
	}
	a := ActorFrom(ctx)
	r := Row{At: stamp(ctx), ActorID: a.ID, Actor: a.Name, IP: a.IP, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Outcome: e.Outcome}
	if r.Outcome == "" {
		r.Outcome = OK
	}
	var err error
	if r.Before, err = toJSON(e.Before); err != nil {
		return err
	}
	if r.After, err = toJSON(e.After); err != nil {
		return err
	}
	var prevMac string
	err = tx.QueryRowContext(ctx, "SELECT hash, mac FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&r.PrevHash, &prevMac)
	if err == sql.ErrNoRows {
		r.PrevHash, err = genesis, nil
	}
	if err != nil {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	r.Hash = r.sum(l.hash())
	if l.Keyed() {
		r.Mac = l.link(prevMac, r.Hash)
	}
	var actorID any
	if r.ActorID != 0 {
		actorID = r.ActorID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor, ip, action, object_type, object_id, before_json, after_json, outcome, prev_hash, hash, mac)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
		r.At, actorID, r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After, r.Outcome, r.PrevHash, r.Hash, r.Mac)
	if err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	return nil
}

func toJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: marshal: %w", err)
	}
	return string(b), nil
}

// hash is the constructor of the trail's hash: the database's mode's.
func (l *Log) hash() func() hash.Hash { return l.db.Crypto.Hash() }

// sum is the row's hash under newHash (SHA-256 or SM3) over the previous
// hash and every field but the id, each length-prefixed so no two
// different rows encode alike.
func (r *Row) sum(newHash func() hash.Hash) string {
	h := newHash()
	for _, f := range []string{r.PrevHash, strconv.FormatInt(r.At, 10), strconv.FormatInt(r.ActorID, 10),
		r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After, r.Outcome} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
