package finance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

type fixture struct {
	t   testing.TB
	ctx context.Context
	DB  *db.DB
	S   *finance.Service
	now time.Time

	staff, leader, unit, anon finance.Viewer
	entA, entB                finance.Viewer // two enterprises
	codeA, codeB              string
	users                     int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	a := audit.New(d)
	o := org.New(d, a)
	reg := enterprise.New(d, a, o, enterprise.Options{})
	f := &fixture{t: t, DB: d, S: finance.New(d, a, reg, o), now: time.Date(2023, 6, 10, 9, 0, 0, 0, db.CST)}
	f.S.Now = func() time.Time { return f.now }
	f.S.Award = award.New(d, a, reg, o)
	f.S.Award.Now = f.S.Now
	f.ctx = audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	f.staff = finance.Viewer{UserID: f.user("sup", org.Supervisor), Role: org.Supervisor}
	f.leader = finance.Viewer{UserID: f.user("boss", org.Leader), Role: org.Leader}
	f.unit = finance.Viewer{UserID: f.user("unit1", org.UnitStaff), Role: org.UnitStaff}
	f.codeA, f.codeB = "914403001922038216", "91330100716105852F"
	f.entA = finance.Viewer{UserID: f.user("qa", org.Enterprise), Role: org.Enterprise, EnterpriseID: f.ent(f.codeA, "甲科技有限公司", "iot_sensor")}
	f.entB = finance.Viewer{UserID: f.user("qb", org.Enterprise), Role: org.Enterprise, EnterpriseID: f.ent(f.codeB, "乙材料有限公司", "nm_superhard")}
	return f
}

func (f *fixture) user(name string, role org.Role) int64 {
	var id int64
	f.scan(&id, `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1,$2,'x',1,1) RETURNING id`, name, string(role))
	return id
}

func (f *fixture) ent(code, name, chain string) int64 {
	var id int64
	f.scan(&id, `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at) VALUES ($1,$2,TRUE,1,1) RETURNING id`, code, name)
	if _, err := f.DB.W.ExecContext(context.Background(), `INSERT INTO enterprise_chains (enterprise_id, node_id)
		SELECT $1, id FROM chain_nodes WHERE code = $2`, id, chain); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) scan(dst any, q string, args ...any) {
	f.t.Helper()
	if err := f.DB.W.QueryRowContext(context.Background(), q, args...).Scan(dst); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	f.scan(&n, q, args...)
	return n
}

// code makes the n-th valid synthetic credit code.
func code(n int) string { return uscc.Complete(fmt.Sprintf("914101007%07d", n)) }

// investor makes an investor account.
func (f *fixture) investor(name string) finance.Viewer {
	return finance.Viewer{UserID: f.user(name, org.Investor), Role: org.Investor, Name: name}
}

// yuan is an amount of 元 in fen; wan of 万元; yi of 亿元.
func wan(n int64) int64 { return n * 1_000_000 }
func yi(n int64) int64  { return n * 10_000_000_000 }

// vc is a VC profile in the IoT chain, A and B rounds, equity, 1,000 万
// to 1 亿 a deal.
func vc(n int, name string) finance.InstitutionInput {
	return finance.InstitutionInput{Kind: finance.KindVCPE, Name: name, CreditCode: code(n), AUMFen: yi(50),
		TicketMinFen: wan(1000), TicketMaxFen: yi(1), SettledOn: "2023-03-01", Stages: []string{"a", "b"},
		Instruments: []string{"equity"}, Chains: []string{"iot"},
		Contacts: []finance.Contact{{Name: "陈经理", Title: "投资总监", Phone: "0371-6000 0001", Email: "chen@example.com"}}}
}

// approved registers an institution through an investor account and has
// staff approve it; it returns the account and the institution.
func (f *fixture) approved(user string, in finance.InstitutionInput) (finance.Viewer, finance.Institution) {
	f.t.Helper()
	v := f.investor(user)
	i, err := f.S.Register(f.ctx, v, in)
	if err != nil {
		f.t.Fatal(err)
	}
	if i, err = f.S.Approve(f.ctx, f.staff, i.ID); err != nil {
		f.t.Fatal(err)
	}
	return v, i
}

func wantErr(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	if field == "" || e.Field == field {
		return
	}
	for _, d := range e.Details {
		if d.Field == field {
			return
		}
	}
	t.Fatalf("want an error naming %q, got %v (%+v)", field, err, e.Details)
}

func itoa(n int64) string { return fmt.Sprint(n) }
