package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gaoxin/internal/db/dbtest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds the real gaoxin binary once per test run. Under
// -race the binary is built with it too (the race detector needs cgo), so
// the servers that the tests run side by side are checked as well as the
// tests; startServe fails a test whose server reported a race.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gaoxin-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "gaoxin")
		args := []string{"build", "-o", binPath}
		cgo := "CGO_ENABLED=0"
		if raceEnabled {
			args, cgo = append(args, "-race"), "CGO_ENABLED=1"
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Env = append(os.Environ(), cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Log(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build gaoxin: %v", buildErr)
	}
	return binPath
}

// server is a running `gaoxin serve` process.
type server struct {
	URL    string
	Cmd    *exec.Cmd
	Output *strings.Builder // everything it printed on stdout so far
	Logs   *strings.Builder // everything it logged (stderr, JSON lines) so far
	Exited chan struct{}    // closed once the process has ended and been reaped
	mu     *sync.Mutex
}

var listenRe = regexp.MustCompile(`listening on (http://\S+)`)

// startServe runs `gaoxin serve --addr 127.0.0.1:0` against dsn with extra
// args, waits until it listens, and stops it with SIGTERM when t ends.
func startServe(t *testing.T, dsn string, args ...string) *server {
	t.Helper()
	bin := buildBinary(t)
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, args...)...)
	cmd.Env = append(os.Environ(), "GAOXIN_LOG_FORMAT=json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{Cmd: cmd, Output: &strings.Builder{}, Logs: &strings.Builder{}, Exited: make(chan struct{}), mu: &sync.Mutex{}}
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.Logs.Write(p)
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-s.Exited
		}
		if log := s.logged(); strings.Contains(log, "WARNING: DATA RACE") {
			t.Errorf("gaoxin serve reported a data race:\n%s", log)
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.Output.WriteString(line + "\n")
			s.mu.Unlock()
			if m := listenRe.FindStringSubmatch(line); m != nil {
				found <- m[1]
			}
		}
		err := cmd.Wait()
		close(s.Exited)
		done <- err
	}()
	select {
	case s.URL = <-found:
	case err := <-done:
		t.Fatalf("gaoxin serve exited early: %v\n%s", err, s.Output.String())
	case <-time.After(120 * time.Second):
		t.Fatal("gaoxin serve did not start listening")
	}
	return s
}

// logged returns what the server logged so far.
func (s *server) logged() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Logs.String()
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// printed returns what the server printed so far.
func (s *server) printed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Output.String()
}

var accountRe = regexp.MustCompile(`(?m)^\s+(\w+)\s+(\S{16})\s+(\w+)\s`)

func TestBinaryServesDemoAndLogsIn(t *testing.T) {
	dsn := dbtest.DSN(t)
	s := startServe(t, dsn, "--demo")
	accounts := map[string]string{}
	for _, m := range accountRe.FindAllStringSubmatch(s.printed(), -1) {
		accounts[m[1]] = m[2]
	}
	pw, ok := accounts["leader"]
	if !ok {
		t.Fatalf("no leader account printed:\n%s", s.printed())
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body := strings.NewReader(`{"username":"leader","password":"` + pw + `"}`)
	res, err := hc.Post(s.URL+"/api/v1/session", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login: %d", res.StatusCode)
	}
	res, err = hc.Get(s.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Username, Role string }
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if me.Username != "leader" || me.Role != "leader" {
		t.Fatalf("me = %+v", me)
	}
	// The session is the leader's: metrics are for admins.
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 403} {
		res, err := hc.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s = %d, want %d", path, res.StatusCode, want)
		}
	}
}
