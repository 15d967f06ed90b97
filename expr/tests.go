package expr

import "strings"

// TestResult is the outcome of a router test: whether it matched, the match value (what a
// switch router saves as the result value) and, for has_pattern, the extra object.
type TestResult struct {
	Matched bool
	Match   Value
	Extra   *Object
}

// testNames holds the names of functions that are router tests.
var testNames = map[string]bool{}

// IsTest reports whether name is a router test.
func IsTest(name string) bool { return testNames[strings.ToLower(name)] }

// CallTest calls the router test name with already evaluated arguments (the operand first,
// then the case arguments), as a switch router does. A test that fails returns the error
// value whose message is already prefixed "error calling name(...): ", so the router's log
// line is "Error calling test name(...): " + err.Error().
func CallTest(env *Environment, name string, args []Value) (TestResult, *Error) {
	f, ok := functions[strings.ToLower(name)]
	if !ok || !testNames[strings.ToLower(name)] {
		return TestResult{}, Errorf("no such test %s", name)
	}
	v := resolve(f.Call(env, args))
	if e, ok := v.(*Error); ok {
		return TestResult{}, e
	}
	return ReadTestResult(env, v), nil
}

// ReadTestResult interprets a value returned by a test function.
func ReadTestResult(env *Environment, v Value) TestResult {
	o, ok := resolve(v).(*Object)
	if !ok {
		return TestResult{Matched: Truthy(env, v), Match: v}
	}
	var r TestResult
	r.Matched = Truthy(env, o)
	r.Match, _ = o.Get("match")
	if x, ok := o.Get("extra"); ok {
		r.Extra, _ = resolve(x).(*Object)
	}
	return r
}

// testResult builds the object a test returns: default = matched, property match (and
// extra when given). A false result has match "".
func testResult(matched bool, match Value, extra *Object) *Object {
	o := NewObjectSize(2).SetDefault(Boolean(matched))
	if !matched {
		match = Text("")
	}
	o.Set("match", match)
	if extra != nil && matched {
		o.Set("extra", extra)
	}
	return o
}

// registerTests adds router tests to the registry.
func registerTests(table []builtin) {
	for i := range table {
		table[i].info.IsTest = true
		testNames[table[i].info.Name] = true
	}
	registerFuncs(table)
}
