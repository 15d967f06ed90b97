package channel

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The External API channel reads SOAP/XML webhooks with two XPaths from its config
// (from_xpath, text_xpath), as courier does with xmlquery.FindOne(doc, path).InnerText().
// Providers' paths are simple location paths, so careflow evaluates that part of XPath 1.0
// itself: steps joined by / and //, name tests (prefix:name matches the prefix as written,
// an unprefixed name any namespace), *, text(), node(), @attr, . and .., and predicates
// [n], [last()], [@attr], [@attr='v'], [name='v'], [text()='v']. Anything else is refused
// with a clear error rather than evaluated wrongly.

type xnodeKind int

const (
	xRoot xnodeKind = iota
	xElem
	xText
	xAttr
)

type xnode struct {
	kind     xnodeKind
	prefix   string
	name     string
	text     string // text and attribute nodes
	attrs    []*xnode
	children []*xnode
	parent   *xnode
	ord      int // document order
}

// maxXMLDepth bounds element nesting in a provider's body.
const maxXMLDepth = 256

// parseXMLTree reads a document into a tree, keeping prefixes as written.
func parseXMLTree(body []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	root := &xnode{kind: xRoot}
	cur, depth, elems, ord := root, 0, 0, 0
	next := func() int { ord++; return ord }
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", maxXMLDepth)
			}
			el := &xnode{kind: xElem, prefix: t.Name.Space, name: t.Name.Local, parent: cur, ord: next()}
			for _, a := range t.Attr {
				el.attrs = append(el.attrs, &xnode{kind: xAttr, prefix: a.Name.Space, name: a.Name.Local, text: a.Value, parent: el, ord: next()})
			}
			cur.children = append(cur.children, el)
			cur = el
			elems++
		case xml.EndElement:
			if cur.kind != xElem || cur.name != t.Name.Local || cur.prefix != t.Name.Space {
				return nil, fmt.Errorf("element <%s> closed by </%s>", cur.name, t.Name.Local)
			}
			cur, depth = cur.parent, depth-1
		case xml.CharData:
			if cur.kind == xElem {
				cur.children = append(cur.children, &xnode{kind: xText, text: string(t), parent: cur, ord: next()})
			}
		}
	}
	if cur != root || elems == 0 {
		return nil, errors.New("the document has no root element or is not closed")
	}
	return root, nil
}

// innerText is the text of a node and all its descendants.
func (n *xnode) innerText() string {
	if n.kind == xText || n.kind == xAttr {
		return n.text
	}
	var b strings.Builder
	var walk func(*xnode)
	walk = func(n *xnode) {
		for _, c := range n.children {
			if c.kind == xText {
				b.WriteString(c.text)
			} else {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

type xstep struct {
	descendant bool   // reached by //
	axis       string // "child", "attr", "self", "parent"
	test       string // "*", "text()", "node()" or a name
	prefix     string
	preds      []xpred
}

type xpred struct {
	pos   int  // [n]; 0 when not positional
	last  bool // [last()]
	attr  bool // the subject is @name (else a child element, or text() when name is "text()")
	name  string
	value *string // nil: existence test
}

// compileXPath parses a location path of the supported subset.
func compileXPath(expr string) ([]xstep, error) {
	s := strings.TrimSpace(expr)
	if s == "" {
		return nil, errors.New("empty XPath")
	}
	var steps []xstep
	desc := false
	switch {
	case strings.HasPrefix(s, "//"):
		desc, s = true, s[2:]
	case strings.HasPrefix(s, "/"):
		s = s[1:]
	}
	for {
		if s == "" {
			return nil, fmt.Errorf("XPath %q ends with a slash", expr)
		}
		end := stepEnd(s)
		st, err := compileStep(s[:end])
		if err != nil {
			return nil, fmt.Errorf("XPath %q: %w", expr, err)
		}
		st.descendant = desc
		steps = append(steps, st)
		s = s[end:]
		if s == "" {
			return steps, nil
		}
		desc = strings.HasPrefix(s, "//")
		s = strings.TrimPrefix(strings.TrimPrefix(s, "/"), "/")
	}
}

// stepEnd finds the slash that ends the first step, skipping quoted predicate text.
func stepEnd(s string) int {
	var quote byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '/' && depth == 0:
			return i
		}
	}
	return len(s)
}

func compileStep(s string) (xstep, error) {
	st := xstep{axis: "child"}
	test := s
	if i := strings.IndexByte(s, '['); i >= 0 {
		test = s[:i]
		rest := s[i:]
		for rest != "" {
			if rest[0] != '[' {
				return st, fmt.Errorf("unexpected %q", rest)
			}
			end := predEnd(rest)
			if end < 0 {
				return st, errors.New("unclosed predicate")
			}
			p, err := compilePred(strings.TrimSpace(rest[1:end]))
			if err != nil {
				return st, err
			}
			st.preds = append(st.preds, p)
			rest = rest[end+1:]
		}
	}
	test = strings.TrimSpace(test)
	switch {
	case test == ".":
		st.axis, st.test = "self", "node()"
	case test == "..":
		st.axis, st.test = "parent", "node()"
	case strings.HasPrefix(test, "@"):
		st.axis, test = "attr", test[1:]
		fallthrough
	default:
		if test == "" {
			return st, errors.New("empty step")
		}
		if test != "*" && test != "text()" && test != "node()" {
			if i := strings.IndexByte(test, ':'); i >= 0 {
				st.prefix, test = test[:i], test[i+1:]
			}
			if !validName(test) || (st.prefix != "" && !validName(st.prefix)) {
				return st, fmt.Errorf("unsupported step %q", s)
			}
		}
		st.test = test
	}
	return st, nil
}

func predEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ']':
			return i
		case c == '[':
			return -1 // nested predicates are outside the subset
		}
	}
	return -1
}

func compilePred(s string) (xpred, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 {
			return xpred{}, fmt.Errorf("position %d: positions start at 1", n)
		}
		return xpred{pos: n}, nil
	}
	if s == "last()" {
		return xpred{last: true}, nil
	}
	p := xpred{}
	subject := s
	if i := strings.IndexByte(s, '='); i >= 0 {
		subject = strings.TrimSpace(s[:i])
		lit := strings.TrimSpace(s[i+1:])
		if len(lit) < 2 || (lit[0] != '\'' && lit[0] != '"') || lit[len(lit)-1] != lit[0] {
			return p, fmt.Errorf("unsupported predicate [%s]: compare with a quoted string", s)
		}
		v := lit[1 : len(lit)-1]
		p.value = &v
	}
	if strings.HasPrefix(subject, "@") {
		p.attr, subject = true, subject[1:]
	}
	if subject != "text()" && !validName(strings.Replace(subject, ":", "", 1)) {
		return p, fmt.Errorf("unsupported predicate [%s]", s)
	}
	p.name = subject
	return p, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 ||
			(i > 0 && (r == '-' || r == '.' || r >= '0' && r <= '9'))
		if !ok {
			return false
		}
	}
	return true
}

// findXPath returns the first node, in document order, that steps select from root.
func findXPath(root *xnode, steps []xstep) *xnode {
	ctx := []*xnode{root}
	for _, st := range steps {
		var next []*xnode
		seen := map[*xnode]bool{}
		for _, c := range ctx {
			bases := []*xnode{c}
			if st.descendant {
				bases = descendantsOrSelf(c)
			}
			for _, b := range bases {
				for _, n := range applyPreds(axisNodes(b, st), st.preds) {
					if !seen[n] {
						seen[n] = true
						next = append(next, n)
					}
				}
			}
		}
		if len(next) == 0 {
			return nil
		}
		// Results are a node set in document order, whichever context reached them first.
		sort.Slice(next, func(i, j int) bool { return next[i].ord < next[j].ord })
		ctx = next
	}
	return ctx[0]
}

func descendantsOrSelf(n *xnode) []*xnode {
	out := []*xnode{n}
	for _, c := range n.children {
		if c.kind != xText {
			out = append(out, descendantsOrSelf(c)...)
		}
	}
	return out
}

// axisNodes are the nodes one step selects from n, before predicates.
func axisNodes(n *xnode, st xstep) []*xnode {
	var cands []*xnode
	switch st.axis {
	case "self":
		return []*xnode{n}
	case "parent":
		if n.parent != nil {
			return []*xnode{n.parent}
		}
		return nil
	case "attr":
		cands = n.attrs
	default:
		cands = n.children
	}
	var out []*xnode
	for _, c := range cands {
		if matchTest(c, st) {
			out = append(out, c)
		}
	}
	return out
}

func matchTest(n *xnode, st xstep) bool {
	switch st.test {
	case "node()":
		return true
	case "text()":
		return n.kind == xText
	case "*":
		return n.kind == xElem || n.kind == xAttr
	}
	if n.kind != xElem && n.kind != xAttr {
		return false
	}
	return n.name == st.test && (st.prefix == "" || n.prefix == st.prefix)
}

func applyPreds(nodes []*xnode, preds []xpred) []*xnode {
	for _, p := range preds {
		switch {
		case p.pos > 0:
			if p.pos > len(nodes) {
				return nil
			}
			nodes = nodes[p.pos-1 : p.pos]
		case p.last:
			if len(nodes) > 0 {
				nodes = nodes[len(nodes)-1:]
			}
		default:
			var kept []*xnode
			for _, n := range nodes {
				if predHolds(n, p) {
					kept = append(kept, n)
				}
			}
			nodes = kept
		}
	}
	return nodes
}

func predHolds(n *xnode, p xpred) bool {
	var subjects []*xnode
	switch {
	case p.attr:
		subjects = n.attrs
	default:
		subjects = n.children
	}
	prefix, name := "", p.name
	if i := strings.IndexByte(name, ':'); i >= 0 {
		prefix, name = name[:i], name[i+1:]
	}
	for _, s := range subjects {
		match := false
		switch {
		case p.name == "text()":
			match = s.kind == xText
		default:
			match = (s.kind == xElem || s.kind == xAttr) && s.name == name && (prefix == "" || s.prefix == prefix)
		}
		if match && (p.value == nil || s.innerText() == *p.value) {
			return true
		}
	}
	return false
}
