package outbound

import (
	"math"
	"strconv"

	"careflow/internal/jsonstr"
)

// Stringify renders v as JavaScript's JSON.stringify does with no indentation: compact, keys in
// the object's order, only '"', '\\' and control characters escaped, JavaScript number format.
func Stringify(v Value) []byte {
	return appendJSON(nil, v)
}

func appendJSON(b []byte, v Value) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if t {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case float64:
		return appendNumber(b, t)
	case string:
		return appendString(b, t)
	case *Object:
		b = append(b, '{')
		first := true
		for _, k := range t.keys {
			e := t.vals[k]
			if skipped(e) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendString(b, k)
			b = append(b, ':')
			b = appendJSON(b, e)
		}
		return append(b, '}')
	case *Array:
		b = append(b, '[')
		for i, e := range t.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			if skipped(e) {
				e = nil
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

// appendNumber writes f as JavaScript's Number.prototype.toString does (which JSON uses):
// shortest round-trip digits, exponent form below 1e-6 and from 1e21, -0 as 0, and
// non-finite numbers as null (JSON has no Infinity or NaN).
func appendNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		return append(b, '0')
	}
	abs := math.Abs(f)
	if abs < 1e-6 || abs >= 1e21 {
		s := strconv.AppendFloat(nil, f, 'e', -1, 64)
		// Go writes e-07 / e+21; JavaScript writes e-7 / e+21.
		n := len(s)
		if n >= 4 && s[n-4] == 'e' && s[n-2] == '0' {
			s = append(s[:n-2], s[n-1])
		}
		return append(b, s...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendString appends s quoted as JSON.stringify quotes it.
func appendString(b []byte, s string) []byte { return jsonstr.Append(b, s, jsonstr.JS) }

// skipped reports whether JSON.stringify leaves v out of an object (undefined, functions).
func skipped(v Value) bool {
	switch v.(type) {
	case omitted, undefinedValue:
		return true
	}
	return false
}
