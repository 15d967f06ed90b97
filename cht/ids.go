package cht

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// newUUIDv7 returns a time-ordered UUID (version 7), the kind of id CHT's API gives the
// records it creates.
func newUUIDv7(now time.Time) string {
	var b [16]byte
	if _, err := rand.Read(b[6:]); err != nil {
		panic("cht: no randomness: " + err.Error())
	}
	ms := uint64(now.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = 0x70 | (b[6] & 0x0f)
	b[8] = 0x80 | (b[8] & 0x3f)
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// NewDocID returns a fresh document id (a UUID v7, time-ordered).
func NewDocID() string { return newUUIDv7(time.Now()) }
