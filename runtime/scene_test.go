package runtime

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeflateRoundTrip(t *testing.T) {
	for _, in := range []string{"{}", `{"a":1}`, strings.Repeat(`{"uuid":"0193b2c1-8d1e-7a3b-9c2d-4e5f6a7b8c9d","status":"waiting"},`, 40)} {
		packed := deflate([]byte(in))
		if len(in) >= deflateMin && (len(packed) >= len(in) || packed[0] != 'z') {
			t.Fatalf("%d bytes not compressed: %d", len(in), len(packed))
		}
		for i := 0; i < 3; i++ { // pooled readers and writers give the same answer again
			out, err := inflate(packed)
			if err != nil || !bytes.Equal(out, []byte(in)) {
				t.Fatalf("round trip of %d bytes: %v", len(in), err)
			}
		}
	}
}
