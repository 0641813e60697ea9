package award

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// testIndicators are the registry's figure codes the tests use, with scales.
var testIndicators = []struct {
	code, zh, unit string
	scale          int
}{
	{"revenue", "营业收入", "元", 2}, {"taxes", "税收", "元", 2}, {"rd_spend", "研发投入", "元", 2},
	{"employees", "从业人员", "人", 0}, {"rd_staff", "研发人员", "人", 0}, {"patents", "有效发明专利", "件", 0},
	{"trade", "进出口额", "元", 2}, {"financing", "融资额", "元", 2}, {"land", "用地面积", "亩", 2}, {"energy", "综合能耗", "吨标煤", 2},
}

type fixture struct {
	t   testing.TB
	ctx context.Context
	DB  *db.DB
	S   *Service
	now time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	a := audit.New(d)
	o := org.New(d, a)
	f := &fixture{t: t, DB: d, S: New(d, a, enterprise.New(d, a, o, enterprise.Options{}), o), now: time.Date(2023, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.S.Now = func() time.Time { return f.now }
	f.ctx = audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for i, ind := range testIndicators {
		f.exec(`INSERT INTO figure_indicators (code, name_zh, unit, scale, sort) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
			ind.code, ind.zh, ind.unit, ind.scale, i)
	}
	return f
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.DB.W.ExecContext(context.Background(), q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// as returns a context acting as user id.
func (f *fixture) as(id int64) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{ID: id, Name: fmt.Sprint("user", id)})
}

// mustCreateEnterprise inserts an enterprise registered on regOn.
func (f *fixture) mustCreateEnterprise(credit, name, regOn string) int64 {
	f.t.Helper()
	var id int64
	err := f.DB.W.QueryRowContext(context.Background(), `INSERT INTO enterprises (credit_code, name, registered_on, synthetic, created_at, updated_at)
		VALUES ($1,$2,$3,TRUE,1,1) RETURNING id`, credit, name, regOn).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// mustSetFigure stores a yearly figure from a source with a status.
func (f *fixture) mustSetFigure(ent int64, code string, year int, source string, value int64, status string) {
	f.t.Helper()
	f.exec(`INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_at) VALUES ($1,$2,$3,0,$4,$5,$6,1)`,
		ent, code, year, source, value, status)
}

// fig stores a confirmed statistics figure.
func (f *fixture) fig(ent int64, code string, year int, value int64) {
	f.t.Helper()
	f.mustSetFigure(ent, code, year, "stats", value, "confirmed")
}

func (f *fixture) mustAddTier(ent int64, tier, validTo string) {
	f.t.Helper()
	f.exec(`INSERT INTO enterprise_tiers (enterprise_id, tier, valid_to, created_at) VALUES ($1,$2,$3,1)`, ent, tier, validTo)
}

// mustCreateUser inserts an account with a role, linked to an enterprise if ent ≠ 0.
func (f *fixture) mustCreateUser(username, role string, ent int64) int64 {
	f.t.Helper()
	var id int64
	var e any
	if ent != 0 {
		e = ent
	}
	err := f.DB.W.QueryRowContext(context.Background(), `INSERT INTO users (username, role, password_hash, enterprise_id, created_at, updated_at)
		VALUES ($1,$2,'x',$3,1,1) RETURNING id`, username, role, e).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// ok takes a (value, error) result and returns a function that fails the
// test on the error and otherwise gives the value: ok(s.Apply(…))(t).
func ok[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
