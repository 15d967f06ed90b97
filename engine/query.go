package engine

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"careflow/expr"

	"github.com/shopspring/decimal"
)

// Query is a parsed contact query (flows.md §9.7): conditions joined by AND/OR.
type Query struct {
	op    string // "and", "or" or "" for a condition
	items []*Query
	prop  string
	cmp   string
	value string
}

// ParseQuery parses a contact query.
func ParseQuery(q string) (*Query, error) {
	toks, err := lexQuery(q)
	if err != nil {
		return nil, err
	}
	p := &queryParser{toks: toks}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	return n, nil
}

type qtok struct {
	kind string // word, string, op, lparen, rparen
	text string
}

func lexQuery(q string) ([]qtok, error) {
	var toks []qtok
	rs := []rune(q)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(':
			toks = append(toks, qtok{"lparen", "("})
			i++
		case c == ')':
			toks = append(toks, qtok{"rparen", ")"})
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(rs) && rs[j] != '"' {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
				j++
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, qtok{"string", b.String()})
			i = j + 1
		case c == '=' || c == '!' || c == '<' || c == '>' || c == '~':
			j := i + 1
			if j < len(rs) && rs[j] == '=' {
				j++
			}
			op := string(rs[i:j])
			if op == "!" {
				return nil, fmt.Errorf("bad operator")
			}
			toks = append(toks, qtok{"op", op})
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("()=!<>~\"", rs[j]) {
				j++
			}
			toks = append(toks, qtok{"word", string(rs[i:j])})
			i = j
		}
	}
	return toks, nil
}

type queryParser struct {
	toks []qtok
	pos  int
}

func (p *queryParser) peek() *qtok {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

func (p *queryParser) isKeyword(kw string) bool {
	t := p.peek()
	return t != nil && t.kind == "word" && strings.EqualFold(t.text, kw)
}

func (p *queryParser) parseOr() (*Query, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	items := []*Query{left}
	for p.isKeyword("or") {
		p.pos++
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		items = append(items, right)
	}
	if len(items) == 1 {
		return left, nil
	}
	return &Query{op: "or", items: items}, nil
}

func (p *queryParser) parseAnd() (*Query, error) {
	left, err := p.parseAtom()
	if err != nil {
		return nil, err
	}
	items := []*Query{left}
	for {
		t := p.peek()
		if t == nil || t.kind == "rparen" || p.isKeyword("or") {
			break
		}
		if p.isKeyword("and") {
			p.pos++
		}
		right, err := p.parseAtom()
		if err != nil {
			return nil, err
		}
		items = append(items, right)
	}
	if len(items) == 1 {
		return left, nil
	}
	return &Query{op: "and", items: items}, nil
}

func (p *queryParser) parseAtom() (*Query, error) {
	t := p.peek()
	if t == nil {
		return nil, fmt.Errorf("unexpected end of query")
	}
	if t.kind == "lparen" {
		p.pos++
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != "rparen" {
			return nil, fmt.Errorf("missing )")
		}
		p.pos++
		return n, nil
	}
	if t.kind != "word" && t.kind != "string" {
		return nil, fmt.Errorf("unexpected %q", t.text)
	}
	p.pos++
	if op := p.peek(); op != nil && op.kind == "op" && t.kind == "word" {
		p.pos++
		v := p.peek()
		if v == nil || (v.kind != "word" && v.kind != "string") {
			return nil, fmt.Errorf("missing value")
		}
		p.pos++
		return &Query{prop: strings.ToLower(t.text), cmp: op.text, value: v.text}, nil
	}
	return &Query{prop: "", cmp: "~", value: t.text}, nil
}

// queryContext is what a query is evaluated against.
type queryContext struct {
	contact *Contact
	assets  *Assets
	env     *expr.Environment
}

// Matches evaluates the query for a contact. Unknown properties are errors (no match).
func (q *Query) matches(qc *queryContext) (bool, error) {
	switch q.op {
	case "and":
		for _, it := range q.items {
			ok, err := it.matches(qc)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "or":
		for _, it := range q.items {
			ok, err := it.matches(qc)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
		}
		return false, nil
	}
	return q.condition(qc)
}

func (q *Query) condition(qc *queryContext) (bool, error) {
	c := qc.contact
	prop := strings.TrimPrefix(q.prop, "fields.")
	if (prop == "urn" || schemesKnown[prop]) && qc.env != nil && qc.env.RedactionPolicy == expr.RedactionURNs {
		return false, fmt.Errorf("can't query URNs in a workspace where they are redacted")
	}
	switch prop {
	case "":
		vals := []string{c.Name}
		for _, u := range c.URNs {
			vals = append(vals, u.Path)
		}
		return compareTexts(vals, "~", q.value)
	case "name":
		return compareTexts(nonEmpty(c.Name), q.cmp, q.value)
	case "uuid":
		return compareTexts(nonEmpty(c.UUID), q.cmp, q.value)
	case "id":
		return compareTexts(nonEmpty(fmt.Sprint(c.ID)), q.cmp, q.value)
	case "status":
		return compareTexts(nonEmpty(c.Status), q.cmp, q.value)
	case "language":
		return compareTexts(nonEmpty(c.Language), q.cmp, q.value)
	case "urn":
		var vals []string
		for _, u := range c.URNs {
			vals = append(vals, u.Path)
		}
		return compareTexts(vals, q.cmp, q.value)
	case "group":
		var vals []string
		for _, g := range c.Groups {
			vals = append(vals, g.Name)
		}
		return compareTexts(vals, q.cmp, q.value)
	case "tickets":
		n := 0
		for _, t := range c.Tickets {
			if t.Status == "open" {
				n++
			}
		}
		return compareNumber(decimal.NewFromInt(int64(n)), q.cmp, q.value)
	case "created_on":
		return compareDate(qc, &c.CreatedOn, q.cmp, q.value)
	case "last_seen_on":
		return compareDate(qc, c.LastSeenOn, q.cmp, q.value)
	}
	if schemesKnown[prop] {
		var vals []string
		for _, u := range c.URNs {
			if u.Scheme == prop {
				vals = append(vals, u.Path)
			}
		}
		return compareTexts(vals, q.cmp, q.value)
	}
	f := qc.assets.Field(prop)
	if f == nil {
		return false, fmt.Errorf("can't resolve '%s' to attribute, scheme or field", prop)
	}
	fv := c.Fields[f.Key]
	switch f.Type {
	case "number":
		if q.value == "" {
			return presence(fv != nil && fv.Number != nil, q.cmp)
		}
		if fv == nil || fv.Number == nil {
			return q.cmp == "!=", nil
		}
		return compareNumber(*fv.Number, q.cmp, q.value)
	case "datetime":
		if fv == nil {
			return compareDate(qc, nil, q.cmp, q.value)
		}
		return compareDate(qc, fv.Datetime, q.cmp, q.value)
	case "state":
		return compareTexts(locationVals(fv, func(v *FieldValue) string { return v.State }), q.cmp, q.value)
	case "district":
		return compareTexts(locationVals(fv, func(v *FieldValue) string { return v.District }), q.cmp, q.value)
	case "ward":
		return compareTexts(locationVals(fv, func(v *FieldValue) string { return v.Ward }), q.cmp, q.value)
	}
	var vals []string
	if fv != nil && fv.Text != "" {
		vals = []string{fv.Text}
	}
	return compareTexts(vals, q.cmp, q.value)
}

func locationVals(fv *FieldValue, get func(*FieldValue) string) []string {
	if fv == nil || get(fv) == "" {
		return nil
	}
	p := get(fv)
	if i := strings.LastIndex(p, " > "); i >= 0 {
		p = p[i+3:]
	}
	return []string{p}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func presence(has bool, cmp string) (bool, error) {
	switch cmp {
	case "=":
		return !has, nil
	case "!=":
		return has, nil
	}
	return false, fmt.Errorf("can't check presence with %s", cmp)
}

func compareTexts(vals []string, cmp, value string) (bool, error) {
	if value == "" {
		return presence(len(vals) > 0, cmp)
	}
	lv := strings.ToLower(value)
	any := false
	for _, v := range vals {
		v = strings.ToLower(v)
		switch cmp {
		case "=", "!=":
			if v == lv {
				any = true
			}
		case "~":
			if strings.Contains(v, lv) {
				any = true
			}
		default:
			return false, fmt.Errorf("can't compare text with %s", cmp)
		}
	}
	if cmp == "!=" {
		return !any, nil
	}
	return any, nil
}

func compareNumber(n decimal.Decimal, cmp, value string) (bool, error) {
	v, err := decimal.NewFromString(value)
	if err != nil {
		return false, fmt.Errorf("can't convert '%s' to a number", value)
	}
	c := n.Cmp(v)
	switch cmp {
	case "=":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	}
	return false, fmt.Errorf("can't compare numbers with %s", cmp)
}

func compareDate(qc *queryContext, t *time.Time, cmp, value string) (bool, error) {
	if value == "" {
		return presence(t != nil, cmp)
	}
	d, err := expr.ToDate(qc.env, expr.Text(value))
	if err != nil {
		return false, fmt.Errorf("can't convert '%s' to a date", value)
	}
	if t == nil {
		return cmp == "!=", nil
	}
	loc := qc.env.Timezone
	if loc == nil {
		loc = time.UTC
	}
	day := expr.DateOf(t.In(loc))
	a, b := day.String(), d.String()
	switch cmp {
	case "=":
		return a == b, nil
	case "!=":
		return a != b, nil
	case ">":
		return a > b, nil
	case ">=":
		return a >= b, nil
	case "<":
		return a < b, nil
	case "<=":
		return a <= b, nil
	}
	return false, fmt.Errorf("can't compare dates with %s", cmp)
}
