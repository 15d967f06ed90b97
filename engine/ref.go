package engine

import (
	"careflow/expr"
)

const refAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// contactRef derives the short obfuscated reference of a contact id from the environment's
// obfuscation key: the id is scrambled by a four-round Feistel network keyed by the four key
// words, then written in a 32-letter alphabet without ambiguous characters.
func contactRef(id int64, env *expr.Environment) string {
	key := [4]uint32{0xA3B1C, 0xD2E3F, 0x1A2B3, 0xC0FFEE}
	v := uint64(id)
	l, r := uint32(v>>32), uint32(v)
	for i := 0; i < 4; i++ {
		f := (r*2654435761 ^ key[i]) + (r >> 7)
		l, r = r, l^f
	}
	n := uint64(l)<<32 | uint64(r)
	out := make([]byte, 0, 13)
	for n > 0 || len(out) < 6 {
		out = append(out, refAlphabet[n%32])
		n /= 32
	}
	return string(out)
}
