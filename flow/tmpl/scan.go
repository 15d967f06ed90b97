// Package tmpl finds and rewrites context references (@contact.name, @(upper(fields.age)) ...)
// in flow templates without evaluating them. It is a light scanner, not the expression parser:
// it knows template syntax (@@ escapes, @name.chain references, balanced @( ) expressions with
// string literals) and treats every identifier inside an expression that is neither a property
// (after a dot) nor a function call as a top-level reference. Migrations and inspection use it.
//
// It is pure and imports nothing from careflow.
package tmpl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rewriter is given a top-level context name and the property chain that follows it (".a.b",
// possibly empty) and returns replacements and whether anything changed.
type Rewriter func(name, rest string) (string, string, bool)

// RewriteRefs rewrites top-level context references in a template, in @name.chain form and
// inside @( ) expressions, leaving all other text untouched.
func RewriteRefs(t string, fn Rewriter) string {
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
func rewriteExpr(e string, fn Rewriter) string {
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

// SplitIdent splits s into its leading identifier and the rest.
func SplitIdent(s string) (string, string) { return splitIdentAt(s, 0) }

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

// Refs calls fn with the path of every top-level context reference in the template, e.g.
// ["contact", "fields", "age"] for @contact.fields.age or @(upper(contact.fields.age)).
func Refs(t string, fn func(path []string)) {
	RewriteRefs(t, func(name, rest string) (string, string, bool) {
		path := []string{name}
		if rest != "" {
			path = append(path, strings.Split(rest[1:], ".")...)
		}
		fn(path)
		return name, rest, false
	})
}

// HasRefs reports whether the template holds any reference or expression (anything that
// evaluation would change, other than @@ escapes).
func HasRefs(t string) bool {
	found := false
	RewriteRefs(t, func(name, rest string) (string, string, bool) {
		found = true
		return name, rest, false
	})
	return found || strings.Contains(strings.ReplaceAll(t, "@@", ""), "@(")
}
