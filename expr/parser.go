package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxNesting is the deepest bracket nesting accepted before parsing (spec §2.2).
const maxNesting = 100

// parser is a recursive-descent parser over lexed tokens, one method per precedence level.
type parser struct {
	src   string
	toks  []token
	pos   int
	depth int // unary minus nesting, bounded like brackets
	err   *Error
}

// parse parses a whole expression. Syntax errors are returned as error values with the
// reference message "syntax error at <context>".
func parse(src string) (node, *Error) {
	if nestingDepth(src) > maxNesting {
		return nil, errTooDeep
	}
	p := &parser{src: src, toks: lex(src)}
	n := p.expression()
	if p.err == nil && p.peek().kind != tokEOF {
		p.fail()
	}
	if p.err != nil {
		return nil, p.err
	}
	return n, nil
}

// nestingDepth returns the deepest nesting of (, [ and { outside text literals.
func nestingDepth(src string) int {
	depth, maxDepth, inText := 0, 0, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inText && c == '\\':
			i++
		case c == '"':
			inText = !inText
		case inText:
		case c == '(' || c == '[' || c == '{':
			depth++
			if depth > maxDepth {
				maxDepth = depth
			}
		case c == ')' || c == ']' || c == '}':
			depth--
		}
	}
	return maxDepth
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) peekAt(i int) token {
	if p.pos+i < len(p.toks) {
		return p.toks[p.pos+i]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

// fail records a syntax error at the current token (first error wins).
func (p *parser) fail() {
	if p.err != nil {
		return
	}
	rest := p.src[p.peek().pos:]
	n := 0
	for i := range rest {
		if n == 10 {
			rest = rest[:i]
			break
		}
		n++
	}
	p.err = Errorf("syntax error at %s", rest)
}

func (p *parser) expect(k tokenKind) bool {
	if p.peek().kind != k {
		p.fail()
		return false
	}
	p.next()
	return true
}

// span returns the source text from byte offset start to the end of the last consumed token.
func (p *parser) span(start int) string {
	end := start
	if p.pos > 0 {
		last := p.toks[p.pos-1]
		end = last.pos + len(last.text)
	}
	if end < start {
		end = start
	}
	return p.src[start:end]
}

func (p *parser) expression() node {
	if p.err != nil {
		return nil
	}
	if p.isLambda() {
		return p.lambda()
	}
	return p.binaryLevel(0)
}

// isLambda looks ahead for "( name, ... ) =>".
func (p *parser) isLambda() bool {
	if p.peek().kind != tokLParen {
		return false
	}
	i := 1
	if p.peekAt(i).kind == tokName {
		i++
		for p.peekAt(i).kind == tokComma && p.peekAt(i+1).kind == tokName {
			i += 2
		}
	}
	return p.peekAt(i).kind == tokRParen && p.peekAt(i+1).kind == tokArrow
}

func (p *parser) lambda() node {
	start := p.next().pos
	var params []string
	for p.peek().kind == tokName {
		params = append(params, strings.ToLower(p.next().text))
		if p.peek().kind == tokComma {
			p.next()
		}
	}
	p.next() // )
	p.next() // =>
	body := p.expression()
	return &lambda{src: p.span(start), params: params, body: body}
}

// binaryLevels lists the binary operators from loosest to tightest binding.
var binaryLevels = [][]tokenKind{
	{tokAmpersand},
	{tokEq, tokNotEq},
	{tokLt, tokLtEq, tokGt, tokGtEq},
	{tokPlus, tokMinus},
	{tokTimes, tokDivide},
	{tokExponent},
}

func (p *parser) binaryLevel(level int) node {
	if level == len(binaryLevels) {
		return p.unary()
	}
	start := p.peek().pos
	left := p.binaryLevel(level + 1)
	for p.err == nil {
		op := p.peek().kind
		found := false
		for _, k := range binaryLevels[level] {
			found = found || k == op
		}
		if !found {
			break
		}
		p.next()
		right := p.binaryLevel(level + 1)
		left = &binary{src: p.span(start), op: op, l: left, r: right}
	}
	return left
}

func (p *parser) unary() node {
	if p.peek().kind == tokMinus {
		if p.depth++; p.depth > maxNesting {
			if p.err == nil {
				p.err = errTooDeep
			}
			return nil
		}
		defer func() { p.depth-- }()
		start := p.next().pos
		operand := p.unary()
		return &negate{src: p.span(start), operand: operand}
	}
	return p.postfix()
}

func (p *parser) postfix() node {
	if p.err != nil {
		return nil
	}
	t := p.peek()
	start := t.pos
	var n node
	switch t.kind {
	case tokText:
		p.next()
		return &textLit{src: t.text, val: unquoteText(t.text)}
	case tokInteger, tokDecimal:
		p.next()
		return &numberLit{src: t.text}
	case tokName:
		p.next()
		switch strings.ToLower(t.text) {
		case "true", "false":
			return &boolLit{src: t.text, val: strings.EqualFold(t.text, "true")}
		case "null":
			return &nullLit{src: t.text}
		}
		n = &nameRef{src: t.text, name: t.text}
	case tokLParen:
		p.next()
		n = p.expression()
		if !p.expect(tokRParen) {
			return nil
		}
	default:
		p.fail()
		return nil
	}
	for p.err == nil {
		switch p.peek().kind {
		case tokLParen:
			p.next()
			var args []node
			if p.peek().kind != tokRParen {
				for p.err == nil {
					args = append(args, p.expression())
					if p.peek().kind != tokComma {
						break
					}
					p.next()
				}
			}
			if !p.expect(tokRParen) {
				return nil
			}
			n = &call{src: p.span(start), fn: n, args: args}
		case tokDot:
			p.next()
			k := p.peek()
			switch k.kind {
			case tokName, tokInteger:
				p.next()
				n = &dotLookup{src: p.span(start), container: n, key: k.text}
			case tokDecimal: // a.0.1 lexes the last two keys as one decimal
				p.next()
				parts := strings.SplitN(k.text, ".", 2)
				n = &dotLookup{src: p.span(start), container: n, key: parts[0]}
				n = &dotLookup{src: p.span(start), container: n, key: parts[1]}
			default:
				p.fail()
				return nil
			}
		case tokLBracket:
			p.next()
			idx := p.expression()
			if !p.expect(tokRBracket) {
				return nil
			}
			n = &indexLookup{src: p.span(start), container: n, index: idx}
		default:
			return n
		}
	}
	return n
}

// unquoteText interprets a text literal's escapes like strconv.Unquote; if any escape is
// invalid the raw characters between the quotes are the value (spec §2.1).
func unquoteText(lit string) string {
	if s, err := strconv.Unquote(lit); err == nil && utf8.ValidString(s) {
		return s
	}
	return lit[1 : len(lit)-1]
}
