package award

import (
	"context"
	"database/sql"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// FlagKinds are the records that make an enterprise ineligible when a
// programme asks for "no flagged record".
var FlagKinds = []string{"严重失信", "安全事故", "环保处罚", "重大税收违法", "其他"}

// Flag is a record against an enterprise (不良记录).
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

// AddFlag records a flag. Errors: Invalid, NotFound (enterprise).
func (s *Service) AddFlag(ctx context.Context, ent int64, kind, note string) (Flag, error) {
	kind, note = strings.TrimSpace(kind), strings.TrimSpace(note)
	if !contains(FlagKinds, kind) {
		return Flag{}, errs.Field("kind", "类型应为："+strings.Join(FlagKinds, "、"), "kind must be one of: "+strings.Join(FlagKinds, ", "))
	}
	if note == "" {
		return Flag{}, errs.Field("note", "请写明事由及文号", "a note (facts, document number) is required")
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_flags (enterprise_id, kind, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
			ent, kind, note, nullID(audit.ActorFrom(ctx).ID), s.nowMS()).Scan(&id)
		if db.IsForeignKeyViolation(err) {
			return errs.Field("enterprise_id", "企业不存在", "enterprise not found")
		}
		if err != nil {
			return err
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.flag.add", ObjectType: "enterprise_flag", ObjectID: idStr(id),
			After: map[string]any{"enterprise_id": ent, "kind": kind, "note": note}})
	})
	if err != nil {
		return Flag{}, err
	}
	return s.flag(ctx, id)
}

// ClearFlag ends a flag (kept for the record). Errors: NotFound, Conflict.
func (s *Service) ClearFlag(ctx context.Context, id int64) (Flag, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE enterprise_flags SET active=FALSE, cleared_at=$1 WHERE id=$2 AND active=TRUE", s.nowMS(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "不良记录不存在或已解除", "flag not found or already cleared")
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.flag.clear", ObjectType: "enterprise_flag", ObjectID: idStr(id),
			Before: map[string]bool{"active": true}, After: map[string]bool{"active": false}})
	})
	if err != nil {
		return Flag{}, err
	}
	return s.flag(ctx, id)
}

const flagCols = `f.id, f.enterprise_id, e.name, f.kind, f.note, f.active, f.created_at, f.cleared_at FROM enterprise_flags f JOIN enterprises e ON e.id=f.enterprise_id`

func scanFlag(sc interface{ Scan(...any) error }) (Flag, error) {
	var f Flag
	err := sc.Scan(&f.ID, &f.EnterpriseID, &f.EnterpriseName, &f.Kind, &f.Note, &f.Active, &f.CreatedAt, &f.ClearedAt)
	return f, err
}

func (s *Service) flag(ctx context.Context, id int64) (Flag, error) {
	f, err := scanFlag(s.DB.R.QueryRowContext(ctx, "SELECT "+flagCols+" WHERE f.id=$1", id))
	if err == sql.ErrNoRows {
		return f, errs.New(errs.NotFound, "不良记录不存在", "flag not found")
	}
	return f, err
}

// Flags lists flags, active first, newest first.
func (s *Service) Flags(ctx context.Context) ([]Flag, error) {
	var out []Flag
	err := eachRow(ctx, s.DB.R, "SELECT "+flagCols+" ORDER BY f.active DESC, f.id DESC LIMIT 1000", nil, func(r *sql.Rows) error {
		f, err := scanFlag(r)
		out = append(out, f)
		return err
	})
	return out, err
}

// EnterpriseRef is an enterprise as pickers show it.
type EnterpriseRef struct {
	ID         int64  `json:"id"`
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Synthetic  bool   `json:"synthetic"`
}

// EnterpriseByCode finds an enterprise by credit code. Errors: NotFound.
func (s *Service) EnterpriseByCode(ctx context.Context, code string) (EnterpriseRef, error) {
	var e EnterpriseRef
	err := s.DB.R.QueryRowContext(ctx, "SELECT id, credit_code, name, synthetic FROM enterprises WHERE credit_code=$1",
		strings.ToUpper(strings.TrimSpace(code))).Scan(&e.ID, &e.CreditCode, &e.Name, &e.Synthetic)
	if err == sql.ErrNoRows {
		return e, errs.Field("credit_code", "没有该统一社会信用代码的企业", "no enterprise with this credit code")
	}
	return e, err
}
