package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

func TestBrowserLoginLandsOnHome(t *testing.T) {
	h := webtest.New(t)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "leader")
	who, path := b.Text(t, "header .me"), b.Eval(t, "location.pathname")
	if path != "/" || who == "" {
		t.Fatalf("after login: path %q, header %q", path, who)
	}
	b.Screenshot(t, "home-leader")
	b.Do(t, chromedp.Navigate(b.Base+"/account"))
	if username := b.Text(t, "#me-username"); username != "leader" {
		t.Fatalf("account page shows %q", username)
	}
}

func TestBrowserAdminCreatesUserAndSeesAudit(t *testing.T) {
	h := webtest.New(t)
	b := webtest.NewBrowser(t, h)
	b.Login(t, "admin")
	b.Do(t,
		chromedp.Navigate(b.Base+"/admin/users"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "leader"),
		chromedp.SendKeys(chromedp.CSS(`input[name="display_name"]`), "王五"),
		chromedp.SetValue(chromedp.CSS(`select[name="role"]`), "unit"),
		chromedp.SetValue(chromedp.CSS(`select[name="unit"]`), "kcj"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), webtest.Password),
		chromedp.Click(chromedp.CSS(`form.grid-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if msg := b.Text(t, "p.error"); msg != "用户名已存在：leader" {
		t.Fatalf("error shown: %q", msg)
	}
	b.Screenshot(t, "admin-users-error")
	b.Do(t,
		chromedp.SetValue(chromedp.CSS(`input[name="username"]`), "wang.wu"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), webtest.Password),
		chromedp.Click(chromedp.CSS(`form.grid-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
	)
	if _, err := h.App.Org.UserByUsername(t.Context(), "wang.wu"); err != nil {
		t.Fatalf("user not created: %v", err)
	}
	b.Screenshot(t, "admin-users")
	b.Do(t, chromedp.Navigate(b.Base+"/admin/audit?verify=1"), chromedp.WaitVisible(chromedp.ID("verify-result")))
	if got := b.Text(t, "#verify-result"); !strings.HasPrefix(got, "哈希链完整") {
		t.Fatalf("verify result %q", got)
	}
	b.Screenshot(t, "admin-audit")
}
