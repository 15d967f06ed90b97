package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"careflow/internal/jsonstr"
)

// This file holds a small JSON writer and reader used for the types the runtime stores on
// every message (sessions and contacts), where encoding/json's reflection dominated the cost
// of storing a session between sprints. The output is what encoding/json would write for the
// same struct tags; the reader accepts any valid JSON for them.

// appendJSONString appends s as a JSON string, escaping like encoding/json (including <, >
// and &, and replacing invalid UTF-8).
func appendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s, jsonstr.Go) }

func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// jsonObj writes the members of one object, adding commas.
type jsonObj struct {
	b     []byte
	first bool
}

func newJSONObj(b []byte) *jsonObj { return &jsonObj{b: append(b, '{'), first: true} }

func (o *jsonObj) key(k string) {
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObj) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *jsonObj) strOmit(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *jsonObj) time(k string, t time.Time) {
	o.key(k)
	o.b = appendJSONTime(o.b, t)
}

func (o *jsonObj) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

func (o *jsonObj) raw(k string, v []byte) {
	o.key(k)
	o.b = append(o.b, v...)
}

// value marshals v with encoding/json (for rarely present, irregular members).
func (o *jsonObj) value(k string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	o.raw(k, data)
	return nil
}

func (o *jsonObj) end() []byte { return append(o.b, '}') }

// jsonReader reads JSON values from a byte slice.
type jsonReader struct {
	b []byte
	i int
}

var errJSONSyntax = errors.New("invalid JSON")

func (r *jsonReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) peek() byte {
	r.ws()
	if r.i >= len(r.b) {
		return 0
	}
	return r.b[r.i]
}

func (r *jsonReader) expect(c byte) error {
	if r.peek() != c {
		return fmt.Errorf("%w: expected %q at offset %d", errJSONSyntax, c, r.i)
	}
	r.i++
	return nil
}

// null consumes a null if one is next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' && r.i+4 <= len(r.b) && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// openObject starts reading an object; false means the value was null.
func (r *jsonReader) openObject() (bool, error) {
	if r.null() {
		return false, nil
	}
	return true, r.expect('{')
}

// nextKey returns the next member's key (its bytes, valid until the next read) or ok=false at
// the end of the object. The caller then reads the value.
func (r *jsonReader) nextKey() (key []byte, ok bool, err error) {
	switch r.peek() {
	case '}':
		r.i++
		return nil, false, nil
	case ',':
		r.i++
	}
	if err := r.expect('"'); err != nil {
		return nil, false, err
	}
	start := r.i
	for r.i < len(r.b) && r.b[r.i] != '"' {
		if r.b[r.i] == '\\' {
			r.i = start - 1
			k, err := r.str()
			if err != nil {
				return nil, false, err
			}
			return []byte(k), true, r.expect(':')
		}
		r.i++
	}
	if r.i >= len(r.b) {
		return nil, false, errJSONSyntax
	}
	key = r.b[start:r.i]
	r.i++
	return key, true, r.expect(':')
}

// openArray starts reading an array; false means the value was null.
func (r *jsonReader) openArray() (bool, error) {
	if r.null() {
		return false, nil
	}
	return true, r.expect('[')
}

// nextElem reports whether another element follows (and positions at it).
func (r *jsonReader) nextElem(first bool) (bool, error) {
	switch r.peek() {
	case ']':
		r.i++
		return false, nil
	case ',':
		if first {
			return false, errJSONSyntax
		}
		r.i++
		return true, nil
	}
	if !first {
		return false, fmt.Errorf("%w at offset %d", errJSONSyntax, r.i)
	}
	return true, nil
}

// str reads a string (null reads as ""). Raw control characters are accepted, and invalid UTF-8
// is replaced only in strings holding an escape.
func (r *jsonReader) str() (string, error) {
	if r.null() {
		return "", nil
	}
	if err := r.expect('"'); err != nil {
		return "", err
	}
	s, next, f := jsonstr.Unquote(r.b, r.i, jsonstr.ReplaceInvalidUTF8)
	r.i = next
	switch f {
	case jsonstr.None:
		return s, nil
	case jsonstr.Unterminated:
		return "", fmt.Errorf("%w: unterminated string", errJSONSyntax)
	}
	return "", errJSONSyntax
}

// skip consumes any value and returns its bytes.
func (r *jsonReader) skip() ([]byte, error) {
	r.ws()
	start := r.i
	if r.i >= len(r.b) {
		return nil, errJSONSyntax
	}
	switch r.b[r.i] {
	case '{':
		if _, err := r.openObject(); err != nil {
			return nil, err
		}
		for {
			_, ok, err := r.nextKey()
			if err != nil {
				return nil, err
			}
			if !ok {
				return r.b[start:r.i], nil
			}
			if _, err := r.skip(); err != nil {
				return nil, err
			}
		}
	case '[':
		if _, err := r.openArray(); err != nil {
			return nil, err
		}
		for first := true; ; first = false {
			more, err := r.nextElem(first)
			if err != nil {
				return nil, err
			}
			if !more {
				return r.b[start:r.i], nil
			}
			if _, err := r.skip(); err != nil {
				return nil, err
			}
		}
	case '"':
		_, err := r.str()
		return r.b[start:r.i], err
	}
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return r.b[start:r.i], nil
		}
		r.i++
	}
	return r.b[start:r.i], nil
}

// raw reads any value as raw JSON (null gives nil).
func (r *jsonReader) raw() (json.RawMessage, error) {
	if r.null() {
		return nil, nil
	}
	v, err := r.skip()
	if err != nil {
		return nil, err
	}
	out := make(json.RawMessage, len(v))
	copy(out, v)
	return out, nil
}

func (r *jsonReader) int() (int64, error) {
	if r.null() {
		return 0, nil
	}
	v, err := r.skip()
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(v), 10, 64)
}

func (r *jsonReader) bool() (bool, error) {
	if r.null() {
		return false, nil
	}
	v, err := r.skip()
	if err != nil {
		return false, err
	}
	switch string(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%w: bad boolean", errJSONSyntax)
}

func (r *jsonReader) time() (time.Time, error) {
	s, err := r.str()
	if err != nil || s == "" {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, s)
}

// into decodes the next value with encoding/json (irregular members).
func (r *jsonReader) into(v any) error {
	raw, err := r.skip()
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// end checks nothing but whitespace follows.
func (r *jsonReader) end() error {
	r.ws()
	if r.i != len(r.b) {
		return fmt.Errorf("%w: trailing data", errJSONSyntax)
	}
	return nil
}

// strings reads an array of strings.
func (r *jsonReader) strings() ([]string, error) {
	var out []string
	err := r.array(func() error {
		s, err := r.str()
		out = append(out, s)
		return err
	})
	return out, err
}

// stringMap reads an object of strings.
func (r *jsonReader) stringMap() (map[string]string, error) {
	if r.null() {
		return nil, nil
	}
	out := map[string]string{}
	err := r.object(func(k []byte) error {
		key := string(k)
		v, err := r.str()
		out[key] = v
		return err
	})
	return out, err
}
