package enterprise

import (
	"sync"
	"time"
)

// The list chooses its query shape from bounded counts (how many rows a
// filter or a name character matches). Those counts only choose a plan,
// never an answer, and change slowly, so each server keeps them for
// planTTL instead of counting on every request.

const (
	planTTL  = time.Minute
	maxPlans = 4096
)

type planEntry struct {
	n  int
	at time.Time
}

type planCache struct {
	mu sync.Mutex
	m  map[string]planEntry
}

// get returns the count stored under key if it is fresh.
func (c *planCache) get(key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Since(e.at) >= planTTL {
		return 0, false
	}
	return e.n, true
}

// put stores a count; a full cache starts again empty.
func (c *planCache) put(key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxPlans {
		c.m = map[string]planEntry{}
	}
	c.m[key] = planEntry{n: n, at: time.Now()}
}
