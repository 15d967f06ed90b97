// Package jsonbody reads a JSON request body within bounds, in one pass: it stops at the size
// limit, checks nesting depth as it reads (so a deeply nested body costs at most the bytes read
// up to its first level too deep, never the quadratic work a general decoder spends on it),
// and refuses what the stores or the indexes cannot keep faithfully: invalid UTF-8, NUL
// characters, lone surrogates, duplicate object keys and data after the value.
//
// Errors are *Error, worded for API clients (a position and what is wrong), never a Go type.
// The package imports only the standard library, so every HTTP surface (CHT, RapidPro API v2)
// can use it.
package jsonbody

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// DefaultMaxDepth is the nesting limit when Limits.MaxDepth is 0: far deeper than any CHT
// settings, form or document nests, and shallow enough that decoding stays linear.
const DefaultMaxDepth = 100

// DefaultMaxBytes is the size limit when Limits.MaxBytes is 0: CHT's 32 MiB body limit.
const DefaultMaxBytes = 32 << 20

// Limits bounds a body.
type Limits struct {
	// MaxBytes is the largest body accepted (DefaultMaxBytes when 0).
	MaxBytes int64
	// MaxDepth is the deepest nesting of arrays and objects accepted (DefaultMaxDepth when 0).
	MaxDepth int
	// AllowEmpty accepts a body of nothing but white space (Read then returns it as is).
	AllowEmpty bool
	// Lax skips the NUL, surrogate and duplicate-key checks, for an envelope whose members are
	// checked one by one with Check (CouchDB's _bulk_docs fails a bad document, not the batch).
	Lax bool
}

func (l Limits) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

func (l Limits) maxDepth() int {
	if l.MaxDepth > 0 {
		return l.MaxDepth
	}
	return DefaultMaxDepth
}

// Error is a body refused for its content or size.
type Error struct {
	// Offset is the byte position of the problem.
	Offset int64
	// Msg says what is wrong, in JSON's terms.
	Msg string
	// TooLarge marks a body over Limits.MaxBytes (HTTP 413 rather than 400).
	TooLarge bool
}

func (e *Error) Error() string {
	if e.TooLarge {
		return e.Msg
	}
	return fmt.Sprintf("%s at offset %d", e.Msg, e.Offset)
}

// Read reads one JSON value from r within lim and returns its bytes. It stops reading at the
// first problem. A read error of r itself (a timeout, a closed connection) is returned as it
// is, not as *Error.
func Read(r io.Reader, lim Limits) ([]byte, error) {
	max := lim.maxBytes()
	p := &parser{lim: lim, keep: true, max: max}
	p.src = bufio.NewReaderSize(io.LimitReader(r, max+1), 32<<10)
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.buf, nil
}

// Check validates b as Read would, without a size limit.
func Check(b []byte, lim Limits) error {
	p := &parser{lim: lim, src: bytes.NewReader(b), max: int64(len(b))}
	return p.document()
}

// errIO carries a reader's own error out of the parser.
type errIO struct{ err error }

func (e errIO) Error() string { return e.err.Error() }

type parser struct {
	lim  Limits
	src  io.ByteReader
	keep bool
	buf  []byte
	off  int64 // bytes consumed
	max  int64
	peek byte // a byte pushed back, when has
	has  bool
	eof  bool
}

func (p *parser) fail(at int64, format string, args ...any) error {
	return &Error{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next byte, or ok=false at the end of the body.
func (p *parser) next() (c byte, ok bool, err error) {
	if p.has {
		p.has = false
		return p.peek, true, nil
	}
	if p.eof {
		return 0, false, nil
	}
	c, err = p.src.ReadByte()
	if err == io.EOF {
		p.eof = true
		return 0, false, nil
	}
	if err != nil {
		return 0, false, errIO{err}
	}
	if p.off >= p.max {
		return 0, false, &Error{Offset: p.off, TooLarge: true, Msg: fmt.Sprintf("body larger than %d bytes", p.max)}
	}
	p.off++
	if p.keep {
		p.buf = append(p.buf, c)
	}
	return c, true, nil
}

func (p *parser) back(c byte) { p.peek, p.has = c, true }

// pos is the offset of the byte last returned by next (or pushed back).
func (p *parser) pos() int64 { return p.off - 1 }

func (p *parser) nonSpace() (byte, bool, error) {
	for {
		c, ok, err := p.next()
		if err != nil || !ok {
			return 0, ok, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, true, nil
	}
}

func (p *parser) document() error {
	err := p.top()
	var ioErr errIO
	if errors.As(err, &ioErr) {
		return ioErr.err
	}
	return err
}

func (p *parser) top() error {
	c, ok, err := p.nonSpace()
	if err != nil {
		return err
	}
	if !ok {
		if p.lim.AllowEmpty {
			return nil
		}
		return p.fail(p.off, "empty body where JSON was expected")
	}
	if err := p.value(c, 0); err != nil {
		return err
	}
	c, ok, err = p.nonSpace()
	if err != nil {
		return err
	}
	if ok {
		return p.fail(p.pos(), "unexpected data after the JSON value")
	}
	return nil
}

func (p *parser) value(c byte, depth int) error {
	switch {
	case c == '{' || c == '[':
		if depth >= p.lim.maxDepth() {
			return p.fail(p.pos(), "JSON nesting deeper than %d levels", p.lim.maxDepth())
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		_, err := p.str(false)
		return err
	case c == 't':
		return p.literal("rue")
	case c == 'f':
		return p.literal("alse")
	case c == 'n':
		return p.literal("ull")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(c)
	}
	return p.unexpected(c, "a value")
}

func (p *parser) unexpected(c byte, want string) error {
	if c < 0x20 || c >= 0x7f {
		return p.fail(p.pos(), "unexpected byte 0x%02x where %s was expected", c, want)
	}
	return p.fail(p.pos(), "unexpected character %q where %s was expected", rune(c), want)
}

func (p *parser) need(want string) (byte, error) {
	c, ok, err := p.nonSpace()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, p.fail(p.off, "unexpected end of JSON where %s was expected", want)
	}
	return c, nil
}

func (p *parser) object(depth int) error {
	// Most objects have a few keys: a slice is searched faster than a map is built.
	var seen []string
	var seenMap map[string]struct{}
	c, err := p.need(`a key or "}"`)
	if err != nil || c == '}' {
		return err
	}
	for {
		if c != '"' {
			return p.unexpected(c, "a quoted key")
		}
		at := p.pos()
		key, err := p.str(!p.lim.Lax)
		if err != nil {
			return err
		}
		if !p.lim.Lax {
			dup := false
			if seenMap != nil {
				_, dup = seenMap[key]
				seenMap[key] = struct{}{}
			} else {
				dup = slices.Contains(seen, key)
				seen = append(seen, key)
				if len(seen) > 16 {
					seenMap = make(map[string]struct{}, 2*len(seen))
					for _, k := range seen {
						seenMap[k] = struct{}{}
					}
				}
			}
			if dup {
				return p.fail(at, "duplicate key %s", quoteShort(key))
			}
		}
		if c, err = p.need(`":"`); err != nil {
			return err
		}
		if c != ':' {
			return p.unexpected(c, `":"`)
		}
		if c, err = p.need("a value"); err != nil {
			return err
		}
		if err := p.value(c, depth); err != nil {
			return err
		}
		if c, err = p.need(`"," or "}"`); err != nil {
			return err
		}
		switch c {
		case '}':
			return nil
		case ',':
			if c, err = p.need("a quoted key"); err != nil {
				return err
			}
		default:
			return p.unexpected(c, `"," or "}"`)
		}
	}
}

func (p *parser) array(depth int) error {
	c, err := p.need(`a value or "]"`)
	if err != nil || c == ']' {
		return err
	}
	for {
		if err := p.value(c, depth); err != nil {
			return err
		}
		if c, err = p.need(`"," or "]"`); err != nil {
			return err
		}
		switch c {
		case ']':
			return nil
		case ',':
			if c, err = p.need("a value"); err != nil {
				return err
			}
		default:
			return p.unexpected(c, `"," or "]"`)
		}
	}
}

func (p *parser) literal(rest string) error {
	for i := 0; i < len(rest); i++ {
		c, ok, err := p.next()
		if err != nil {
			return err
		}
		if !ok {
			return p.fail(p.off, "unexpected end of JSON in a literal")
		}
		if c != rest[i] {
			return p.unexpected(c, "true, false or null")
		}
	}
	return nil
}

func (p *parser) number(c byte) error {
	var ok bool
	var err error
	digits := func() (int, error) {
		n := 0
		for {
			if c, ok, err = p.next(); err != nil || !ok {
				return n, err
			}
			if c < '0' || c > '9' {
				return n, nil
			}
			n++
		}
	}
	if c == '-' {
		if c, ok, err = p.next(); err != nil {
			return err
		}
		if !ok || c < '0' || c > '9' {
			return p.fail(p.off, "a number needs a digit after the minus sign")
		}
	}
	if c == '0' {
		if c, ok, err = p.next(); err != nil {
			return err
		}
	} else if _, err = digits(); err != nil {
		return err
	}
	if ok && c == '.' {
		n, err := digits()
		if err != nil {
			return err
		}
		if n == 0 {
			return p.fail(p.off, "a number needs a digit after the decimal point")
		}
	}
	if ok && (c == 'e' || c == 'E') {
		if c, ok, err = p.next(); err != nil {
			return err
		}
		if ok && c != '+' && c != '-' {
			p.back(c)
		}
		n, err := digits()
		if err != nil {
			return err
		}
		if n == 0 {
			return p.fail(p.off, "a number needs a digit in its exponent")
		}
	}
	if ok {
		p.back(c)
	}
	return nil
}

// str reads a string after its opening quote; it returns the decoded text when want is set.
func (p *parser) str(want bool) (string, error) {
	var out []byte
	var utf [4]byte
	for {
		c, ok, err := p.next()
		if err != nil {
			return "", err
		}
		if !ok {
			return "", p.fail(p.off, "unexpected end of JSON in a string")
		}
		switch {
		case c == '"':
			return string(out), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			if want {
				out = utf8.AppendRune(out, r)
			}
		case c < 0x20:
			if c == 0 {
				return "", p.fail(p.pos(), "NUL byte in a string")
			}
			return "", p.fail(p.pos(), "control character 0x%02x in a string (escape it)", c)
		case c < 0x80:
			if want {
				out = append(out, c)
			}
		default:
			at := p.pos()
			n := 0
			switch {
			case c&0xe0 == 0xc0:
				n = 2
			case c&0xf0 == 0xe0:
				n = 3
			case c&0xf8 == 0xf0:
				n = 4
			default:
				return "", p.fail(at, "invalid UTF-8")
			}
			utf[0] = c
			for i := 1; i < n; i++ {
				b, ok, err := p.next()
				if err != nil {
					return "", err
				}
				if !ok || b&0xc0 != 0x80 {
					return "", p.fail(at, "invalid UTF-8")
				}
				utf[i] = b
			}
			if r, size := utf8.DecodeRune(utf[:n]); r == utf8.RuneError || size != n {
				return "", p.fail(at, "invalid UTF-8")
			}
			if want {
				out = append(out, utf[:n]...)
			}
		}
	}
}

func (p *parser) escape() (rune, error) {
	at := p.pos()
	c, ok, err := p.next()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, p.fail(p.off, "unexpected end of JSON in a string")
	}
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
	default:
		return 0, p.fail(at, "invalid escape \\%c in a string", c)
	}
	r, err := p.hex4()
	if err != nil {
		return 0, err
	}
	if p.lim.Lax {
		return r, nil
	}
	switch {
	case r == 0:
		return 0, p.fail(at, `NUL character (\u0000) in a string`)
	case r >= 0xdc00 && r <= 0xdfff:
		return 0, p.fail(at, "lone UTF-16 surrogate \\u%04X in a string", r)
	case r >= 0xd800 && r <= 0xdbff:
		c1, ok1, err1 := p.next()
		c2, ok2, err2 := p.next()
		if err := errors.Join(err1, err2); err != nil {
			return 0, err
		}
		if !ok1 || !ok2 || c1 != '\\' || c2 != 'u' {
			return 0, p.fail(at, "lone UTF-16 surrogate \\u%04X in a string", r)
		}
		lo, err := p.hex4()
		if err != nil {
			return 0, err
		}
		if lo < 0xdc00 || lo > 0xdfff {
			return 0, p.fail(at, "lone UTF-16 surrogate \\u%04X in a string", r)
		}
		return 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00), nil
	}
	return r, nil
}

func (p *parser) hex4() (rune, error) {
	var r rune
	for i := 0; i < 4; i++ {
		c, ok, err := p.next()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, p.fail(p.off, "unexpected end of JSON in a string")
		}
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.fail(p.pos(), "invalid \\u escape in a string")
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}

// quoteShort quotes a key for an error message, cut to a readable length.
func quoteShort(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strconv.Quote(s)
}
