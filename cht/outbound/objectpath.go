package outbound

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// pathKey is one segment of an object-path path: a number when parseInt round-trips it
// ("0", "12", "-1" but not "01"), else a string — object-path 0.11.8's getKey.
type pathKey struct {
	s     string
	num   bool
	index int64
}

// splitPath returns path's segments. Callers only read them: a mapping names the same few
// paths for every document, so they are split once and kept (pathCache).
func splitPath(path string) []pathKey {
	pathCache.RLock()
	keys, ok := pathCache.m[path]
	pathCache.RUnlock()
	if ok {
		return keys
	}
	segs := strings.Split(path, ".")
	keys = make([]pathKey, len(segs))
	for i, s := range segs {
		keys[i] = pathKey{s: s}
		// Only what looks like an integer goes to ParseInt, whose error for anything else
		// was two allocations per segment.
		if integerLike(s) {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
				keys[i].num, keys[i].index = true, n
			}
		}
	}
	pathCache.Lock()
	if pathCache.m == nil || len(pathCache.m) >= maxCachedPaths {
		pathCache.m = map[string][]pathKey{} // settings changed many times: start over
	}
	pathCache.m[path] = keys
	pathCache.Unlock()
	return keys
}

var pathCache struct {
	sync.RWMutex
	m map[string][]pathKey
}

const maxCachedPaths = 4096

// integerLike reports whether s is an optional minus sign and one or more digits.
func integerLike(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ownProperty is object-path's getShallowProperty with its default options: own properties
// only, except that a numeric key on an array is always allowed. Strings expose their
// length and indexes as own properties, as String objects do.
func ownProperty(v Value, k pathKey) (Value, bool) {
	switch t := v.(type) {
	case *Object:
		return t.Get(k.s)
	case *Array:
		if k.s == "length" {
			return float64(len(t.Elems)), true
		}
		if k.num {
			if k.index >= 0 && k.index < int64(len(t.Elems)) {
				if e := t.Elems[k.index]; e != Undefined {
					return e, true
				}
			}
			return nil, false
		}
	case string:
		u := utf16Len(t)
		if k.s == "length" {
			return float64(u), true
		}
		if n, ok := arrayIndex(k.s); ok && n < uint64(u) {
			return utf16At(t, int(n)), true
		}
	}
	return nil, false
}

// PathGet resolves path against root as object-path 0.11.8's get: ok is false when the value
// is undefined (a missing member, or null/undefined part-way). A final null is found.
func PathGet(root Value, path string) (Value, bool) {
	cur := root
	for _, k := range splitPath(path) {
		if cur == nil {
			return nil, false
		}
		next, ok := ownProperty(cur, k)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// PathSet writes v at path under root as object-path 0.11.8's set: missing intermediates are
// created, an array when the next segment is numeric, else an object; existing ones are reused.
func PathSet(root *Object, path string, v Value) error {
	keys := splitPath(path)
	var cur Value = root
	for i, k := range keys {
		last := i == len(keys)-1
		existing, found := ownProperty(cur, k)
		if last {
			return assign(cur, k, v)
		}
		if !found {
			var fresh Value = NewObject()
			if keys[i+1].num {
				fresh = &Array{}
			}
			if err := assign(cur, k, fresh); err != nil {
				return err
			}
			existing = fresh
		}
		if existing == nil {
			return fmt.Errorf("Cannot convert undefined or null to object")
		}
		cur = existing
	}
	return nil
}

// assign is obj[key] = v in strict mode.
func assign(obj Value, k pathKey, v Value) error {
	switch t := obj.(type) {
	case *Object:
		if k.s == "__proto__" {
			return nil // would replace the prototype in JavaScript, never an own member
		}
		t.Set(k.s, v)
		return nil
	case *Array:
		if n, ok := arrayIndex(k.s); ok {
			if n >= 1<<24 {
				return fmt.Errorf("array index %d too large", n)
			}
			for uint64(len(t.Elems)) <= n {
				t.Elems = append(t.Elems, Undefined) // a hole
			}
			t.Elems[n] = v
		}
		// A named property on an array is invisible to JSON.stringify.
		return nil
	case string:
		return fmt.Errorf("Cannot create property '%s' on string '%s'", k.s, t)
	case float64, bool:
		return fmt.Errorf("Cannot create property '%s' on %s '%s'", k.s, jsTypeof(t), jsString(t))
	}
	return fmt.Errorf("Cannot convert undefined or null to object")
}

func jsTypeof(v Value) string {
	switch v.(type) {
	case float64:
		return "number"
	case bool:
		return "boolean"
	case string:
		return "string"
	}
	return "object"
}
