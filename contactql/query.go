package contactql

import (
	"fmt"
	"strings"

	"careflow/expr"
)

// Parse parses a contact query and validates it against env and resolver: the environment
// gives the date format and timezone for date values, the default country for bare phone
// numbers and the URN redaction policy; the resolver gives field types and the groups and flows
// that may be named. With a nil resolver fields can be of any type and group and flow names are
// not checked, but such a query can't be evaluated. Every problem is returned as an *Error.
func Parse(env *expr.Environment, text string, resolver Resolver) (*Query, error) {
	if env == nil {
		env = expr.NewEnvironment(nil)
	}
	root, err := parseTree(env, text)
	if err != nil {
		return nil, err
	}
	return finish(env, root, resolver)
}

// finish bounds, validates, reads the values of and simplifies a query tree.
func finish(env *expr.Environment, root Node, resolver Resolver) (*Query, error) {
	n := 0
	walk(root, func(*Condition) { n++ })
	if n > MaxConditions {
		return nil, newError(ErrTooComplex, "query is too complex")
	}
	var verr *Error
	walk(root, func(c *Condition) {
		if verr == nil {
			verr = validate(env, resolver, c)
		}
	})
	if verr != nil {
		return nil, verr
	}
	if resolver != nil {
		walk(root, func(c *Condition) { readValue(env, resolver, c) })
	}
	return &Query{root: simplify(root), resolver: resolver, env: env}, nil
}

// Query is a parsed, validated contact query. It never changes once made, so one Query may be
// evaluated from many goroutines at once.
type Query struct {
	root     Node
	resolver Resolver
	env      *expr.Environment
}

// Root returns the query's top node.
func (q *Query) Root() Node { return q.root }

// Resolver returns the assets the query was validated against, or nil.
func (q *Query) Resolver() Resolver { return q.resolver }

// String returns the canonical form the reference stores and shows: conditions with
// normalised property names (`fields.` and `urns.` prefixes), operator aliases replaced, values
// quoted unless plain decimals, AND before OR with only the needed parentheses.
func (q *Query) String() string {
	var b strings.Builder
	q.root.format(&b, false, true)
	return b.String()
}

// Short returns the canonical form without type prefixes wherever the bare name would be read
// the same way: `age > 30 AND gender = "M"` (the form older reference versions stored).
func (q *Query) Short() string {
	var b strings.Builder
	q.root.format(&b, true, true)
	return b.String()
}

// GoString helps debugging output.
func (q *Query) GoString() string { return fmt.Sprintf("contactql.Query(%s)", q.String()) }
