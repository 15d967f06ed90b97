package expr

import (
	"regexp"
	"strconv"
	"strings"
)

func init() {
	registerTests([]builtin{
		{FunctionInfo{Name: "has_text", Signature: "has_text(text)", Summary: "Tests whether there is any text once trimmed; match = the trimmed text.", Example: `@(has_text(" hi ").match)` + " → `hi`"}, 1, 1, testHasText},
		{FunctionInfo{Name: "has_value", Signature: "has_value(text)", Summary: "Legacy alias of has_text.", Example: `@(has_value("x"))` + " → `true`"}, 1, 1, testHasText},
		{FunctionInfo{Name: "has_only_text", Signature: "has_only_text(text1, text2)", Summary: "Tests whether the two texts are exactly equal (case-sensitive).", Example: `@(has_only_text("Yes", "Yes"))` + " → `true`"}, 2, 2, testHasOnlyText},
		{FunctionInfo{Name: "has_beginning", Signature: "has_beginning(text, beginning)", Summary: "Tests whether text starts with beginning, ignoring case; match = that prefix as written.", Example: `@(has_beginning("Yesterday", "yes").match)` + " → `Yes`"}, 2, 2, testHasBeginning},
		{FunctionInfo{Name: "has_pattern", Signature: "has_pattern(text, pattern)", Summary: "Tests a case-insensitive, multi-line regex; match = the whole match, extra = the groups.", Example: `@(has_pattern("Code: AB-1", "([A-Z]+)-(\d+)").extra.1)` + " → `AB`"}, 2, 2, testHasPattern},
		{FunctionInfo{Name: "has_email", Signature: "has_email(text)", Summary: "Tests whether text contains an email address; match = the address.", Example: `@(has_email("me: a@b.org").match)` + " → `a@b.org`"}, 1, 1, testHasEmail},
		{FunctionInfo{Name: "has_error", Signature: "has_error(value)", Summary: "Tests whether value is an error; match = the error message.", Example: `@(has_error(1 / 0).match)` + " → `division by zero`"}, 1, 1, testHasError},
	})
}

// testHasText matches non-blank text.
func testHasText(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	return testResult(s != "", Text(s), nil)
}

// testHasOnlyText matches exactly equal texts.
func testHasOnlyText(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	return testResult(ts[0] == ts[1], Text(ts[0]), nil)
}

// testHasBeginning matches a case-insensitive prefix.
func testHasBeginning(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	s, begin := strings.TrimSpace(ts[0]), strings.TrimSpace(ts[1])
	if begin == "" || len(s) < len(begin) || !strings.EqualFold(s[:len(begin)], begin) {
		return testResult(false, nil, nil)
	}
	return testResult(true, Text(s[:len(begin)]), nil)
}

// testHasPattern matches a regular expression.
func testHasPattern(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	re, rerr := regexp.Compile("(?mi)" + strings.TrimSpace(ts[1]))
	if rerr != nil {
		return NewError("must be called with a valid regular expression")
	}
	m := re.FindStringSubmatch(ts[0])
	if m == nil {
		return testResult(false, nil, nil)
	}
	extra := NewObject()
	for i, g := range m {
		extra.Set(strconv.Itoa(i), Text(g))
	}
	return testResult(true, Text(m[0]), extra)
}

// emailRegexp: a local part starting with a letter or digit (then also - _ + $ ~ .), and a
// domain of at least two dot-separated labels, each starting with a letter or digit.
var emailRegexp = regexp.MustCompile(`[\p{L}\p{N}][-_+$~.\p{L}\p{N}]*@[\p{L}\p{N}][-_\p{L}\p{N}]*(?:\.[\p{L}\p{N}][-_\p{L}\p{N}]*)+`)

// testHasEmail finds an email address.
func testHasEmail(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	m := emailRegexp.FindString(s)
	return testResult(m != "", Text(m), nil)
}

// testHasError matches error values.
func testHasError(env *Environment, args []Value) Value {
	if e, ok := asError(args[0]); ok {
		return testResult(true, Text(e.msg), nil)
	}
	return testResult(false, nil, nil)
}
