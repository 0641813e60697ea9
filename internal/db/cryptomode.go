package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/crypt"
)

// UseCrypto checks the suite s against the mode recorded in the database
// (crypto_mode, written by the first server that opened it) and, when it
// agrees, makes it the handle's suite (d.Crypto), which every service over
// d hashes and seals with. A new database records s's mode and key. A
// server in the other mode, or in gm with another SM4 key, is refused: a
// database never changes mode silently. Call it after Migrate.
func (d *DB) UseCrypto(ctx context.Context, s *crypt.Suite) error {
	_, err := d.W.ExecContext(ctx, `INSERT INTO crypto_mode (id, mode, key_id, set_at) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, string(s.Mode()), s.KeyID(), Now())
	if err != nil {
		return fmt.Errorf("db: record crypto mode: %w", err)
	}
	mode, keyID, err := d.CryptoMode(ctx)
	if err != nil {
		return err
	}
	if mode != s.Mode() {
		return fmt.Errorf("数据库为 %s 密码模式，不能以 %s 模式启动：数据库的密码模式不能更改（尚无数据的新库可删除后以所需模式重建） / the database is in the %s cryptographic mode and cannot be opened in the %s mode: start with --crypto %s (a new database with no data yet may be dropped and created again in the mode wanted)",
			mode, s.Mode(), mode, s.Mode(), mode)
	}
	if mode == crypt.GM && keyID != s.KeyID() {
		return fmt.Errorf("数据库的敏感字段以 SM4 密钥 %s 加密，密钥文件中是密钥 %s；请使用正确的密钥文件（轮换后须换用新密钥文件） / the database's fields are sealed under SM4 key %s but the key file holds key %s: use the right key file (after a rotation, the new one)",
			keyID, s.KeyID(), keyID, s.KeyID())
	}
	d.Crypto = s
	return nil
}

// CryptoMode returns the mode recorded in the database and, in gm, the id
// of the SM4 key its fields are sealed under. A database no server has
// opened yet has none: the default mode is returned.
func (d *DB) CryptoMode(ctx context.Context) (crypt.Mode, string, error) {
	var mode, keyID string
	err := d.W.QueryRowContext(ctx, "SELECT mode, key_id FROM crypto_mode WHERE id = 1").Scan(&mode, &keyID)
	if err == sql.ErrNoRows {
		return crypt.Default, "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("db: read crypto mode: %w", err)
	}
	return crypt.Mode(mode), keyID, nil
}

// SetCryptoKeyTx records, inside a key rotation's transaction, that the
// database's fields are now sealed under the SM4 key keyID.
func SetCryptoKeyTx(ctx context.Context, tx *sql.Tx, keyID string) error {
	res, err := tx.ExecContext(ctx, "UPDATE crypto_mode SET key_id = $1, set_at = $2 WHERE id = 1 AND mode = $3", keyID, Now(), string(crypt.GM))
	if err != nil {
		return fmt.Errorf("db: record crypto key: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errors.New("db: record crypto key: the database is not in the gm mode")
	}
	return nil
}
