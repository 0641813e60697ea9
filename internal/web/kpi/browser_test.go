package kpi_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/audit"
	"gaoxin/internal/demo"
	"gaoxin/internal/org"
)

// demoKPI loads the demo targets into the harness (adding the owner units
// the harness lacks).
func demoKPI(t *testing.T, h *webtest.Harness) {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	for _, u := range []org.Unit{{Code: "ghj", NameZH: "规划建设局", Kind: "内设机构"}, {Code: "czj", NameZH: "财政金融局", Kind: "内设机构"},
		{Code: "scj", NameZH: "市场监管局高新区分局", Kind: "派驻机构"}} {
		if _, err := h.App.Org.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := demo.LoadKPI(ctx, h.App); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserKPIDashboard opens the dashboard as the leader, finds the
// eleven cards (seven entered, each with its SVG chart and target line,
// two computed from the scenario module and two from tech finance, marked
// 系统计算, whose charts draw the count to date against the target), opens
// a detail page,
// and as the jfj unit enters a figure through the form.
func TestBrowserKPIDashboard(t *testing.T) {
	h := webtest.New(t)
	demoKPI(t, h)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "leader")
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=zh&back=/kpi"), chromedp.WaitVisible(chromedp.CSS(".kpi-card svg")))
	if n := b.Eval(t, `String(document.querySelectorAll(".kpi-card").length)`); n != "11" {
		t.Fatalf("%s cards, want 11", n)
	}
	if s := b.Text(t, "#kpi-scenario_calls .computed"); !strings.Contains(s, "系统计算") || !strings.Contains(s, "发布场景机会数") {
		t.Fatalf("computed card says %q", s)
	}
	if n := b.Eval(t, `String(document.querySelectorAll(".kpi-card svg path[stroke-dasharray]").length)`); n != "11" {
		t.Fatalf("%s dashed target lines, want 11", n)
	}
	if s := b.Text(t, "#kpi-new_entities .status"); s != "严重滞后" {
		t.Fatalf("new entities status %q", s)
	}
	if s := b.Text(t, "#kpi-trade .overdue"); !strings.Contains(s, "逾期") {
		t.Fatalf("trade not flagged overdue: %q", s)
	}
	if s := b.Text(t, "#as-of"); !strings.Contains(s, "2023-11-20") {
		t.Fatalf("as of %q", s)
	}
	b.Screenshot(t, "kpi-dashboard-leader")
	b.Do(t, chromedp.Click(chromedp.CSS("#kpi-gdp h2 a")), chromedp.WaitVisible(chromedp.ID("monthly")))
	if rows := b.Eval(t, `String(document.querySelectorAll("#monthly tbody tr").length)`); rows != "3" {
		t.Fatalf("gdp detail shows %s rows, want Q1–Q3", rows)
	}
	if b.Eval(t, `String(!!document.getElementById("enter"))`) != "false" {
		t.Fatal("leader sees the entry form")
	}
	b.Screenshot(t, "kpi-indicator-gdp")
	b.Do(t, chromedp.Navigate(b.Base+"/lang?to=en&back=/kpi"), chromedp.WaitVisible(chromedp.CSS(".kpi-card svg")))
	if b.Eval(t, `document.body.innerText.includes("No indicators yet")`+"?'y':'n'") != "n" {
		t.Fatal("empty-state notice shown beside the cards")
	}
	if s := b.Text(t, "#kpi-new_entities .status"); s != "at risk" {
		t.Fatalf("English status %q", s)
	}
	b.Screenshot(t, "kpi-dashboard-en")

	u := webtest.NewBrowser(t, h)
	u.Login(t, "unit")
	u.Do(t, chromedp.Navigate(u.Base+"/lang?to=zh&back=/kpi?year=2023"), chromedp.WaitVisible(chromedp.ID("my-overdue")))
	u.Screenshot(t, "kpi-dashboard-unit")
	u.Do(t, chromedp.Click(chromedp.CSS("#my-overdue a")), chromedp.WaitVisible(chromedp.ID("enter")),
		chromedp.SetValue(chromedp.CSS(`select[name="month"]`), "10"),
		chromedp.SendKeys(chromedp.CSS(`input[name="ytd"]`), "abc"),
		chromedp.Click(chromedp.ID("save-actual")), chromedp.WaitVisible(chromedp.CSS("table.details")))
	if s := u.Text(t, "table.details"); !strings.Contains(s, "ytd") || !strings.Contains(s, "不是数字") {
		t.Fatalf("error table %q", s)
	}
	u.Screenshot(t, "kpi-entry-error")
	u.Do(t, chromedp.SetValue(chromedp.CSS(`input[name="ytd"]`), "412.5"), chromedp.SetValue(chromedp.CSS(`input[name="ytd_last"]`), "380"),
		chromedp.Click(chromedp.ID("save-actual")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if s := u.Eval(t, `document.querySelector("#monthly tbody").innerText`); !strings.Contains(s, "412.5") {
		t.Fatalf("saved figure not in the table: %q", s)
	}
	u.Do(t, chromedp.Navigate(u.Base+"/kpi?year=2023"), chromedp.WaitVisible(chromedp.CSS(".kpi-card")))
	if u.Eval(t, `String(!!document.getElementById("my-overdue"))`) != "false" {
		t.Fatal("overdue notice still shown after the figure was entered")
	}
}
