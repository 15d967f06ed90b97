package expr

import (
	"strings"

	"github.com/shopspring/decimal"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "format", Signature: "format(value)", Summary: "Formats a value for people, using the environment's formats.", Example: `@(format(1234.5))` + " → `1,234.5`"}, 1, 1, fnFormat},
		{FunctionInfo{Name: "format_date", Signature: "format_date(date [, layout])", Summary: "Formats a date with a layout (default: the environment's date format).", Example: `@(format_date("2020-01-05", "EEE D MMM YY"))` + " → `Sun 5 Jan 20`"}, 1, 2, fnFormatDate},
		{FunctionInfo{Name: "format_datetime", Signature: "format_datetime(datetime [, layout [, timezone]])", Summary: "Formats a datetime with a layout in a timezone (default: the environment's).", Example: `@(format_datetime("2020-01-05T18:07:08Z", "YYYY-MM-DD tt:mm"))` + " → `2020-01-05 18:07`"}, 1, 3, fnFormatDateTime},
		{FunctionInfo{Name: "format_time", Signature: "format_time(time [, layout])", Summary: "Formats a time of day with a layout (default: the environment's time format).", Example: `@(format_time("20:07:06", "h:mm AA"))` + " → `8:07 PM`"}, 1, 2, fnFormatTime},
		{FunctionInfo{Name: "format_number", Signature: "format_number(number [, places [, humanize]])", Summary: "Formats a number with grouping and the environment's symbols.", Example: `@(format_number(1234.5, 2))` + " → `1,234.50`"}, 1, 3, fnFormatNumber},
	})
}

// Format returns the environment-aware pretty form of a value (spec §4.1 "Format"), as used
// by format() and for @fields lines.
func Format(env *Environment, v Value) string {
	switch x := resolve(v).(type) {
	case nil:
		return ""
	case Number:
		return formatNumber(env, x.d, -1, true)
	case Date:
		toks, _ := parseLayout(env.dateFormat(), dateLayout, "formatting")
		return formatLayout(x.t, toks, env.DefaultLanguage)
	case DateTime:
		toks, _ := parseLayout(env.dateFormat()+" "+env.timeFormat(), datetimeLayout, "formatting")
		return formatLayout(x.t.In(env.location()), toks, env.DefaultLanguage)
	case Time:
		toks, _ := parseLayout(env.timeFormat(), timeLayout, "formatting")
		return formatLayout(x.on(zeroDay), toks, env.DefaultLanguage)
	case *Array:
		parts := make([]string, x.Len())
		multiline := false
		for i := range parts {
			parts[i] = Format(env, x.Get(i))
			multiline = multiline || strings.Contains(parts[i], "\n")
		}
		if !multiline {
			return strings.Join(parts, ", ")
		}
		// a bulleted list: items indented, the first indent of each replaced by "-"
		for i, p := range parts {
			if p = indent(p, "  "); p != "" {
				p = "-" + p[1:]
			}
			parts[i] = p
		}
		return strings.Join(parts, "\n")
	case *Object:
		if def, ok := x.Default(); ok {
			return Format(env, def)
		}
		lines := make([]string, 0, x.Len())
		for _, k := range x.Keys() {
			pv, _ := x.Get(k)
			if f := Format(env, pv); strings.Contains(f, "\n") {
				lines = append(lines, k+":\n"+indent(f, "  "))
			} else {
				lines = append(lines, k+": "+f)
			}
		}
		return strings.Join(lines, "\n")
	}
	return Render(env, v)
}

var zeroDay = NewDate(2000, 1, 1).t

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	var sb strings.Builder
	startOfLine := true
	for _, r := range s {
		if startOfLine && r != '\n' {
			sb.WriteString(prefix)
		}
		sb.WriteRune(r)
		startOfLine = r == '\n'
	}
	return sb.String()
}

// formatNumber formats d with grouping (when group) and the env's symbols; places < 0 keeps
// as many decimals as needed.
func formatNumber(env *Environment, d decimal.Decimal, places int, group bool) string {
	var s string
	if places >= 0 {
		s = d.StringFixed(int32(places))
	} else {
		s = d.String()
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if group && len(intPart) > 3 {
		var sb strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			sb.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if sb.Len() > 0 {
				sb.WriteString(env.groupingSymbol())
			}
			sb.WriteString(intPart[i : i+3])
		}
		intPart = sb.String()
	}
	out := intPart
	if hasFrac {
		out += env.decimalSymbol() + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// fnFormat formats a value for people.
func fnFormat(env *Environment, args []Value) Value {
	if e, ok := asError(args[0]); ok {
		return e
	}
	return Text(Format(env, args[0]))
}

// layoutArg returns the layout argument at i or the default.
func layoutArg(env *Environment, args []Value, i int, def string) (string, *Error) {
	s, err := optText(env, args, i)
	if err != nil || s == nil {
		return def, err
	}
	return *s, nil
}

// fnFormatDate formats a date.
func fnFormatDate(env *Environment, args []Value) Value {
	d, err := ToDate(env, args[0])
	if err != nil {
		return err
	}
	layout, err := layoutArg(env, args, 1, env.dateFormat())
	if err != nil {
		return err
	}
	toks, err := parseLayout(layout, dateLayout, "formatting")
	if err != nil {
		return err
	}
	return Text(formatLayout(d.t, toks, env.DefaultLanguage))
}

// fnFormatDateTime formats a datetime in a zone.
func fnFormatDateTime(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	layout, err := layoutArg(env, args, 1, env.dateFormat()+" "+env.timeFormat())
	if err != nil {
		return err
	}
	loc := env.location()
	if len(args) > 2 {
		name, err := ToText(env, args[2])
		if err != nil {
			return err
		}
		if loc, err = loadZone(name); err != nil {
			return err
		}
	}
	toks, err := parseLayout(layout, datetimeLayout, "formatting")
	if err != nil {
		return err
	}
	return Text(formatLayout(dt.t.In(loc), toks, env.DefaultLanguage))
}

// fnFormatTime formats a time of day.
func fnFormatTime(env *Environment, args []Value) Value {
	t, err := ToTime(env, args[0])
	if err != nil {
		return err
	}
	layout, err := layoutArg(env, args, 1, env.timeFormat())
	if err != nil {
		return err
	}
	toks, err := parseLayout(layout, timeLayout, "formatting")
	if err != nil {
		return err
	}
	return Text(formatLayout(t.on(zeroDay), toks, env.DefaultLanguage))
}

// fnFormatNumber formats a number with fixed places and optional grouping.
func fnFormatNumber(env *Environment, args []Value) Value {
	d, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	places := -1
	if len(args) > 1 {
		if places, err = ToInteger(env, args[1]); err != nil {
			return err
		}
		if places < 0 || places > 9 {
			return Errorf("must take 0-9 number of places, got %d", places)
		}
	}
	group := true
	if len(args) > 2 {
		if group, err = ToBoolean(env, args[2]); err != nil {
			return err
		}
	}
	if places >= 0 {
		d = d.Round(int32(places))
	}
	return Text(formatNumber(env, d, places, group))
}
