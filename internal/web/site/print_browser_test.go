package site_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"gaoxin/internal/web/webtest"
)

// a4Width is the printable width of A4 with the print stylesheet's 14 mm
// side margins, in CSS pixels (96 per inch): (210 − 28) mm.
const a4Width = 688

// TestBrowserPrintsOnA4: the public notice (公示), the monthly bulletin
// (通报, the ranking and one unit's) and an enterprise's page print as
// documents: with print media, no navigation, form or button is shown,
// nothing is wider than A4's printable width, and Chromium prints it to an
// A4 PDF. The PDFs and print-media screenshots go to GAOXIN_SCREENSHOTS.
func TestBrowserPrintsOnA4(t *testing.T) {
	h, pw := newDemoHarness(t)
	leader := h.AsWith("leader", pw["leader"])
	first := func(path, pattern string) string {
		m := regexp.MustCompile(`href="(` + pattern + `[^"#]*)"`).FindSubmatch(leader.Get(path).Body)
		if m == nil {
			t.Fatalf("%s links no %s", path, pattern)
		}
		return strings.ReplaceAll(string(m[1]), "&amp;", "&")
	}
	pages := []string{first("/", "/notices/[0-9]+"), "/plan/ranking?year=2023", first("/plan/ranking?year=2023", "/plan/bulletin[?]"),
		first("/enterprises", "/enterprises/[0-9]+")}
	b := webtest.NewBrowser(t, h)
	b.LoginWith(t, "leader", pw["leader"])
	b.Do(t, chromedp.EmulateViewport(a4Width, 1000))
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	yes, inch := true, 1/25.4
	for i, p := range pages {
		b.Do(t, chromedp.Navigate(b.Base+p), chromedp.WaitReady(chromedp.CSS("footer")))
		if w := b.Eval(t, `String(document.documentElement.scrollWidth)`); w != fmt.Sprint(a4Width) {
			t.Errorf("%s: printed %s px wide, A4 holds %d", p, w, a4Width)
		}
		shown := b.Eval(t, `Array.from(document.querySelectorAll("header.top, nav, form, button, footer")).filter(e => getComputedStyle(e).display !== "none" && !e.closest("header.top, form, footer") || e.matches("header.top, footer") && getComputedStyle(e).display !== "none").map(e => e.tagName).join(",")`)
		if shown != "" {
			t.Errorf("%s: printed with %s", p, shown)
		}
		if !strings.Contains(b.Eval(t, `document.querySelector("main").innerText`), "2023") {
			t.Errorf("%s: printed without its content", p)
		}
		b.Screenshot(t, fmt.Sprintf("print-%d", i))
		margin := 14 * inch
		pdf, err := chromedp.Call(b.Ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 210 * inch, PaperHeight: 297 * inch,
			MarginLeft: &margin, MarginRight: &margin, PreferCSSPageSize: &yes})
		if err != nil {
			t.Fatalf("%s: print to PDF: %v", p, err)
		}
		if !bytes.HasPrefix(pdf.Data, []byte("%PDF")) {
			t.Fatalf("%s: not a PDF", p)
		}
		if dir := os.Getenv("GAOXIN_SCREENSHOTS"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("print-%d.pdf", i)), pdf.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
