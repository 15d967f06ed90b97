package migrate

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// SeededUUIDs returns a deterministic generator of version 4 shaped UUIDs whose stream depends
// only on the definition's content, so migrating the same definition twice gives the same
// result. It is the default when no generator is injected; callers wanting truly random UUIDs
// inject their own.
func SeededUUIDs(f Flow) func() string {
	seed, _ := json.Marshal(f)
	return NewSeededUUIDs(seed)
}

// NewSeededUUIDs returns a deterministic UUID generator over the given seed bytes.
func NewSeededUUIDs(seed []byte) func() string {
	state := sha256.Sum256(seed)
	var counter uint64
	return func() string {
		counter++
		var buf [40]byte
		copy(buf[:32], state[:])
		binary.LittleEndian.PutUint64(buf[32:], counter)
		h := sha256.Sum256(buf[:])
		b := h[:16]
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
}
