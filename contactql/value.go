package contactql

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"careflow/expr"

	"github.com/shopspring/decimal"
)

// numberText is the number syntax queries accept: plain decimals, no exponent or grouping.
var numberText = regexp.MustCompile(`^-?(([0-9]+)|([0-9]+\.[0-9]+)|(\.[0-9]+))$`)

// maxDigits and maxExponent bound query numbers as engine numbers are bounded, so a huge value
// can't cost a huge allocation when compared.
const (
	maxDigits   = 36
	maxExponent = 100
)

// parseNumber reads a query value as a number.
func parseNumber(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if !numberText.MatchString(s) {
		return decimal.Decimal{}, errors.New("not a number")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if d.IsZero() {
		return d, nil
	}
	coeff := strings.TrimRight(strings.TrimLeft(d.Coefficient().String(), "-"), "0")
	if len(coeff) > maxDigits {
		return decimal.Decimal{}, errors.New("too many digits")
	}
	if adj := int64(d.Exponent()) + int64(d.NumDigits()) - 1; adj > maxExponent || adj < -maxExponent {
		return decimal.Decimal{}, errors.New("out of range")
	}
	return d, nil
}

// parseDate reads a query value as a date or datetime in the environment's date format and
// timezone; a value without a time is midnight at the start of that day.
func parseDate(env *expr.Environment, s string) (time.Time, error) {
	dt, err := expr.ToDateTime(env, expr.Text(s))
	if err != nil {
		return time.Time{}, err
	}
	return dt.Time(), nil
}

// dayRange returns the start and end (exclusive) of the calendar day of t, in t's own zone.
// A date condition covers that whole day: `created_on = 2020-01-02` matches any time on it.
func dayRange(t time.Time) (time.Time, time.Time) {
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return start, start.Add(24 * time.Hour)
}

// readValue reads a validated condition's value once, for number and date properties, so
// evaluating the query for many contacts doesn't parse it again.
func readValue(env *expr.Environment, resolver Resolver, c *Condition) {
	switch valueType(resolver, c) {
	case TypeNumber:
		if d, err := parseNumber(c.Value); err == nil {
			c.num, c.cached, c.kind = d, true, TypeNumber
		}
	case TypeDatetime:
		if t, err := parseDate(env, c.Value); err == nil {
			c.date, c.cached, c.kind = t, true, TypeDatetime
		}
	}
}
