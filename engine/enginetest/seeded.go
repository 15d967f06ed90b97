package enginetest

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"careflow/engine"
)

// TickingClock returns Start on the first call and advances by Step on each call after.
type TickingClock struct {
	mu    sync.Mutex
	next  time.Time
	Step  time.Duration
	fixed bool
}

// NewTickingClock makes a clock starting at start advancing step per read (0 = frozen).
func NewTickingClock(start time.Time, step time.Duration) *TickingClock {
	return &TickingClock{next: start, Step: step}
}

// Now returns the current tick and advances.
func (c *TickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.next
	c.next = c.next.Add(c.Step)
	return t
}

// SeededUUIDs makes UUIDs from a PCG stream: v4 from 16 random bytes, v7 with the clock's
// milliseconds in the first 48 bits.
type SeededUUIDs struct {
	mu    sync.Mutex
	rng   *rand.Rand
	clock interface{ Now() time.Time }
}

// NewSeededUUIDs makes a generator seeded like the reference fixtures (seed 123456).
func NewSeededUUIDs(seed uint64, clock interface{ Now() time.Time }) *SeededUUIDs {
	return &SeededUUIDs{rng: rand.New(rand.NewPCG(seed, seed)), clock: clock}
}

func (g *SeededUUIDs) bytes() [16]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:8], g.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:16], g.rng.Uint64())
	return b
}

// NewV4 makes a version 4 UUID.
func (g *SeededUUIDs) NewV4() string {
	g.mu.Lock()
	b := g.bytes()
	g.mu.Unlock()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

// NewV7 makes a version 7 UUID; reading the time consumes a clock tick.
func (g *SeededUUIDs) NewV7() string {
	g.mu.Lock()
	b := g.bytes()
	g.mu.Unlock()
	t := g.clock.Now()
	ms := uint64(t.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	sub := uint16((t.Nanosecond() % 1e6) >> 8)
	b[6] = 0x70 | byte(sub>>8)&0x0f
	b[7] = byte(sub)
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

// SeededRandom is a PCG random stream.
type SeededRandom struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// NewSeededRandom makes a random stream seeded like the reference fixtures.
func NewSeededRandom(seed uint64) *SeededRandom {
	return &SeededRandom{rng: rand.New(rand.NewPCG(seed, seed))}
}

// Float64 draws a number in [0, 1).
func (r *SeededRandom) Float64() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rng.Float64()
}

// IntN draws an integer in [0, n).
func (r *SeededRandom) IntN(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rng.IntN(n)
}
