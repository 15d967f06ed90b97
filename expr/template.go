package expr

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// EvalError is an expression that failed while evaluating a template: the expression's source
// as written (e.g. "@(1 / 0)" or "@contact.foo") and the error message. The engine turns each
// into an error event "Error evaluating expression: <message>".
type EvalError struct {
	Expression string `json:"expression"`
	Message    string `json:"message"`
	// TooComplex is set for the budget error (event code expression:too_complex).
	TooComplex bool `json:"-"`
}

// Error returns the message.
func (e EvalError) Error() string { return e.Message }

// Diagnostics collects what an evaluation reported besides its result: expression errors in
// order, and deprecation warnings (each distinct message once per expression, spec §7.9).
type Diagnostics struct {
	Errors   []EvalError
	Warnings []string
}

// Escaper transforms each expression's rendered text before it is inserted into a template
// (literal text is never escaped). nil means no escaping.
type Escaper func(string) string

// segment is a piece of a scanned template: literal text, or an expression with its source.
type segment struct {
	text   string // literal text, or the expression body
	source string // "" for literal text; else "@..." as written
	// root is set for an @identifier: its first name. The identifier is an expression only
	// when that name is a root context key; otherwise it is literal text (its source).
	root string
}

// expression reports whether seg is evaluated in a context where isRoot tells the root keys.
func (seg *segment) expression(isRoot func(string) bool) bool {
	return seg.source != "" && (seg.root == "" || isRoot(seg.root))
}

// scanTemplate splits a template into literal text and expressions (spec §1.1). isRoot tells
// whether an identifier's first segment is a root context key.
func scanTemplate(tpl string, isRoot func(string) bool) []segment {
	var segs []segment
	for _, seg := range scanSegments(tpl) {
		if !seg.expression(isRoot) {
			if seg.root != "" {
				seg = segment{text: seg.source} // an identifier that isn't a context key is text
			}
			if n := len(segs); n > 0 && segs[n-1].source == "" {
				segs[n-1].text += seg.text
				continue
			}
		}
		segs = append(segs, seg)
	}
	return segs
}

// scanSegments splits a template into literal text, @(...) expressions and @identifiers,
// whatever the context: which identifiers are expressions is decided when evaluating, so the
// result can be cached for every context.
func scanSegments(tpl string) []segment {
	var segs []segment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, segment{text: lit.String()})
			lit.Reset()
		}
	}
	i := 0
	for i < len(tpl) {
		c := tpl[i]
		if c != '@' {
			lit.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(tpl) {
			lit.WriteByte('@')
			i++
			continue
		}
		next := tpl[i+1]
		if next == '@' {
			lit.WriteByte('@')
			i += 2
			continue
		}
		if next == '(' {
			end := matchParen(tpl, i+1, true)
			if end < 0 {
				lit.WriteString(tpl[i:])
				break
			}
			flush()
			segs = append(segs, segment{text: tpl[i+2 : end], source: tpl[i : end+1]})
			i = end + 1
			continue
		}
		end := identifierEnd(tpl, i+1)
		if end == i+1 {
			lit.WriteByte('@')
			i++
			continue
		}
		ident := tpl[i+1 : end]
		first := ident
		if dot := strings.IndexByte(ident, '.'); dot >= 0 {
			first = ident[:dot]
		}
		flush()
		segs = append(segs, segment{text: ident, source: tpl[i:end], root: first})
		i = end
	}
	flush()
	return segs
}

func isNameRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identifierEnd returns where an identifier starting at start ends: name characters, and dots
// that are followed by a name character.
func identifierEnd(s string, start int) int {
	i := start
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isNameRune(r) {
			i += size
			continue
		}
		if r == '.' && i > start && i+1 < len(s) {
			r2, _ := utf8.DecodeRuneInString(s[i+1:])
			if isNameRune(r2) {
				i++
				continue
			}
		}
		break
	}
	return i
}

// matchParen returns the index of the ')' matching the '(' at open, skipping text literals,
// or -1 if the input ends first. escapes says whether a backslash escapes the next character
// inside a literal (current syntax) or is plain text (legacy syntax).
func matchParen(s string, open int, escapes bool) int {
	depth := 0
	inText := false
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case escapes && inText && c == '\\':
			i++
		case c == '"':
			inText = !inText
		case inText:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func rootChecker(ctx *Object) func(string) bool {
	return func(name string) bool { return ctx != nil && ctx.Has(name) }
}

// EvaluateTemplate evaluates a template as text (spec §1.2). Each expression's result is
// rendered (and escaped when escape is set); an expression that evaluates to an error
// contributes nothing and is recorded in the diagnostics, and evaluation continues.
func EvaluateTemplate(env *Environment, ctx *Object, tpl string, escape Escaper) (string, Diagnostics) {
	var diags Diagnostics
	if !strings.Contains(tpl, "@") {
		return tpl, diags
	}
	var sb strings.Builder
	isRoot := rootChecker(ctx)
	segs := templateSegments(tpl)
	if len(segs) > 1 {
		sb.Grow(len(tpl) + 16) // roughly the output's length, to avoid growing piece by piece
	}
	for _, seg := range segs {
		if !seg.expression(isRoot) {
			if seg.root != "" {
				sb.WriteString(seg.source)
			} else {
				sb.WriteString(seg.text)
			}
			continue
		}
		v := evaluate(env, ctx, seg.text, &diags)
		if e, ok := v.(*Error); ok {
			diags.Errors = append(diags.Errors, EvalError{Expression: seg.source, Message: e.msg, TooComplex: e.fatal})
			continue
		}
		s := Render(env, v)
		if escape != nil {
			s = escape(s)
		}
		if len(segs) == 1 {
			return s, diags // the whole template is this expression: no copy
		}
		sb.WriteString(s)
	}
	return sb.String(), diags
}

// EvaluateTemplateValue evaluates a template as a value (spec §1.3): a template that, once
// trimmed, is exactly one identifier or one @(...) keeps its result's type (errors stay
// errors and are also recorded); anything else is evaluated as text.
func EvaluateTemplateValue(env *Environment, ctx *Object, tpl string) (Value, Diagnostics) {
	if !strings.Contains(tpl, "@") {
		return Text(tpl), Diagnostics{}
	}
	segs := templateSegments(strings.TrimSpace(tpl))
	if len(segs) == 1 && segs[0].expression(rootChecker(ctx)) {
		var diags Diagnostics
		v := evaluate(env, ctx, segs[0].text, &diags)
		if e, ok := v.(*Error); ok {
			diags.Errors = append(diags.Errors, EvalError{Expression: segs[0].source, Message: e.msg, TooComplex: e.fatal})
		}
		return v, diags
	}
	s, diags := EvaluateTemplate(env, ctx, tpl, nil)
	return Text(s), diags
}

// EvaluateExpression evaluates a bare expression (without the leading @), such as a case
// test "has_text(@input)" migrated or an expression typed in a tool. Errors are returned as
// *Error values, not recorded in the diagnostics.
func EvaluateExpression(env *Environment, ctx *Object, expression string) (Value, Diagnostics) {
	var diags Diagnostics
	v := evaluate(env, ctx, expression, &diags)
	return v, diags
}

func evaluate(env *Environment, ctx *Object, src string, diags *Diagnostics) Value {
	n, err := parseCached(src)
	if err != nil {
		return err
	}
	ev := newEvaluator(env, ctx)
	v := resolve(ev.eval(n, nil))
	if f, ok := v.(*Function); ok {
		v = f.base() // a built-in leaving the evaluation is no longer charged to its budget
	}
	diags.Warnings = append(diags.Warnings, ev.warnings...)
	return v
}
