package runtime

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// A waiting session's state is stored compressed when that saves space, as a zstd frame
// (recognised by its magic number; JSON never starts with it), else as plain JSON. zstd at
// its fastest level compresses a session about as well as deflate did and in under half the
// time, and decompresses it three times faster: at a thousand messages a second deflate and
// inflate were a twentieth of the runtime's CPU. States written by earlier versions as a 'z'
// byte and raw deflate data are still read.

// packMin is the size below which state is stored as it is: a frame's header and the
// tables of a tiny input cost more than they save.
const packMin = 256

// maxSessionState bounds what a stored state may expand to, so a damaged row cannot make
// the decoder allocate without limit.
const maxSessionState = 64 << 20

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
	zstdErr  error
)

func zstdCodecs() (*zstd.Encoder, *zstd.Decoder, error) {
	zstdOnce.Do(func() {
		n := runtime.GOMAXPROCS(0)
		zstdEnc, zstdErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(n),
			zstd.WithLowerEncoderMem(true), zstd.WithEncoderCRC(true))
		if zstdErr != nil {
			return
		}
		zstdDec, zstdErr = zstd.NewReader(nil, zstd.WithDecoderConcurrency(n), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(maxSessionState))
	})
	return zstdEnc, zstdDec, zstdErr
}

// packSession returns the state to store for a session's JSON.
func packSession(data []byte) []byte {
	if len(data) < packMin {
		return data
	}
	enc, _, err := zstdCodecs()
	if err != nil {
		return data
	}
	packed := enc.EncodeAll(data, make([]byte, 0, len(data)/2))
	if len(packed) >= len(data) {
		return data
	}
	return packed
}

// unpackSession returns the session JSON of a stored state.
func unpackSession(state []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(state, zstdMagic):
		_, dec, err := zstdCodecs()
		if err != nil {
			return nil, err
		}
		out, err := dec.DecodeAll(state, make([]byte, 0, len(state)*3))
		if err != nil {
			return nil, fmt.Errorf("session state: %w", err)
		}
		return out, nil
	case len(state) > 0 && state[0] == 'z':
		return inflateLegacy(state[1:])
	}
	return state, nil
}

// flateReaders are reused: a new decompressor allocates tens of kilobytes of tables, which
// cost more than the decompression of a session itself.
var flateReaders sync.Pool

// inflateLegacy reads the raw deflate data earlier versions stored after a 'z' byte.
func inflateLegacy(data []byte) ([]byte, error) {
	src := bytes.NewReader(data)
	r, _ := flateReaders.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	defer flateReaders.Put(r)
	out := bytes.NewBuffer(make([]byte, 0, len(data)*4))
	if _, err := out.ReadFrom(io.LimitReader(r, maxSessionState+1)); err != nil {
		return nil, fmt.Errorf("session state: %w", err)
	}
	if out.Len() > maxSessionState {
		return nil, fmt.Errorf("session state: longer than %d bytes", maxSessionState)
	}
	return out.Bytes(), nil
}
