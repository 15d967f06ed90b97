package migrate

import "strings"

// catalog lists, for one spec version, the JSON paths of each action and router type that hold
// templates. Paths are ".field", ".field[*]" (every list item), ".field.*" (every map value), and
// nestings of those.
type catalog struct {
	actions map[string][]string
	routers []string
}

// rewriteTemplates applies fn to every template at the catalog's paths, and to the translations
// of the same properties (actions by action UUID, case arguments by case UUID).
func rewriteTemplates(f Flow, cat catalog, fn func(string) string) {
	langs := f.languages()
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			paths := cat.actions[str(a, "type")]
			for _, p := range paths {
				applyPath(a, parsePath(p), fn)
			}
			for _, lang := range langs {
				for _, prop := range topKeys(paths) {
					rewriteTranslation(f, lang, str(a, "uuid"), prop, fn)
				}
			}
		}
		r := router(node)
		if r == nil {
			continue
		}
		for _, p := range cat.routers {
			applyPath(r, parsePath(p), fn)
		}
		for _, c := range cases(r) {
			for _, lang := range langs {
				rewriteTranslation(f, lang, str(c, "uuid"), "arguments", fn)
			}
		}
	}
}

func rewriteTranslation(f Flow, lang, item, prop string, fn func(string) string) {
	it := asMap(asMap(f.localization()[lang])[item])
	vals, ok := it[prop].([]any)
	if !ok {
		return
	}
	for i, v := range vals {
		if s, ok := v.(string); ok {
			vals[i] = fn(s)
		}
	}
}

// topKeys returns the first field name of each path (".text" → "text", ".headers.*" → "headers").
func topKeys(paths []string) []string {
	var keys []string
	for _, p := range paths {
		segs := parsePath(p)
		if len(segs) > 0 {
			keys = append(keys, segs[0])
		}
	}
	return keys
}

// parsePath splits ".a[*].b.*" into ["a", "[*]", "b", "*"].
func parsePath(p string) []string {
	var segs []string
	for p != "" {
		switch {
		case strings.HasPrefix(p, "[*]"):
			segs = append(segs, "[*]")
			p = p[3:]
		case strings.HasPrefix(p, "."):
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			segs = append(segs, p[:end])
			p = p[end:]
		default:
			return segs
		}
	}
	return segs
}

// applyPath rewrites the strings found at segs under v, in place.
func applyPath(v any, segs []string, fn func(string) string) {
	if len(segs) == 0 {
		return
	}
	seg, rest := segs[0], segs[1:]
	switch seg {
	case "[*]":
		l := asList(v)
		for i := range l {
			if len(rest) == 0 {
				if s, ok := l[i].(string); ok {
					l[i] = fn(s)
				}
			} else {
				applyPath(l[i], rest, fn)
			}
		}
	case "*":
		m := asMap(v)
		for k := range m {
			if len(rest) == 0 {
				if s, ok := m[k].(string); ok {
					m[k] = fn(s)
				}
			} else {
				applyPath(m[k], rest, fn)
			}
		}
	default:
		m := asMap(v)
		if m == nil {
			return
		}
		if len(rest) == 0 {
			if s, ok := m[seg].(string); ok {
				m[seg] = fn(s)
			}
		} else {
			applyPath(m[seg], rest, fn)
		}
	}
}
