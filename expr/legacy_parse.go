package expr

import (
	"fmt"
	"strings"
)

// The pre-13 ("legacy") expression language is Excel-like: case-insensitive function names,
// "" to escape a quote inside text, <> for inequality, and + and - that also add days to
// dates. This file parses it into a small tree; legacy_emit.go writes the tree back out in
// current syntax.

// lnode is a parsed legacy expression.
type lnode interface{}

type (
	lString  struct{ val string }
	lNum     struct{ text string }
	lBoolLit struct{ val bool }
	lVar     struct{ path []string }
	lCall    struct {
		name string
		args []lnode
	}
	lNeg    struct{ x lnode }
	lBinary struct {
		op   string
		l, r lnode
	}
	lParen struct{ x lnode }
)

type ltoken struct {
	kind string // "str", "num", "name", "op", "eof", "bad"
	text string
}

func lexLegacy(src string) []ltoken {
	var toks []ltoken
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			var sb strings.Builder
			j := i + 1
			closed := false
			for j < len(src) {
				if src[j] == '"' {
					if j+1 < len(src) && src[j+1] == '"' {
						sb.WriteByte('"')
						j += 2
						continue
					}
					closed = true
					break
				}
				sb.WriteByte(src[j])
				j++
			}
			if !closed {
				return append(toks, ltoken{"bad", src[i:]}, ltoken{"eof", ""})
			}
			toks = append(toks, ltoken{"str", sb.String()})
			i = j + 1
		case isDigit(c):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			toks = append(toks, ltoken{"num", src[i:j]})
			i = j
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '.' || isDigit(src[j]) || (src[j]|0x20 >= 'a' && src[j]|0x20 <= 'z')) {
				j++
			}
			toks = append(toks, ltoken{"name", src[i:j]})
			i = j
		default:
			op := string(c)
			if i+1 < len(src) {
				two := src[i : i+2]
				if two == "<>" || two == "<=" || two == ">=" {
					op = two
				}
			}
			if !strings.Contains("+-*/^&=<>(),", string(c)) {
				return append(toks, ltoken{"bad", src[i:]}, ltoken{"eof", ""})
			}
			toks = append(toks, ltoken{"op", op})
			i += len(op)
		}
	}
	return append(toks, ltoken{"eof", ""})
}

type lparser struct {
	toks  []ltoken
	pos   int
	depth int
	err   error
}

func (p *lparser) peek() ltoken { return p.toks[p.pos] }
func (p *lparser) next() ltoken {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}
func (p *lparser) fail(msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("legacy expression: %s", msg)
	}
}

// parseLegacy parses one legacy expression.
func parseLegacy(src string) (lnode, error) {
	if nestingDepth(src) > maxNesting {
		return nil, fmt.Errorf("legacy expression: nesting too deep")
	}
	p := &lparser{toks: lexLegacy(src)}
	n := p.level(0)
	if p.err == nil && p.peek().kind != "eof" {
		p.fail("unexpected " + p.peek().text)
	}
	return n, p.err
}

// legacyLevels are the legacy binary operators from loosest to tightest binding.
var legacyLevels = [][]string{
	{"=", "<>"},
	{"<", "<=", ">", ">="},
	{"&"},
	{"+", "-"},
	{"*", "/"},
	{"^"},
}

func (p *lparser) level(i int) lnode {
	if p.err != nil {
		return nil
	}
	if i == len(legacyLevels) {
		return p.unary()
	}
	left := p.level(i + 1)
	for p.err == nil {
		t := p.peek()
		if t.kind != "op" || !contains(legacyLevels[i], t.text) {
			break
		}
		p.next()
		left = &lBinary{op: t.text, l: left, r: p.level(i + 1)}
	}
	return left
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *lparser) unary() lnode {
	if t := p.peek(); t.kind == "op" && t.text == "-" {
		if p.depth++; p.depth > maxNesting {
			p.fail("nesting too deep")
			return nil
		}
		defer func() { p.depth-- }()
		p.next()
		return &lNeg{x: p.unary()}
	}
	return p.atom()
}

func (p *lparser) atom() lnode {
	t := p.next()
	switch t.kind {
	case "str":
		return &lString{val: t.text}
	case "num":
		return &lNum{text: t.text}
	case "name":
		if strings.HasSuffix(t.text, ".") || strings.Contains(t.text, "..") {
			p.fail("bad name " + t.text)
			return nil
		}
		if n := p.peek(); n.kind == "op" && n.text == "(" && !strings.Contains(t.text, ".") {
			p.next()
			var args []lnode
			if q := p.peek(); !(q.kind == "op" && q.text == ")") {
				for p.err == nil {
					args = append(args, p.level(0))
					if q := p.peek(); q.kind == "op" && q.text == "," {
						p.next()
						continue
					}
					break
				}
			}
			if q := p.next(); !(q.kind == "op" && q.text == ")") {
				p.fail("expected )")
			}
			return &lCall{name: strings.ToLower(t.text), args: args}
		}
		switch strings.ToLower(t.text) {
		case "true":
			return &lBoolLit{val: true}
		case "false":
			return &lBoolLit{val: false}
		}
		return &lVar{path: strings.Split(strings.ToLower(t.text), ".")}
	case "op":
		if t.text == "(" {
			x := p.level(0)
			if q := p.next(); !(q.kind == "op" && q.text == ")") {
				p.fail("expected )")
			}
			return &lParen{x: x}
		}
	}
	p.fail("unexpected " + t.text)
	return nil
}
