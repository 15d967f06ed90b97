package expr

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func init() {
	registerTests([]builtin{
		{FunctionInfo{Name: "has_number", Signature: "has_number(text)", Summary: "Tests whether text contains a number; match = the first number.", Example: `@(has_number("I have 3 apples").match)` + " → `3`"}, 1, 1, numberTest(0, nil)},
		{FunctionInfo{Name: "has_number_between", Signature: "has_number_between(text, min, max)", Summary: "Tests for a number in the inclusive range.", Example: `@(has_number_between("age 25", 18, 30).match)` + " → `25`"}, 3, 3, numberTest(2, func(n decimal.Decimal, a []decimal.Decimal) bool {
			return n.GreaterThanOrEqual(a[0]) && n.LessThanOrEqual(a[1])
		})},
		{FunctionInfo{Name: "has_number_lt", Signature: "has_number_lt(text, max)", Summary: "Tests for a number less than max.", Example: `@(has_number_lt("4", 5))` + " → `true`"}, 2, 2, numberTest(1, func(n decimal.Decimal, a []decimal.Decimal) bool { return n.LessThan(a[0]) })},
		{FunctionInfo{Name: "has_number_lte", Signature: "has_number_lte(text, max)", Summary: "Tests for a number less than or equal to max.", Example: `@(has_number_lte("5", 5))` + " → `true`"}, 2, 2, numberTest(1, func(n decimal.Decimal, a []decimal.Decimal) bool { return n.LessThanOrEqual(a[0]) })},
		{FunctionInfo{Name: "has_number_eq", Signature: "has_number_eq(text, value)", Summary: "Tests for a number equal to value.", Example: `@(has_number_eq("5.0", 5))` + " → `true`"}, 2, 2, numberTest(1, func(n decimal.Decimal, a []decimal.Decimal) bool { return n.Equal(a[0]) })},
		{FunctionInfo{Name: "has_number_gte", Signature: "has_number_gte(text, min)", Summary: "Tests for a number greater than or equal to min.", Example: `@(has_number_gte("5", 5))` + " → `true`"}, 2, 2, numberTest(1, func(n decimal.Decimal, a []decimal.Decimal) bool { return n.GreaterThanOrEqual(a[0]) })},
		{FunctionInfo{Name: "has_number_gt", Signature: "has_number_gt(text, min)", Summary: "Tests for a number greater than min.", Example: `@(has_number_gt("7 then 9", 8).match)` + " → `9`"}, 2, 2, numberTest(1, func(n decimal.Decimal, a []decimal.Decimal) bool { return n.GreaterThan(a[0]) })},
	})
}

// numberCandidates returns the numbers found in text, in order (flows.md §4 "Number
// finding"), using the environment's grouping and decimal symbols.
func numberCandidates(env *Environment, s string) []decimal.Decimal {
	group, dec := env.groupingSymbol(), env.decimalSymbol()
	var out []decimal.Decimal
	for i := 0; i < len(s); {
		end := scanNumber(s, i, group, dec)
		if end < 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		c := s[i:end]
		i = end
		if group != "" {
			c = strings.ReplaceAll(c, group, "")
		}
		c = strings.Replace(c, dec, ".", 1)
		c = strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) && (r < '0' || r > '9') {
				return '0' + rune(digitValue(r))
			}
			return r
		}, c)
		if !numberText.MatchString(c) {
			continue
		}
		if n, err := decimal.NewFromString(c); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// digitsAt returns the end of a run of decimal digits (and grouping symbols, when group is
// set) starting at i, or i if there is none.
func digitsAt(s string, i int, group string) int {
	for i < len(s) {
		if group != "" && strings.HasPrefix(s[i:], group) {
			i += len(group)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			break
		}
		i += size
	}
	return i
}

// afterWordChar reports whether the character before byte offset i is a letter or digit.
func afterWordChar(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// scanNumber matches a number candidate at i: an optional sign, then digits and grouping
// symbols optionally followed by the decimal symbol and digits, or the decimal symbol and
// digits. It returns the end of the candidate or -1.
func scanNumber(s string, i int, group, dec string) int {
	j := i
	if s[j] == '-' || s[j] == '+' {
		j++
	}
	if end := digitsAt(s, j, group); end > j {
		if strings.HasPrefix(s[end:], dec) {
			if fracEnd := digitsAt(s, end+len(dec), ""); fracEnd > end+len(dec) {
				return fracEnd
			}
		}
		return end
	}
	// a number written as ".5" can't follow a letter or digit ("hi.51" is 51)
	if strings.HasPrefix(s[j:], dec) && !afterWordChar(s, j) {
		if fracEnd := digitsAt(s, j+len(dec), ""); fracEnd > j+len(dec) {
			return fracEnd
		}
	}
	return -1
}

// digitValue returns the value of a Unicode decimal digit.
func digitValue(r rune) int {
	for _, tab := range unicode.Nd.R16 {
		if uint16(r) >= tab.Lo && uint16(r) <= tab.Hi && r <= 0xFFFF {
			return int(uint16(r)-tab.Lo) % 10
		}
	}
	for _, tab := range unicode.Nd.R32 {
		if uint32(r) >= tab.Lo && uint32(r) <= tab.Hi {
			return int(uint32(r)-tab.Lo) % 10
		}
	}
	return 0
}

// numberTest builds the has_number family: nArgs numeric arguments follow the text, and cmp
// (nil for has_number) decides whether a found number satisfies the test.
func numberTest(nArgs int, cmp func(decimal.Decimal, []decimal.Decimal) bool) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		s, err := ToText(env, args[0])
		if err != nil {
			return err
		}
		bounds, err := numbers(env, args[1:1+nArgs])
		if err != nil {
			return err
		}
		for _, n := range numberCandidates(env, s) {
			if cmp == nil || cmp(n, bounds) {
				return testResult(true, Number{d: n}, nil)
			}
		}
		return testResult(false, nil, nil)
	}
}
