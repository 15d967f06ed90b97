package cht

import (
	"sync"
	"time"
)

// Throttle counts failed logins per user name and per client address and locks a key out
// once it has failed too often, as CHT's login rate limiting does. The counts live in memory
// on each node: a lockout is per node, so an attacker spreading guesses over N nodes gets N
// times the budget, which is still a fixed, small number of PBKDF2 checks per window. Keeping
// them out of the database keeps failed logins from costing writes. A nil *Throttle never
// locks.
type Throttle struct {
	// MaxUserFailures locks a user name after that many failures in Window (default 5).
	MaxUserFailures int
	// MaxAddrFailures locks a client address after that many failures in Window (default 30):
	// higher than per user, as many clients can share an address behind a NAT.
	MaxAddrFailures int
	// Window is how long a failure counts (default 15 minutes).
	Window time.Duration
	// Lockout is the first lock's length (default 1 minute); each further failure while the
	// count is over the limit doubles it, up to Window.
	Lockout time.Duration
	// Now is the clock.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures    int
	first       time.Time
	lockedUntil time.Time
}

// maxThrottleEntries bounds the memory an attacker can make the throttle use by trying many
// names from many addresses; when full, entries past their window are dropped first.
const maxThrottleEntries = 100_000

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Throttle) window() time.Duration {
	if t.Window > 0 {
		return t.Window
	}
	return 15 * time.Minute
}

func (t *Throttle) lockout() time.Duration {
	if t.Lockout > 0 {
		return t.Lockout
	}
	return time.Minute
}

func (t *Throttle) limit(key string) int {
	if key[0] == 'a' {
		if t.MaxAddrFailures > 0 {
			return t.MaxAddrFailures
		}
		return 30
	}
	if t.MaxUserFailures > 0 {
		return t.MaxUserFailures
	}
	return 5
}

func userKey(name string) string { return "u\x00" + name }
func addrKey(addr string) string { return "a\x00" + addr }

// Locked returns how long the longest lock among keys has still to run, or 0.
func (t *Throttle) Locked(keys ...string) time.Duration {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		if e := t.entries[k]; e != nil && e.lockedUntil.After(now) {
			wait = max(wait, e.lockedUntil.Sub(now))
		}
	}
	return wait
}

// Fail counts a failure against each key, locking those over their limit.
func (t *Throttle) Fail(keys ...string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if t.entries == nil {
		t.entries = map[string]*throttleEntry{}
	}
	for _, k := range keys {
		e := t.entries[k]
		if e == nil || now.Sub(e.first) > t.window() && !e.lockedUntil.After(now) {
			if e == nil && len(t.entries) >= maxThrottleEntries {
				t.prune(now)
			}
			e = &throttleEntry{first: now}
			t.entries[k] = e
		}
		e.failures++
		if over := e.failures - t.limit(k); over >= 0 {
			d := t.lockout() << min(over, 20)
			e.lockedUntil = now.Add(min(d, t.window()))
		}
	}
}

// Succeed forgets the failures of key (a user who logged in).
func (t *Throttle) Succeed(key string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

func (t *Throttle) prune(now time.Time) {
	for k, e := range t.entries {
		if now.Sub(e.first) > t.window() && !e.lockedUntil.After(now) {
			delete(t.entries, k)
		}
	}
	if len(t.entries) >= maxThrottleEntries {
		clear(t.entries) // everything is fresh: an attack on many keys; start over rather than grow
	}
}

// ThrottledError refuses a login while its user name or client address is locked out.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return "too many failed logins; try again later"
}
