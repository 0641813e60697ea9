package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/uscc"
)

// outcome is one request of the load: when it was sent and answered, and
// its status (0: no answer).
type outcome struct {
	what       string
	start, end time.Time
	status     int
}

// TestThreeServersBehindNginx puts Debian's nginx, round-robin, in front of
// three `gaoxin serve` processes on one PostgreSQL database and keeps a
// mixed load on it (sign-ins, pages, registry imports, award payments)
// while one server is killed with SIGKILL and started again. The clients
// see no error but for requests that were in flight at the kill; a session
// made on one server is good on all; every import that was answered wrote
// its rows once; every payment, retried with its idempotency key until
// answered, exists once; and each scheduled job ran once per period.
func TestThreeServersBehindNginx(t *testing.T) {
	nginx, _ := exec.LookPath("nginx")
	if nginx == "" {
		if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
			nginx = "/usr/sbin/nginx"
		}
	}
	if !dbtest.Postgres() || nginx == "" {
		if dbtest.Postgres() && os.Getenv("GAOXIN_REQUIRE_NGINX") != "" {
			t.Fatal("GAOXIN_REQUIRE_NGINX is set but nginx is not installed")
		}
		t.Skip("needs PostgreSQL (several servers share one database) and nginx")
	}
	dsn := dbtest.DSN(t)
	ports := freePorts(t, 4)
	addr := func(i int) string { return fmt.Sprintf("127.0.0.1:%d", ports[i]) }
	servers := []*server{startServe(t, dsn, "--demo", "--trust-proxy", "--addr", addr(0))}
	for i := 1; i < 3; i++ {
		servers = append(servers, startServe(t, dsn, "--trust-proxy", "--addr", addr(i)))
	}
	pw := map[string]string{}
	for _, m := range accountRe.FindAllStringSubmatch(servers[0].printed(), -1) {
		pw[m[1]] = m[2]
	}
	base := startNginx(t, nginx, ports[3], []string{addr(0), addr(1), addr(2)})

	// Grants to pay during the load: the demo's paid ones, reversed.
	sup := signIn(t, base, "supervisor", pw["supervisor"])
	grants := freeGrants(t, sup, 6)

	var mu sync.Mutex
	var outcomes []outcome
	record := func(what string, start time.Time, status int) {
		mu.Lock()
		outcomes = append(outcomes, outcome{what, start, time.Now(), status})
		mu.Unlock()
	}
	stop := make(chan struct{})
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	var wg sync.WaitGroup
	worker := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stopped() {
				f()
			}
		}()
	}
	// Sign-ins, each session then used for pages (round-robin sends them
	// to every server).
	for range 2 {
		worker(func() {
			jar, _ := cookiejar.New(nil)
			c := &apiClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
			start := time.Now()
			st, _ := c.try("POST", "/api/v1/session", map[string]string{"username": "leader", "password": pw["leader"]}, nil)
			record("sign-in", start, st)
			if st != 200 {
				return
			}
			for _, p := range []string{"/api/v1/me", "/kpi", "/plan", "/enterprises", "/api/v1/me", "/insight"} {
				start := time.Now()
				st, _ := c.try("GET", p, nil, nil)
				record("GET "+p, start, st)
			}
		})
	}
	// Imports of two new enterprises each.
	var imported []string
	n := 0
	worker(func() {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		codes := []string{uscc.Complete(fmt.Sprintf("91410100NX%06d", 2*k)), uscc.Complete(fmt.Sprintf("91410100NX%06d", 2*k+1))}
		csv := "统一社会信用代码,企业名称,年度,营业收入（万元）\n" + codes[0] + ",负载导入甲" + fmt.Sprint(k) + "有限公司,2022,100\n" + codes[1] + ",负载导入乙" + fmt.Sprint(k) + "有限公司,2022,120\n"
		start := time.Now()
		st := sup.upload("/api/v1/enterprise-imports?filename=load.csv", csv)
		record("import", start, st)
		if st == 200 {
			mu.Lock()
			imported = append(imported, codes...)
			mu.Unlock()
		}
		time.Sleep(200 * time.Millisecond)
	})
	// Payments: each grant paid once, its request retried with the same
	// key until it is answered.
	paid := map[int64]int64{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, g := range grants {
			for attempt := 0; ; attempt++ {
				start := time.Now()
				st, body := sup.try("POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), map[string]any{"amount_fen": g.RemainingFen, "note": "负载"},
					map[string]string{"Idempotency-Key": fmt.Sprint("nginx-load-", g.ID)})
				record("payment", start, st)
				if st == 200 || st == 201 {
					var p e2ePayment
					jsonInto(body, &p)
					mu.Lock()
					paid[g.ID] = p.ID
					mu.Unlock()
					break
				}
				if attempt > 50 {
					t.Errorf("payment of grant %d never answered: %d %s", g.ID, st, body)
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(time.Second)
		}
	}()

	time.Sleep(3 * time.Second)
	// A request is in flight at the kill if it was sent before the process
	// had gone (SIGKILL is not instant: until the kernel closes the
	// listening socket it still completes handshakes, and nginx does not
	// resend a POST whose connection then resets) and answered after the
	// signal.
	killedAt := time.Now()
	killedPID := servers[1].Cmd.Process.Pid
	if err := servers[1].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-servers[1].Exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the killed server did not end")
	}
	goneAt := time.Now()
	time.Sleep(3 * time.Second)
	servers[1] = startServe(t, dsn, "--trust-proxy", "--addr", addr(1))
	time.Sleep(4 * time.Second)
	close(stop)
	wg.Wait()

	// Errors only for requests in flight at the kill.
	byKind := map[string]int{}
	for _, o := range outcomes {
		byKind[o.what]++
		ok := o.status >= 200 && o.status < 400
		if !ok && !(o.start.Before(goneAt) && !o.end.Before(killedAt)) {
			t.Errorf("%s sent %s after the kill (the server was gone %s after it), answered %d", o.what, o.start.Sub(killedAt).Round(time.Millisecond), goneAt.Sub(killedAt).Round(time.Millisecond), o.status)
		}
	}
	t.Logf("requests by kind: %v", byKind)
	for _, kind := range []string{"sign-in", "GET /kpi", "import", "payment"} {
		if byKind[kind] == 0 {
			t.Errorf("the load made no %s request", kind)
		}
	}
	// Every answered import wrote its rows once.
	for _, code := range imported {
		var page struct{ Items []struct{ ID int64 } }
		sup.get("/api/v1/enterprises?credit_code="+code, &page)
		if len(page.Items) != 1 {
			t.Errorf("imported enterprise %s found %d times", code, len(page.Items))
		}
	}
	// Every grant has exactly one payment that is not reversed.
	for _, g := range grants {
		var pays struct{ Payments []e2ePayment }
		sup.get(fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), &pays)
		live := 0
		for _, p := range pays.Payments {
			if p.State != "reversed" {
				live++
			}
		}
		if live != 1 || paid[g.ID] == 0 {
			t.Errorf("grant %d: %d live payments (answered with payment %d)", g.ID, live, paid[g.ID])
		}
	}
	// Each scheduled job's period was claimed once and its run completed,
	// by one server; only the killed server may have left a run unended
	// (a minute's sweep that the next minute's covers).
	d := openDB(t, dsn)
	rows, err := d.R.Query("SELECT name, period, claimed_by, done_at FROM job_runs")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	jobsSeen := map[string]bool{}
	periods := map[string]int{}
	for rows.Next() {
		var name, period, by string
		var done int64
		if err := rows.Scan(&name, &period, &by, &done); err != nil {
			t.Fatal(err)
		}
		jobsSeen[name] = true
		periods[name+" "+period]++
		if done == 0 && !strings.HasSuffix(by, fmt.Sprintf("/%d", killedPID)) {
			t.Errorf("job %s for %s claimed by %s never ended", name, period, by)
		}
	}
	for k, n := range periods {
		if n != 1 {
			t.Errorf("job period %s has %d rows", k, n)
		}
	}
	for _, name := range []string{"auth.purge_sessions", "plan.flags", "plan.webhook", "enterprise.import_jobs"} {
		if !jobsSeen[name] {
			t.Errorf("job %s never ran", name)
		}
	}
}

// freePorts finds n free loopback ports.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var out []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return out
}

// startNginx runs nginx on port, round-robin over upstreams, until t ends,
// and returns its base URL. A server that refuses connections is passed
// over (for any method: the request was not sent) and retried after a
// second.
func startNginx(t *testing.T, nginx string, port int, upstreams []string) string {
	t.Helper()
	dir := t.TempDir()
	var ups strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&ups, "    server %s max_fails=1 fail_timeout=1s;\n", u)
	}
	conf := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  upstream gaoxin {
%[2]s  }
  server {
    listen 127.0.0.1:%[3]d;
    client_max_body_size 20m;
    location / {
      proxy_pass http://gaoxin;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;
    }
  }
}
`, dir, ups.String(), port)
	if os.Geteuid() == 0 {
		conf = "user root;\n" + conf
	}
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", path)
	// nginx's own complaints go to a file, read once the test is over.
	stderr, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stderr.Close()
	t.Cleanup(func() {
		if b, _ := os.ReadFile(filepath.Join(dir, "stderr.log")); t.Failed() && len(b) > 0 {
			t.Logf("nginx: %s", b)
		}
	})
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, 10*time.Second, "nginx to answer", func() bool {
		res, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})
	return base
}

// try is call that reports a request that got no answer as status 0
// instead of failing the test: under a kill some requests get none.
func (c *apiClient) try(method, path string, body any, header map[string]string) (int, []byte) {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return res.StatusCode, buf.Bytes()
}

// upload posts a CSV file's bytes and returns the status (0: no answer).
func (c *apiClient) upload(path, csv string) int {
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(csv))
	req.Header.Set("Content-Type", "text/csv")
	res, err := c.hc.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

func jsonInto(b []byte, v any) { json.Unmarshal(b, v) }

// openDB opens dsn for the test's own checks.
func openDB(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// freeGrants reverses the paid payments of up to n of the demo's 2023
// programme's grants and returns them, each with its whole amount to pay.
func freeGrants(t *testing.T, sup *apiClient, n int) []e2eGrant {
	t.Helper()
	prog := demoProgramme(t, sup)
	var grants struct{ Grants []e2eGrant }
	sup.get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", prog), &grants)
	var out []e2eGrant
	for _, g := range grants.Grants {
		if len(out) == n {
			break
		}
		reversePaid(t, sup, g.ID, "负载测试冲正")
		var after struct{ Grants []e2eGrant }
		sup.get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", prog), &after)
		for _, a := range after.Grants {
			if a.ID == g.ID && a.RemainingFen > 0 {
				out = append(out, a)
			}
		}
	}
	if len(out) < n {
		t.Fatalf("only %d grants could be freed", len(out))
	}
	return out
}
