package contactql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"careflow/expr"
)

// Limits that keep untrusted queries cheap, as the reference's: every condition becomes a
// clause for a search backend, and parsing recurses once per bracket.
const (
	MaxQueryLength = 10_000 // characters
	MaxDepth       = 100    // bracket nesting
	MaxConditions  = 250
)

// parser is a recursive-descent parser over the tokens of one query. Precedence follows the
// reference grammar: AND (written or implied by juxtaposition) binds tighter than OR.
type parser struct {
	env   *expr.Environment
	toks  []token
	pos   int
	depth int
	err   *Error
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

// fail records the first error and returns nil so callers can unwind.
func (p *parser) fail(e *Error) Node {
	if p.err == nil {
		p.err = e
	}
	return nil
}

// startsOperand reports whether a token can begin a condition or a bracketed expression.
func startsOperand(k tokenKind) bool {
	return k == tokLParen || k == tokString || k == tokProperty || k == tokText
}

// expectation is a set of tokens the parser could accept at some point, and how syntax errors
// name it.
type expectation struct {
	name  string
	kinds []tokenKind
}

var (
	expectOperand = expectation{"{'(', STRING, PROPERTY, TEXT}", []tokenKind{tokLParen, tokString, tokProperty, tokText}}
	expectValue   = expectation{"{STRING, PROPERTY, TEXT}", []tokenKind{tokString, tokProperty, tokText}}
	expectRParen  = expectation{"')'", []tokenKind{tokRParen}}
	expectEOF     = expectation{"<EOF>", []tokenKind{tokEOF}}
)

func (e expectation) has(k tokenKind) bool {
	for _, x := range e.kinds {
		if x == k {
			return true
		}
	}
	return false
}

// mismatched fails with the syntax error the reference's generated parser reports: a token
// that stands before an acceptable one is "extraneous", a missing closing bracket before
// something that may follow one is "missing", anything else "mismatched".
func (p *parser) mismatched(want expectation) Node {
	cur := p.peek()
	var after tokenKind = tokEOF
	if p.pos+1 < len(p.toks) {
		after = p.toks[p.pos+1].kind
	}
	switch {
	case cur.kind != tokEOF && want.has(after):
		return p.fail(newError(ErrSyntax, "extraneous input '%s' expecting %s", cur.describe(), want.name))
	case want.name == expectRParen.name && cur.kind != tokComparator && cur.kind != tokError:
		return p.fail(newError(ErrSyntax, "missing ')' at '%s'", cur.describe()))
	}
	return p.fail(newError(ErrSyntax, "mismatched input '%s' expecting %s", cur.describe(), want.name))
}

// parseOr: and (OR and)*
func (p *parser) parseOr() Node {
	first := p.parseAnd()
	if first == nil {
		return nil
	}
	children := []Node{first}
	for p.peek().kind == tokOr {
		p.next()
		n := p.parseAnd()
		if n == nil {
			return nil
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return first
	}
	return &Combination{Op: Or, Children: children}
}

// parseAnd: operand ((AND)? operand)*
func (p *parser) parseAnd() Node {
	first := p.parseOperand()
	if first == nil {
		return nil
	}
	children := []Node{first}
	for {
		if p.peek().kind == tokAnd {
			p.next()
		} else if !startsOperand(p.peek().kind) {
			break
		}
		n := p.parseOperand()
		if n == nil {
			return nil
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return first
	}
	return &Combination{Op: And, Children: children}
}

// parseOperand: ( or ) | PROPERTY COMPARATOR literal | literal
func (p *parser) parseOperand() Node {
	t := p.peek()
	switch t.kind {
	case tokLParen:
		p.next()
		if p.depth++; p.depth > MaxDepth {
			return p.fail(newError(ErrTooComplex, "query is too complex"))
		}
		n := p.parseOr()
		if n == nil {
			return nil
		}
		if p.peek().kind != tokRParen {
			return p.mismatched(expectRParen)
		}
		p.next()
		p.depth--
		return n
	case tokProperty:
		p.next()
		if p.peek().kind == tokComparator {
			return p.parseCondition(t.text)
		}
		return newImplicitCondition(p.env, t.text)
	case tokText:
		p.next()
		return newImplicitCondition(p.env, t.text)
	case tokString:
		p.next()
		return newImplicitCondition(p.env, unquote(t.text))
	}
	return p.mismatched(expectOperand)
}

// parseCondition reads the comparator and value after a property name.
func (p *parser) parseCondition(prop string) Node {
	op := operatorOf(p.next().text)
	var value string
	switch t := p.peek(); t.kind {
	case tokString:
		value = unquote(t.text)
	case tokProperty, tokText:
		value = t.text
	default:
		return p.mismatched(expectValue)
	}
	p.next()
	typ, key, err := classifyProperty(prop)
	if err != nil {
		return p.fail(err)
	}
	return &Condition{Type: typ, Key: key, Operator: op, Value: value}
}

// operatorOf maps comparator text, including the word aliases, to an Operator.
func operatorOf(text string) Operator {
	switch strings.ToLower(text) {
	case "is":
		return OpEqual
	case "has":
		return OpContains
	}
	return Operator(text)
}

// unquote removes the quotes of a string token and resolves Go-style escapes; a string that
// isn't a valid Go literal just loses its quotes, as in the reference.
func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s[1 : len(s)-1]
}

// tooDeep reports whether the bracket nesting of s exceeds max. It counts every bracket, even
// those inside strings, which over-estimates safely.
func tooDeep(s string, max int) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			if depth++; depth > max {
				return true
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return false
}

// parseTree parses text into a simplified node tree without validating properties.
func parseTree(env *expr.Environment, text string) (Node, *Error) {
	text = strings.TrimSpace(text)
	if len(text) > MaxQueryLength && utf8.RuneCountInString(text) > MaxQueryLength {
		return nil, newError(ErrTooComplex, "query is too complex")
	}
	if tooDeep(text, MaxDepth) {
		return nil, newError(ErrTooComplex, "query is too complex")
	}
	if !redactsURNs(env) {
		if number := parsePhone(text, env.DefaultCountry); number != "" {
			return &Condition{Type: PropertyScheme, Key: "tel", Operator: OpEqual, Value: number}, nil
		}
	}
	p := &parser{env: env, toks: lex(text)}
	root := p.parseOr()
	if p.err == nil && root != nil && p.peek().kind != tokEOF {
		p.mismatched(expectEOF)
	}
	if p.err != nil {
		return nil, p.err
	}
	return root, nil
}
