package expr

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Migrated legacy expressions are built as text, the way the reference migrator does, so a
// migrated flow matches the reference's definitions string for string. Operators keep the
// operand text as written; parentheses are added only where current precedence would
// otherwise change the meaning.

// lout is migrated code with its binding strength in current syntax (higher binds tighter).
type lout struct {
	code string
	prec int
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

func atom(code string) lout { return lout{code: code, prec: precAtom} }

// wrap returns o's code, parenthesised if it binds looser than min.
func (o lout) wrap(min int) string {
	if o.prec < min {
		return "(" + o.code + ")"
	}
	return o.code
}

// callOf formats a current-syntax function call.
func callOf(name string, args ...string) lout {
	return atom(name + "(" + strings.Join(args, ", ") + ")")
}

// codes returns the code of each output.
func codes(outs []lout) []string {
	s := make([]string, len(outs))
	for i, o := range outs {
		s[i] = o.code
	}
	return s
}

// lkind is what migrated code is known to produce, inferred from its text as the reference
// does: integer literals are numbers, calls of some functions have known result types.
type lkind string

const (
	kindNone     lkind = ""
	kindNumber   lkind = "number"
	kindDate     lkind = "date"
	kindDateTime lkind = "datetime"
	kindTime     lkind = "time"
)

var resultKinds = map[string]lkind{
	"abs": kindNumber, "max": kindNumber, "mean": kindNumber, "min": kindNumber, "mod": kindNumber,
	"sum": kindNumber, "rand": kindNumber, "round": kindNumber, "round_down": kindNumber, "round_up": kindNumber,
	"datetime_add": kindDateTime, "datetime_from_parts": kindDateTime, "datetime": kindDateTime, "now": kindDateTime,
	"date": kindDate, "format_date": kindDate, "today": kindDate,
	"time": kindTime, "time_from_parts": kindTime,
}

var leadingCall = regexp.MustCompile(`^(\w+)\(`)

// kindOf infers what migrated code produces.
func kindOf(code string) lkind {
	if _, err := strconv.Atoi(code); err == nil {
		return kindNumber
	}
	if m := leadingCall.FindStringSubmatch(code); m != nil {
		return resultKinds[m[1]]
	}
	return kindNone
}

// legacyMigrator migrates one legacy expression tree.
type legacyMigrator struct {
	opts LegacyOptions
}

func (m *legacyMigrator) emit(n lnode) (lout, error) {
	switch x := n.(type) {
	case *lString:
		return atom(`"` + strings.ReplaceAll(x.val, `"`, `\"`) + `"`), nil
	case *lNum:
		return atom(x.text), nil
	case *lBoolLit:
		return atom(strconv.FormatBool(x.val)), nil
	case *lParen:
		inner, err := m.emit(x.x)
		return atom("(" + inner.code + ")"), err
	case *lVar:
		return m.variable(strings.Join(x.path, ".")), nil
	case *lNeg:
		inner, err := m.emit(x.x)
		return lout{code: "-" + inner.wrap(precUnary), prec: precUnary}, err
	case *lCall:
		args := make([]lout, len(x.args))
		for i, a := range x.args {
			var err error
			if args[i], err = m.emit(a); err != nil {
				return lout{}, err
			}
		}
		return m.function(x.name, args)
	case *lBinary:
		l, err := m.emit(x.l)
		if err != nil {
			return lout{}, err
		}
		r, err := m.emit(x.r)
		if err != nil {
			return lout{}, err
		}
		return m.binary(x.op, l, r), nil
	}
	return lout{}, fmt.Errorf("legacy expression: unknown node")
}

func infix(l lout, op string, r lout, prec int) lout {
	return lout{code: l.wrap(prec) + " " + op + " " + r.wrap(prec+1), prec: prec}
}

// addSub migrates + and -, which legacy flows also used for date arithmetic.
func (m *legacyMigrator) addSub(op string, l, r lout) lout {
	lk, rk := kindOf(l.code), kindOf(r.code)
	sign := ""
	if op == "-" {
		sign = "-"
	}
	switch {
	case lk == kindNumber && rk == kindNumber:
		return infix(l, op, r, precAdd)
	case lk == kindDateTime && rk == kindNumber:
		return callOf("datetime_add", l.code, sign+r.wrap(precUnary), `"D"`)
	case lk == kindDate && rk == kindNumber:
		added := callOf("datetime_add", l.code, sign+r.wrap(precUnary), `"D"`)
		if m.opts.RawDates {
			return added
		}
		return callOf("format_date", added.code)
	case lk == kindDateTime && rk == kindTime:
		minutes := fmt.Sprintf(`format_time(%s, "tt") * 60 + format_time(%s, "m")`, r.code, r.code)
		if op == "-" {
			minutes = "-(" + minutes + ")"
		}
		return callOf("datetime_add", l.code, minutes, `"m"`)
	case rk == kindTime && op == "+":
		return callOf("replace_time", l.code, r.code)
	}
	return callOf("legacy_add", l.code, sign+r.wrap(precUnary))
}

func (m *legacyMigrator) binary(op string, l, r lout) lout {
	switch op {
	case "+", "-":
		return m.addSub(op, l, r)
	case "*", "/":
		return infix(l, op, r, precMul)
	case "^":
		return infix(l, op, r, precExp)
	case "&":
		return infix(l, op, r, precConcat)
	case "=":
		return infix(l, "=", r, precEq)
	case "<>":
		return infix(l, "!=", r, precEq)
	}
	return infix(l, op, r, precCompare)
}
