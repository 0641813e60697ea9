package award

import (
	"testing"

	"gaoxin/internal/db/dbtest"
)

// In the gm mode the contact an enterprise gives with its application and
// the one the public gives with an objection are sealed in their rows
// (read here straight from the tables) and read back through the service.
// In the default mode they are stored as typed.
func TestContactsSealedInGMMode(t *testing.T) {
	for _, mode := range []string{"default", "gm"} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv("GAOXIN_TEST_CRYPTO", mode)
			w := newFlow(t)
			s, sup := w.S, w.as(w.sup)
			if s.DB.Crypto.GM() != (mode == "gm") {
				t.Fatalf("the database is in the %s mode", s.DB.Crypto.Mode())
			}
			var raw string
			if err := s.DB.R.QueryRow("SELECT contact FROM award_applications WHERE id = $1", w.app1.ID).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			dbtest.CheckSealed(t, s.DB, "award_applications.contact", raw, "张三 13800000000")
			if a := ok(s.Application(w.ctx, w.app1.ID))(t); a.Contact != "张三 13800000000" {
				t.Fatalf("application contact read back as %q", a.Contact)
			}
			w.review(t)
			ok(s.RankProgramme(sup, w.prog.ID))(t)
			ok(s.Advance(sup, w.prog.ID, StateNotice))(t)
			obj := ok(s.FileObjection(w.ctx, w.prog.ID, NewObjection{Name: "王五", Contact: "wang@example.com 13700000000",
				Reason: "乙公司 2022 年税收数据有误，实际仅为一千元。"}, nil))(t)
			if err := s.DB.R.QueryRow("SELECT contact FROM award_objections WHERE id = $1", obj.ID).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			dbtest.CheckSealed(t, s.DB, "award_objections.contact", raw, "wang@example.com 13700000000")
			if os := ok(s.Objections(w.ctx, w.prog.ID))(t); len(os) != 1 || os[0].Contact != "wang@example.com 13700000000" {
				t.Fatalf("objections read back: %+v", os)
			}
		})
	}
}
