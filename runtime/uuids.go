package runtime

import (
	"encoding/binary"
	mrand "math/rand/v2"
	"sync"
	"time"

	"careflow/engine"
)

// uuids makes random v4 and time-ordered v7 UUIDs from the runtime's per-thread ChaCha8 source,
// which is seeded from the operating system and needs no lock.
type uuids struct{}

func (uuids) fill() [16]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:8], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:16], mrand.Uint64())
	return b
}

func (g uuids) NewV4() string {
	b := g.fill()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

func (g uuids) NewV7() string {
	b := g.fill()
	ms := uint64(time.Now().UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

// NewUUID returns a random (version 4) UUID.
func NewUUID() string { return uuids{}.NewV4() }

// random is the engine's random source in production: math/rand/v2's global generator.
type random struct{}

func (random) Float64() float64 { return mrand.Float64() }
func (random) IntN(n int) int   { return mrand.IntN(n) }

// Clock is the runtime's time source; tests inject one they can move.
type Clock interface{ Now() time.Time }

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// ManualClock is a clock tests move by hand.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock starts a manual clock at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now implements Clock.
func (c *ManualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward.
func (c *ManualClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
