package expr

import (
	"sort"
	"strings"
)

// FunctionInfo describes a built-in function for documentation and editors.
type FunctionInfo struct {
	Name      string
	Signature string // e.g. "word(text, index [, delimiters])"
	Summary   string
	Example   string // a template and its output, e.g. `@(upper("abc"))` → `ABC`
	IsTest    bool   // a router test (returns a test result)
}

// builtin is one row of the function table.
type builtin struct {
	info FunctionInfo
	min  int
	max  int
	impl func(env *Environment, args []Value) Value
}

// functions holds every built-in function value by lower-cased name.
var functions = map[string]*Function{}

var infos = map[string]FunctionInfo{}

// registerFuncs adds a family's table to the registry; a duplicate name is a programmer error.
func registerFuncs(table []builtin) {
	for _, b := range table {
		name := b.info.Name
		if _, dup := functions[name]; dup {
			panic("expr: function registered twice: " + name)
		}
		functions[name] = NewFunction(name, b.min, b.max, b.impl)
		infos[name] = b.info
	}
}

// Functions lists every built-in function and router test, sorted by name.
func Functions() []FunctionInfo {
	out := make([]FunctionInfo, 0, len(infos))
	for _, i := range infos {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// LookupFunction returns the built-in function (or router test) with the given name.
func LookupFunction(name string) (*Function, bool) {
	f, ok := functions[strings.ToLower(name)]
	return f, ok
}
