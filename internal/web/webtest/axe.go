package webtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeScript finds axe-core's axe.min.js: GAOXIN_AXE_JS, else where .ci/run
// installs it (.ci/node/node_modules/axe-core under the module root). It
// skips the test when the file is missing, unless GAOXIN_REQUIRE_BROWSER=1
// (CI), in which case it fails.
func AxeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("GAOXIN_AXE_JS")
	if path == "" {
		dir, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				t.Fatal("no go.mod above the test directory")
			}
			dir = parent
		}
		path = filepath.Join(dir, ".ci", "node", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_BROWSER") == "1" {
			t.Fatalf("axe-core missing (%v) but GAOXIN_REQUIRE_BROWSER=1: .ci/run installs it with npm", err)
		}
		t.Skipf("axe-core not installed (%v): npm install --prefix .ci/node axe-core", err)
	}
	return string(b)
}

// AxeViolation is one rule axe-core finds broken on a page.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// String names the rule and the first elements that break it.
func (v AxeViolation) String() string {
	var where []string
	for i, n := range v.Nodes {
		if i == 3 {
			where = append(where, fmt.Sprintf("… %d in all", len(v.Nodes)))
			break
		}
		where = append(where, fmt.Sprint(n.Target...))
	}
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(where, "; "))
}

// Axe runs axe-core (script, from AxeScript) on the page the browser
// shows, against WCAG 2.1 A and AA, and returns its violations.
func (b *Browser) Axe(t *testing.T, script string) []AxeViolation {
	t.Helper()
	if b.Eval(t, `typeof axe === "undefined" ? "n" : "y"`) == "n" {
		if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]byte](script)); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	var vs []AxeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe-core answer: %v", err)
	}
	return vs
}
