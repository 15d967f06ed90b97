package expr

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "slice", Signature: "slice(array, start [, end])", Summary: "Returns items start to end-1 (negative indexes count from the end).", Example: `@(slice(array(1, 2, 3), 1))` + " → `[2, 3]`"}, 2, 3, fnSlice},
		{FunctionInfo{Name: "contains", Signature: "contains(array, value)", Summary: "Returns whether the array holds an item of the same type equal to value.", Example: `@(contains(array(1, 2), 2))` + " → `true`"}, 2, 2, fnContains},
		{FunctionInfo{Name: "join", Signature: "join(array, separator)", Summary: "Joins the items as text.", Example: `@(join(array("a", "b"), "-"))` + " → `a-b`"}, 2, 2, fnJoin},
		{FunctionInfo{Name: "reverse", Signature: "reverse(array)", Summary: "Returns the items in reverse order.", Example: `@(reverse(array(1, 2)))` + " → `[2, 1]`"}, 1, 1, fnReverse},
		{FunctionInfo{Name: "sort", Signature: "sort(array)", Summary: "Returns the items sorted; they must all be of one comparable type.", Example: `@(sort(array(3, 1)))` + " → `[1, 3]`"}, 1, 1, fnSort},
		{FunctionInfo{Name: "sum", Signature: "sum(array)", Summary: "Adds the items as numbers.", Example: `@(sum(array(1, 2)))` + " → `3`"}, 1, 1, fnSum},
		{FunctionInfo{Name: "unique", Signature: "unique(array)", Summary: "Returns the first occurrence of each distinct item.", Example: `@(unique(array(1, 1, 2)))` + " → `[1, 2]`"}, 1, 1, fnUnique},
		{FunctionInfo{Name: "concat", Signature: "concat(array1, array2)", Summary: "Joins two arrays.", Example: `@(concat(array(1), array(2)))` + " → `[1, 2]`"}, 2, 2, fnConcat},
		{FunctionInfo{Name: "filter", Signature: "filter(array, func)", Summary: "Returns the items for which func is truthy.", Example: `@(filter(array(1, 2, 3), (x) => x > 1))` + " → `[2, 3]`"}, 2, 2, fnFilter},
		{FunctionInfo{Name: "foreach", Signature: "foreach(array, func [, args...])", Summary: "Maps each item through func.", Example: `@(foreach(array("a", "b"), upper))` + " → `[A, B]`"}, 2, -1, fnForeach},
		{FunctionInfo{Name: "foreach_value", Signature: "foreach_value(object, func [, args...])", Summary: "Maps each property value through func.", Example: `@(foreach_value(object("a", "x"), upper))` + " → `{a: X}`"}, 2, -1, fnForeachValue},
		{FunctionInfo{Name: "count", Signature: "count(value)", Summary: "Counts the items of an array or the properties of an object.", Example: `@(count(array(1, 2)))` + " → `2`"}, 1, 1, fnCount},
		{FunctionInfo{Name: "keys", Signature: "keys(object)", Summary: "Returns the sorted property names.", Example: `@(keys(object("b", 1, "a", 2)))` + " → `[a, b]`"}, 1, 1, fnKeys},
		{FunctionInfo{Name: "extract", Signature: "extract(object, name)", Summary: "Returns a property value, or null.", Example: `@(extract(object("a", 1), "a"))` + " → `1`"}, 2, 2, fnExtract},
		{FunctionInfo{Name: "extract_object", Signature: "extract_object(object, names...)", Summary: "Returns an object with only the named properties.", Example: `@(extract_object(object("a", 1, "b", 2), "a"))` + " → `{a: 1}`"}, 2, -1, fnExtractObject},
	})
}

// typedEqual reports whether two values have the same type and are equal; numbers compare by
// value.
func typedEqual(env *Environment, a, b Value) bool {
	a, b = resolve(a), resolve(b)
	if TypeOf(a) != TypeOf(b) {
		return false
	}
	switch x := a.(type) {
	case nil:
		return true
	case Number:
		return x.d.Equal(b.(Number).d)
	case Text, Boolean, Date, Time:
		return a == b
	case DateTime:
		return x.t.Equal(b.(DateTime).t)
	case *Function:
		return x.base() == b.(*Function).base()
	}
	ja, ea := ToJSON(a)
	jb, eb := ToJSON(b)
	return ea == nil && eb == nil && string(ja) == string(jb)
}

// fnSlice slices an array Python-style.
func fnSlice(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	start, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	end, err := optInt(env, args, 2, arr.Len())
	if err != nil {
		return err
	}
	a, b := sliceBounds(arr.Len(), start, end)
	return NewArray(arr.Items()[a:b]...)
}

// fnContains reports whether an equal item of the same type is in the array.
func fnContains(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	if e, ok := asError(args[1]); ok {
		return e
	}
	for _, it := range arr.Items() {
		if typedEqual(env, it, args[1]) {
			return Boolean(true)
		}
	}
	return Boolean(false)
}

// fnJoin joins items rendered as text.
func fnJoin(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	sep, err := ToText(env, args[1])
	if err != nil {
		return err
	}
	parts := make([]string, arr.Len())
	for i, it := range arr.Items() {
		if parts[i], err = ToText(env, it); err != nil {
			return err
		}
	}
	return Text(strings.Join(parts, sep))
}

// fnReverse reverses an array.
func fnReverse(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	items := arr.Items()
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return NewArray(items...)
}

// fnSort sorts an array of one comparable type.
func fnSort(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	items := arr.Items()
	if len(items) == 0 {
		return NewArray()
	}
	typ := TypeOf(items[0])
	for _, it := range items {
		if TypeOf(it) != typ {
			return NewError("can't sort array of different types")
		}
	}
	var less func(a, b Value) bool
	switch typ {
	case TypeText:
		less = func(a, b Value) bool { return a.(Text) < b.(Text) }
	case TypeNumber:
		less = func(a, b Value) bool { return a.(Number).d.LessThan(b.(Number).d) }
	case TypeBoolean:
		less = func(a, b Value) bool { return !bool(a.(Boolean)) && bool(b.(Boolean)) }
	case TypeDate:
		less = func(a, b Value) bool { return a.(Date).t.Before(b.(Date).t) }
	case TypeDateTime:
		less = func(a, b Value) bool { return a.(DateTime).t.Before(b.(DateTime).t) }
	case TypeTime:
		less = func(a, b Value) bool { return a.(Time).ns < b.(Time).ns }
	default:
		return Errorf("can't sort array of type %s", typ)
	}
	sort.SliceStable(items, func(i, j int) bool { return less(items[i], items[j]) })
	return NewArray(items...)
}

// fnSum adds the items as numbers.
func fnSum(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	total := decimal.Zero
	for _, it := range arr.Items() {
		d, err := ToNumber(env, it)
		if err != nil {
			return err
		}
		total = total.Add(d)
	}
	return checkedNumber(total)
}

// fnUnique keeps the first occurrence of each distinct item.
func fnUnique(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	var out []Value
	for _, it := range arr.Items() {
		seen := false
		for _, o := range out {
			if typedEqual(env, o, it) {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, it)
		}
	}
	return NewArray(out...)
}

// fnConcat joins two arrays.
func fnConcat(env *Environment, args []Value) Value {
	a, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	b, err := ToArray(env, args[1])
	if err != nil {
		return err
	}
	if a.Len()+b.Len() > maxArrayItems {
		return errArrayTooLong
	}
	return NewArray(append(a.Items(), b.Items()...)...)
}

// fnFilter keeps the items for which the function is truthy.
func fnFilter(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	f, err := ToFunction(args[1])
	if err != nil {
		return err
	}
	var out []Value
	for _, it := range arr.Items() {
		res := f.Call(env, []Value{it})
		if e, ok := asError(res); ok {
			return e
		}
		if Truthy(env, res) {
			out = append(out, it)
		}
	}
	return NewArray(out...)
}

// fnForeach maps each item through the function, with extra arguments appended.
func fnForeach(env *Environment, args []Value) Value {
	arr, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	f, err := ToFunction(args[1])
	if err != nil {
		return err
	}
	out := make([]Value, arr.Len())
	for i, it := range arr.Items() {
		res := f.Call(env, append([]Value{it}, args[2:]...))
		if e, ok := asError(res); ok {
			return e
		}
		out[i] = res
	}
	return NewArray(out...)
}

// fnForeachValue maps each property value through the function.
func fnForeachValue(env *Environment, args []Value) Value {
	obj, err := ToObject(env, args[0])
	if err != nil {
		return err
	}
	f, err := ToFunction(args[1])
	if err != nil {
		return err
	}
	out := NewObject()
	for _, k := range obj.Keys() {
		v, _ := obj.Get(k)
		res := f.Call(env, append([]Value{v}, args[2:]...))
		if e, ok := asError(res); ok {
			return e
		}
		out.Set(k, res)
	}
	return out
}

// fnCount counts array items or object properties.
func fnCount(env *Environment, args []Value) Value {
	switch x := resolve(args[0]).(type) {
	case *Error:
		return x
	case nil:
		return NumberFromInt(0)
	case *Array:
		return NumberFromInt(int64(x.Len()))
	case *Object:
		return NumberFromInt(int64(x.Len()))
	}
	return NewError("value isn't countable")
}

// fnKeys lists an object's property names, sorted.
func fnKeys(env *Environment, args []Value) Value {
	obj, err := ToObject(env, args[0])
	if err != nil {
		return err
	}
	keys := obj.Keys()
	items := make([]Value, len(keys))
	for i, k := range keys {
		items[i] = Text(k)
	}
	return NewArray(items...)
}

// fnExtract returns a property or null.
func fnExtract(env *Environment, args []Value) Value {
	obj, err := ToObject(env, args[0])
	if err != nil {
		return err
	}
	name, err := ToText(env, args[1])
	if err != nil {
		return err
	}
	v, _ := obj.Get(name)
	return v
}

// fnExtractObject builds an object with only the named properties.
func fnExtractObject(env *Environment, args []Value) Value {
	obj, err := ToObject(env, args[0])
	if err != nil {
		return err
	}
	names, err := texts(env, args[1:])
	if err != nil {
		return err
	}
	out := NewObject()
	for _, n := range names {
		v, _ := obj.Get(n)
		out.Set(n, v)
	}
	return out
}
