package expr

import (
	"strconv"
	"strings"
)

// lout is migrated code with its binding strength in current syntax (higher binds tighter)
// and the value type it is known to produce.
type lout struct {
	code string
	prec int
	kind lkind
}

const (
	precConcat  = 3
	precEq      = 4
	precCompare = 5
	precAdd     = 6
	precMul     = 7
	precExp     = 8
	precUnary   = 9
	precAtom    = 10
)

func atom(code string, kind lkind) lout { return lout{code: code, prec: precAtom, kind: kind} }

// wrap returns o's code, parenthesised if it binds looser than min.
func (o lout) wrap(min int) string {
	if o.prec < min {
		return "(" + o.code + ")"
	}
	return o.code
}

// callOf formats a current-syntax function call.
func callOf(name string, kind lkind, args ...string) lout {
	return atom(name+"("+strings.Join(args, ", ")+")", kind)
}

// codes returns the code of each output.
func codes(outs []lout) []string {
	s := make([]string, len(outs))
	for i, o := range outs {
		s[i] = o.code
	}
	return s
}

// legacyMigrator migrates one legacy expression tree.
type legacyMigrator struct {
	opts LegacyOptions
}

func (m *legacyMigrator) emit(n lnode) lout {
	switch x := n.(type) {
	case *lString:
		return atom(strconv.Quote(x.val), lText)
	case *lNum:
		return atom(x.text, lNumber)
	case *lBoolLit:
		return atom(strconv.FormatBool(x.val), lBool)
	case *lParen:
		inner := m.emit(x.x)
		return atom("("+inner.code+")", inner.kind)
	case *lVar:
		return m.variable(x.path)
	case *lNeg:
		inner := m.emit(x.x)
		return lout{code: "-" + inner.wrap(precUnary), prec: precUnary, kind: inner.kind}
	case *lCall:
		args := make([]lout, len(x.args))
		for i, a := range x.args {
			args[i] = m.emit(a)
		}
		return m.function(x.name, args)
	case *lBinary:
		if x.op == "+" || x.op == "-" {
			return m.binary(x.op, m.emitRawDates(x.l), m.emitRawDates(x.r))
		}
		return m.binary(x.op, m.emit(x.l), m.emit(x.r))
	}
	return atom("null", lUnknown)
}

// negated returns code for -o, folding the sign of number literals.
func negated(o lout) string {
	if o.prec == precAtom && o.kind == lNumber {
		if strings.HasPrefix(o.code, "-") {
			return o.code[1:]
		}
		if _, err := strconv.ParseFloat(o.code, 64); err == nil {
			return "-" + o.code
		}
	}
	if o.prec == precUnary && strings.HasPrefix(o.code, "-") {
		return o.code[1:]
	}
	return "-" + o.wrap(precUnary)
}

func (m *legacyMigrator) binary(op string, l, r lout) lout {
	switch op {
	case "+", "-":
		if l.kind == lDate && r.kind != lDate {
			days := r.code
			if op == "-" {
				days = negated(r)
			}
			return callOf("datetime_add", lDate, l.code, days, `"D"`)
		}
		if op == "+" && r.kind == lDate && l.kind != lDate {
			return callOf("datetime_add", lDate, r.code, l.code, `"D"`)
		}
		if l.kind == lNumber && r.kind == lNumber {
			return lout{code: l.wrap(precAdd) + " " + op + " " + r.wrap(precAdd+1), prec: precAdd, kind: lNumber}
		}
		second := r.code
		if op == "-" {
			second = negated(r)
		}
		return callOf("legacy_add", lUnknown, l.code, second)
	case "*", "/":
		return lout{code: l.wrap(precMul) + " " + op + " " + r.wrap(precMul+1), prec: precMul, kind: lNumber}
	case "^":
		return lout{code: l.wrap(precExp) + " ^ " + r.wrap(precExp+1), prec: precExp, kind: lNumber}
	case "&":
		return lout{code: l.wrap(precConcat) + " & " + r.wrap(precConcat+1), prec: precConcat, kind: lText}
	case "=", "<>":
		newOp := "="
		if op == "<>" {
			newOp = "!="
		}
		return lout{code: l.wrap(precEq) + " " + newOp + " " + r.wrap(precEq+1), prec: precEq, kind: lBool}
	}
	return lout{code: l.wrap(precCompare) + " " + op + " " + r.wrap(precCompare+1), prec: precCompare, kind: lBool}
}

// emitRawDates emits an operand of + or -, where @date.today and friends are date values
// (so date.today + 1 becomes datetime_add(today(), 1, "D")).
func (m *legacyMigrator) emitRawDates(n lnode) lout {
	saved := m.opts.RawDates
	m.opts.RawDates = true
	defer func() { m.opts.RawDates = saved }()
	return m.emit(n)
}
