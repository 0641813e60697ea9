package enterprise_test

import (
	"fmt"
	"slices"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/memo"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

func TestNameSearch(t *testing.T) {
	f := newFixture(t)
	sensor := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010071610585"), Name: "郑州演示传感有限公司"})
	renamed := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("91410100MA5DC6QX"), Name: "郑州新名科技有限公司",
		FormerNames: []string{"郑州旧号电子厂", "河南老字号商行"}})
	latin := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010271610586"), Name: "ABC智能Robot有限公司"})
	odd := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010371610587"), Name: "器传感器50%_公司"})
	moved := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010471610588"), Name: "郑州改名前有限公司"})
	in := enterprise.Input{CreditCode: moved.CreditCode, Name: "郑州改名后有限公司", FormerNames: []string{"郑州改名前有限公司"}, Version: moved.Version}
	if _, err := f.svc.Update(f.ctx, staff, moved.ID, in); err != nil {
		t.Fatal(err)
	}
	// An enterprise written by other code (another module's demo data) is
	// indexed by the next name search.
	var outside int64
	if err := f.svc.DB.W.QueryRowContext(f.ctx, `INSERT INTO enterprises (credit_code, name, created_at, updated_at)
		VALUES ($1, '外部写入的企业', 0, 0) RETURNING id`, uscc.Complete("9141010571610589")).Scan(&outside); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, q string
		want    []int64
	}{
		{"Chinese substring", "演示传感", []int64{sensor.ID}},
		{"one character", "感", []int64{sensor.ID, odd.ID}},
		{"one rare character", "旧", []int64{renamed.ID}},
		{"two characters", "传感", []int64{sensor.ID, odd.ID}},
		{"two characters of a former name", "老字", []int64{renamed.ID}},
		{"former name substring", "旧号电子", []int64{renamed.ID}},
		{"pairs present but not in order", "感器传", nil},
		{"pairs across names do not join", "电子厂河南", nil},
		{"latin any case", "abc智能robot", []int64{latin.ID}},
		{"latin one letter", "R", []int64{latin.ID}},
		{"latin two letters", "Bc", []int64{latin.ID}},
		{"percent is literal", "50%_", []int64{odd.ID}},
		{"underscore is literal", "_", []int64{odd.ID}},
		{"new name", "改名后", []int64{moved.ID}},
		{"old name kept as former", "改名前", []int64{moved.ID}},
		{"written outside the service", "外部写入", []int64{outside}},
		{"written outside, one character", "外", []int64{outside}},
		{"absent", "不存在的名字", nil},
		{"absent character", "鑫", nil},
		{"everything shares one pair", "有限公司", []int64{sensor.ID, renamed.ID, latin.ID, moved.ID}},
		{"non-ASCII letters with case use a scan", "Σ", nil},
	}
	for _, dense := range []int{1, 1 << 30} { // both query shapes
		svc := f.coldList(dense) // each case runs its query
		for _, c := range cases {
			p, err := svc.List(f.ctx, staff, enterprise.Filter{Name: c.q})
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			var got []int64
			for _, e := range p.Items {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s %q (dense %d): got %v, want %v", c.name, c.q, dense, got, c.want)
			}
		}
	}
}

func TestCreditCodePrefixIgnoresCase(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("91410100MA5DC6QX"), Name: "甲"})
	f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010071610585"), Name: "乙"})
	for _, dense := range []int{1, 1 << 30} {
		svc := f.coldList(dense)
		for _, q := range []string{"91410100ma5d", "91410100MA5D", " 91410100Ma5dC6qX", a.CreditCode} {
			p, err := svc.List(f.ctx, staff, enterprise.Filter{CreditCode: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != 1 || p.Items[0].ID != a.ID {
				t.Errorf("prefix %q (dense %d): got %+v", q, dense, p.Items)
			}
		}
	}
}

// The memo serves a page again only while nothing was written, and never
// across viewers.
func TestListMemoFollowsWrites(t *testing.T) {
	f := newFixture(t)
	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010071610585"), Name: "郑州甲乙传感有限公司", Area: "sf"})
	b := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("91410100MA5DC6QX"), Name: "郑州甲乙氢能有限公司", Area: "gz"})
	unit := enterprise.Viewer{Role: org.UnitStaff, UnitID: f.areas["sf"]}
	ids := func(v enterprise.Viewer, flt enterprise.Filter) []int64 {
		t.Helper()
		p, err := f.svc.List(f.ctx, v, flt)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, e := range p.Items {
			out = append(out, e.ID)
		}
		return out
	}
	steps := []struct {
		name  string
		write func()
		v     enterprise.Viewer
		flt   enterprise.Filter
		want  []int64
	}{
		{"first", nil, staff, enterprise.Filter{Name: "甲乙"}, []int64{a.ID, b.ID}},
		{"again", nil, staff, enterprise.Filter{Name: "甲乙"}, []int64{a.ID, b.ID}},
		{"another viewer, same filter", nil, unit, enterprise.Filter{Name: "甲乙"}, []int64{a.ID}},
		{"after a rename", func() {
			in := enterprise.Input{CreditCode: b.CreditCode, Name: "郑州丙丁氢能有限公司", Area: "gz", Version: b.Version}
			if _, err := f.svc.Update(f.ctx, staff, b.ID, in); err != nil {
				t.Fatal(err)
			}
		}, staff, enterprise.Filter{Name: "甲乙"}, []int64{a.ID}},
		{"the new name", nil, staff, enterprise.Filter{Name: "丙丁"}, []int64{b.ID}},
		{"no certificate yet", nil, staff, enterprise.Filter{Tier: "hnte"}, nil},
		{"after a certificate", func() {
			if _, err := f.svc.AddTier(f.ctx, staff, a.ID, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: "GR1", ValidFrom: "2023-01-01", ValidTo: "2099-12-31"}); err != nil {
				t.Fatal(err)
			}
		}, staff, enterprise.Filter{Tier: "hnte"}, []int64{a.ID}},
	}
	for _, s := range steps {
		if s.write != nil {
			s.write()
		}
		if got := ids(s.v, s.flt); !slices.Equal(got, s.want) {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
}

// The catalogue the list page shows is memoised the same way.
func TestCatalogMemoFollowsWrites(t *testing.T) {
	f := newFixture(t)
	has := func(code string) (ind, chain bool) {
		t.Helper()
		inds, err := f.svc.Indicators(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := f.svc.ChainTree(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(inds, func(i enterprise.Indicator) bool { return i.Code == code }),
			slices.ContainsFunc(tree, func(n enterprise.ChainNode) bool { return n.Code == code })
	}
	if ind, chain := has("memo_test"); ind || chain {
		t.Fatal("present before it was added")
	}
	if _, err := f.svc.SaveIndicator(f.ctx, staff, enterprise.Indicator{Code: "memo_test", NameZH: "缓存测试", Unit: "个"}); err != nil {
		t.Fatal(err)
	}
	if ind, _ := has("memo_test"); !ind {
		t.Error("new indicator not shown")
	}
	if _, err := f.svc.AddChainNode(f.ctx, staff, enterprise.ChainNode{Code: "memo_test", NameZH: "缓存测试"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, chain := has("memo_test"); !chain {
		t.Error("new chain node not shown")
	}
}

// Two servers on one database: each keeps its own name index in memory,
// and a name written through one is found through the other at once —
// a new enterprise, a rename (old name kept as a former name, the new one
// found) and an import.
func TestNameSearchAcrossServers(t *testing.T) {
	f := newFixture(t)
	other := f.coldList(0)
	names := func(svc *enterprise.Service, q string) []string {
		t.Helper()
		p, err := svc.List(f.ctx, staff, enterprise.Filter{Name: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range p.Items {
			out = append(out, e.Name)
		}
		return out
	}
	a := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("9141010071610585"), Name: "郑州初名科技有限公司"})
	if got := names(other, "初名"); len(got) != 1 { // other loads its index now
		t.Fatalf("other server before any change: %v", got)
	}
	b := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete("91410100MA5DC6QX"), Name: "郑州后来电子有限公司"})
	if got := names(other, "后来电子"); len(got) != 1 || got[0] != b.Name {
		t.Fatalf("other server misses a new enterprise: %v", got)
	}
	in := enterprise.Input{CreditCode: a.CreditCode, Name: "郑州更名智能有限公司", FormerNames: []string{"郑州初名科技有限公司"}, Version: a.Version}
	if _, err := f.svc.Update(f.ctx, staff, a.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := names(other, "更名智能"); len(got) != 1 {
		t.Fatalf("other server misses a rename: %v", got)
	}
	if got := names(other, "初名"); len(got) != 1 || got[0] != "郑州更名智能有限公司" {
		t.Fatalf("other server's former-name search after a rename: %v", got)
	}
	data := xlsxOf(t, [][]any{{"统一社会信用代码", "企业名称"}, {uscc.Complete("9141010271610586"), "郑州导入新星有限公司"}, {b.CreditCode, "郑州后来改名有限公司"}})
	if res, err := f.svc.Import(f.ctx, staff, data, enterprise.ImportOptions{Filename: "n.xlsx"}); err != nil || !res.Written {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if got := names(other, "导入新星"); len(got) != 1 {
		t.Fatalf("other server misses an imported enterprise: %v", got)
	}
	if got := names(other, "后来改名"); len(got) != 1 {
		t.Fatalf("other server misses an imported rename: %v", got)
	}
	if got := names(other, "后来电子"); len(got) != 0 {
		t.Fatalf("other server still finds the name an import replaced: %v", got)
	}
}

// A name matching more enterprises than one window: the list walks the
// windows, applies the other filters to each and pages by id exactly as
// a single query would.
func TestNameSearchWindows(t *testing.T) {
	f := newFixture(t)
	svc := f.with(enterprise.Options{Lists: memo.Limits{Off: true}, NameWindow: 4})
	var want []int64 // 窗口 enterprises in area gz, by id
	for i := 0; i < 30; i++ {
		area := "sf"
		if i%3 == 0 {
			area = "gz"
		}
		e := f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100WD%06d", i+1)), Name: fmt.Sprintf("郑州窗口%02d科技有限公司", i), Area: area})
		if area == "gz" {
			want = append(want, e.ID)
		}
		if i%7 == 0 { // others between them
			f.mustCreate(t, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100WE%06d", i+1)), Name: fmt.Sprintf("郑州别名%02d有限公司", i), Area: "gz"})
		}
	}
	var got []int64
	var after int64
	for pages := 0; pages < 10; pages++ {
		p, err := svc.List(f.ctx, staff, enterprise.Filter{Name: "窗口", Area: "gz", Limit: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Items {
			got = append(got, e.ID)
		}
		if p.Next == 0 {
			break
		}
		after = p.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged through windows: %v, want %v", got, want)
	}
	p, err := svc.List(f.ctx, staff, enterprise.Filter{Name: "窗口", Limit: 100})
	if err != nil || len(p.Items) != 30 || p.Next != 0 {
		t.Fatalf("all 30 in one page: %d next %d %v", len(p.Items), p.Next, err)
	}
}
