package insight_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
	"gaoxin/internal/web/webtest"
)

// world is the harness with two office areas (石佛, 沟赵; the account
// "area" works for 石佛) and three enterprises written through the
// registry and rolled up: 甲 (石佛, 超硬材料, revenue 2022 100 万 and 2023
// 150 万, 高新), 乙 (沟赵, 超硬材料, 50 万 both years) and 丙 (石佛,
// 传感器, 200 万 in 2023).
type world struct {
	*webtest.Harness
	sf, gz     int64
	e1, e2, e3 int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Harness: webtest.New(t)}
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	now := func() time.Time { return time.Date(2023, 11, 20, 10, 0, 0, 0, db.CST) }
	w.App.Enterprise.Now, w.App.Insight.Now = now, now
	for _, u := range []org.Unit{{Code: "sf", NameZH: "石佛办事处", NameEN: "Shifo", Kind: "办事处"}, {Code: "gz", NameZH: "沟赵办事处", NameEN: "Gouzhao", Kind: "办事处"}} {
		unit, err := w.App.Org.CreateUnit(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if u.Code == "sf" {
			w.sf = unit.ID
		} else {
			w.gz = unit.ID
		}
	}
	if _, err := w.App.Org.CreateUser(ctx, org.NewUser{Username: "area", Role: org.UnitStaff, UnitCode: "sf", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	staff := enterprise.Viewer{Role: org.Supervisor}
	add := func(i int, name, area, chain string, revenue map[int]int64, tiers ...string) int64 {
		e, err := w.App.Enterprise.Create(ctx, staff, enterprise.Input{CreditCode: uscc.Complete(fmt.Sprintf("91410100%08d", 20000000+i)), Name: name,
			RegisteredOn: "2016-04-01", Area: area, IndustryCode: "3021", Chains: []string{chain}})
		if err != nil {
			t.Fatal(err)
		}
		var figs []enterprise.FigureInput
		for y, v := range revenue {
			figs = append(figs, enterprise.FigureInput{Indicator: "revenue", Year: y, Value: v})
		}
		if err := w.App.Enterprise.SetFigures(ctx, staff, e.ID, figs); err != nil {
			t.Fatal(err)
		}
		for _, tier := range tiers {
			if _, err := w.App.Enterprise.AddTier(ctx, staff, e.ID, enterprise.Tier{Tier: tier, ValidFrom: "2021-01-01", ValidTo: "2025-12-31"}); err != nil {
				t.Fatal(err)
			}
		}
		return e.ID
	}
	w.e1 = add(1, "甲超硬材料有限公司", "sf", "nm_superhard", map[int]int64{2022: 100_000_000, 2023: 150_000_000}, "hnte")
	w.e2 = add(2, "乙金刚石有限公司", "gz", "nm_superhard", map[int]int64{2022: 50_000_000, 2023: 50_000_000})
	w.e3 = add(3, "丙传感科技有限公司", "sf", "iot_sensor", map[int]int64{2023: 200_000_000})
	if _, err := w.App.Insight.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

var _ = insight.DimChain
