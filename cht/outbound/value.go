package outbound

import (
	"bytes"
	"fmt"
	"strconv"

	"careflow/internal/jsonstr"
)

// A Value is a JSON value as JavaScript holds it: nil (null), bool, float64, string, *Object,
// *Array, or omitted (a function or symbol, which JSON.stringify leaves out).
type Value = any

// omitted marks a value JSON.stringify skips in objects and writes as null in arrays.
type omitted struct{}

// Object is a JavaScript object: its own enumerable properties in JavaScript's order, which puts
// array-index keys ("0", "12") first in ascending order and the others in insertion order.
type Object struct {
	keys []string
	vals map[string]Value
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{vals: map[string]Value{}} }

// Keys returns the keys in JavaScript's Object.keys order.
func (o *Object) Keys() []string { return o.keys }

// Get returns the own property k.
func (o *Object) Get(k string) (Value, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// Set creates or replaces the own property k, keeping JavaScript's key order.
func (o *Object) Set(k string, v Value) {
	if _, ok := o.vals[k]; ok {
		o.vals[k] = v
		return
	}
	o.vals[k] = v
	idx, isIdx := arrayIndex(k)
	if !isIdx {
		o.keys = append(o.keys, k)
		return
	}
	// Integer keys come first, ascending.
	pos := 0
	for pos < len(o.keys) {
		j, ok := arrayIndex(o.keys[pos])
		if !ok || j > idx {
			break
		}
		pos++
	}
	o.keys = append(o.keys, "")
	copy(o.keys[pos+1:], o.keys[pos:])
	o.keys[pos] = k
}

// Array is a JavaScript array; holes read as null when serialised.
type Array struct {
	Elems []Value
}

// arrayIndex reports whether k is a canonical array index (0 ≤ n < 2³²−1, no leading zero).
// Every key set on an Object asks, so it is decided digit by digit rather than by ParseUint,
// whose error for an ordinary key cost two allocations.
func arrayIndex(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// ParseJSON reads JSON into Values the way JSON.parse does (numbers become float64, key order
// follows JavaScript, a repeated key keeps its first position and last value).
func ParseJSON(b []byte) (Value, error) {
	p := jsonParser{b: b}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.b) {
		return nil, p.fail("trailing data")
	}
	return v, nil
}

// jsonParser is a small recursive-descent JSON reader; encoding/json's token API is several
// times slower for building ordered trees, and documents are parsed on every write.
type jsonParser struct {
	b []byte
	i int
}

func (p *jsonParser) fail(what string) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", p.i, what)
}

func (p *jsonParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) literal(word string, v Value) (Value, error) {
	if !bytes.HasPrefix(p.b[p.i:], []byte(word)) {
		return nil, p.fail("unexpected character")
	}
	p.i += len(word)
	return v, nil
}

func (p *jsonParser) value(depth int) (Value, error) {
	if depth > 10000 {
		return nil, p.fail("nested too deeply")
	}
	if p.i >= len(p.b) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		p.i++
		o := NewObject()
		p.space()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			return o, nil
		}
		for {
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				return nil, p.fail("want a member name")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, p.fail("want ':'")
			}
			p.i++
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
			p.space()
			if p.i >= len(p.b) {
				return nil, p.fail("unexpected end")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == '}' {
				p.i++
				return o, nil
			}
			return nil, p.fail("want ',' or '}'")
		}
	case c == '[':
		p.i++
		a := &Array{}
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			return a, nil
		}
		for {
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a.Elems = append(a.Elems, v)
			p.space()
			if p.i >= len(p.b) {
				return nil, p.fail("unexpected end")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == ']' {
				p.i++
				return a, nil
			}
			return nil, p.fail("want ',' or ']'")
		}
	case c == '"':
		return p.str()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.fail("unexpected character")
}

func (p *jsonParser) number() (Value, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	if n := digits(); n == 0 || (n > 1 && p.b[intStart] == '0') {
		return nil, p.fail("bad number")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.fail("bad number")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.fail("bad number")
		}
	}
	f, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil {
		// Out of range: JSON.parse gives ±Infinity, which ParseFloat also returns.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return nil, p.fail("bad number")
		}
	}
	return f, nil
}

// str reads a string; a lone surrogate escape becomes U+FFFD (Go strings hold no surrogates).
func (p *jsonParser) str() (string, error) {
	s, next, f := jsonstr.Unquote(p.b, p.i+1, jsonstr.RejectControl)
	p.i = next
	if f != jsonstr.None {
		return "", p.fail(f.String())
	}
	return s, nil
}

// utf16Len is a string's JavaScript length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// utf16At is JavaScript's s[i]: the i-th UTF-16 code unit as a string (a lone surrogate half
// becomes U+FFFD, which Go strings cannot hold).
func utf16At(s string, i int) string {
	n := 0
	for _, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if i < n+w {
			if w == 2 {
				return "\uFFFD"
			}
			return string(r)
		}
		n += w
	}
	return ""
}
