package site

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium driving a live test server.
type browser struct {
	ctx  context.Context
	base string // http://127.0.0.1:PORT
	h    *harness
}

// newBrowser starts the harness on a real port and a headless Chromium. It
// skips when Chromium is missing, unless GAOXIN_REQUIRE_BROWSER=1 (CI), in
// which case it fails.
func newBrowser(t *testing.T, h *harness) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium not installed but GAOXIN_REQUIRE_BROWSER=1")
		}
		t.Skip("chromium not installed (apt-get install chromium); skipping browser test")
	}
	ts := httptest.NewServer(h.Srv)
	t.Cleanup(ts.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "zh-CN"),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	// Chinese first: headless Chromium asks for English, so switch the
	// remembered language the way a person would.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/lang?to=zh")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{ctx: ctx, base: ts.URL, h: h}
}

// do runs chromedp actions, failing the test on error.
func (b *browser) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// text returns the text of the first element matching a CSS selector.
func (b *browser) text(t *testing.T, css string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// eval evaluates JavaScript in the page and returns a string result.
func (b *browser) eval(t *testing.T, js string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// login signs in through the login page and waits for the page after it.
func (b *browser) login(t *testing.T, username string) {
	t.Helper()
	b.do(t,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.CSS("header .me")),
	)
}

// screenshot saves a full-page PNG to GAOXIN_SCREENSHOTS (if set), for a
// person to look at.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("GAOXIN_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserLoginLandsOnHome(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	b.login(t, "leader")
	who, path := b.text(t, "header .me"), b.eval(t, "location.pathname")
	if path != "/" || who == "" {
		t.Fatalf("after login: path %q, header %q", path, who)
	}
	b.screenshot(t, "home-leader")
	b.do(t, chromedp.Navigate(b.base+"/account"))
	if username := b.text(t, "#me-username"); username != "leader" {
		t.Fatalf("account page shows %q", username)
	}
}

func TestBrowserAdminCreatesUserAndSeesAudit(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	b.login(t, "admin")
	b.do(t,
		chromedp.Navigate(b.base+"/admin/users"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "leader"),
		chromedp.SendKeys(chromedp.CSS(`input[name="display_name"]`), "王五"),
		chromedp.SetValue(chromedp.CSS(`select[name="role"]`), "unit"),
		chromedp.SetValue(chromedp.CSS(`select[name="unit"]`), "kcj"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form.grid-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if msg := b.text(t, "p.error"); msg != "用户名已存在：leader" {
		t.Fatalf("error shown: %q", msg)
	}
	b.screenshot(t, "admin-users-error")
	b.do(t,
		chromedp.SetValue(chromedp.CSS(`input[name="username"]`), "wang.wu"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form.grid-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
	)
	if _, err := h.App.Org.UserByUsername(t.Context(), "wang.wu"); err != nil {
		t.Fatalf("user not created: %v", err)
	}
	b.screenshot(t, "admin-users")
	b.do(t, chromedp.Navigate(b.base+"/admin/audit?verify=1"), chromedp.WaitVisible(chromedp.ID("verify-result")))
	if got := b.text(t, "#verify-result"); !strings.HasPrefix(got, "哈希链完整") {
		t.Fatalf("verify result %q", got)
	}
	b.screenshot(t, "admin-audit")
}
