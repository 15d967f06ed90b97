package contactql

import (
	"strconv"
	"strings"
	"time"

	"careflow/expr"

	"github.com/shopspring/decimal"
)

// nameTokenMax is how many characters of each name word take part in a contains match.
const nameTokenMax = 8

// Evaluate reports whether the contact matches the query. The query must have been parsed with
// a resolver (so every field has a type); otherwise Evaluate returns an *Error with code
// ErrUnresolved. Dates in the query were read in the environment given to Parse; env here is
// only a fallback for queries built by hand and may be nil.
func Evaluate(env *expr.Environment, contact Contact, q *Query) (bool, error) {
	if q == nil || q.resolver == nil {
		return false, newError(ErrUnresolved, "query must be parsed with assets to be evaluated")
	}
	if q.env != nil {
		env = q.env
	}
	if env == nil {
		env = expr.NewEnvironment(nil)
	}
	e := &evaluator{env: env, resolver: q.resolver, contact: contact}
	return e.node(q.root), nil
}

// Matches parses text against the resolver and evaluates it for the contact in one step.
// Parse errors are returned as they are; a contact never matches a broken query.
func Matches(env *expr.Environment, resolver Resolver, contact Contact, text string) (bool, error) {
	q, err := Parse(env, text, resolver)
	if err != nil {
		return false, err
	}
	return Evaluate(env, contact, q)
}

// InGroup reports whether a contact belongs in a query-based group whose query parsed to q
// (nil when it didn't parse): only active contacts are members, and a broken query has none.
func InGroup(contact Contact, q *Query) bool {
	if q == nil || contact.Status() != "active" {
		return false
	}
	in, err := Evaluate(nil, contact, q)
	return err == nil && in
}

type evaluator struct {
	env      *expr.Environment
	resolver Resolver
	contact  Contact
}

func (e *evaluator) node(n Node) bool {
	switch x := n.(type) {
	case *Condition:
		return e.condition(x)
	case *Combination:
		for _, child := range x.Children {
			if e.node(child) == (x.Op == Or) {
				return x.Op == Or
			}
		}
		return x.Op == And
	}
	return false
}

// condition applies one condition. A property can have several values (a contact's tel
// numbers, its groups): = and the comparisons match when any value does, != when none does.
// Against "" they test whether the property has a value at all.
func (e *evaluator) condition(c *Condition) bool {
	vals := e.values(c)
	if c.Value == "" && (c.Operator == OpEqual || c.Operator == OpNotEqual) {
		return (len(vals) == 0) == (c.Operator == OpEqual)
	}
	typ := valueType(e.resolver, c)
	if c.Type == PropertyAttribute {
		switch c.Key {
		case AttrGroup, AttrFlow, AttrHistory, AttrID:
			typ = "" // compared by identity, below
		}
	}
	anyTrue, all := false, true
	for _, v := range vals {
		if e.compare(c, typ, v) {
			anyTrue = true
		} else {
			all = false
		}
	}
	if c.Operator == OpNotEqual {
		return all
	}
	return anyTrue
}

// compare applies a condition to one value of the contact.
func (e *evaluator) compare(c *Condition, typ ValueType, v any) bool {
	switch typ {
	case TypeNumber:
		d, ok := v.(decimal.Decimal)
		q, err := c.num, error(nil)
		if !c.cached {
			q, err = parseNumber(c.Value)
		}
		return ok && err == nil && ordered(d.Cmp(q), c.Operator)
	case TypeDatetime:
		t, ok := v.(time.Time)
		q, err := c.date, error(nil)
		if !c.cached {
			q, err = parseDate(e.env, c.Value)
		}
		return ok && err == nil && dateMatches(t, q, c.Operator)
	case "":
		s, _ := v.(string)
		return identityMatches(e, c, s)
	}
	s, _ := v.(string)
	return textMatches(s, c.Value, c.Operator, c.Type == PropertyAttribute && c.Key == AttrName)
}

// ordered turns a three-way comparison into the operator's answer.
func ordered(cmp int, op Operator) bool {
	switch op {
	case OpEqual:
		return cmp == 0
	case OpNotEqual:
		return cmp != 0
	case OpGreater:
		return cmp > 0
	case OpGreaterOrEqual:
		return cmp >= 0
	case OpLess:
		return cmp < 0
	case OpLessOrEqual:
		return cmp <= 0
	}
	return false
}

// dateMatches compares an instant with the whole calendar day of the query date (in the zone
// the query was read in): = means during that day, > after its end, >= from its start, < before
// its start and <= before its end.
func dateMatches(t, q time.Time, op Operator) bool {
	start, end := dayRange(q)
	switch op {
	case OpEqual:
		return !t.Before(start) && t.Before(end)
	case OpNotEqual:
		return t.Before(start) || !t.Before(end)
	case OpGreater:
		return !t.Before(end)
	case OpGreaterOrEqual:
		return !t.Before(start)
	case OpLess:
		return t.Before(start)
	case OpLessOrEqual:
		return t.Before(end)
	}
	return false
}

// textMatches compares text without regard to case or surrounding space; ~ is a word-prefix
// match for names and a substring match for URN paths.
func textMatches(value, query string, op Operator, isName bool) bool {
	value = strings.ToLower(strings.TrimSpace(value))
	query = strings.ToLower(strings.TrimSpace(query))
	switch op {
	case OpEqual:
		return value == query
	case OpNotEqual:
		return value != query
	case OpContains:
		if isName {
			return prefixMatch(value, query, nameTokenMax)
		}
		return strings.Contains(value, query)
	}
	return false
}

// identityMatches compares the id, group, flow and history attributes, whose values are
// identifiers: ids as exact text, groups and flows by the UUID of the named asset.
func identityMatches(e *evaluator, c *Condition, v string) bool {
	var same bool
	switch c.Key {
	case AttrID:
		same = strings.TrimSpace(c.Value) == v // ids are looked up as document ids: exact text
	case AttrGroup:
		g := e.resolver.ResolveGroup(c.Value)
		same = g != nil && g.UUID == v
	case AttrFlow, AttrHistory:
		f := e.resolver.ResolveFlow(c.Value)
		same = f != nil && f.UUID == v
	}
	if c.Operator == OpNotEqual {
		return !same
	}
	return same
}

// values returns the contact's values for the condition's property.
func (e *evaluator) values(c *Condition) []any {
	ct := e.contact
	switch c.Type {
	case PropertyScheme:
		var out []any
		for _, u := range ct.URNs() {
			if u.Scheme == c.Key {
				out = append(out, u.Path)
			}
		}
		return out
	case PropertyField:
		f := e.resolver.ResolveField(c.Key)
		if f == nil {
			return nil
		}
		v, ok := ct.FieldValue(c.Key)
		if !ok {
			return nil
		}
		if x := v.forType(f.Type); x != nil {
			return []any{x}
		}
		return nil
	}
	return e.attributeValues(c.Key)
}

// attributeValues returns the values of a fixed attribute.
func (e *evaluator) attributeValues(key string) []any {
	ct := e.contact
	nonEmpty := func(s string) []any {
		if s == "" {
			return nil
		}
		return []any{s}
	}
	switch key {
	case AttrUUID:
		return nonEmpty(ct.UUID())
	case AttrID:
		if id := ct.ID(); id != 0 {
			return []any{strconv.FormatInt(id, 10)}
		}
	case AttrRef:
		if r, ok := ct.(RefContact); ok {
			return nonEmpty(r.Ref())
		}
	case AttrName:
		return nonEmpty(ct.Name())
	case AttrStatus:
		return nonEmpty(ct.Status())
	case AttrLanguage:
		return nonEmpty(ct.Language())
	case AttrURN:
		var out []any
		for _, u := range ct.URNs() {
			out = append(out, u.Path)
		}
		return out
	case AttrGroup:
		var out []any
		for _, g := range ct.Groups() {
			out = append(out, g.UUID)
		}
		return out
	case AttrFlow:
		if f, ok := ct.(FlowContact); ok {
			return nonEmpty(f.CurrentFlow())
		}
	case AttrHistory:
		if f, ok := ct.(FlowContact); ok {
			var out []any
			for _, uuid := range f.FlowHistory() {
				out = append(out, uuid)
			}
			return out
		}
	case AttrTickets:
		return []any{decimal.NewFromInt(int64(ct.OpenTickets()))}
	case AttrCreatedOn:
		return []any{ct.CreatedOn()}
	case AttrLastSeenOn:
		if t, ok := ct.LastSeenOn(); ok {
			return []any{t}
		}
	}
	return nil
}
