package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds on what a caller sends, checked before any work.
const (
	MaxBodyBytes = 1 << 20
	MaxJSONDepth = 32
	MaxListItems = 100
)

// body is a write request's JSON object, read field by field; problems gather in errs, named
// by field as DRF reports them.
type body struct {
	fields map[string]json.RawMessage
	used   map[string]bool
	errs   fieldErrors
}

// readBody reads and bounds the request body, which must be one JSON object.
func (c *call) readBody() (*body, error) {
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, errDetail(http.StatusUnsupportedMediaType, `Unsupported media type "`+ct+`" in request.`)
		}
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, errDetail(http.StatusBadRequest, "JSON parse error - could not read the request body")
	}
	if len(data) > MaxBodyBytes {
		return nil, errDetail(http.StatusRequestEntityTooLarge, "Request body exceeds 1048576 bytes.")
	}
	if !utf8.Valid(data) {
		return nil, errDetail(http.StatusBadRequest, "JSON parse error - request body is not valid UTF-8")
	}
	if d := jsonDepth(data); d > MaxJSONDepth {
		return nil, errDetail(http.StatusBadRequest, "JSON parse error - nested deeper than 32 levels")
	}
	var v any
	if len(strings.TrimSpace(string(data))) == 0 {
		v = map[string]any{}
	} else if err := json.Unmarshal(data, &v); err != nil {
		var se *json.SyntaxError
		msg := err.Error()
		if errors.As(err, &se) {
			msg = se.Error()
		}
		return nil, errDetail(http.StatusBadRequest, "JSON parse error - "+msg)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, &apiError{http.StatusBadRequest, map[string][]string{"non_field_errors": {"Request body should be a single JSON object"}}}
	}
	b := &body{used: map[string]bool{}, errs: fieldErrors{}}
	_ = json.Unmarshal(data, &b.fields)
	return b, nil
}

// jsonDepth is the deepest nesting of arrays and objects in data (strings skipped).
func jsonDepth(data []byte) int {
	depth, most, inStr, esc := 0, 0, false, false
	for _, ch := range data {
		switch {
		case inStr:
			if esc {
				esc = false
			} else if ch == '\\' {
				esc = true
			} else if ch == '"' {
				inStr = false
			}
		case ch == '"':
			inStr = true
		case ch == '{' || ch == '[':
			depth++
			most = max(most, depth)
		case ch == '}' || ch == ']':
			depth--
		}
	}
	return most
}

// has reports whether the body names the field (null included) and marks it known.
func (b *body) has(name string) bool {
	b.used[name] = true
	_, ok := b.fields[name]
	return ok
}

func (b *body) isNull(name string) bool {
	raw, ok := b.fields[name]
	return ok && string(raw) == "null"
}

// str reads an optional string of at most maxLen characters.
func (b *body) str(name string, maxLen int, required bool) string {
	if !b.has(name) || b.isNull(name) {
		if required {
			b.errs.add(name, "This field is required.")
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(b.fields[name], &s); err != nil {
		b.errs.add(name, "Not a valid string.")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		b.errs.add(name, "This field may not be blank.")
	}
	if utf8.RuneCountInString(s) > maxLen {
		b.errs.add(name, "Ensure this field has no more than "+itoa(maxLen)+" characters.")
	}
	if strings.ContainsRune(s, 0) {
		b.errs.add(name, "Null characters are not allowed.")
	}
	return s
}

// refList reads a list of references (strings or integers, as TembaModelField accepts) of
// at most MaxListItems.
func (b *body) refList(name string) []string {
	if !b.has(name) || b.isNull(name) {
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b.fields[name], &raw); err != nil {
		b.errs.add(name, `Expected a list of items but got type "`+jsonType(b.fields[name])+`".`)
		return nil
	}
	if len(raw) > MaxListItems {
		b.errs.add(name, "Ensure this field has no more than 100 elements.")
		return nil
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		var s string
		var n json.Number
		if json.Unmarshal(r, &s) == nil {
			out = append(out, strings.TrimSpace(s))
		} else if json.Unmarshal(r, &n) == nil {
			out = append(out, n.String())
		} else {
			b.errs.add(name, "Must be a string or integer")
			return nil
		}
	}
	return out
}

// boolean reads an optional boolean: JSON true/false, or the strings and numbers DRF's
// BooleanField accepts ("true", "1", 0, ...).
func (b *body) boolean(name string, def bool) bool {
	if !b.has(name) || b.isNull(name) {
		return def
	}
	var v any
	_ = json.Unmarshal(b.fields[name], &v)
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		if x == 1 || x == 0 {
			return x == 1
		}
	case string:
		switch strings.ToLower(x) {
		case "true", "1", "yes", "on", "t", "y":
			return true
		case "false", "0", "no", "off", "f", "n":
			return false
		}
	}
	b.errs.add(name, "Must be a valid boolean.")
	return def
}

// object reads an optional JSON object.
func (b *body) object(name string) (map[string]any, bool) {
	if !b.has(name) || b.isNull(name) {
		return nil, false
	}
	var m map[string]any
	if err := json.Unmarshal(b.fields[name], &m); err != nil || m == nil {
		b.errs.add(name, "Must be a valid JSON object")
		return nil, false
	}
	return m, true
}

// done refuses fields the endpoint does not know, then reports any problem found.
func (b *body) done() error {
	var unknown []string
	for k := range b.fields {
		if !b.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		b.errs.add(k, "This field is not allowed.")
	}
	return b.errs.err()
}

func jsonType(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "":
		return "none"
	case s[0] == '"':
		return "str"
	case s[0] == '{':
		return "dict"
	case s == "true" || s == "false":
		return "bool"
	case s == "null":
		return "NoneType"
	}
	return "int"
}
