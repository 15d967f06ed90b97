package outbound

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"unicode/utf16"
)

// Hash is CHT's payload hash: lowercase hex SHA-256 of a canonical string in which plain objects
// list their members sorted by key (UTF-16 code-unit order, JavaScript's default sort),
// recursively, while arrays — and any objects inside them — are written by JSON.stringify as
// they are. Existing CHT dedupe records depend on this exact form.
func Hash(payload Value) string {
	sum := sha256.Sum256(canonical(nil, payload))
	return hex.EncodeToString(sum[:])
}

func canonical(b []byte, v Value) []byte {
	o, ok := v.(*Object)
	if !ok {
		return appendJSON(b, v)
	}
	keys := make([]string, 0, len(o.keys))
	for _, k := range o.keys {
		if !skipped(o.vals[k]) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return lessUTF16(keys[i], keys[j]) })
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = canonical(b, o.vals[k])
	}
	return append(b, '}')
}

// lessUTF16 orders strings by UTF-16 code units, as JavaScript compares them.
func lessUTF16(a, b string) bool {
	ascii := true
	for i := 0; i < len(a) && ascii; i++ {
		ascii = a[i] < 0x80
	}
	for i := 0; i < len(b) && ascii; i++ {
		ascii = b[i] < 0x80
	}
	if ascii {
		return a < b
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

// IdempotencyKey is the Idempotency-Key header sent with a push: stable for one payload of
// one config about one document, so every copy of a push (a retry, a re-send after a crash
// lost the acknowledgement) carries the same key, and a receiver that honours it applies the
// push once. A new payload for the same document gets a new key.
func IdempotencyKey(docID, config, payloadHash string) string {
	h := sha256.New()
	for _, part := range []string{"careflow-outbound", docID, config, payloadHash} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
