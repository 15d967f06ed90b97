package expr

import (
	"strings"
	"text/template"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "and", Signature: "and(values...)", Summary: "Returns whether all values are truthy.", Example: `@(and(true, 1))` + " → `true`"}, 1, -1, fnAnd},
		{FunctionInfo{Name: "or", Signature: "or(values...)", Summary: "Returns whether any value is truthy.", Example: `@(or(false, "x"))` + " → `true`"}, 1, -1, fnOr},
		{FunctionInfo{Name: "if", Signature: "if(test, value1, value2)", Summary: "Returns value1 if test is truthy, else value2.", Example: `@(if(1 < 2, "yes", "no"))` + " → `yes`"}, 3, 3, fnIf},
		{FunctionInfo{Name: "default", Signature: "default(value, fallback)", Summary: "Returns fallback if value is an error, null or empty text.", Example: `@(default(null, "x"))` + " → `x`"}, 2, 2, fnDefault},
		{FunctionInfo{Name: "is_error", Signature: "is_error(value)", Summary: "Returns whether value is an error.", Example: `@(is_error(1 / 0))` + " → `true`"}, 1, 1, fnIsError},
		{FunctionInfo{Name: "legacy_add", Signature: "legacy_add(a, b)", Summary: "The legacy + operator: adds days to a datetime, or two numbers.", Example: `@(legacy_add("2020-01-01", 3))` + " → `2020-01-04T00:00:00.000000Z`"}, 2, 2, fnLegacyAdd},
		{FunctionInfo{Name: "prompt", Signature: "prompt(name, args...)", Summary: "Renders a named LLM prompt (a Go text/template configured on the engine) with {{ .arg1 }}, {{ .arg2 }}... set to the other arguments.", Example: `@(prompt("summarize"))`}, 1, -1, fnPrompt},
	})
}

// fnAnd returns true if every argument is truthy; an error argument is returned.
func fnAnd(env *Environment, args []Value) Value {
	result := true
	for _, a := range args {
		b, err := ToBoolean(env, a)
		if err != nil {
			return err
		}
		result = result && b
	}
	return Boolean(result)
}

// fnOr returns true if any argument is truthy; an error argument is returned.
func fnOr(env *Environment, args []Value) Value {
	result := false
	for _, a := range args {
		b, err := ToBoolean(env, a)
		if err != nil {
			return err
		}
		result = result || b
	}
	return Boolean(result)
}

// fnIf picks one of two already evaluated values; an error in the unused one is ignored.
func fnIf(env *Environment, args []Value) Value {
	b, err := ToBoolean(env, args[0])
	if err != nil {
		return err
	}
	if b {
		return args[1]
	}
	return args[2]
}

// fnDefault returns the fallback for errors, null and values rendering as empty text.
func fnDefault(env *Environment, args []Value) Value {
	v := resolve(args[0])
	if _, isErr := v.(*Error); isErr || v == nil || Render(env, v) == "" {
		return args[1]
	}
	return v
}

// fnIsError reports whether its argument is an error.
func fnIsError(env *Environment, args []Value) Value {
	_, ok := asError(args[0])
	return Boolean(ok)
}

// fnLegacyAdd adds a whole number of days to a datetime (in either order) or two numbers.
func fnLegacyAdd(env *Environment, args []Value) Value {
	for _, a := range args {
		if e, ok := asError(a); ok {
			return e
		}
	}
	isDate := func(v Value) (DateTime, bool) {
		if _, err := ToNumber(env, v); err == nil {
			return DateTime{}, false
		}
		dt, err := ToDateTime(env, v)
		return dt, err == nil
	}
	da, aDate := isDate(args[0])
	db, bDate := isDate(args[1])
	switch {
	case aDate && bDate:
		return NewError("cannot operate on two dates")
	case aDate || bDate:
		dt, days := da, args[1]
		if bDate {
			dt, days = db, args[0]
		}
		n, err := ToInteger(env, days)
		if err != nil {
			return err
		}
		return DateTime{t: dt.t.AddDate(0, 0, n)}
	}
	a, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	b, err := ToNumber(env, args[1])
	if err != nil {
		return err
	}
	return checkedNumber(a.Add(b))
}

// fnPrompt renders a named LLM prompt, a Go text/template as in the reference, with
// arg1, arg2... bound to the other arguments rendered as text.
func fnPrompt(env *Environment, args []Value) Value {
	name, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	var src string
	ok := false
	if env.Prompts != nil {
		src, ok = env.Prompts(name)
	}
	if !ok {
		return Errorf("unknown LLM prompt %s", name)
	}
	data := make(map[string]string, len(args)-1)
	for i, a := range args[1:] {
		data["arg"+itoa(i+1)] = Render(env, a)
	}
	tpl, perr := template.New("prompt").Parse(src)
	var sb strings.Builder
	if perr != nil || tpl.Execute(&sb, data) != nil {
		return NewError("unable to render LLM prompt")
	}
	return Text(sb.String())
}
