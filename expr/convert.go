package expr

import (
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Render returns v as template text (spec §4.2 "to text"): null is "", objects with a default
// render their default, arrays render as [a, b]. Errors render as their message; use ToText
// where an error must propagate.
func Render(env *Environment, v Value) string {
	var sb strings.Builder
	render(&sb, v)
	return sb.String()
}

func render(sb *strings.Builder, v Value) {
	switch x := resolve(v).(type) {
	case nil:
	case Text:
		sb.WriteString(string(x))
	case Number:
		sb.WriteString(x.String())
	case Boolean:
		sb.WriteString(x.Describe())
	case Date:
		sb.WriteString(x.String())
	case DateTime:
		sb.WriteString(x.String())
	case Time:
		sb.WriteString(x.String())
	case *Array:
		sb.WriteByte('[')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				sb.WriteString(", ")
			}
			render(sb, x.Get(i))
		}
		sb.WriteByte(']')
	case *Object:
		if def, ok := x.Default(); ok {
			render(sb, def)
			return
		}
		sb.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(k)
			sb.WriteString(": ")
			pv, _ := x.Get(k)
			render(sb, pv)
		}
		sb.WriteByte('}')
	case *Function:
		sb.WriteString(x.name)
	case *Error:
		sb.WriteString(x.msg)
	}
}

// ToText converts v to text; an error value is returned as the error.
func ToText(env *Environment, v Value) (string, *Error) {
	v = resolve(v)
	if e, ok := v.(*Error); ok {
		return "", e
	}
	if t, ok := v.(Text); ok {
		return string(t), nil
	}
	return Render(env, v), nil
}

// ToBoolean converts v to its truthiness; an error value is returned as the error.
func ToBoolean(env *Environment, v Value) (bool, *Error) {
	if e, ok := asError(v); ok {
		return false, e
	}
	return Truthy(env, v), nil
}

func conversionError(v Value, to string) *Error {
	return Errorf("unable to convert %s to %s", Describe(v), to)
}

// ToNumber converts v to a number (spec §4.2).
func ToNumber(env *Environment, v Value) (decimal.Decimal, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return decimal.Zero, x
	case Number:
		return x.d, nil
	case Text:
		if d, ok := parseDecimal(string(x)); ok {
			return d, nil
		}
	case *Object:
		if def, ok := x.Default(); ok {
			return ToNumber(env, def)
		}
	}
	return decimal.Zero, conversionError(v, "a number")
}

// ToInteger converts v to a number and truncates it toward zero; it must fit in 32 bits.
func ToInteger(env *Environment, v Value) (int, *Error) {
	d, err := ToNumber(env, v)
	if err != nil {
		return 0, err
	}
	t := d.Truncate(0)
	if !t.IsInteger() || t.GreaterThan(decimal.NewFromInt(math.MaxInt32)) || t.LessThan(decimal.NewFromInt(math.MinInt32)) {
		return 0, Errorf("number value %s is out of range for an integer", d.String())
	}
	return int(t.IntPart()), nil
}

// ToDate converts v to a date (spec §4.2).
func ToDate(env *Environment, v Value) (Date, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return Date{}, x
	case Date:
		return x, nil
	case DateTime:
		return DateOf(x.t.In(env.location())), nil
	case Text:
		if d, ok := parseDateText(env, string(x)); ok {
			return d, nil
		}
	case *Object:
		if def, ok := x.Default(); ok {
			return ToDate(env, def)
		}
	}
	return Date{}, conversionError(v, "a date")
}

// ToDateTime converts v to a datetime (spec §4.2); text without a time gets midnight.
func ToDateTime(env *Environment, v Value) (DateTime, *Error) {
	return toDateTime(env, v, false)
}

func toDateTime(env *Environment, v Value, fillTime bool) (DateTime, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return DateTime{}, x
	case DateTime:
		return x, nil
	case Date:
		return DateTime{t: x.In(env.location())}, nil
	case Text:
		if t, ok := parseDateTimeText(env, string(x), fillTime); ok {
			return DateTime{t: t}, nil
		}
	case *Object:
		if def, ok := x.Default(); ok {
			return toDateTime(env, def, fillTime)
		}
	}
	return DateTime{}, conversionError(v, "a datetime")
}

// ToTime converts v to a time of day (spec §4.2).
func ToTime(env *Environment, v Value) (Time, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return Time{}, x
	case Time:
		return x, nil
	case DateTime:
		return TimeOf(x.t), nil
	case Number:
		if x.d.IsInteger() {
			h := x.d.IntPart()
			if h >= 0 && h <= 23 {
				return NewTime(int(h), 0, 0, 0), nil
			}
			if h == 24 {
				return Time{}, nil
			}
		}
	case Text:
		if t, ok := parseTimeText(string(x)); ok {
			return t, nil
		}
	case *Object:
		if def, ok := x.Default(); ok {
			return ToTime(env, def)
		}
	}
	return Time{}, conversionError(v, "a time")
}

// ToArray converts v to an array: null is the empty array.
func ToArray(env *Environment, v Value) (*Array, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return nil, x
	case nil:
		return NewArray(), nil
	case *Array:
		return x, nil
	}
	return nil, conversionError(v, "an array")
}

// ToObject converts v to an object: null is the empty object.
func ToObject(env *Environment, v Value) (*Object, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return nil, x
	case nil:
		return NewObject(), nil
	case *Object:
		return x, nil
	}
	return nil, conversionError(v, "an object")
}

// ToFunction converts v to a function.
func ToFunction(v Value) (*Function, *Error) {
	switch x := resolve(v).(type) {
	case *Error:
		return nil, x
	case *Function:
		return x, nil
	}
	return nil, Errorf("%s is not a function", Describe(v))
}

// zeroTimeOfDay returns t at midnight in its location.
func zeroTimeOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// ParseNumberText parses text as a number the way conversions do (trimmed; digits with an
// optional leading minus and decimal point; no grouping or exponent).
func ParseNumberText(s string) (Number, bool) {
	d, ok := parseDecimal(s)
	return Number{d: d}, ok
}

// ParseDateTimeText parses a datetime from text as date tests and contact field values do:
// the environment's date format, and the current time of day when the text has no time.
func ParseDateTimeText(env *Environment, s string) (DateTime, bool) {
	t, ok := parseDateTimeText(env, s, true)
	return DateTime{t: t}, ok
}
