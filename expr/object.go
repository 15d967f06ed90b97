package expr

import (
	"sort"
	"strings"
)

// Object is a set of named properties, looked up case-insensitively, with an optional default
// value used when the object itself is rendered or converted (spec §4.1: @contact renders as
// the contact's name). Properties may be marked deprecated: looking them up records a warning.
type Object struct {
	vals map[string]Value // key as given -> value
	// folded maps the ASCII-lower-cased form of each key with upper-case letters to the
	// smallest such key, so a lookup that misses exactly costs one or two map reads instead
	// of a scan. Keys that are already lower case need no entry: vals finds them.
	folded map[string]string
	// nonASCII is set once a key has non-ASCII bytes: Unicode case folding can't be done by
	// lower-casing ASCII, so missed lookups then scan every key.
	nonASCII   bool
	def        Value
	hasDef     bool
	deprecated map[string]string // lower-cased key -> warning
}

// NewObject returns an empty object.
func NewObject() *Object {
	return &Object{vals: map[string]Value{}}
}

// NewObjectSize returns an empty object with room for n properties, for callers that know
// how many they will set.
func NewObjectSize(n int) *Object {
	return &Object{vals: make(map[string]Value, n)}
}

// ObjectOf builds an object from a map of properties.
func ObjectOf(props map[string]Value) *Object {
	o := NewObjectSize(len(props))
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
	o.index(key)
	o.vals[key] = v
	return o
}

// index records a key in the case-insensitive index (again for a key already there: a no-op).
func (o *Object) index(key string) {
	lower, ascii := asciiLower(key)
	if !ascii {
		o.nonASCII = true
		return
	}
	if lower == key {
		return
	}
	if o.folded == nil {
		o.folded = map[string]string{}
	}
	if cur, ok := o.folded[lower]; !ok || key < cur {
		o.folded[lower] = key
	}
}

// asciiLower lower-cases the ASCII letters of s (returning s itself when it has none) and
// reports whether s is all ASCII.
func asciiLower(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return s, false
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s, true
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b), true
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
	if !o.nonASCII {
		if lower, ascii := asciiLower(key); ascii {
			// an ASCII key can only equal ASCII keys ignoring case: the lower-case key itself,
			// and the keys with upper-case letters indexed under it
			found, ok := o.folded[lower]
			if _, exact := o.vals[lower]; exact && lower != key && (!ok || lower < found) {
				found, ok = lower, true
			}
			return found, ok
		}
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
