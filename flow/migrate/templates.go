package migrate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// refRewriter is given a top-level context name and the property chain that follows it (".a.b",
// possibly empty) and returns replacements and whether anything changed.
type refRewriter func(name, rest string) (string, string, bool)

// rewriteTopLevel rewrites top-level context references in a template, in @name.chain form and
// inside @( ) expressions, leaving all other text untouched.
func rewriteTopLevel(t string, fn refRewriter) string {
	var b strings.Builder
	for i := 0; i < len(t); {
		if t[i] != '@' || i+1 >= len(t) {
			b.WriteByte(t[i])
			i++
			continue
		}
		next := t[i+1]
		switch {
		case next == '@':
			b.WriteString("@@")
			i += 2
		case next == '(':
			end := exprEnd(t, i+1)
			if end < 0 { // unterminated: leave the rest alone
				b.WriteString(t[i:])
				return b.String()
			}
			b.WriteString("@(")
			b.WriteString(rewriteExpr(t[i+2:end], fn))
			b.WriteByte(')')
			i = end + 1
		case isIdentStart(next):
			name, _ := splitIdentAt(t, i+1)
			j := i + 1 + len(name)
			chainEnd := chainEndAt(t, j)
			newName, newRest, changed := fn(name, t[j:chainEnd])
			b.WriteByte('@')
			if changed {
				b.WriteString(newName + newRest)
			} else {
				b.WriteString(t[i+1 : chainEnd])
			}
			i = chainEnd
		default:
			b.WriteByte('@')
			i++
		}
	}
	return b.String()
}

// exprEnd returns the index of the ")" closing the "(" at open, skipping string literals, or -1.
func exprEnd(t string, open int) int {
	depth := 0
	for i := open; i < len(t); i++ {
		switch t[i] {
		case '"':
			i = stringEnd(t, i)
			if i < 0 {
				return -1
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// stringEnd returns the index of the quote closing the string literal starting at i, or -1.
func stringEnd(t string, i int) int {
	for j := i + 1; j < len(t); j++ {
		switch t[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

// rewriteExpr rewrites top-level identifiers (not after a dot, not called as functions) in the
// body of an @( ) expression.
func rewriteExpr(e string, fn refRewriter) string {
	var b strings.Builder
	for i := 0; i < len(e); {
		c := e[i]
		switch {
		case c == '"':
			end := stringEnd(e, i)
			if end < 0 {
				b.WriteString(e[i:])
				return b.String()
			}
			b.WriteString(e[i : end+1])
			i = end + 1
		case isIdentStart(c) || c >= utf8.RuneSelf:
			name, _ := splitIdentAt(e, i)
			if name == "" {
				b.WriteByte(c)
				i++
				continue
			}
			j := i + len(name)
			prevDot := i > 0 && e[i-1] == '.'
			call := j < len(e) && e[j] == '('
			if prevDot || call {
				b.WriteString(name)
				i = j
				continue
			}
			chainEnd := chainEndAt(e, j)
			newName, newRest, changed := fn(name, e[j:chainEnd])
			if changed {
				b.WriteString(newName + newRest)
			} else {
				b.WriteString(e[i:chainEnd])
			}
			i = chainEnd
		case c >= '0' && c <= '9':
			// a number (or something starting with digits): copy it with its digits/dots
			j := i
			for j < len(e) && (e[j] >= '0' && e[j] <= '9' || e[j] == '.' || isIdentByte(e[j])) {
				j++
			}
			b.WriteString(e[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// splitIdentAt returns the identifier starting at i (letters, digits, underscores) and the
// text after it.
func splitIdentAt(s string, i int) (string, string) {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			j += size
			continue
		}
		break
	}
	return s[i:j], s[j:]
}

// splitIdent splits s into its leading identifier and the rest.
func splitIdent(s string) (string, string) { return splitIdentAt(s, 0) }

// chainEndAt returns where a ".ident.ident..." chain starting at i ends.
func chainEndAt(s string, i int) int {
	for i+1 < len(s) && s[i] == '.' {
		id, _ := splitIdentAt(s, i+1)
		if id == "" {
			break
		}
		i += 1 + len(id)
	}
	return i
}
