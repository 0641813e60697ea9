package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// FlagKinds are the compliance records (不良记录) the registry keeps; an
// award programme that asks for "no flagged record" excludes an enterprise
// with an active one.
var FlagKinds = []string{"严重失信", "安全事故", "环保处罚", "重大税收违法", "其他"}

// Flag is a compliance record against an enterprise (不良记录): a listing as
// seriously dishonest, a safety or environmental accident, a tax offence.
// Clearing it keeps the record.
type Flag struct {
	ID             int64  `json:"id"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	Kind           string `json:"kind"`
	Note           string `json:"note"`
	Active         bool   `json:"active"`
	CreatedAt      int64  `json:"created_at"`
	ClearedAt      int64  `json:"cleared_at,omitempty"`
}

// AddFlag records a flag against enterprise ent. Errors: Forbidden (v may
// not write the registry), Invalid (kind, note, or no such enterprise).
func (s *Service) AddFlag(ctx context.Context, v Viewer, ent int64, kind, note string) (Flag, error) {
	if !v.Writes() {
		return Flag{}, errNoWrite
	}
	kind, note = strings.TrimSpace(kind), strings.TrimSpace(note)
	if !slices.Contains(FlagKinds, kind) {
		return Flag{}, errs.Field("kind", "类型应为："+strings.Join(FlagKinds, "、"), "kind must be one of: "+strings.Join(FlagKinds, ", "))
	}
	if note == "" {
		return Flag{}, errs.Field("note", "请写明事由及文号", "a note (facts, document number) is required")
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_flags (enterprise_id, kind, note, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5) RETURNING id`, ent, kind, note, nullID(audit.ActorFrom(ctx).ID), s.nowMS()).Scan(&id)
		if db.IsForeignKeyViolation(err) {
			return errs.Field("enterprise_id", "企业不存在", "enterprise not found")
		}
		if err != nil {
			return fmt.Errorf("enterprise: add flag: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.flag.add", ObjectType: "enterprise_flag",
			ObjectID: strconv.FormatInt(id, 10), After: map[string]any{"enterprise_id": ent, "kind": kind, "note": note}})
	})
	if err != nil {
		return Flag{}, err
	}
	return s.flag(ctx, id)
}

// ClearFlag ends a flag; the record stays. Errors: Forbidden, NotFound
// (no such flag, or already cleared).
func (s *Service) ClearFlag(ctx context.Context, v Viewer, id int64) (Flag, error) {
	if !v.Writes() {
		return Flag{}, errNoWrite
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE enterprise_flags SET active = FALSE, cleared_at = $1 WHERE id = $2 AND active = TRUE", s.nowMS(), id)
		if err != nil {
			return fmt.Errorf("enterprise: clear flag: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "不良记录不存在或已解除", "flag not found or already cleared")
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.flag.clear", ObjectType: "enterprise_flag",
			ObjectID: strconv.FormatInt(id, 10), Before: map[string]bool{"active": true}, After: map[string]bool{"active": false}})
	})
	if err != nil {
		return Flag{}, err
	}
	return s.flag(ctx, id)
}

const flagCols = `SELECT f.id, f.enterprise_id, e.name, f.kind, f.note, f.active, f.created_at, f.cleared_at
	FROM enterprise_flags f JOIN enterprises e ON e.id = f.enterprise_id`

func scanFlag(sc scanner) (Flag, error) {
	var f Flag
	err := sc.Scan(&f.ID, &f.EnterpriseID, &f.EnterpriseName, &f.Kind, &f.Note, &f.Active, &f.CreatedAt, &f.ClearedAt)
	return f, err
}

func (s *Service) flag(ctx context.Context, id int64) (Flag, error) {
	f, err := scanFlag(s.DB.Read(ctx).QueryRowContext(ctx, flagCols+" WHERE f.id = $1", id))
	if err == sql.ErrNoRows {
		return f, errs.New(errs.NotFound, "不良记录不存在", "flag not found")
	}
	if err != nil {
		return f, fmt.Errorf("enterprise: flag %d: %w", id, err)
	}
	return f, nil
}

// Flags lists up to 1,000 flags, active first, newest first.
// Errors: Forbidden (v is not registry staff).
func (s *Service) Flags(ctx context.Context, v Viewer) ([]Flag, error) {
	if !v.Staff() {
		return nil, errNoAccess
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, flagCols+" ORDER BY f.active DESC, f.id DESC LIMIT 1000")
	if err != nil {
		return nil, fmt.Errorf("enterprise: flags: %w", err)
	}
	defer rows.Close()
	var out []Flag
	for rows.Next() {
		f, err := scanFlag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ActiveFlags returns the kind of the earliest active flag of every
// flagged enterprise, read through q (nil: the read pool).
func (s *Service) ActiveFlags(ctx context.Context, q db.Querier) (map[int64]string, error) {
	rows, err := s.reader(q).QueryContext(ctx, "SELECT enterprise_id, kind FROM enterprise_flags WHERE active = TRUE ORDER BY enterprise_id, id")
	if err != nil {
		return nil, fmt.Errorf("enterprise: active flags: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		if _, ok := out[id]; !ok {
			out[id] = k
		}
	}
	return out, rows.Err()
}
