// Package memo remembers the results of pure functions that are costly to call again for the
// same input, such as parsing a phone number.
package memo

import "sync"

// Map remembers up to max results and is dropped whole when full rather than kept in
// order: inputs more varied than max cost what they would without it, and memory stays
// bounded. It is safe for concurrent use.
type Map[K comparable, V any] struct {
	mu  sync.RWMutex
	m   map[K]V
	max int
}

// New returns a Map of at most max entries.
func New[K comparable, V any](max int) *Map[K, V] {
	return &Map[K, V]{m: map[K]V{}, max: max}
}

// Get returns f(k), computing it only when k is not remembered.
func (c *Map[K, V]) Get(k K, f func(K) V) V {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = f(k)
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[K]V{}
	}
	c.m[k] = v
	c.mu.Unlock()
	return v
}
