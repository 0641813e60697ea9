package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/finance"
	"gaoxin/internal/scenario"
)

// SealedColumns are every module's sealed columns (敏感字段): the fields
// the national cryptographic mode stores sealed with SM4-GCM. Each module
// lists its own; a module that seals a new field adds it to its list.
func SealedColumns() []crypt.Column {
	var out []crypt.Column
	for _, cs := range [][]crypt.Column{enterprise.Sealed, award.Sealed, scenario.Sealed, finance.Sealed} {
		out = append(out, cs...)
	}
	return out
}

// Rotation is what a key rotation did.
type Rotation struct {
	From, To string         // the old and the new key's ids
	Moved    map[string]int // per sealed column ("table.column"), the values re-sealed
	Seen     int            // the non-empty values read in all
}

// RotateKey re-seals every sealed field of the database from its current
// SM4 key (the handle's suite, a.DB.Crypto) to the suite to, records the
// new key's id in the database and writes an audit row, all in one
// transaction: either every field is under the new key or none moved.
// A value already under the new key is left as it is, so a rotation that
// was interrupted, or that servers still running with the old key wrote
// behind, can run again. Afterwards the handle seals with to; the
// operator then gives every server the new key file (a server started with
// the old one is refused). Only a database in the gm mode rotates.
func (a *App) RotateKey(ctx context.Context, to *crypt.Suite) (Rotation, error) {
	from := a.DB.Crypto
	r := Rotation{From: from.KeyID(), To: to.KeyID(), Moved: map[string]int{}}
	if !from.GM() || !to.GM() {
		return r, errors.New("只有国密模式（--crypto gm）的数据库才能轮换密钥 / only a database in the gm mode has a key to rotate")
	}
	if from.KeyID() == to.KeyID() {
		return r, fmt.Errorf("新密钥与当前密钥相同（%s） / the new key is the current key (%s)", to.KeyID(), to.KeyID())
	}
	err := a.DB.Tx(ctx, func(tx *sql.Tx) error {
		total := 0
		for _, c := range SealedColumns() {
			moved, seen, err := crypt.ResealColumn(ctx, tx, c, from, to)
			if err != nil {
				return err
			}
			r.Moved[c.Field()] = moved
			r.Seen += seen
			total += moved
		}
		if err := db.SetCryptoKeyTx(ctx, tx, to.KeyID()); err != nil {
			return err
		}
		return a.Audit.RecordTx(ctx, tx, audit.Entry{Action: "crypto.rotate", ObjectType: "crypto_key", ObjectID: to.KeyID(),
			Before: map[string]string{"key_id": from.KeyID()}, After: map[string]any{"key_id": to.KeyID(), "resealed": total}})
	})
	if err != nil {
		return Rotation{From: r.From, To: r.To}, fmt.Errorf("app: rotate key: %w", err)
	}
	a.DB.Crypto = to
	return r, nil
}
