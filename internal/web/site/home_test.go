package site_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/demo"
	"gaoxin/internal/web"
	"gaoxin/internal/web/webtest"
)

// newDemoHarness is a server over the full demo data, with the demo
// accounts' passwords by username.
func newDemoHarness(t *testing.T) (*webtest.Harness, map[string]string) {
	t.Helper()
	h, pw, _ := newDemoHarnessAccounts(t)
	return h, pw
}

// demoAccounts are the accounts the demo template was loaded with.
var demoAccounts []demo.Account

// demoTemplate is the full demo, loaded once per test binary; each test
// gets its own copy of it to read and write.
var demoTemplate = dbtest.NewTemplate(func(ctx context.Context, dsn string) error {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if err := dbtest.UseCrypto(ctx, d); err != nil {
		return err
	}
	a := app.New(d, app.Options{Argon: &webtest.CheapArgon, Now: demo.Clock})
	demoAccounts, err = demo.Load(audit.WithActor(ctx, audit.Actor{Name: "demo"}), a)
	return err
})

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// newDemoHarnessAccounts is newDemoHarness with the demo accounts in the
// order the demo made them.
func newDemoHarnessAccounts(t *testing.T) (*webtest.Harness, map[string]string, []demo.Account) {
	t.Helper()
	d, _ := demoTemplate.Open(t)
	a := app.New(d, app.Options{Argon: &webtest.CheapArgon, Now: demo.Clock})
	pw := map[string]string{}
	for _, acc := range demoAccounts {
		pw[acc.Username] = acc.Password
	}
	return webtest.OverConfig(t, a, web.Config{Version: "test", DemoAsOf: demo.AsOf}), pw, demoAccounts
}

func TestHomeOverviewByRole(t *testing.T) {
	h, pw := newDemoHarness(t)
	leader := string(h.AsWith("leader", pw["leader"]).Get("/").Body)
	for _, want := range []string{`id="home-kpi"`, `id="home-plan"`, "地区生产总值", "红牌", `id="home-awards"`} {
		if !strings.Contains(leader, want) {
			t.Errorf("leader's home lacks %s", want)
		}
	}
	if strings.Contains(leader, `id="home-inbox"`) {
		t.Error("leader has no inbox of tasks")
	}
	unit := string(h.AsWith("jfj", pw["jfj"]).Get("/").Body)
	for _, want := range []string{`id="home-kpi"`, `id="home-plan"`} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit's home lacks %s", want)
		}
	}
	if !strings.Contains(unit, `id="home-inbox"`) && !strings.Contains(unit, `id="home-overdue"`) {
		t.Error("the demo unit 经济发展局 has nothing to do on its home page")
	}
	anon := string(h.Anon().Get("/").Body)
	if strings.Contains(anon, `id="home-kpi"`) || strings.Contains(anon, `id="home-plan"`) {
		t.Error("the public sees internal figures")
	}
	if !strings.Contains(anon, `id="home-awards"`) {
		t.Error("the public home does not list open awards or notices")
	}
}

// TestInboxCarriesOverdueFigures: a figure the demo leaves unreported (外贸
// 进出口总额, October, owned by 经济发展局) reaches that unit's inbox and the
// supervisors', and no other unit's.
func TestInboxCarriesOverdueFigures(t *testing.T) {
	h, pw := newDemoHarness(t)
	type inbox struct {
		Figures []struct {
			Indicator struct {
				Code      string `json:"code"`
				OwnerCode string `json:"owner_unit"`
			} `json:"indicator"`
			Month int `json:"month"`
		} `json:"overdue_figures"`
	}
	var jfj, kcj, sup inbox
	h.AsWith("jfj", pw["jfj"]).Get("/api/v1/inbox").JSON(t, &jfj)
	h.AsWith("kcj", pw["kcj"]).Get("/api/v1/inbox").JSON(t, &kcj)
	h.AsWith("supervisor", pw["supervisor"]).Get("/api/v1/inbox").JSON(t, &sup)
	if len(jfj.Figures) == 0 {
		t.Fatal("经济发展局's inbox lacks its overdue figure")
	}
	for _, f := range jfj.Figures {
		if f.Indicator.OwnerCode != "jfj" {
			t.Errorf("jfj sees another unit's figure: %+v", f)
		}
	}
	for _, f := range kcj.Figures {
		if f.Indicator.OwnerCode != "kcj" {
			t.Errorf("kcj sees another unit's figure: %+v", f)
		}
	}
	if len(sup.Figures) < len(jfj.Figures) {
		t.Errorf("supervisor sees %d overdue figures, fewer than jfj's %d", len(sup.Figures), len(jfj.Figures))
	}
	page := string(h.AsWith("jfj", pw["jfj"]).Get("/inbox").Body)
	if !strings.Contains(page, `id="inbox-figures"`) || !strings.Contains(page, "外贸进出口总额") {
		t.Error("the inbox page does not show the overdue figure")
	}
}
