package outbound

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
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
func arrayIndex(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// ParseJSON reads JSON into Values the way JSON.parse does (numbers become float64, key order
// follows JavaScript, a repeated key keeps its first position and last value).
func ParseJSON(b []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid JSON: trailing data")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON: %w", err)
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				o.Set(kt.(string), v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			return o, nil
		case '[':
			a := &Array{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				a.Elems = append(a.Elems, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			return a, nil
		}
		return nil, fmt.Errorf("invalid JSON: unexpected %v", t)
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			// Out of range: JSON.parse gives ±Infinity, which ParseFloat also returns.
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return nil, fmt.Errorf("invalid JSON number %s", t)
			}
		}
		return f, nil
	default:
		return t, nil // string, bool, nil
	}
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
