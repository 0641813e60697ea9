// Package audit keeps gaoxin's append-only audit trail (审计日志).
//
// Every row records who did what to which object, when, from where, the
// before and after state as JSON, and the outcome. Each row carries the
// SHA-256 of its content chained to the previous row's hash, so changing,
// deleting or reordering any row is detected by Verify.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
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
}

// Log writes and verifies the audit trail.
type Log struct{ db *db.DB }

// New returns the audit log of d.
func New(d *db.DB) *Log { return &Log{db: d} }

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
	err = tx.QueryRowContext(ctx, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&r.PrevHash)
	if err == sql.ErrNoRows {
		r.PrevHash, err = genesis, nil
	}
	if err != nil {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	r.Hash = r.sum()
	var actorID any
	if r.ActorID != 0 {
		actorID = r.ActorID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor, ip, action, object_type, object_id, before_json, after_json, outcome, prev_hash, hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		r.At, actorID, r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After, r.Outcome, r.PrevHash, r.Hash)
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

// sum is the row's hash: SHA-256 over the previous hash and every field but
// the id, each length-prefixed so no two different rows encode alike.
func (r *Row) sum() string {
	h := sha256.New()
	for _, f := range []string{r.PrevHash, strconv.FormatInt(r.At, 10), strconv.FormatInt(r.ActorID, 10),
		r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After, r.Outcome} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BrokenError names the first row at which the chain fails.
type BrokenError struct {
	ID     int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at row %d: %s", e.ID, e.Reason)
}

// Verify walks the whole trail in order and returns the number of rows
// checked, or a *BrokenError naming the first row that was changed, deleted
// (its successor no longer links) or reordered.
func (l *Log) Verify(ctx context.Context) (int, error) {
	rows, err := l.db.R.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, ip, action, object_type, object_id,
		before_json, after_json, outcome, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	prev, n := genesis, 0
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Before, &r.After, &r.Outcome, &r.PrevHash, &r.Hash); err != nil {
			return n, fmt.Errorf("audit: verify: %w", err)
		}
		if r.PrevHash != prev {
			return n, &BrokenError{ID: r.ID, Reason: "does not link to the row before it (a row was deleted, inserted or reordered)"}
		}
		if r.sum() != r.Hash {
			return n, &BrokenError{ID: r.ID, Reason: "content does not match its hash (the row was changed)"}
		}
		prev = r.Hash
		n++
	}
	return n, rows.Err()
}

// Filter selects audit rows for listing.
type Filter struct {
	ObjectType string
	ObjectID   string
	ActorID    int64
	BeforeID   int64 // page: rows with id < BeforeID; 0 for the newest
	Limit      int   // default 50, at most 500
}

// List returns rows newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Row, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q := `SELECT id, at, COALESCE(actor_id, 0), actor, ip, action, object_type, object_id,
		before_json, after_json, outcome, prev_hash, hash FROM audit_log WHERE 1=1`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ObjectType != "" {
		add("object_type = $%d", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = $%d", f.ObjectID)
	}
	if f.ActorID != 0 {
		add("actor_id = $%d", f.ActorID)
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT $%d", len(args))
	rows, err := l.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Before, &r.After, &r.Outcome, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
