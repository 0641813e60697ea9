package enterprise_test

import (
	"slices"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// TestMemoAcrossServers runs a second registry (its own connections and
// memo) on the fixture's database, as a second app server: every kind of
// registry write made on either is seen by both at their next read of
// list pages, indicators, the chain tree and expiring certificates.
func TestMemoAcrossServers(t *testing.T) {
	f := newFixture(t)
	d2 := dbtest.Reopen(t, f.dsn)
	a2 := audit.New(d2)
	other := enterprise.New(d2, a2, org.New(d2, a2), enterprise.Options{})
	servers := []*enterprise.Service{f.svc, other}
	names := func(s *enterprise.Service, flt enterprise.Filter) []string {
		t.Helper()
		p, err := s.List(f.ctx, staff, flt)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range p.Items {
			out = append(out, e.Name)
		}
		return out
	}
	both := func(what string, ok func(*enterprise.Service) bool) {
		t.Helper()
		for i, s := range servers {
			if !ok(s) {
				t.Fatalf("after %s, server %d reads stale data", what, i+1)
			}
		}
	}
	all := enterprise.Filter{}
	both("nothing", func(s *enterprise.Service) bool { return len(names(s, all)) == 0 })

	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010071610585"), Name: "郑州甲科技有限公司", Area: "sf"})
	both("a create", func(s *enterprise.Service) bool { return slices.Equal(names(s, all), []string{a.Name}) })

	in := enterprise.Input{CreditCode: a.CreditCode, Name: "郑州乙科技有限公司", Area: "gz", Version: a.Version}
	if _, err := other.Update(f.ctx, staff, a.ID, in); err != nil {
		t.Fatal(err)
	}
	both("an update on the other server", func(s *enterprise.Service) bool {
		return slices.Equal(names(s, all), []string{"郑州乙科技有限公司"}) && len(names(s, enterprise.Filter{Area: "sf"})) == 0
	})

	rich := enterprise.Filter{Indicator: "revenue", Year: 2023, Min: new(int64(1))}
	both("no figures", func(s *enterprise.Service) bool { return len(names(s, rich)) == 0 })
	if err := f.svc.SetFigures(f.ctx, staff, a.ID, []enterprise.FigureInput{{Indicator: "revenue", Year: 2023, Value: 500_000_00}}); err != nil {
		t.Fatal(err)
	}
	both("a figure", func(s *enterprise.Service) bool { return len(names(s, rich)) == 1 })

	soon := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	expiring := func(s *enterprise.Service) int {
		l, err := s.Expiring(f.ctx, staff, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	both("no certificate", func(s *enterprise.Service) bool {
		return expiring(s) == 0 && len(names(s, enterprise.Filter{Tier: "hnte"})) == 0
	})
	if _, err := other.AddTier(f.ctx, staff, a.ID, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR1", ValidFrom: "2023-01-01", ValidTo: soon}); err != nil {
		t.Fatal(err)
	}
	both("a certificate", func(s *enterprise.Service) bool {
		return expiring(s) == 1 && len(names(s, enterprise.Filter{Tier: "hnte"})) == 1
	})

	hasChain := func(s *enterprise.Service) bool {
		tree, err := s.ChainTree(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(tree, func(n enterprise.ChainNode) bool { return n.Code == "memo_chain" })
	}
	both("no new chain node", func(s *enterprise.Service) bool { return !hasChain(s) })
	if _, err := f.svc.AddChainNode(f.ctx, staff, enterprise.ChainNode{Code: "memo_chain", NameZH: "缓存测试"}, ""); err != nil {
		t.Fatal(err)
	}
	both("a chain node", hasChain)

	hasIndicator := func(s *enterprise.Service) bool {
		inds, err := s.Indicators(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.DetailWithHistory(f.ctx, staff, a.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		in := func(l []enterprise.Indicator) bool {
			return slices.ContainsFunc(l, func(i enterprise.Indicator) bool { return i.Code == "memo_ind" })
		}
		if in(inds) != in(d.Indicators) {
			t.Fatal("the detail's indicators and Indicators disagree")
		}
		return in(inds)
	}
	both("no new indicator", func(s *enterprise.Service) bool { return !hasIndicator(s) })
	if _, err := other.SaveIndicator(f.ctx, staff, enterprise.Indicator{Code: "memo_ind", NameZH: "缓存测试", Unit: "个"}); err != nil {
		t.Fatal(err)
	}
	both("an indicator", hasIndicator)

	both("before an import", func(s *enterprise.Service) bool { return len(names(s, all)) == 1 })
	data := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称"}, {uscc.Complete("9141010271610586"), "郑州导入有限公司"}})
	if res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "m.xlsx"}); err != nil || !res.Written {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	both("an import", func(s *enterprise.Service) bool { return len(names(s, all)) == 2 })
}
