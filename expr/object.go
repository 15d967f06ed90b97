package expr

import (
	"sort"
	"strings"
)

// Object is a set of named properties, looked up case-insensitively, with an optional default
// value used when the object itself is rendered or converted (spec §4.1: @contact renders as
// the contact's name). Properties may be marked deprecated: looking them up records a warning.
//
// Properties are kept in a slice in the order they were first set: most objects (contacts,
// results, the root context) have a few to a dozen keys, for which a scan beats hashing and
// costs one allocation instead of a map's several. Larger objects (JSON documents) also get
// a map index.
type Object struct {
	props []prop
	extra *objectExtra // what few objects need, kept apart so every object stays small
	def   Value
	// upper is set once a key has ASCII upper-case letters: until then an all-lower-case ASCII
	// key that isn't found exactly isn't there in any case.
	upper bool
	// nonASCII is set once a key has non-ASCII bytes: Unicode case folding can't be done by
	// lower-casing ASCII, so missed lookups then scan every key.
	nonASCII bool
	hasDef   bool
}

// objectExtra holds the indexes of a large object and the deprecation marks.
type objectExtra struct {
	index map[string]int // key -> position in props, once there are more than smallObject
	// folded maps the ASCII-lower-cased form of each key with upper-case letters to the
	// smallest such key (kept with index), so a large object's missed lookup costs map reads.
	folded     map[string]string
	deprecated []deprecatedKey
}

// ext returns the object's extra part, adding it if needed.
func (o *Object) ext() *objectExtra {
	if o.extra == nil {
		o.extra = &objectExtra{}
	}
	return o.extra
}

// index returns the key index of a large object, or nil.
func (o *Object) index() map[string]int {
	if o.extra == nil {
		return nil
	}
	return o.extra.index
}

// deprecatedKey is a deprecated property's lower-cased key and its warning. Objects have at
// most a couple, so a slice does.
type deprecatedKey struct {
	lower, warning string
}

type prop struct {
	key string
	val Value
}

// smallObject is the most properties an object looks up by scanning.
const smallObject = 16

// NewObject returns an empty object.
func NewObject() *Object {
	return &Object{}
}

// NewObjectSize returns an empty object with room for n properties, for callers that know
// how many they will set. Room for one or two is allocated with the object itself.
func NewObjectSize(n int) *Object {
	switch {
	case n <= 0:
		return &Object{}
	case n <= 2:
		// the most common small size (test results, path steps, groups)
		x := &struct {
			Object
			room [2]prop
		}{}
		x.props = x.room[:0]
		return &x.Object
	}
	return &Object{props: make([]prop, 0, n)}
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
	if i := o.exact(key); i >= 0 {
		o.props[i].val = v
		return o
	}
	o.props = append(o.props, prop{key: key, val: v})
	lower, ascii := asciiLower(key)
	o.nonASCII = o.nonASCII || !ascii
	o.upper = o.upper || lower != key
	switch {
	case o.index() != nil:
		o.addIndex(len(o.props)-1, lower, ascii)
	case len(o.props) > smallObject:
		o.ext().index = make(map[string]int, 2*len(o.props))
		for i, p := range o.props {
			l, a := asciiLower(p.key)
			o.addIndex(i, l, a)
		}
	}
	return o
}

// SetText sets property key to text s like Set, but keeps the stored value when it already
// is that text: refreshing an object in place then allocates nothing for what didn't change.
func (o *Object) SetText(key, s string) *Object {
	if i := o.exact(key); i >= 0 {
		if t, ok := o.props[i].val.(Text); ok && string(t) == s {
			return o
		}
	}
	return o.Set(key, Text(s))
}

// addIndex records property i in the maps of a large object.
func (o *Object) addIndex(i int, lower string, ascii bool) {
	key := o.props[i].key
	x := o.extra
	x.index[key] = i
	if !ascii || lower == key {
		return
	}
	if x.folded == nil {
		x.folded = map[string]string{}
	}
	if cur, ok := x.folded[lower]; !ok || key < cur {
		x.folded[lower] = key
	}
}

// exact returns the position of the property named exactly key, or -1.
func (o *Object) exact(key string) int {
	if index := o.index(); index != nil {
		if i, ok := index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.props {
		if o.props[i].key == key {
			return i
		}
	}
	return -1
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
	lower := strings.ToLower(key)
	x := o.ext()
	for i := range x.deprecated {
		if x.deprecated[i].lower == lower {
			x.deprecated[i].warning = warning
			return o
		}
	}
	x.deprecated = append(x.deprecated, deprecatedKey{lower: lower, warning: warning})
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

// find returns the position of the property matching key: exactly, else ignoring case (the
// first in sorted order of keys when several match), or -1.
func (o *Object) find(key string) int {
	if i := o.exact(key); i >= 0 {
		return i
	}
	if !o.nonASCII {
		lower, ascii := asciiLower(key)
		switch {
		case !ascii:
			// a non-ASCII key may still fold to ASCII keys (the Kelvin sign to k): scan
		case !o.upper:
			// every key is lower-case ASCII: only key in lower case can match
			if lower == key {
				return -1
			}
			return o.exact(lower)
		case o.index() != nil:
			// an ASCII key can only equal ASCII keys ignoring case: the lower-case key
			// itself, and the keys with upper-case letters indexed under it
			x := o.extra
			found, ok := x.folded[lower]
			if lower != key {
				if _, exact := x.index[lower]; exact && (!ok || lower < found) {
					found, ok = lower, true
				}
			}
			if !ok {
				return -1
			}
			return x.index[found]
		}
	}
	found := -1
	for i := range o.props {
		k := o.props[i].key
		if strings.EqualFold(k, key) && (found < 0 || k < o.props[found].key) {
			found = i
		}
	}
	return found
}

// Get looks up a property case-insensitively, resolving lazy values. Lookups never modify
// the object, so a context may be read from several goroutines.
func (o *Object) Get(key string) (Value, bool) {
	i := o.find(key)
	if i < 0 {
		return nil, false
	}
	return resolve(o.props[i].val), true
}

// deprecation returns the warning for a deprecated property, or "".
func (o *Object) deprecation(key string) string {
	if o.extra == nil || len(o.extra.deprecated) == 0 {
		return ""
	}
	lower := strings.ToLower(key)
	for _, d := range o.extra.deprecated {
		if d.lower == lower {
			return d.warning
		}
	}
	return ""
}

// Reset makes the value under key (exactly as given) pending again when it was made by
// NewReusableLazy, and reports whether it was (see Lazy.Reset).
func (o *Object) Reset(key string) bool {
	if i := o.exact(key); i >= 0 {
		if l, ok := o.props[i].val.(*Lazy); ok {
			return l.Reset()
		}
	}
	return false
}

// Has reports whether the object has the property (ignoring case).
func (o *Object) Has(key string) bool {
	return o.find(key) >= 0
}

// Len returns the number of properties (the default is not a property).
func (o *Object) Len() int { return len(o.props) }

// Keys returns the property names as given, sorted.
func (o *Object) Keys() []string {
	keys := make([]string, len(o.props))
	for i := range o.props {
		keys[i] = o.props[i].key
	}
	sort.Strings(keys)
	return keys
}
