package expr

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/shopspring/decimal"
)

// DefaultKey is the JSON property that supplies an object's default value in context JSON
// and in object() (spec §4.1).
const DefaultKey = "__default__"

// ToJSON encodes v as the reference engine's json() does: compact, object keys sorted, object
// defaults omitted, functions as null, dates and times as strings, no HTML escaping. An error
// value cannot be encoded and is returned.
func ToJSON(v Value) ([]byte, *Error) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}

func writeJSON(buf *bytes.Buffer, v Value) *Error {
	switch x := resolve(v).(type) {
	case nil, *Function:
		buf.WriteString("null")
	case *Error:
		return x
	case Text:
		writeJSONString(buf, string(x))
	case Number:
		buf.WriteString(x.String())
	case Boolean:
		buf.WriteString(x.Describe())
	case Date, DateTime, Time:
		writeJSONString(buf, Render(nil, x))
	case *Array:
		buf.WriteByte('[')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				buf.WriteByte(',')
			}
			// as the reference does, an item that has no JSON form (an error) is null
			if b, err := ToJSON(x.Get(i)); err == nil {
				buf.Write(b)
			} else {
				buf.WriteString("null")
			}
		}
		buf.WriteByte(']')
	case *Object:
		// as the reference does, a property that has no JSON form (an error) is left out
		buf.WriteByte('{')
		first := true
		for _, k := range x.Keys() {
			pv, _ := x.Get(k)
			b, err := ToJSON(pv)
			if err != nil {
				continue
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			writeJSONString(buf, k)
			buf.WriteByte(':')
			buf.Write(b)
		}
		buf.WriteByte('}')
	}
	return nil
}

// MarshalJSON encodes the number as a JSON number.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.String()), nil }

// MarshalJSON encodes the array as json() does.
func (a *Array) MarshalJSON() ([]byte, error) { return marshalValue(a) }

// MarshalJSON encodes the object as json() does (default omitted).
func (o *Object) MarshalJSON() ([]byte, error) { return marshalValue(o) }

// MarshalJSON encodes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return marshalValue(d) }

// MarshalJSON encodes the datetime as its ISO 8601 rendering.
func (d DateTime) MarshalJSON() ([]byte, error) { return marshalValue(d) }

// MarshalJSON encodes the time as "HH:MM:SS.ffffff".
func (t Time) MarshalJSON() ([]byte, error) { return marshalValue(t) }

func marshalValue(v Value) ([]byte, error) {
	b, err := ToJSON(v)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// FromJSON builds a value from JSON: objects, arrays, text, numbers, booleans and null; an
// object property named __default__ becomes the object's default. Date-looking strings stay
// text.
func FromJSON(data []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return FromGo(raw), nil
}

// FromGo converts a decoded JSON tree (map[string]any, []any, string, json.Number, float64,
// bool, nil) to a value, as FromJSON does.
func FromGo(raw any) Value {
	switch x := raw.(type) {
	case nil:
		return nil
	case string:
		return Text(x)
	case bool:
		return Boolean(x)
	case json.Number:
		d, err := decimal.NewFromString(strings.TrimSpace(x.String()))
		if err != nil {
			return Text(x.String())
		}
		return Number{d: d}
	case float64:
		return Number{d: decimal.NewFromFloat(x)}
	case int:
		return NumberFromInt(int64(x))
	case []any:
		items := make([]Value, len(x))
		for i, it := range x {
			items[i] = FromGo(it)
		}
		return NewArray(items...)
	case map[string]any:
		o := NewObject()
		for k, v := range x {
			if k == DefaultKey {
				o.SetDefault(FromGo(v))
				continue
			}
			o.Set(k, FromGo(v))
		}
		return o
	}
	return nil
}

// MarshalJSON encodes a function as null, as json() does.
func (f *Function) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// MarshalJSON fails: an error value has no JSON form.
func (e *Error) MarshalJSON() ([]byte, error) { return nil, e }

// MarshalJSON encodes the underlying value.
func (l *Lazy) MarshalJSON() ([]byte, error) { return marshalValue(l.Value()) }
