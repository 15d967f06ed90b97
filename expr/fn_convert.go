package expr

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "text", Signature: "text(value)", Summary: "Converts value to text.", Example: `@(text(3 = 3))` + " → `true`"}, 1, 1, fnText},
		{FunctionInfo{Name: "boolean", Signature: "boolean(value)", Summary: "Converts value to a boolean by its truthiness.", Example: `@(boolean("no"))` + " → `true`"}, 1, 1, fnBoolean},
		{FunctionInfo{Name: "number", Signature: "number(value)", Summary: "Converts value to a number.", Example: `@(number(" 42 "))` + " → `42`"}, 1, 1, fnNumber},
		{FunctionInfo{Name: "date", Signature: "date(value)", Summary: "Converts value to a date, reading text in the environment's date format.", Example: `@(date("1979-07-18"))` + " → `1979-07-18`"}, 1, 1, fnDate},
		{FunctionInfo{Name: "datetime", Signature: "datetime(value)", Summary: "Converts value to a datetime in the environment's timezone.", Example: `@(datetime("1979-07-18T10:30:45Z"))` + " → `1979-07-18T10:30:45.000000Z`"}, 1, 1, fnDateTime},
		{FunctionInfo{Name: "time", Signature: "time(value)", Summary: "Converts value to a time of day.", Example: `@(time("3pm"))` + " → `15:00:00.000000`"}, 1, 1, fnTime},
		{FunctionInfo{Name: "array", Signature: "array(values...)", Summary: "Returns an array of the arguments.", Example: `@(array("a", 1))` + " → `[a, 1]`"}, 0, -1, fnArray},
		{FunctionInfo{Name: "object", Signature: "object(key1, value1, ...)", Summary: "Returns an object from key/value pairs.", Example: `@(object("a", 1))` + " → `{a: 1}`"}, 0, -1, fnObject},
	})
}

// fnText renders its argument as text.
func fnText(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	return Text(s)
}

// fnBoolean returns the truthiness of its argument.
func fnBoolean(env *Environment, args []Value) Value {
	b, err := ToBoolean(env, args[0])
	if err != nil {
		return err
	}
	return Boolean(b)
}

// fnNumber converts its argument to a number.
func fnNumber(env *Environment, args []Value) Value {
	d, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	return Number{d: d}
}

// fnDate converts its argument to a date.
func fnDate(env *Environment, args []Value) Value {
	d, err := ToDate(env, args[0])
	if err != nil {
		return err
	}
	return d
}

// fnDateTime converts its argument to a datetime.
func fnDateTime(env *Environment, args []Value) Value {
	d, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	return d
}

// fnTime converts its argument to a time of day.
func fnTime(env *Environment, args []Value) Value {
	t, err := ToTime(env, args[0])
	if err != nil {
		return err
	}
	return t
}

// maxArrayItems caps arrays built by functions (array, split, concat), as the reference does.
const maxArrayItems = 10_000

var errArrayTooLong = Errorf("cannot build an array with more than %d items", maxArrayItems)

// fnArray returns its arguments as an array; an error argument is returned instead.
func fnArray(env *Environment, args []Value) Value {
	if len(args) > maxArrayItems {
		return errArrayTooLong
	}
	for _, a := range args {
		if e, ok := asError(a); ok {
			return e
		}
	}
	items := make([]Value, len(args))
	copy(items, args)
	return NewArray(items...)
}

// fnObject builds an object from key/value pairs; __default__ sets the default.
func fnObject(env *Environment, args []Value) Value {
	if len(args)%2 != 0 {
		return NewError("requires an even number of arguments")
	}
	for _, a := range args {
		if e, ok := asError(a); ok {
			return e
		}
	}
	o := NewObject()
	for i := 0; i < len(args); i += 2 {
		k, err := ToText(env, args[i])
		if err != nil {
			return err
		}
		if k == DefaultKey {
			o.SetDefault(args[i+1])
			continue
		}
		o.Set(k, args[i+1])
	}
	return o
}
