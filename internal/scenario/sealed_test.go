package scenario_test

import (
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/scenario"
)

// In the gm mode a need's contact phone and an objector's contact are
// sealed in their rows (read here straight from the tables) and read back
// through the service, to those who may see them; the public still sees
// no contact. In the default mode they are stored as typed.
func TestContactsSealedInGMMode(t *testing.T) {
	for _, mode := range []string{"default", "gm"} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv("GAOXIN_TEST_CRYPTO", mode)
			f := newFixture(t)
			if f.DB.Crypto.GM() != (mode == "gm") {
				t.Fatalf("the database is in the %s mode", f.DB.Crypto.Mode())
			}
			const phone = "0371-6758 1234"
			n, a, c := f.inEvaluation()
			var raw string
			f.scan(&raw, "SELECT contact_phone FROM scenario_needs WHERE id = $1", n.ID)
			dbtest.CheckSealed(t, f.DB, "scenario_needs.contact_phone", raw, phone)
			if n.ContactPhone != phone {
				t.Fatalf("staff read the phone as %q", n.ContactPhone)
			}
			page, err := f.S.List(f.ctx, f.unit, scenario.Filter{Mine: true})
			if err != nil || len(page.Needs) != 1 || page.Needs[0].ContactPhone != phone {
				t.Fatalf("the owner's list: %+v %v", page.Needs, err)
			}
			if page, err := f.S.List(f.ctx, f.anon, scenario.Filter{}); err != nil || len(page.Needs) != 1 || page.Needs[0].ContactPhone != "" {
				t.Fatalf("the public list: %+v %v", page.Needs, err)
			}
			// To the notice, and an objection with a phone as its contact.
			if _, err := f.S.SetRules(f.ctx, f.staff, n.ID, scenario.Rules{Criteria: scenario.DefaultCriteria}); err != nil {
				t.Fatal(err)
			}
			r := f.reviewer("zj1", "")
			f.score(f.assign(a.ID, r), r, scores("24", "12", "12", "12"))
			f.score(f.assign(c.ID, r), r, scores("28", "14", "14", "14"))
			if _, err := f.S.ChooseWinner(f.ctx, f.staff, n.ID, c.ID, ""); err != nil {
				t.Fatal(err)
			}
			o, err := f.S.FileObjection(f.ctx, n.ID, scenario.NewObjection{Name: "王五", Contact: "13800000000", Reason: "中标企业的团队人员与材料不符，请核查。"})
			if err != nil {
				t.Fatal(err)
			}
			f.scan(&raw, "SELECT contact FROM scenario_objections WHERE id = $1", o.ID)
			dbtest.CheckSealed(t, f.DB, "scenario_objections.contact", raw, "13800000000")
			os, err := f.S.Objections(f.ctx, f.staff, n.ID)
			if err != nil || len(os) != 1 || os[0].Contact != "13800000000" {
				t.Fatalf("staff read the objections: %+v %v", os, err)
			}

			// A need imported from a batch file is sealed alike (before its
			// deadline).
			f.now = time.Date(2023, 5, 10, 9, 0, 0, 0, db.CST)
			b, err := f.S.CreateBatch(f.ctx, f.staff, "2023 年第三批")
			if err != nil {
				t.Fatal(err)
			}
			imp, err := f.S.ImportBatch(f.ctx, f.staff, b.ID, "batch.xlsx", f.sheet(goodRow("导入的场景")))
			if err != nil || len(imp.NeedIDs) != 1 {
				t.Fatalf("import: %+v %v", imp, err)
			}
			f.scan(&raw, "SELECT contact_phone FROM scenario_needs WHERE id = $1", imp.NeedIDs[0])
			dbtest.CheckSealed(t, f.DB, "scenario_needs.contact_phone", raw, phone)
		})
	}
}
