package site_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v4"

	"gaoxin/internal/web/webtest"
)

// scrapeMetrics is /metrics as an admin reads it, after some traffic.
func scrapeMetrics(t *testing.T) []byte {
	t.Helper()
	h := webtest.New(t)
	h.Anon().Get("/api/v1/me")
	admin := h.As("admin")
	admin.Get("/")
	admin.Get("/kpi")
	admin.Get("/metrics")
	r := admin.Get("/metrics")
	if r.Code != 200 {
		t.Fatalf("admin /metrics: %d %s", r.Code, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("content type %q", ct)
	}
	return r.Body
}

// The scraped text passes client_golang's linter, every family has HELP
// and TYPE, the last line ends with a newline, and the Go runtime and
// process collectors stand beside ours.
func TestMetricsLint(t *testing.T) {
	body := scrapeMetrics(t)
	if len(body) == 0 || body[len(body)-1] != '\n' {
		t.Fatal("the output does not end with a newline")
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the output does not parse: %v", err)
	}
	gather := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		out := make([]*dto.MetricFamily, 0, len(fams))
		for _, f := range fams {
			out = append(out, f)
		}
		return out, nil
	})
	problems, err := testutil.GatherAndLint(gather)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	help, typ := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 3 && f[0] == "#" && f[1] == "HELP" {
			help[f[2]] = true
		}
		if len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			typ[f[2]] = true
		}
	}
	for name := range fams {
		if !help[name] || !typ[name] {
			t.Errorf("%s lacks HELP or TYPE", name)
		}
	}
	for _, want := range []string{"gaoxin_http_requests_total", "gaoxin_http_request_duration_seconds", "gaoxin_db_connections_in_use",
		"gaoxin_db_connections_idle", "gaoxin_db_wait_count_total", "gaoxin_uptime_seconds", "go_goroutines", "go_memstats_heap_alloc_bytes",
		"process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if fams[want] == nil {
			t.Errorf("no metric %s", want)
		}
	}
}

// promtool, Prometheus's own checker, accepts the output (skipped where
// promtool is not installed, unless GAOXIN_REQUIRE_PROMTOOL is set, as CI
// sets it: Debian's package prometheus has it).
func TestMetricsPromtool(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_PROMTOOL") != "" {
			t.Fatal("promtool is required here but not installed (apt-get install prometheus)")
		}
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	body := scrapeMetrics(t)
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

// alertRules is the sample alert rule file the zone's operators start from.
var alertRules = filepath.Join("..", "..", "..", "deploy", "prometheus", "alerts.yml")

// promtool accepts the sample alert rules (skipped where promtool is not
// installed, unless GAOXIN_REQUIRE_PROMTOOL is set).
func TestMetricsAlertRulesPromtool(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("GAOXIN_REQUIRE_PROMTOOL") != "" {
			t.Fatal("promtool is required here but not installed (apt-get install prometheus)")
		}
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	if out, err := exec.Command(path, "check", "rules", alertRules).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules %s: %v\n%s", alertRules, err, out)
	}
}

// Every metric the sample alert rules read is one the server serves at
// /metrics, or one Prometheus itself writes for each target (up), or one
// the file records.
func TestMetricsAlertRulesNameServedMetrics(t *testing.T) {
	b, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert  string `yaml:"alert"`
				Record string `yaml:"record"`
				Expr   string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		t.Fatalf("%s: %v", alertRules, err)
	}
	known := map[string]bool{"up": true} // Prometheus's own, per scraped target
	sc := bufio.NewScanner(bytes.NewReader(scrapeMetrics(t)))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			known[line[:i]] = true
		}
	}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			if r.Record != "" {
				known[r.Record] = true
			}
		}
	}
	rules := 0
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			rules++
			names := promqlMetricNames(r.Expr)
			if len(names) == 0 {
				t.Errorf("rule %s%s: no metric found in %q", r.Alert, r.Record, r.Expr)
			}
			for _, n := range names {
				if !known[n] {
					t.Errorf("rule %s%s reads %s, which /metrics does not serve", r.Alert, r.Record, n)
				}
			}
		}
	}
	if rules < 5 {
		t.Errorf("%s has %d rules", alertRules, rules)
	}
}

// The parts of a PromQL expression that name no metric: strings and label
// matchers, ranges and offsets, grouping lists, and numbers.
var (
	promqlString   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promqlMatchers = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]|(?i)\boffset\s+-?\w+`)
	promqlGrouping = regexp.MustCompile(`(?i)\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promqlNumber   = regexp.MustCompile(`\b\d[\w.]*`)
	promqlName     = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
	promqlKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "by": true, "without": true,
		"on": true, "ignoring": true, "group_left": true, "group_right": true, "offset": true, "inf": true, "nan": true, "atan2": true}
)

// promqlMetricNames lists the metric names an expression reads: every
// identifier left that neither calls a function nor is a keyword.
func promqlMetricNames(expr string) []string {
	s := promqlString.ReplaceAllString(expr, `""`)
	s = promqlMatchers.ReplaceAllString(s, " ")
	s = promqlGrouping.ReplaceAllString(s, " ")
	s = promqlNumber.ReplaceAllString(s, " ")
	var out []string
	for _, m := range promqlName.FindAllStringIndex(s, -1) {
		name := s[m[0]:m[1]]
		if strings.HasPrefix(strings.TrimLeft(s[m[1]:], " \t\n"), "(") || promqlKeywords[strings.ToLower(name)] {
			continue
		}
		out = append(out, name)
	}
	return out
}

func TestMetricsPromQLNames(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`up{job="gaoxin"} == 0`, "up"},
		{`histogram_quantile(0.95, sum by (instance, le) (rate(x_bucket{route!~".*\\.(xlsx)"}[10m]))) > 1`, "x_bucket"},
		{`sum by (i) (rate(a_total{s=~"5.."}[5m])) / sum without (s) (rate(b_total[5m] offset 1h)) > 0.05 and on (i) c > 1e3`, "a_total b_total c"},
		{`changes(process_start_time_seconds[30m]) > 2`, "process_start_time_seconds"},
	} {
		if got := strings.Join(promqlMetricNames(c.expr), " "); got != c.want {
			t.Errorf("promqlMetricNames(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}
