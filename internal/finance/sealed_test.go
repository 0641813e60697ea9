package finance_test

import (
	"testing"

	"gaoxin/internal/db/dbtest"
)

// In the gm mode a contact's phone is sealed in its row (read here
// straight from the table) and reads back through the service; name and
// e-mail stay as typed. In the default mode the phone is as typed too.
func TestContactPhoneSealedInGMMode(t *testing.T) {
	for _, mode := range []string{"default", "gm"} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv("GAOXIN_TEST_CRYPTO", mode)
			f := newFixture(t)
			if f.DB.Crypto.GM() != (mode == "gm") {
				t.Fatalf("the database is in the %s mode", f.DB.Crypto.Mode())
			}
			_, i := f.approved("inv1", vc(1, "郑州创投"))
			var raw, nameEmail string
			f.scan(&raw, "SELECT phone FROM finance_contacts WHERE institution_id = $1", i.ID)
			f.scan(&nameEmail, "SELECT name || ' ' || email FROM finance_contacts WHERE institution_id = $1", i.ID)
			dbtest.CheckSealed(t, f.DB, "finance_contacts.phone", raw, "0371-6000 0001")
			if nameEmail != "陈经理 chen@example.com" {
				t.Errorf("name and e-mail stored as %q", nameEmail)
			}
			got, err := f.S.Institution(f.ctx, f.staff, i.ID)
			if err != nil || len(got.Contacts) != 1 || got.Contacts[0].Phone != "0371-6000 0001" {
				t.Fatalf("read back: %+v %v", got.Contacts, err)
			}
		})
	}
}
