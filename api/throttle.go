package api

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate is a number of requests per period.
type Rate struct {
	N      int
	Period time.Duration
}

// ParseRate reads RapidPro's rate syntax, e.g. "3600/hour", "100/m".
func ParseRate(s string) (Rate, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	num, err := strconv.Atoi(n)
	if !ok || err != nil || num <= 0 || unit == "" {
		return Rate{}, fmt.Errorf("rate %q: want N/second, N/minute, N/hour or N/day", s)
	}
	periods := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}
	p, ok := periods[unit[0]]
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: unknown period %q", s, unit)
	}
	return Rate{N: num, Period: p}, nil
}

// DefaultRates are RapidPro's: contacts, messages and runs each have their own bucket.
func DefaultRates() map[string]Rate {
	h := Rate{N: 3600, Period: time.Hour}
	return map[string]Rate{"v2": h, "v2.contacts": h, "v2.messages": h, "v2.runs": h}
}

func (a *API) rate(scope string) Rate {
	if r, ok := a.Rates[scope]; ok {
		return r
	}
	return a.Rates["v2"]
}

// throttle is a sliding window of request times per workspace and scope, as DRF's
// SimpleRateThrottle keeps. It is per node: nodes sharing a database each allow the rate.
type throttle struct {
	mu      sync.Mutex
	history map[string][]time.Time
}

func newThrottle() *throttle { return &throttle{history: map[string][]time.Time{}} }

// allow records a request at now if the window has room; otherwise it returns how long until
// the oldest request in the window leaves it.
func (t *throttle) allow(wsID int64, scope string, r Rate, now time.Time) (time.Duration, bool) {
	if r.N <= 0 {
		return 0, true
	}
	key := scope + ":" + strconv.FormatInt(wsID, 10)
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.history[key]
	cut := 0
	for cut < len(h) && now.Sub(h[cut]) >= r.Period {
		cut++
	}
	h = h[cut:]
	if len(h) >= r.N {
		t.history[key] = h
		return r.Period - now.Sub(h[0]), false
	}
	t.history[key] = append(h, now)
	return 0, true
}
