package contactql

import (
	"strings"

	"careflow/expr"
)

// NewCondition returns a condition for building queries in code, such as the runtime's flow
// start query `(group = "A" OR uuid = "…" OR <user query>) AND status = "active"`. The key is
// lower-cased as the parser would.
func NewCondition(typ PropertyType, key string, op Operator, value string) *Condition {
	return &Condition{Type: typ, Key: strings.ToLower(key), Operator: op, Value: value}
}

// NewCombination joins nodes with AND or OR. Nil children are skipped, so optional parts can
// be passed as they are; a parsed query's part is its Root.
func NewCombination(op BoolOp, children ...Node) *Combination {
	c := &Combination{Op: op}
	for _, n := range children {
		if n != nil && !isNilNode(n) {
			c.Children = append(c.Children, n)
		}
	}
	return c
}

// isNilNode reports whether n is a typed nil pointer.
func isNilNode(n Node) bool {
	switch x := n.(type) {
	case *Condition:
		return x == nil
	case *Combination:
		return x == nil
	}
	return false
}

// Build validates a query built in code exactly as Parse validates parsed text (same errors,
// same limits), then simplifies it: combinations left with one child become that child and
// nested combinations of the same operator are flattened. A tree with no conditions is an
// ErrSyntax error.
func Build(env *expr.Environment, root Node, resolver Resolver) (*Query, error) {
	if env == nil {
		env = expr.NewEnvironment(nil)
	}
	if tooDeepTree(root, MaxDepth) {
		return nil, newError(ErrTooComplex, "query is too complex")
	}
	root = prune(root)
	if root == nil {
		return nil, newError(ErrSyntax, "query is empty")
	}
	return finish(env, root, resolver)
}

// prune drops empty combinations (and nil children) from a built tree, copying what it keeps
// so the caller's nodes are never shared with the query.
func prune(n Node) Node {
	switch x := n.(type) {
	case *Condition:
		if x == nil {
			return nil
		}
		c := *x
		return &c
	case *Combination:
		if x == nil {
			return nil
		}
		out := &Combination{Op: x.Op}
		for _, child := range x.Children {
			if p := prune(child); p != nil {
				out.Children = append(out.Children, p)
			}
		}
		switch len(out.Children) {
		case 0:
			return nil
		case 1:
			return out.Children[0]
		}
		return out
	}
	return nil
}

// tooDeepTree reports whether combinations nest more than max levels deep, without recursing
// further than that.
func tooDeepTree(n Node, max int) bool {
	c, ok := n.(*Combination)
	if !ok || c == nil {
		return false
	}
	if max < 0 {
		return true
	}
	for _, child := range c.Children {
		if tooDeepTree(child, max-1) {
			return true
		}
	}
	return false
}
