package runtime

import (
	"bytes"
	"compress/flate"
	"strings"
	"testing"
)

func TestSessionStateRoundTrip(t *testing.T) {
	for _, in := range []string{"{}", `{"a":1}`, strings.Repeat(`{"uuid":"0193b2c1-8d1e-7a3b-9c2d-4e5f6a7b8c9d","status":"waiting"},`, 40)} {
		packed := packSession([]byte(in))
		if len(in) >= packMin && (len(packed) >= len(in) || !bytes.HasPrefix(packed, zstdMagic)) {
			t.Fatalf("%d bytes not compressed: %d", len(in), len(packed))
		}
		if len(in) < packMin && string(packed) != in {
			t.Fatalf("short state changed: %q", packed)
		}
		for i := 0; i < 3; i++ {
			out, err := unpackSession(packed)
			if err != nil || !bytes.Equal(out, []byte(in)) {
				t.Fatalf("round trip of %d bytes: %v", len(in), err)
			}
		}
	}
}

// States stored by earlier versions (a 'z', then raw deflate data) are still read.
func TestSessionStateDeflatedByEarlierVersions(t *testing.T) {
	in := strings.Repeat(`{"uuid":"0193b2c1-8d1e-7a3b-9c2d-4e5f6a7b8c9d","status":"waiting"},`, 40)
	var buf bytes.Buffer
	buf.WriteByte('z')
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write([]byte(in))
	w.Close()
	for i := 0; i < 3; i++ { // pooled readers give the same answer again
		out, err := unpackSession(buf.Bytes())
		if err != nil || string(out) != in {
			t.Fatalf("legacy state: %v", err)
		}
	}
}

// A damaged state is an error, not a panic or a runaway allocation.
func TestSessionStateDamaged(t *testing.T) {
	packed := packSession([]byte(strings.Repeat(`{"status":"waiting","x":1},`, 40)))
	for _, bad := range [][]byte{packed[:len(packed)/2], append(append([]byte{}, zstdMagic...), 0xff, 0xff, 0xff), []byte("z\xff\xff")} {
		if _, err := unpackSession(bad); err == nil {
			t.Errorf("damaged state %q read without error", bad)
		}
	}
}
