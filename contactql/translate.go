package contactql

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// What follows lets a store translate a parsed query into its own query language (such as
// SQL) with exactly the semantics of Evaluate; nothing here is needed to evaluate in memory.

// NumberValue returns the condition's value as the number Evaluate compares with, and false
// when the condition isn't on a number or its value wasn't read at Parse time.
func (c *Condition) NumberValue() (decimal.Decimal, bool) {
	if !c.cached || c.kind != TypeNumber {
		return decimal.Decimal{}, false
	}
	return c.num, true
}

// DayRange returns the start and end (exclusive) of the day a date condition stands for, in
// the timezone it was read in, and false when the condition isn't on a date or its value
// wasn't read at Parse time.
func (c *Condition) DayRange() (start, end time.Time, ok bool) {
	if !c.cached || c.kind != TypeDatetime {
		return time.Time{}, time.Time{}, false
	}
	start, end = dayRange(c.date)
	return start, end, true
}

// TypeOf returns the type the condition's values compare as under the query's resolver:
// a field's type, or the attribute's (text for schemes); "" when it can't be resolved.
func (q *Query) TypeOf(c *Condition) ValueType { return valueType(q.resolver, c) }

// NormalText returns text as Evaluate compares it: trimmed and lower-cased.
func NormalText(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NameSearchTokens returns what `name ~ query` looks for: the query's words of two or more
// characters, lower-cased and cut to eight characters; a name matches when one of its words
// (lower-cased, cut likewise) starts with one of them.
func NameSearchTokens(query string) []string {
	var out []string
	for _, t := range nameTokens(NormalText(query)) {
		out = append(out, truncate(t, nameTokenMax))
	}
	return out
}

// CompareNumbers answers op for a contact value v and query value q, as Evaluate does for
// numbers (the tickets attribute, whose value a store may know without storing it).
func CompareNumbers(v, q decimal.Decimal, op Operator) bool { return ordered(v.Cmp(q), op) }
