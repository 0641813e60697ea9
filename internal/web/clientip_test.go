package web

import (
	"net/http/httptest"
	"testing"
)

// Behind one trusted proxy the caller is the address the proxy appended
// last: what the client wrote in its own X-Forwarded-For cannot pass it
// off as someone else (and so slip past the sign-in throttle).
func TestClientIPTakesTheProxysAddress(t *testing.T) {
	s := &Server{Cfg: Config{TrustProxy: true}}
	for _, c := range []struct {
		xff  []string
		want string
	}{
		{[]string{"203.0.113.7"}, "203.0.113.7"},
		{[]string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"},
		{[]string{"198.51.100.1", "203.0.113.7"}, "203.0.113.7"},
		{nil, "192.0.2.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:40000"
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.ClientIP(r); got != c.want {
			t.Errorf("X-Forwarded-For %q: %s, want %s", c.xff, got, c.want)
		}
	}
	s.Cfg.TrustProxy = false
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.1:40000"
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	if got := s.ClientIP(r); got != "192.0.2.1" {
		t.Errorf("untrusted proxy header taken: %s", got)
	}
}
