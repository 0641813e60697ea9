package webtest

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is a headless Chromium driving a live test server.
type Browser struct {
	Ctx  context.Context
	Base string // http://127.0.0.1:PORT
	H    *Harness
}

// NewBrowser starts the harness on a real port and a headless Chromium. It
// skips when Chromium is missing, unless GAOXIN_REQUIRE_BROWSER=1 (CI), in
// which case it fails.
func NewBrowser(t *testing.T, h *Harness) *Browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium not installed but GAOXIN_REQUIRE_BROWSER=1")
		}
		t.Skip("chromium not installed (apt-get install chromium); skipping Browser test")
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
	// No deadline of its own: the module packages' browser tests run at
	// once and share the machine, and go test's -timeout ends a hung one.
	// Chinese first: headless Chromium asks for English, so switch the
	// remembered language the way a person would.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/lang?to=zh")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &Browser{Ctx: ctx, Base: ts.URL, H: h}
}

// Do runs chromedp actions, failing the test on error.
func (b *Browser) Do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Text returns the text of the first element matching a CSS selector.
func (b *Browser) Text(t *testing.T, css string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// Eval evaluates JavaScript in the page and returns a string result.
func (b *Browser) Eval(t *testing.T, js string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// Login signs in through the login page and waits for the page after it.
func (b *Browser) Login(t *testing.T, username string) {
	t.Helper()
	b.LoginWith(t, username, Password)
}

// LoginWith signs in with a password of its own (a demo account's).
func (b *Browser) LoginWith(t *testing.T, username, password string) {
	t.Helper()
	b.Do(t,
		chromedp.Navigate(b.Base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.CSS("header .me")),
	)
}

// Screenshot saves a full-page PNG to GAOXIN_SCREENSHOTS (if set), for a
// person to look at.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("GAOXIN_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		// A page taller than Chromium draws at once: the window only.
		if png, err = chromedp.Run(b.Ctx, chromedp.CaptureScreenshot()); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ClickNav clicks the element with the given id, waits for the page that
// the form or link loads, and fails on an error page.
func (b *Browser) ClickNav(t *testing.T, id string) {
	t.Helper()
	b.Eval(t, `window.__stale = "y"; "ok"`)
	b.Do(t, chromedp.Click(chromedp.ID(id)))
	for i := 0; ; i++ {
		// While the old page unloads, an evaluation may find its context
		// gone ("Inspected target navigated or closed"): that is "not yet".
		s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(window.__stale !== "y" && document.readyState === "complete") ? "y" : "n"`))
		if err == nil && s == "y" {
			break
		}
		if i > 200 {
			t.Fatalf("click %s: no new page (%v)", id, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if msg := b.Eval(t, `document.querySelector("main .card p.error") ? document.querySelector("main").innerText : ""`); msg != "" {
		t.Fatalf("click %s: error page: %s", id, msg)
	}
}

// Logout signs out through the header button.
func (b *Browser) Logout(t *testing.T) {
	t.Helper()
	b.Do(t, chromedp.Navigate(b.Base+"/"), chromedp.WaitVisible(chromedp.CSS("header .who")))
	if b.Eval(t, `document.querySelector("header form.inline button") ? "y" : "n"`) == "y" {
		b.Do(t, chromedp.Click(chromedp.CSS("header form.inline button")), chromedp.WaitVisible(chromedp.CSS(`header a[href="/login"]`)))
	}
}
