package expr

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// Number is an arbitrary-precision decimal number. Numbers are never binary floats, so
// 0.1 + 0.2 renders as 0.3 as it does in the reference engine.
type Number struct{ d decimal.Decimal }

// maxSignificantDigits and maxExponent bound numbers as the reference engine does (spec §4.1).
const (
	maxSignificantDigits = 36
	maxExponent          = 100
)

// NewNumber wraps a decimal.
func NewNumber(d decimal.Decimal) Number { return Number{d: d} }

// NumberFromInt returns the number i.
func NumberFromInt(i int64) Number { return Number{d: decimal.NewFromInt(i)} }

// Decimal returns the number's decimal value.
func (n Number) Decimal() decimal.Decimal { return n.d }

// Type returns TypeNumber.
func (n Number) Type() Type { return TypeNumber }

// Describe returns the number rendered.
func (n Number) Describe() string { return n.String() }

// String renders the number without exponent and without trailing zeros.
func (n Number) String() string { return n.d.String() }

// inRange reports whether d has at most 36 significant digits and an adjusted exponent within
// ±100.
func inRange(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	coef := d.Coefficient().String()
	coef = strings.TrimPrefix(coef, "-")
	exp := int(d.Exponent())
	adjusted := exp + len(coef) - 1
	trimmed := strings.TrimRight(coef, "0")
	if len(trimmed) > maxSignificantDigits {
		return false
	}
	return adjusted <= maxExponent && adjusted >= -maxExponent
}

// checkedNumber returns d as a Number, or the "number value out of range" error.
func checkedNumber(d decimal.Decimal) Value {
	if !inRange(d) {
		return errNumberRange
	}
	return Number{d: d}
}

var numberText = regexp.MustCompile(`^-?(\d+|\d*\.\d+)$`)

// parseDecimal parses text as a number the way conversions do (trimmed; no exponent, no
// grouping, no leading plus).
func parseDecimal(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if !numberText.MatchString(s) {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil || !inRange(d) {
		return decimal.Zero, false
	}
	return d, true
}
