package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
)

func suite(t *testing.T, key string) *crypt.Suite {
	t.Helper()
	s, err := crypt.New(crypt.GM, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sealedWorld is an app over a gm database with a value in every sealed
// column: written through the services where a short path leads there,
// and inserted sealed for the two objections, which need a public notice.
type sealedWorld struct {
	a     *app.App
	dsn   string
	ctx   context.Context
	plain map[string][]string // column → the values typed into it
	entID int64
}

func newSealedWorld(t *testing.T, s *crypt.Suite) *sealedWorld {
	t.Helper()
	d, dsn := dbtest.OpenCrypto(t, s)
	w := &sealedWorld{a: app.New(d, app.Options{Argon: &org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}), dsn: dsn,
		ctx: audit.WithActor(context.Background(), audit.Actor{Name: "test"}), plain: map[string][]string{}}
	a, ctx := w.a, w.ctx
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := a.Org.CreateUnit(ctx, org.Unit{Code: "dsj", NameZH: "大数据局", Kind: "内设机构"})
	must(err)
	sup, err := a.Org.CreateUser(ctx, org.NewUser{Username: "sup", Role: org.Supervisor, Password: "correct-horse-battery"})
	must(err)
	unit, err := a.Org.CreateUser(ctx, org.NewUser{Username: "dsj1", Role: org.UnitStaff, UnitCode: "dsj", Password: "correct-horse-battery"})
	must(err)

	staff := enterprise.Viewer{UserID: sup.ID, Role: org.Supervisor}
	e, err := a.Enterprise.Create(ctx, staff, enterprise.Input{CreditCode: "914403001922038216", Name: "甲科技有限公司"})
	must(err)
	w.entID = e.ID
	_, err = a.Enterprise.SetBankAccount(ctx, staff, e.ID, enterprise.BankAccount{BankName: "中国银行郑州高新区支行", Account: "6222020200112233445"})
	must(err)
	w.plain["enterprises.bank_account"] = []string{"6222020200112233445"}

	_, err = a.Finance.Create(ctx, finance.Viewer{UserID: sup.ID, Role: org.Supervisor}, finance.InstitutionInput{Kind: finance.KindVCPE,
		Name: "郑州创投", CreditCode: "91330100716105852F", SettledOn: "2023-03-01", Stages: []string{"a"}, Instruments: []string{"equity"},
		Contacts: []finance.Contact{{Name: "陈经理", Phone: "0371-6000 0001"}, {Name: "林经理", Phone: "0371-6000 0002"}}})
	must(err)
	w.plain["finance_contacts.phone"] = []string{"0371-6000 0001", "0371-6000 0002"}

	n, err := a.Scenario.Submit(ctx, scenario.Viewer{UserID: unit.ID, Role: org.UnitStaff, UnitID: unit.UnitID, UnitName: "大数据局"},
		scenario.NeedInput{Title: "城市道路积水智能监测", Category: scenario.CatService, Chains: []string{"iot"}, Problem: "汛期道路积水无法及时发现",
			BudgetFen: 500_000_00, PriceCap: true, Deadline: "2099-06-30", EndsOn: "2099-12-31", ContactName: "王工", ContactPhone: "0371-6758 1234"}, nil)
	must(err)
	w.plain["scenario_needs.contact_phone"] = []string{"0371-6758 1234"}

	p, err := a.Award.CreateProgramme(ctx, award.NewProgramme{Year: 2023, NameZH: "上市之星奖", Kind: award.KindPrize, BudgetFen: 300_000_00,
		NoticeDays: 1, Rules: award.Rules{DataYear: 2022, Money: award.MoneyRule{Kind: "manual"},
			Terms: []award.Term{{Code: "taxes", NameZH: "税收", Source: award.SourceFigure, Indicator: "taxes", Transform: award.TransformMinMax, Weight: 100}}}})
	must(err)
	_, err = a.Award.Advance(ctx, p.ID, award.StateOpen)
	must(err)
	_, err = a.Award.Apply(ctx, p.ID, e.ID, "本企业研发投入强度高于行业水平，特此申报。", "张三 13800000000", nil)
	must(err)
	w.plain["award_applications.contact"] = []string{"张三 13800000000"}

	for _, x := range []struct{ field, q string }{
		{"award_objections.contact", fmt.Sprintf("INSERT INTO award_objections (programme_id, name, contact, reason, created_at) VALUES (%d, '王五', $1, '理由', 1)", p.ID)},
		{"scenario_objections.contact", fmt.Sprintf("INSERT INTO scenario_objections (need_id, name, contact, reason, receipt_hash, created_at) VALUES (%d, '赵六', $1, '理由', '', 1)", n.ID)},
	} {
		v, err := s.Seal(x.field, "13700000000")
		must(err)
		_, err = d.W.Exec(x.q, v)
		must(err)
		w.plain[x.field] = []string{"13700000000"}
	}
	return w
}

// stored reads every non-empty value of a sealed column, in id order.
func stored(t *testing.T, d *db.DB, c crypt.Column) []string {
	t.Helper()
	rows, err := d.R.Query("SELECT " + c.Name + " FROM " + c.Table + " WHERE " + c.Name + " <> '' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// A rotation leaves every sealed field of every module under the new key,
// readable with it (in the table and through the services) and with the
// old key none; the database records the new key, so the old key file no
// longer opens it, and the trail has the rotation.
func TestRotateKeyResealsEveryField(t *testing.T) {
	ctx := context.Background()
	old, nw := suite(t, "old key 00000000"), suite(t, "new key 11111111")
	w := newSealedWorld(t, old)
	a := w.a
	cols := app.SealedColumns()
	if len(cols) != len(w.plain) {
		t.Fatalf("%d sealed columns, the test fills %d: give the new column a value here", len(cols), len(w.plain))
	}
	for _, c := range cols {
		vals := stored(t, a.DB, c)
		if len(vals) != len(w.plain[c.Field()]) {
			t.Fatalf("%s holds %d values, want %d", c.Field(), len(vals), len(w.plain[c.Field()]))
		}
		for i, v := range vals {
			dbtest.CheckSealed(t, a.DB, c.Field(), v, w.plain[c.Field()][i])
		}
	}

	r, err := a.RotateKey(w.ctx, nw)
	if err != nil {
		t.Fatal(err)
	}
	if r.From != old.KeyID() || r.To != nw.KeyID() || a.DB.Crypto != nw {
		t.Fatalf("rotation %+v", r)
	}
	for _, c := range cols {
		if r.Moved[c.Field()] != len(w.plain[c.Field()]) {
			t.Errorf("%s: %d values moved, want %d", c.Field(), r.Moved[c.Field()], len(w.plain[c.Field()]))
		}
		for i, v := range stored(t, a.DB, c) {
			if got, err := nw.Open(c.Field(), v); err != nil || got != w.plain[c.Field()][i] {
				t.Errorf("%s under the new key: %q %v", c.Field(), got, err)
			}
			if _, err := old.Open(c.Field(), v); err == nil {
				t.Errorf("%s still opens under the old key", c.Field())
			}
		}
	}
	if b, err := a.Enterprise.BankAccount(ctx, enterprise.Viewer{Role: org.Supervisor}, w.entID); err != nil || b.Account != "6222020200112233445" {
		t.Fatalf("the service reads the account after the rotation: %+v %v", b, err)
	}
	if _, id, _ := a.DB.CryptoMode(ctx); id != nw.KeyID() {
		t.Fatalf("recorded key %s, want %s", id, nw.KeyID())
	}
	again, err := db.Open(ctx, w.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.UseCrypto(ctx, old); err == nil || !strings.Contains(err.Error(), nw.KeyID()) {
		t.Fatalf("the old key opened the rotated database: %v", err)
	}
	if err := again.UseCrypto(ctx, nw); err != nil {
		t.Fatalf("the new key: %v", err)
	}
	rows, err := a.Audit.List(ctx, audit.Filter{ObjectType: "crypto_key", Limit: 5})
	if err != nil || len(rows) != 1 || rows[0].Action != "crypto.rotate" || !strings.Contains(rows[0].After, nw.KeyID()) {
		t.Fatalf("audit rows %+v %v", rows, err)
	}
	if n, err := a.Audit.Verify(ctx); err != nil || n == 0 {
		t.Fatalf("audit verify after the rotation: %d %v", n, err)
	}
	// Once more is refused (the same key); back to the old one works.
	if _, err := a.RotateKey(w.ctx, nw); err == nil {
		t.Fatal("a rotation to the current key was accepted")
	}
	if _, err := a.RotateKey(w.ctx, old); err != nil {
		t.Fatalf("rotate back: %v", err)
	}
}

// A value the current key cannot open stops the rotation before anything
// is written: every field stays under the old key, and so does the record.
func TestRotateIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	old, nw, stray := suite(t, "old key 00000000"), suite(t, "new key 11111111"), suite(t, "a third key 2222")
	w := newSealedWorld(t, old)
	a := w.a
	v, _ := stray.Seal("scenario_objections.contact", "13700000000")
	if _, err := a.DB.W.Exec("UPDATE scenario_objections SET contact = $1", v); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RotateKey(w.ctx, nw); err == nil || !strings.Contains(err.Error(), stray.KeyID()) {
		t.Fatalf("rotation over a stray value: %v", err)
	}
	if a.DB.Crypto != old {
		t.Fatal("the handle moved to the new key after a failed rotation")
	}
	for _, c := range app.SealedColumns() {
		for _, v := range stored(t, a.DB, c) {
			if id := crypt.SealedKeyID(v); id != old.KeyID() && c.Table != "scenario_objections" {
				t.Errorf("%s under key %s after a failed rotation", c.Field(), id)
			}
		}
	}
	if _, id, _ := a.DB.CryptoMode(ctx); id != old.KeyID() {
		t.Fatalf("recorded key %s after a failed rotation", id)
	}
	// A default database has no key to rotate.
	d, _ := dbtest.OpenCrypto(t, nil)
	if _, err := app.New(d, app.Options{}).RotateKey(w.ctx, nw); err == nil {
		t.Fatal("a default database rotated")
	}
}
