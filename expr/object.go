package expr

import (
	"sort"
	"strings"
)

// Object is a set of named properties, looked up case-insensitively, with an optional default
// value used when the object itself is rendered or converted (spec §4.1: @contact renders as
// the contact's name). Properties may be marked deprecated: looking them up records a warning.
type Object struct {
	vals       map[string]Value // key as given -> value
	def        Value
	hasDef     bool
	deprecated map[string]string // lower-cased key -> warning
}

// NewObject returns an empty object.
func NewObject() *Object {
	return &Object{vals: map[string]Value{}}
}

// ObjectOf builds an object from a map of properties.
func ObjectOf(props map[string]Value) *Object {
	o := NewObject()
	for k, v := range props {
		o.Set(k, v)
	}
	return o
}

// Type returns TypeObject.
func (o *Object) Type() Type { return TypeObject }

// Describe returns "object".
func (o *Object) Describe() string { return "object" }

// Set adds or replaces property key (keys differing only in case are distinct properties)
// and returns o for chaining.
func (o *Object) Set(key string, v Value) *Object {
	o.vals[key] = v
	return o
}

// SetDeprecated sets property key and marks it deprecated: each lookup of it records warning.
func (o *Object) SetDeprecated(key string, v Value, warning string) *Object {
	o.Set(key, v)
	if o.deprecated == nil {
		o.deprecated = map[string]string{}
	}
	o.deprecated[strings.ToLower(key)] = warning
	return o
}

// SetDefault sets the object's default value and returns o for chaining.
func (o *Object) SetDefault(v Value) *Object {
	o.def, o.hasDef = v, true
	return o
}

// Default returns the object's default value and whether it has one.
func (o *Object) Default() (Value, bool) {
	if !o.hasDef {
		return nil, false
	}
	return resolve(o.def), true
}

// findKey returns the stored key matching key: exactly, else ignoring case (the first in
// sorted order when several match).
func (o *Object) findKey(key string) (string, bool) {
	if _, ok := o.vals[key]; ok {
		return key, true
	}
	found, ok := "", false
	for k := range o.vals {
		if strings.EqualFold(k, key) && (!ok || k < found) {
			found, ok = k, true
		}
	}
	return found, ok
}

// Get looks up a property case-insensitively, resolving lazy values. Lookups never modify
// the object, so a context may be read from several goroutines.
func (o *Object) Get(key string) (Value, bool) {
	k, ok := o.findKey(key)
	if !ok {
		return nil, false
	}
	return resolve(o.vals[k]), true
}

// deprecation returns the warning for a deprecated property, or "".
func (o *Object) deprecation(key string) string {
	return o.deprecated[strings.ToLower(key)]
}

// Has reports whether the object has the property (ignoring case).
func (o *Object) Has(key string) bool {
	_, ok := o.findKey(key)
	return ok
}

// Len returns the number of properties (the default is not a property).
func (o *Object) Len() int { return len(o.vals) }

// Keys returns the property names as given, sorted.
func (o *Object) Keys() []string {
	keys := make([]string, 0, len(o.vals))
	for k := range o.vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
