package expr

import "fmt"

// Function is a callable value: a built-in function, a router test or an anonymous function.
// Functions render as their name ("<anon>" for anonymous ones) and marshal to JSON null.
type Function struct {
	name    string
	minArgs int
	maxArgs int // -1: no maximum
	impl    func(env *Environment, args []Value) Value
	// origin is the function a metered copy was made from (see evaluator.metered); nil for
	// originals. metered copies charge their results to an evaluation's budget.
	origin  *Function
	metered bool
}

// base returns the original function of a metered copy.
func (f *Function) base() *Function {
	if f.origin != nil {
		return f.origin
	}
	return f
}

// NewFunction returns a function value; maxArgs -1 means any number of arguments.
func NewFunction(name string, minArgs, maxArgs int, impl func(env *Environment, args []Value) Value) *Function {
	return &Function{name: name, minArgs: minArgs, maxArgs: maxArgs, impl: impl}
}

// Type returns TypeFunction.
func (f *Function) Type() Type { return TypeFunction }

// Describe returns "name(...)".
func (f *Function) Describe() string { return f.name + "(...)" }

// Name returns the function's name.
func (f *Function) Name() string { return f.name }

// Call checks the argument count, runs the function and wraps any error it returns as
// "error calling name(...): message", as the reference engine does.
func (f *Function) Call(env *Environment, args []Value) Value {
	if msg := checkArgCount(f.minArgs, f.maxArgs, len(args)); msg != "" {
		return f.wrap(msg)
	}
	res := resolve(f.impl(env, args))
	if e, ok := res.(*Error); ok {
		if e.fatal {
			return e
		}
		return f.wrap(e.msg)
	}
	return res
}

func (f *Function) wrap(msg string) *Error {
	return NewError(fmt.Sprintf("error calling %s: %s", f.Describe(), msg))
}

func checkArgCount(lo, hi, n int) string {
	switch {
	case lo == hi && n != lo:
		return fmt.Sprintf("need %d argument(s), got %d", lo, n)
	case hi < 0 && n < lo:
		return fmt.Sprintf("need at least %d argument(s), got %d", lo, n)
	case hi >= 0 && (n < lo || n > hi):
		return fmt.Sprintf("need %d to %d argument(s), got %d", lo, hi, n)
	}
	return ""
}
