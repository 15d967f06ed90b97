package expr

import (
	"fmt"
	"strconv"
	"strings"
)

// legacyFunc migrates a call of one legacy function, given its migrated arguments. An error
// means the call can't be migrated and the expression is kept as written.
type legacyFunc func(name string, args []lout) (lout, error)

// renamed keeps the arguments and changes the name.
func renamed(newName string) legacyFunc {
	return func(name string, args []lout) (lout, error) { return callOf(newName, codes(args)...), nil }
}

// shaped builds a call from a fixed shape of nArgs arguments; fewer is an error.
func shaped(nArgs int, build func(a []string) string) legacyFunc {
	return func(name string, args []lout) (lout, error) {
		if len(args) < nArgs {
			return lout{}, fmt.Errorf("expecting %d params whilst migrating call to %s but got %d", nArgs, name, len(args))
		}
		return atom(build(codes(args))), nil
	}
}

// paramMap transforms one argument.
type paramMap func(string) string

func asIs(s string) string { return s }

// decremented turns a 1-based legacy index into a 0-based one.
func decremented(s string) string {
	if n, err := strconv.Atoi(s); err == nil {
		return strconv.Itoa(n - 1)
	}
	return s + " - 1"
}

// bySpaces turns a legacy by_spaces flag into a delimiters argument.
func bySpaces(s string) string {
	if strings.ToLower(strings.TrimSpace(s)) == "true" {
		return `" \t"`
	}
	return "NULL"
}

// withParams maps each argument through its function, filling missing ones from defaults
// (a "" default means none); more arguments than functions is an error.
func withParams(newName string, defaults []string, maps ...paramMap) legacyFunc {
	return func(name string, args []lout) (lout, error) {
		if len(args) > len(maps) {
			return lout{}, fmt.Errorf("don't know how to migrate call to %s with %d parameters", name, len(args))
		}
		n := max(len(args), len(defaults))
		out := make([]string, n)
		for i := range out {
			p := ""
			if i < len(args) {
				p = args[i].code
			} else {
				p = defaults[i]
			}
			out[i] = maps[i](p)
		}
		return callOf(newName, out...), nil
	}
}

// joined joins the arguments with an operator, for CONCATENATE and SUM.
func joined(op string, prec int) legacyFunc {
	return func(name string, args []lout) (lout, error) {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.wrap(prec + 1)
		}
		return lout{code: strings.Join(parts, " "+op+" "), prec: prec}, nil
	}
}

func sprintf(format string, n int) legacyFunc {
	return shaped(n, func(a []string) string {
		vals := make([]any, len(a))
		for i := range a {
			vals[i] = a[i]
		}
		return fmt.Sprintf(format, vals[:n]...)
	})
}

var legacyFunctions = map[string]legacyFunc{
	"average":     renamed("mean"),
	"concatenate": joined("&", precConcat),
	"date":        renamed("date_from_parts"),
	"datedif":     renamed("datetime_diff"),
	"datevalue":   renamed("date"),
	"day":         sprintf(`format_date(%s, "D")`, 1),
	"days":        shaped(2, func(a []string) string { return "datetime_diff(" + a[1] + ", " + a[0] + `, "D")` }),
	"edate":       sprintf(`datetime_add(%s, %s, "M")`, 2),
	"exp":         sprintf(`2.718281828459045 ^ %s`, 1),
	"false":       sprintf("false", 0),
	"field":       withParams("field", nil, asIs, decremented, asIs),
	"first_word":  sprintf("word(%s, 0)", 1),
	"fixed":       withParams("format_number", []string{"", "2"}, asIs, asIs, asIs),
	"format_date": renamed("format_datetime"),
	"hour":        sprintf(`format_datetime(%s, "tt")`, 1),
	"int":         renamed("round_down"),
	"left":        shaped(2, func(a []string) string { return "text_slice(" + a[0] + ", 0, " + a[1] + ")" }),
	"len":         renamed("text_length"),
	"minute":      sprintf(`format_datetime(%s, "m")`, 1),
	"month":       sprintf(`format_date(%s, "M")`, 1),
	"power":       sprintf("%s ^ %s", 2),
	"proper":      renamed("title"),
	"randbetween": renamed("rand_between"),
	"read_digits": renamed("read_chars"),
	"regex_group": renamed("regex_match"),
	"rept":        renamed("repeat"),
	"right":       shaped(2, func(a []string) string { return "text_slice(" + a[0] + ", -" + a[1] + ")" }),
	"rounddown":   renamed("round_down"),
	"roundup":     renamed("round_up"),
	"second":      sprintf(`format_datetime(%s, "s")`, 1),
	"substitute":  renamed("replace"),
	"sum":         joined("+", precAdd),
	"time":        sprintf("time_from_parts(%s, %s, %s)", 3),
	"timevalue":   sprintf("time(%s)", 1),
	"true":        sprintf("true", 0),
	"trunc":       renamed("round_down"),
	"unichar":     renamed("char"),
	"unicode":     renamed("code"),
	"weekday":     sprintf("weekday(%s) + 1", 1),
	"word_count":  withParams("word_count", nil, asIs, bySpaces),
	"word_slice":  withParams("word_slice", nil, asIs, decremented, decremented, bySpaces),
	"word":        withParams("word", nil, asIs, decremented, bySpaces),
	"year":        sprintf(`format_date(%s, "YYYY")`, 1),
}

// function migrates a legacy function call; functions without a migration (abs, and, if,
// upper, ...) keep their lower-cased name and arguments.
func (m *legacyMigrator) function(name string, args []lout) (lout, error) {
	if f := legacyFunctions[name]; f != nil {
		return f(name, args)
	}
	return callOf(name, codes(args)...), nil
}
