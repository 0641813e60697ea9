// Package load runs bounded HTTP load against a server on loopback and
// reports latency percentiles and throughput. The bench programs under
// bench/ use it; nothing in the product imports it.
package load

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Result summarises one run.
type Result struct {
	Name          string
	Requests      int
	Errors        int // transport errors and non-2xx answers
	P50, P95, P99 time.Duration
	Max           time.Duration
	RPS           float64
}

func (r Result) String() string {
	return fmt.Sprintf("%-28s n=%-6d err=%-3d p50=%-8s p95=%-8s p99=%-8s max=%-8s %8.0f req/s",
		r.Name, r.Requests, r.Errors, r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond),
		r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond), r.RPS)
}

// Run sends requests made by newReq from `clients` concurrent clients for
// the duration d (and at most maxRequests in all, when > 0).
func Run(ctx context.Context, name string, hc *http.Client, newReq func() (*http.Request, error), clients int, d time.Duration, maxRequests int) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errors := 0
	var issued int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1024)
			localErr := 0
			for ctx.Err() == nil {
				mu.Lock()
				if maxRequests > 0 && issued >= int64(maxRequests) {
					mu.Unlock()
					break
				}
				issued++
				mu.Unlock()
				req, err := newReq()
				if err != nil {
					localErr++
					continue
				}
				t0 := time.Now()
				res, err := hc.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() == nil {
						localErr++
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				local = append(local, time.Since(t0))
				if res.StatusCode/100 != 2 {
					localErr++
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			errors += localErr
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := Result{Name: name, Requests: len(lat), Errors: errors}
	if len(lat) > 0 {
		pick := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
		r.P50, r.P95, r.P99, r.Max = pick(0.50), pick(0.95), pick(0.99), lat[len(lat)-1]
		r.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	return r
}

// Get returns a request maker for GET url with optional headers.
func Get(url string, header http.Header) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range header {
			req.Header[k] = v
		}
		return req, nil
	}
}

// Fetch makes one GET of url with header and reads the answer whole: its
// status and size.
func Fetch(hc *http.Client, url string, header http.Header) (code int, size int64, err error) {
	req, err := Get(url, header)()
	if err != nil {
		return 0, 0, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	size, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, size, err
}

// Client is an HTTP client tuned for loopback load: enough idle connections
// for every concurrent client.
func Client(clients int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = clients * 2
	tr.MaxIdleConnsPerHost = clients * 2
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Serve serves h on a free loopback port until stop is called, and returns
// the base URL (http://127.0.0.1:PORT).
func Serve(h http.Handler) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}
