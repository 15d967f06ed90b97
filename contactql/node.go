package contactql

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Operator is the comparison of a condition.
type Operator string

// Operators. The query text may also say "is" for = and "has" for ~.
const (
	OpEqual          Operator = "="
	OpNotEqual       Operator = "!="
	OpContains       Operator = "~"
	OpGreater        Operator = ">"
	OpGreaterOrEqual Operator = ">="
	OpLess           Operator = "<"
	OpLessOrEqual    Operator = "<="
)

// isComparison reports whether op orders values (only numbers and dates support these).
func (op Operator) isComparison() bool {
	return op == OpGreater || op == OpGreaterOrEqual || op == OpLess || op == OpLessOrEqual
}

// BoolOp joins the children of a Combination.
type BoolOp string

// Boolean operators.
const (
	And BoolOp = "and"
	Or  BoolOp = "or"
)

// Node is a node of a parsed query: a *Condition or a *Combination.
type Node interface {
	// String returns the node in canonical query syntax; combinations are parenthesised.
	String() string
	format(b *strings.Builder, short bool, top bool)
}

// Condition compares one property of the contact with a value.
type Condition struct {
	Type     PropertyType
	Key      string // lower case: attribute name, scheme or field key
	Operator Operator
	Value    string // unquoted

	// the value read once at Parse time for number and date properties
	cached bool
	kind   ValueType // TypeNumber or TypeDatetime when cached
	num    decimal.Decimal
	date   time.Time
}

// Combination joins two or more nodes with AND or OR.
type Combination struct {
	Op       BoolOp
	Children []Node
}

// unquotedValue matches the values the canonical form leaves unquoted: plain decimals.
var unquotedValue = regexp.MustCompile(`^\d+(\.\d+)?$`)

// String returns the condition as the reference normalises it, with the property's type prefix
// for fields and schemes: `fields.age > 30`, `urns.tel ~ "+1800"`, `name = "Bob"`.
func (c *Condition) String() string {
	var b strings.Builder
	c.format(&b, false, true)
	return b.String()
}

func (c *Condition) format(b *strings.Builder, short bool, _ bool) {
	switch {
	case c.Type == PropertyField && !(short && bareKeyIsField(c.Key)):
		b.WriteString("fields.")
	case c.Type == PropertyScheme && !short:
		b.WriteString("urns.")
	}
	b.WriteString(c.Key)
	b.WriteByte(' ')
	b.WriteString(string(c.Operator))
	b.WriteByte(' ')
	if unquotedValue.MatchString(c.Value) {
		b.WriteString(c.Value)
	} else {
		b.WriteString(strconv.Quote(c.Value))
	}
}

// bareKeyIsField reports whether a field key written without its prefix would still be read as
// that field (it isn't also an attribute or scheme name, and needs no prefix to lex).
func bareKeyIsField(key string) bool {
	_, attr := attributeTypes[key]
	return !attr && !schemes[key] && !strings.Contains(key, ".") && !isKeyword(key) && key != ""
}

// String returns the combination in canonical syntax, in parentheses.
func (c *Combination) String() string {
	var b strings.Builder
	c.format(&b, false, false)
	return b.String()
}

func (c *Combination) format(b *strings.Builder, short bool, top bool) {
	if !top {
		b.WriteByte('(')
	}
	sep := " " + strings.ToUpper(string(c.Op)) + " "
	for i, child := range c.Children {
		if i > 0 {
			b.WriteString(sep)
		}
		child.format(b, short, false)
	}
	if !top {
		b.WriteByte(')')
	}
}

// simplify flattens nested combinations of the same operator, as the reference does before
// it stores or prints a query: `(a AND b) AND c` becomes `a AND b AND c`.
func simplify(n Node) Node {
	c, ok := n.(*Combination)
	if !ok {
		return n
	}
	var children []Node
	for _, child := range c.Children {
		s := simplify(child)
		if sc, ok := s.(*Combination); ok && sc.Op == c.Op {
			children = append(children, sc.Children...)
		} else {
			children = append(children, s)
		}
	}
	if len(children) == 1 {
		return children[0]
	}
	return &Combination{Op: c.Op, Children: children}
}

// walk calls fn for every condition under n, left to right.
func walk(n Node, fn func(*Condition)) {
	switch x := n.(type) {
	case *Condition:
		fn(x)
	case *Combination:
		for _, child := range x.Children {
			walk(child, fn)
		}
	}
}

// EscapeValue quotes s for use as a value in a query, as templates that build queries (the
// contact_query of send_broadcast and start_session) escape what they insert.
func EscapeValue(s string) string { return strconv.Quote(s) }
