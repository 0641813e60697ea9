package site_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

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
