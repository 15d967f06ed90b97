package expr

import (
	"strconv"
	"strings"
)

// legacyFunc migrates a call of one legacy function, given its migrated arguments.
type legacyFunc func(args []lout) lout

// renamed maps a legacy function to a current one with the same arguments.
func renamed(name string, kind lkind) legacyFunc {
	return func(args []lout) lout { return callOf(name, kind, codes(args)...) }
}

// minusOne returns code for o - 1 (legacy indexes start at 1), folding integer literals.
func minusOne(o lout) string {
	if n, err := strconv.Atoi(o.code); err == nil && o.kind == lNumber {
		return strconv.Itoa(n - 1)
	}
	return o.wrap(precAdd) + " - 1"
}

// withLayout calls a formatting function with a fixed layout.
func withLayout(name, layout string, kind lkind) legacyFunc {
	return func(args []lout) lout {
		if len(args) != 1 {
			return callOf(name, kind, codes(args)...)
		}
		return callOf(name, kind, args[0].code, strconv.Quote(layout))
	}
}

// spacesArg returns the delimiter argument for a legacy by_spaces flag.
func spacesArg(o lout) []string {
	switch strings.ToLower(o.code) {
	case "false":
		return nil
	case "true":
		return []string{`" "`}
	}
	return []string{`if(` + o.code + `, " ", null)`}
}

var legacyFunctions = map[string]legacyFunc{
	"abs": renamed("abs", lNumber), "average": renamed("mean", lNumber), "and": renamed("and", lBool),
	"char": renamed("char", lText), "unichar": renamed("char", lText), "clean": renamed("clean", lText),
	"code": renamed("code", lNumber), "unicode": renamed("code", lNumber), "date": renamed("date_from_parts", lDate),
	"datevalue": renamed("datetime", lDate), "format_location": renamed("format_location", lText),
	"format_date": renamed("format_datetime", lText), "if": renamed("if", lUnknown), "len": renamed("text_length", lNumber),
	"lower": renamed("lower", lText), "upper": renamed("upper", lText), "max": renamed("max", lNumber),
	"min": renamed("min", lNumber), "mod": renamed("mod", lNumber), "now": renamed("now", lDate),
	"today": renamed("today", lDate), "percent": renamed("percent", lText), "or": renamed("or", lBool),
	"proper": renamed("title", lText), "rand": renamed("rand", lNumber), "randbetween": renamed("rand_between", lNumber),
	"read_digits": renamed("read_chars", lText), "remove_first_word": renamed("remove_first_word", lText),
	"rept": renamed("repeat", lText), "round": renamed("round", lNumber), "rounddown": renamed("round_down", lNumber),
	"roundup": renamed("round_up", lNumber), "substitute": renamed("replace", lText), "time": renamed("time_from_parts", lUnknown),
	"timevalue": renamed("time", lUnknown), "int": renamed("round_down", lNumber), "edate": nil, "datedif": nil,
	"day":    withLayout("format_date", "D", lNumber),
	"month":  withLayout("format_date", "M", lNumber),
	"year":   withLayout("format_date", "YYYY", lNumber),
	"hour":   withLayout("format_datetime", "t", lNumber),
	"minute": withLayout("format_datetime", "m", lNumber),
	"second": withLayout("format_datetime", "s", lNumber),
	"true":   func(args []lout) lout { return atom("true", lBool) },
	"false":  func(args []lout) lout { return atom("false", lBool) },
	"concatenate": func(args []lout) lout {
		if len(args) == 0 {
			return atom(`""`, lText)
		}
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.wrap(precConcat + 1)
		}
		return lout{code: strings.Join(parts, " & "), prec: precConcat, kind: lText}
	},
	"days": func(args []lout) lout {
		if len(args) != 2 {
			return callOf("datetime_diff", lNumber, codes(args)...)
		}
		return callOf("datetime_diff", lNumber, args[1].code, args[0].code, `"D"`)
	},
	"exp": func(args []lout) lout {
		if len(args) != 1 {
			return callOf("exp", lNumber, codes(args)...)
		}
		return lout{code: "2.718281828459045 ^ " + args[0].wrap(precExp+1), prec: precExp, kind: lNumber}
	},
	"power": func(args []lout) lout {
		if len(args) != 2 {
			return callOf("power", lNumber, codes(args)...)
		}
		return lout{code: args[0].wrap(precExp) + " ^ " + args[1].wrap(precExp+1), prec: precExp, kind: lNumber}
	},
	"sum": func(args []lout) lout { return callOf("sum", lNumber, callOf("array", lUnknown, codes(args)...).code) },
	"trunc": func(args []lout) lout {
		if len(args) != 1 {
			return callOf("round_down", lNumber, codes(args)...)
		}
		x := args[0].code
		return callOf("if", lNumber, x+" < 0", "round_up("+x+")", "round_down("+x+")")
	},
	"weekday": func(args []lout) lout {
		return lout{code: callOf("weekday", lNumber, codes(args)...).code + " + 1", prec: precAdd, kind: lNumber}
	},
	"first_word": func(args []lout) lout { return callOf("word", lText, append(codes(args), "0")...) },
	"left": func(args []lout) lout {
		if len(args) != 2 {
			return callOf("text_slice", lText, codes(args)...)
		}
		return callOf("text_slice", lText, args[0].code, "0", args[1].code)
	},
	"right": func(args []lout) lout {
		if len(args) != 2 {
			return callOf("text_slice", lText, codes(args)...)
		}
		return callOf("text_slice", lText, args[0].code, negated(args[1]))
	},
	"field": func(args []lout) lout {
		if len(args) < 2 || len(args) > 3 {
			return callOf("field", lText, codes(args)...)
		}
		delim := `" "`
		if len(args) == 3 {
			delim = args[2].code
		}
		return callOf("field", lText, args[0].code, minusOne(args[1]), delim)
	},
	"fixed": func(args []lout) lout {
		out := []string{codes(args)[0]}
		if len(args) == 0 {
			return callOf("format_number", lText)
		}
		places := "2"
		if len(args) > 1 {
			places = args[1].code
		}
		out = append(out, places)
		if len(args) > 2 {
			switch strings.ToLower(args[2].code) {
			case "true":
				out = append(out, "false")
			case "false":
				out = append(out, "true")
			default:
				out = append(out, "if("+args[2].code+", false, true)")
			}
		}
		return callOf("format_number", lText, out...)
	},
	"word": func(args []lout) lout {
		if len(args) < 2 || len(args) > 3 {
			return callOf("word", lText, codes(args)...)
		}
		out := []string{args[0].code, minusOne(args[1])}
		if len(args) == 3 {
			out = append(out, spacesArg(args[2])...)
		}
		return callOf("word", lText, out...)
	},
	"word_count": func(args []lout) lout {
		if len(args) != 2 {
			return callOf("word_count", lNumber, codes(args)...)
		}
		return callOf("word_count", lNumber, append([]string{args[0].code}, spacesArg(args[1])...)...)
	},
	"word_slice": func(args []lout) lout {
		if len(args) < 2 || len(args) > 4 {
			return callOf("word_slice", lText, codes(args)...)
		}
		out := []string{args[0].code, minusOne(args[1])}
		if len(args) > 2 {
			out = append(out, minusOne(args[2]))
		}
		if len(args) > 3 {
			out = append(out, spacesArg(args[3])...)
		}
		return callOf("word_slice", lText, out...)
	},
}

func init() {
	legacyFunctions["edate"] = func(args []lout) lout {
		if len(args) != 2 {
			return callOf("datetime_add", lDate, codes(args)...)
		}
		return callOf("datetime_add", lDate, args[0].code, args[1].code, `"M"`)
	}
	legacyFunctions["datedif"] = func(args []lout) lout {
		if len(args) != 3 {
			return callOf("datetime_diff", lNumber, codes(args)...)
		}
		unit := args[2].code
		if u, err := strconv.Unquote(unit); err == nil {
			switch strings.ToLower(u) {
			case "y", "m", "d", "w":
				unit = strconv.Quote(strings.ToUpper(u))
			}
		}
		return callOf("datetime_diff", lNumber, args[0].code, args[1].code, unit)
	}
}

// function migrates a legacy function call; unknown functions keep their (lower-cased) name,
// so evaluating the result reports them.
func (m *legacyMigrator) function(name string, args []lout) lout {
	if f := legacyFunctions[name]; f != nil {
		return f(args)
	}
	return callOf(name, lUnknown, codes(args)...)
}
