package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// BankAccount is where an enterprise is paid (开户银行 and 银行账号). It is
// kept apart from Enterprise so that no page, answer or file that shows an
// enterprise to another role can carry it: staff read it here, the awards
// payment list through BankAccounts.
type BankAccount struct {
	EnterpriseID int64  `json:"enterprise_id"`
	BankName     string `json:"bank_name"`
	Account      string `json:"account"`
}

// bankAccount is the sealed column of the account number: stored sealed
// with SM4-GCM in the national cryptographic mode (internal/crypt), as
// typed otherwise. The bank's name is not sealed.
var bankAccount = crypt.Column{Table: "enterprises", Name: "bank_account"}

// Sealed lists the registry's sealed columns, for a key rotation.
var Sealed = []crypt.Column{bankAccount}

// Empty reports whether no bank is recorded.
func (b BankAccount) Empty() bool { return b.BankName == "" && b.Account == "" }

// BankAccount returns enterprise id's bank account. Errors: Forbidden (v is
// not registry staff), NotFound.
func (s *Service) BankAccount(ctx context.Context, v Viewer, id int64) (BankAccount, error) {
	if !v.Staff() {
		return BankAccount{}, errNoAccess
	}
	// One id through a kept statement: the staff's detail page reads it
	// on every view, and a literal id list is a new statement each time.
	b := BankAccount{EnterpriseID: id}
	err := db.Reader{D: s.DB}.QueryRowContext(ctx, "SELECT bank_name, bank_account FROM enterprises WHERE id = $1", id).Scan(&b.BankName, &b.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return BankAccount{}, errNotFound
	}
	if err != nil {
		return BankAccount{}, fmt.Errorf("enterprise: bank account of %d: %w", id, err)
	}
	if b.Account, err = s.DB.Crypto.Open(bankAccount.Field(), b.Account); err != nil {
		return BankAccount{}, fmt.Errorf("enterprise: bank account of %d: %w", id, err)
	}
	return b, nil
}

// BankAccounts reads the bank accounts of the enterprises ids (at most
// 10,000; unknown ids are left out of the map) on q, inside or outside the
// caller's transaction, opening the sealed account numbers with c (the
// database's suite, db.DB.Crypto). It checks no viewer: it is the
// registry's read for another module's staff-only work (the awards
// payment list), which answers for who sees the result.
func BankAccounts(ctx context.Context, c *crypt.Suite, q db.Querier, ids []int64) (map[int64]BankAccount, error) {
	out := map[int64]BankAccount{}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) > 10_000 {
		return nil, errs.New(errs.Invalid, "一次最多读取 10000 家企业的账户", "at most 10,000 enterprises' accounts at a time")
	}
	rows, err := q.QueryContext(ctx, "SELECT id, bank_name, bank_account FROM enterprises WHERE id IN ("+idList(ids)+") ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("enterprise: bank accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BankAccount
		if err := rows.Scan(&b.EnterpriseID, &b.BankName, &b.Account); err != nil {
			return nil, err
		}
		if b.Account, err = c.Open(bankAccount.Field(), b.Account); err != nil {
			return nil, fmt.Errorf("enterprise: bank account of %d: %w", b.EnterpriseID, err)
		}
		out[b.EnterpriseID] = b
	}
	return out, rows.Err()
}

// SetBankAccount records enterprise id's bank and account, audited (as an
// enterprise_bank object, outside the enterprise's own change history,
// which other roles read). Errors: Forbidden, Invalid (field named),
// NotFound.
func (s *Service) SetBankAccount(ctx context.Context, v Viewer, id int64, b BankAccount) (BankAccount, error) {
	if !v.Writes() {
		return BankAccount{}, errNoWrite
	}
	b.EnterpriseID = id
	b.BankName = strings.TrimSpace(b.BankName)
	b.Account = normalizeAccount(b.Account)
	if err := checkBank(b); err != nil {
		return BankAccount{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := BankAccounts(ctx, s.DB.Crypto, tx, []int64{id})
		if err != nil {
			return err
		}
		old, ok := before[id]
		if !ok {
			return errNotFound
		}
		if old == b {
			return nil
		}
		sealed, err := s.DB.Crypto.Seal(bankAccount.Field(), b.Account)
		if err != nil {
			return fmt.Errorf("enterprise: set bank account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE enterprises SET bank_name = $1, bank_account = $2 WHERE id = $3", b.BankName, sealed, id); err != nil {
			return fmt.Errorf("enterprise: set bank account: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.bank.update", ObjectType: "enterprise_bank",
			ObjectID: strconv.FormatInt(id, 10), Before: s.auditBank(old), After: s.auditBank(b)})
	})
	if err != nil {
		return BankAccount{}, err
	}
	return b, nil
}

// auditBank is the trail's view of a bank account: in the national mode,
// where the number is sealed at rest, the trail keeps only its last four
// characters, so the audit log does not hold it in the clear.
func (s *Service) auditBank(b BankAccount) BankAccount {
	if s.DB.Crypto.GM() && len(b.Account) > 4 {
		b.Account = "****" + b.Account[len(b.Account)-4:]
	}
	return b
}

// normalizeAccount keeps an account number as banks print it, without the
// spaces and dashes people group it with, full-width digits made half-width.
func normalizeAccount(s string) string {
	s = halfWidth(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// checkBank accepts both empty (nothing recorded) or a bank name of up to
// 100 characters with an account of 6–40 digits (letters allowed, as some
// banks' settlement accounts have them).
func checkBank(b BankAccount) error {
	if b.Empty() {
		return nil
	}
	switch {
	case b.BankName == "":
		return errs.Field("bank_name", "请填写开户银行", "the bank is required with an account")
	case utf8.RuneCountInString(b.BankName) > 100:
		return errs.Field("bank_name", "开户银行名称过长（最多 100 字）", "bank name too long (at most 100 characters)")
	case b.Account == "":
		return errs.Field("bank_account", "请填写银行账号", "the account number is required with a bank")
	}
	if len(b.Account) < 6 || len(b.Account) > 40 {
		return errs.Field("bank_account", "银行账号须为 6–40 位数字或字母", "an account number has 6–40 digits or letters")
	}
	for _, r := range b.Account {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return errs.Field("bank_account", "银行账号只能含数字和字母："+b.Account, "an account number holds digits and letters only: "+b.Account)
		}
	}
	return nil
}
