package enterprise_test

import (
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
)

// In the gm mode the bank account number is sealed in its row (read here
// straight from the table), reads back through the service and the awards
// module's read, and the audit trail keeps only its last four digits. In
// the default mode it is stored as typed, as before.
func TestBankAccountSealedInGMMode(t *testing.T) {
	for _, mode := range []string{"default", "gm"} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv("GAOXIN_TEST_CRYPTO", mode)
			f := newFixture(t)
			d := f.svc.DB
			if d.Crypto.GM() != (mode == "gm") {
				t.Fatalf("the database is in the %s mode", d.Crypto.Mode())
			}
			e := f.mustCreate(t, enterprise.Input{CreditCode: "914403001922038216", Name: "甲", Area: "sf"})
			const account = "6222020200112233445"
			if _, err := f.svc.SetBankAccount(f.ctx, staff, e.ID, enterprise.BankAccount{BankName: "中国银行郑州高新区支行", Account: "6222 0202 0011 2233 445"}); err != nil {
				t.Fatal(err)
			}
			var raw, bank string
			if err := d.R.QueryRow("SELECT bank_account, bank_name FROM enterprises WHERE id = $1", e.ID).Scan(&raw, &bank); err != nil {
				t.Fatal(err)
			}
			dbtest.CheckSealed(t, d, "enterprises.bank_account", raw, account)
			if bank != "中国银行郑州高新区支行" {
				t.Errorf("bank name stored as %q", bank)
			}
			if b, err := f.svc.BankAccount(f.ctx, staff, e.ID); err != nil || b.Account != account {
				t.Fatalf("read back: %+v %v", b, err)
			}
			if m, err := enterprise.BankAccounts(f.ctx, d.Crypto, d.R, []int64{e.ID}); err != nil || m[e.ID].Account != account {
				t.Fatalf("BankAccounts: %+v %v", m, err)
			}
			rows, err := f.svc.Audit.List(f.ctx, audit.Filter{ObjectType: "enterprise_bank", Limit: 10})
			if err != nil || len(rows) != 1 {
				t.Fatalf("audit rows: %d %v", len(rows), err)
			}
			if shows := strings.Contains(rows[0].After, account); shows == (mode == "gm") {
				t.Errorf("%s mode: the audit row reads %s", mode, rows[0].After)
			}
		})
	}
}
