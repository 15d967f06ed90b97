package expr

import (
	"strings"

	"github.com/shopspring/decimal"
)

// evaluator holds the state of one expression evaluation: the environment, the root context,
// the remaining complexity budget and the deprecation warnings seen.
type evaluator struct {
	env      *Environment
	root     *Object
	budget   int
	fatal    bool
	warnings []string
	meters   map[*Function]*Function // metered copies of the functions this evaluation handled
}

func newEvaluator(env *Environment, root *Object) *evaluator {
	if env == nil {
		env = NewEnvironment(nil)
	}
	if root == nil {
		root = NewObject()
	}
	return &evaluator{env: env, root: root, budget: env.budget()}
}

// scope is a lambda's parameter bindings (lower-cased names), chained to the enclosing
// scope. Lambdas have one or two parameters, so slices beat maps here.
type scope struct {
	names  []string
	vals   []Value
	parent *scope
}

// charge counts a result against the budget (spec §3): text costs its length, anything else
// one. It returns the fatal budget error once the budget is spent.
func (ev *evaluator) charge(v Value) Value {
	if ev.fatal {
		return errTooComplex
	}
	cost := 1
	if t, ok := v.(Text); ok && len(t) > 1 {
		cost = len(t)
	}
	ev.budget -= cost
	if ev.budget < 0 {
		ev.fatal = true
		return errTooComplex
	}
	return v
}

func (ev *evaluator) warn(msg string) {
	for _, w := range ev.warnings {
		if w == msg {
			return
		}
	}
	ev.warnings = append(ev.warnings, msg)
}

// metered returns a copy of f that charges each result to this evaluation's budget, so
// functions called by other functions (foreach(list, repeat, 1000)) are paid for too.
func (ev *evaluator) metered(f *Function) *Function {
	if f.metered {
		return f
	}
	if m, ok := ev.meters[f]; ok {
		return m
	}
	if ev.meters == nil {
		ev.meters = map[*Function]*Function{}
	}
	m := &Function{name: f.name, minArgs: f.minArgs, maxArgs: f.maxArgs, origin: f, metered: true,
		impl: func(env *Environment, args []Value) Value { return ev.charge(resolve(f.impl(env, args))) }}
	ev.meters[f] = m
	return m
}

func (ev *evaluator) eval(n node, sc *scope) Value {
	v := ev.evalNode(n, sc)
	if f, ok := v.(*Function); ok {
		return ev.metered(f)
	}
	return v
}

func (ev *evaluator) evalNode(n node, sc *scope) Value {
	if ev.fatal {
		return errTooComplex
	}
	switch x := n.(type) {
	case *textLit:
		return Text(x.val)
	case *numberLit:
		d, err := decimal.NewFromString(x.src)
		if err != nil || !inRange(d) {
			return Errorf("number %s is out of range", x.src)
		}
		return Number{d: d}
	case *boolLit:
		return Boolean(x.val)
	case *nullLit:
		return nil
	case *nameRef:
		return ev.lookupName(x.name, sc)
	case *dotLookup:
		return ev.lookup(ev.eval(x.container, sc), Text(x.key), true)
	case *indexLookup:
		c := ev.eval(x.container, sc)
		if e, ok := asError(c); ok {
			return e
		}
		return ev.lookup(c, ev.eval(x.index, sc), false)
	case *call:
		return ev.call(x, sc)
	case *negate:
		v := ev.eval(x.operand, sc)
		d, err := ToNumber(ev.env, v)
		if err != nil {
			return err
		}
		return ev.charge(Number{d: d.Neg()})
	case *binary:
		l := ev.eval(x.l, sc)
		r := ev.eval(x.r, sc)
		return ev.charge(binaryOp(ev.env, x.op, l, r))
	case *lambda:
		return ev.makeLambda(x, sc)
	}
	return nil
}

func (ev *evaluator) lookupName(name string, sc *scope) Value {
	lname := strings.ToLower(name)
	for s := sc; s != nil; s = s.parent {
		for i, n := range s.names {
			if n == lname {
				return s.vals[i]
			}
		}
	}
	if v, ok := ev.root.Get(name); ok {
		if w := ev.root.deprecation(name); w != "" {
			ev.warn(w)
		}
		return v
	}
	if f, ok := functions[lname]; ok {
		return f
	}
	return Errorf("context has no property '%s'", name)
}

// lookup implements dot (strict) and index lookups (spec §2.3).
func (ev *evaluator) lookup(container, key Value, strict bool) Value {
	container = resolve(container)
	switch c := container.(type) {
	case *Error:
		return c
	case *Array:
		idx, err := ToInteger(ev.env, key)
		if err != nil {
			return err
		}
		n := c.Len()
		i := idx
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return Errorf("index %d out of range for %d items", idx, n)
		}
		return c.Get(i)
	case *Object:
		k, err := ToText(ev.env, key)
		if err != nil {
			return err
		}
		v, ok := c.Get(k)
		if !ok {
			if strict {
				return Errorf("%s has no property '%s'", c.Describe(), k)
			}
			return nil
		}
		if w := c.deprecation(k); w != "" {
			ev.warn(w)
		}
		return v
	}
	if e, ok := asError(key); ok {
		return e
	}
	return Errorf("%s doesn't support lookups", Describe(container))
}

func (ev *evaluator) call(x *call, sc *scope) Value {
	fv := resolve(ev.evalNode(x.fn, sc)) // called here, so no metered copy is needed
	args := make([]Value, len(x.args))
	for i, a := range x.args {
		args[i] = ev.eval(a, sc)
		if ev.fatal {
			return errTooComplex
		}
	}
	if e, ok := fv.(*Error); ok {
		return e
	}
	f, ok := fv.(*Function)
	if !ok {
		return Errorf("%s is not a function", x.fn.source())
	}
	if f.metered {
		return f.Call(ev.env, args) // charges its own result
	}
	return ev.charge(f.Call(ev.env, args))
}

func (ev *evaluator) makeLambda(x *lambda, sc *scope) Value {
	n := len(x.params)
	f := NewFunction("<anon>", n, n, func(env *Environment, args []Value) Value {
		vals := make([]Value, n)
		copy(vals, args)
		return ev.charge(ev.eval(x.body, &scope{names: x.params, vals: vals, parent: sc}))
	})
	f.metered = true
	return f
}

// binaryOp applies a binary operator (spec §5).
func binaryOp(env *Environment, op tokenKind, l, r Value) Value {
	switch op {
	case tokAmpersand, tokEq, tokNotEq: // operators on text
		ls, err := ToText(env, l)
		if err != nil {
			return err
		}
		rs, err := ToText(env, r)
		if err != nil {
			return err
		}
		if op == tokAmpersand {
			return Text(ls + rs)
		}
		return Boolean((ls == rs) == (op == tokEq))
	}
	ld, err := ToNumber(env, l)
	if err != nil {
		return err
	}
	rd, err := ToNumber(env, r)
	if err != nil {
		return err
	}
	switch op {
	case tokPlus:
		return checkedNumber(ld.Add(rd))
	case tokMinus:
		return checkedNumber(ld.Sub(rd))
	case tokTimes:
		return checkedNumber(ld.Mul(rd))
	case tokDivide:
		if rd.IsZero() {
			return errDivByZero
		}
		return checkedNumber(ld.DivRound(rd, 16))
	case tokExponent:
		return power(ld, rd)
	case tokLt:
		return Boolean(ld.LessThan(rd))
	case tokLtEq:
		return Boolean(ld.LessThanOrEqual(rd))
	case tokGt:
		return Boolean(ld.GreaterThan(rd))
	case tokGtEq:
		return Boolean(ld.GreaterThanOrEqual(rd))
	}
	return nil
}

var hundred = decimal.NewFromInt(100)

// power raises base to exp; exponents beyond ±100 are out of range.
func power(base, exp decimal.Decimal) Value {
	if exp.Abs().GreaterThan(hundred) {
		return errNumberRange
	}
	if exp.IsInteger() {
		if exp.Sign() < 0 {
			if base.IsZero() {
				return errDivByZero
			}
			return checkedNumber(decimal.NewFromInt(1).DivRound(base.Pow(exp.Neg()), 16))
		}
		return checkedNumber(base.Pow(exp))
	}
	res, err := base.PowWithPrecision(exp, 7)
	if err != nil {
		return errNumberRange
	}
	return checkedNumber(res)
}
