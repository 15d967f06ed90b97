package expr

import (
	"strconv"
	"strings"
)

// Type names a value's type as the reference engine reports it ("text", "number", ...).
type Type string

// The value types of the language.
const (
	TypeText     Type = "text"
	TypeNumber   Type = "number"
	TypeBoolean  Type = "boolean"
	TypeDate     Type = "date"
	TypeDateTime Type = "datetime"
	TypeTime     Type = "time"
	TypeArray    Type = "array"
	TypeObject   Type = "object"
	TypeFunction Type = "function"
	TypeNull     Type = "null"
	TypeError    Type = "error"
)

// Value is any value an expression can produce. The nil Value is null. The concrete types are
// Text, Number, Boolean, Date, DateTime, Time, *Array, *Object, *Function and *Error; lazy
// values (see Lazy) are resolved before an expression sees them.
type Value interface {
	// Type is the value's type name.
	Type() Type
	// Describe is the short description used in error messages: quoted text, the number,
	// "array", "object", "name(...)" ...
	Describe() string
}

// TypeOf returns the type of v, treating nil as null.
func TypeOf(v Value) Type {
	if v == nil {
		return TypeNull
	}
	return resolve(v).Type()
}

// Describe returns v's description for error messages ("null" for nil).
func Describe(v Value) string {
	if v == nil {
		return "null"
	}
	return resolve(v).Describe()
}

// Text is a text value.
type Text string

// Type returns TypeText.
func (t Text) Type() Type { return TypeText }

// Describe returns the text Go-quoted, as the reference engine's error messages show it.
func (t Text) Describe() string { return strconv.Quote(string(t)) }

// Boolean is true or false.
type Boolean bool

// Type returns TypeBoolean.
func (b Boolean) Type() Type { return TypeBoolean }

// Describe returns "true" or "false".
func (b Boolean) Describe() string { return strconv.FormatBool(bool(b)) }

// Truthy reports whether v counts as true (spec §4.1): null, the empty text, text equal to
// "false" in any case, zero, the zero date/datetime, midnight and empty arrays and objects are
// false; objects with a default use the default's truthiness; errors are false.
func Truthy(env *Environment, v Value) bool {
	v = resolve(v)
	switch x := v.(type) {
	case nil:
		return false
	case Text:
		return x != "" && !strings.EqualFold(string(x), "false")
	case Boolean:
		return bool(x)
	case Number:
		return !x.d.IsZero()
	case Date:
		return !x.IsZero()
	case DateTime:
		return !x.t.IsZero()
	case Time:
		return x != Time{}
	case *Array:
		return x.Len() > 0
	case *Object:
		if def, ok := x.Default(); ok {
			return Truthy(env, def)
		}
		return x.Len() > 0
	case *Function:
		return true
	case *Error:
		return false
	}
	return false
}
