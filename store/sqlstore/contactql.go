package sqlstore

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"careflow/contactql"
)

// A contact query becomes two SQL conditions over a contacts row: sure holds only for
// contacts that match, maybe for every contact that matches (and perhaps a few more). Where
// SQL answers exactly as contactql.Evaluate does the two are the same; where it can't — text
// that isn't printable ASCII (Go folds Unicode case, SQL here folds ASCII only), numbers on
// SQLite (binary floating point), datetimes within two seconds of a day boundary on SQLite,
// location paths — the contacts maybe selects but sure doesn't are evaluated in Go by the
// caller, so results are always Evaluate's.
type qlPred struct{ sure, maybe string }

const (
	sqlTrue  = "(1=1)"
	sqlFalse = "(1=0)"
)

func qlExact(s string) qlPred { return qlPred{s, s} }

func (p qlPred) not() qlPred {
	return qlPred{sure: "(NOT " + p.maybe + ")", maybe: "(NOT " + p.sure + ")"}
}

func qlJoin(op string, ps ...qlPred) qlPred {
	var sure, maybe []string
	for _, p := range ps {
		sure, maybe = append(sure, p.sure), append(maybe, p.maybe)
	}
	return qlPred{"(" + strings.Join(sure, " "+op+" ") + ")", "(" + strings.Join(maybe, " "+op+" ") + ")"}
}

// qlBuilder translates one query; args collects its parameters, after the ones already there.
type qlBuilder struct {
	pg     bool
	uc     uuidCodec
	q      *contactql.Query
	groups map[string]int64
	args   []any
	ws     string
}

func (b *qlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

// typed casts a parameter where PostgreSQL can't infer its type.
func (b *qlBuilder) typed(v any, pgType string) string {
	if b.pg {
		return b.arg(v) + "::" + pgType
	}
	return b.arg(v)
}

func (b *qlBuilder) node(n contactql.Node) qlPred {
	switch x := n.(type) {
	case *contactql.Condition:
		return b.condition(x)
	case *contactql.Combination:
		ps := make([]qlPred, len(x.Children))
		for i, c := range x.Children {
			ps[i] = b.node(c)
		}
		if x.Op == contactql.Or {
			return qlJoin("OR", ps...)
		}
		return qlJoin("AND", ps...)
	}
	return qlPred{sqlFalse, sqlTrue}
}

// condition translates one condition. Whatever the property, != is the negation of =: a
// property with several values matches != when none of them equals the value.
func (b *qlBuilder) condition(c *contactql.Condition) qlPred {
	switch {
	case c.Value == "" && c.Operator == contactql.OpEqual:
		return b.isSet(c).not()
	case c.Value == "" && c.Operator == contactql.OpNotEqual:
		return b.isSet(c)
	case c.Operator == contactql.OpNotEqual:
		return b.positive(c, contactql.OpEqual).not()
	}
	return b.positive(c, c.Operator)
}

// isSet is whether the contact has a value for the condition's property.
func (b *qlBuilder) isSet(c *contactql.Condition) qlPred {
	switch c.Type {
	case contactql.PropertyScheme:
		lo, hi := b.schemeRange(c.Key)
		return qlExact(`contacts.id IN (SELECT contact_id FROM contact_urns WHERE workspace_id = ` + b.ws + lo + hi + `)`)
	case contactql.PropertyField:
		return b.fieldIsSet(c)
	}
	switch c.Key {
	case contactql.AttrName:
		return qlExact(`contacts.name <> ''`)
	case contactql.AttrLanguage:
		return qlExact(`contacts.language <> ''`)
	case contactql.AttrURN:
		return qlExact(`contacts.id IN (SELECT contact_id FROM contact_urns WHERE workspace_id = ` + b.ws + `)`)
	case contactql.AttrGroup:
		if len(b.groups) == 0 {
			return qlExact(sqlFalse)
		}
		ids := make([]string, 0, len(b.groups))
		for _, id := range b.groups {
			ids = append(ids, b.arg(id))
		}
		return qlExact(`contacts.id IN (SELECT contact_id FROM group_members WHERE group_id IN (` + strings.Join(ids, ", ") + `))`)
	case contactql.AttrFlow:
		return qlExact(`contacts.current_flow_uuid <> ''`)
	case contactql.AttrLastSeenOn:
		return qlExact(`contacts.last_seen_on <> 0`)
	case contactql.AttrHistory, contactql.AttrRef:
		// the host's contacts have no flow history or reference (see docs/web.md)
		return qlExact(sqlFalse)
	}
	return qlPred{sqlFalse, sqlTrue} // not a valid set check: Go decides
}

// positive translates =, ~ and the comparisons.
func (b *qlBuilder) positive(c *contactql.Condition, op contactql.Operator) qlPred {
	switch c.Type {
	case contactql.PropertyScheme:
		return b.urn(c.Key, op, c.Value)
	case contactql.PropertyField:
		return b.field(c, op)
	}
	switch c.Key {
	case contactql.AttrUUID:
		return b.uuid(c.Value)
	case contactql.AttrID:
		v := strings.TrimSpace(c.Value)
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n != 0 && strconv.FormatInt(n, 10) == v {
			return qlExact(`contacts.id = ` + b.typed(n, "bigint"))
		}
		return qlExact(sqlFalse)
	case contactql.AttrName:
		if op == contactql.OpContains {
			return b.nameContains(c.Value)
		}
		return b.nameEqual(c.Value)
	case contactql.AttrStatus:
		return b.textEqual(`contacts.status`, c.Value)
	case contactql.AttrLanguage:
		return b.textEqual(`contacts.language`, c.Value)
	case contactql.AttrURN:
		return b.urn("", op, c.Value)
	case contactql.AttrGroup:
		if g := b.q.Resolver().ResolveGroup(c.Value); g != nil {
			if id, ok := b.groups[g.UUID]; ok {
				return qlExact(`contacts.id IN (SELECT contact_id FROM group_members WHERE group_id = ` + b.typed(id, "bigint") + `)`)
			}
		}
		return qlExact(sqlFalse)
	case contactql.AttrFlow:
		if f := b.q.Resolver().ResolveFlow(c.Value); f != nil {
			return qlExact(`contacts.current_flow_uuid = ` + b.arg(b.uc.id(f.UUID)))
		}
		return qlExact(sqlFalse)
	case contactql.AttrHistory, contactql.AttrRef:
		return qlExact(sqlFalse)
	case contactql.AttrTickets:
		// tickets aren't stored: every contact has none open
		if n, ok := c.NumberValue(); ok {
			if contactql.CompareNumbers(zeroDecimal, n, op) {
				return qlExact(sqlTrue)
			}
			return qlExact(sqlFalse)
		}
	case contactql.AttrCreatedOn:
		return b.msDate(`contacts.created_on`, qlExact(sqlTrue), c, op)
	case contactql.AttrLastSeenOn:
		return b.msDate(`contacts.last_seen_on`, qlExact(`contacts.last_seen_on <> 0`), c, op)
	}
	return qlPred{sqlFalse, sqlTrue}
}

// plainText reports whether s is printable ASCII, where SQL's trim and lower-casing (ASCII
// only here, on both backends) agree with Go's TrimSpace and ToLower.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func (b *qlBuilder) plain(expr string) string { return `(NOT ` + b.odd(expr) + `)` }

// odd is true for text with anything but printable ASCII in it. The partial index
// contacts_name_odd lists the names it is true for, so this exact SQL must stay in step with
// the migration.
func (b *qlBuilder) odd(expr string) string {
	if b.pg {
		return `(` + expr + ` COLLATE "C" ~ '[^ -~]')`
	}
	return `(` + expr + ` GLOB '*[^ -~]*')`
}

// oddIdentity is true for URN identities that aren't kept as queries compare them: with
// spaces, capitals or anything but printable ASCII (index contact_urns_odd).
func (b *qlBuilder) oddIdentity() string {
	if b.pg {
		return `(identity COLLATE "C" ~ '[^!-~]|[A-Z]')`
	}
	return `(identity GLOB '*[^!-~]*' OR identity GLOB '*[A-Z]*')`
}

func (b *qlBuilder) lower(expr string) string {
	if b.pg {
		return `lower(` + expr + ` COLLATE "C")`
	}
	return `lower(` + expr + `)`
}

func (b *qlBuilder) instr(hay, needle string) string {
	if b.pg {
		return `strpos(` + hay + `, ` + needle + `)`
	}
	return `instr(` + hay + `, ` + needle + `)`
}

func coalesce(expr string) string { return `COALESCE(` + expr + `, ` + sqlFalse + `)` }

// textEqual compares a text value (NULL or empty for none) with a query value as Evaluate does:
// trimmed, without regard to case.
func (b *qlBuilder) textEqual(expr, value string) qlPred {
	nq := contactql.NormalText(value)
	if !plainText(nq) {
		return qlPred{sqlFalse, coalesce(`NOT ` + b.plain(expr))}
	}
	p := b.typed(nq, "text")
	low := b.lower(`trim(` + expr + `)`)
	return qlPred{
		sure:  coalesce(expr + ` <> '' AND ` + b.plain(expr) + ` AND ` + low + ` = ` + p),
		maybe: coalesce(low + ` = ` + p + ` OR NOT ` + b.plain(expr)),
	}
}

// textContains is a substring match on a trimmed value without regard to case (URN paths).
func (b *qlBuilder) textContains(expr, value string) qlPred {
	nq := contactql.NormalText(value)
	if !plainText(nq) {
		return qlPred{sqlFalse, coalesce(`NOT ` + b.plain(expr))}
	}
	in := b.instr(b.lower(`trim(`+expr+`)`), b.typed(nq, "text")) + ` > 0`
	return qlPred{sure: coalesce(b.plain(expr) + ` AND ` + in), maybe: coalesce(in + ` OR NOT ` + b.plain(expr))}
}

var asciiWord = regexp.MustCompile(`^[a-z0-9_]+$`)

// nameContains is `name ~ value`: a word of the name starts with a word of the value. SQL is
// sure of a match when the name is plain and the token follows a space (or starts the name);
// any name containing the token may match.
func (b *qlBuilder) nameContains(value string) qlPred {
	var sure, maybe []string
	low := b.lower(`contacts.name`)
	for _, t := range contactql.NameSearchTokens(value) {
		if !plainText(t) {
			continue
		}
		maybe = append(maybe, b.instr(low, b.typed(t, "text"))+` > 0`)
		if asciiWord.MatchString(t) {
			sure = append(sure, b.instr(`' ' || `+low, b.typed(" "+t, "text"))+` > 0`)
		}
	}
	maybe = append(maybe, `NOT `+b.plain(`contacts.name`))
	p := qlPred{sure: sqlFalse, maybe: coalesce(strings.Join(maybe, " OR "))}
	if len(sure) > 0 {
		p.sure = coalesce(b.plain(`contacts.name`) + ` AND (` + strings.Join(sure, " OR ") + `)`)
	}
	return p
}

// schemeRange bounds identities to one scheme's ("tel:" ≤ identity < "tel;"), which the
// primary key of contact_urns serves.
func (b *qlBuilder) schemeRange(scheme string) (string, string) {
	return ` AND identity >= ` + b.typed(scheme+":", "text"), ` AND identity < ` + b.typed(scheme+";", "text")
}

// urn matches the paths of the contact's URNs of a scheme ("" for any).
func (b *qlBuilder) urn(scheme string, op contactql.Operator, value string) qlPred {
	from := `SELECT contact_id FROM contact_urns WHERE workspace_id = ` + b.ws
	path := `substr(identity, ` + strconv.Itoa(len(scheme)+2) + `)`
	if scheme != "" {
		if op == contactql.OpEqual {
			return b.urnEqual(scheme, value)
		}
		lo, hi := b.schemeRange(scheme)
		from += lo + hi
	} else {
		path = `substr(identity, ` + b.instr(`identity`, `':'`) + ` + 1)`
	}
	var row qlPred
	switch op {
	case contactql.OpEqual:
		row = b.textEqual(path, value)
	case contactql.OpContains:
		row = b.textContains(path, value)
	default:
		return qlExact(sqlFalse)
	}
	p := qlPred{sure: sqlFalse, maybe: `contacts.id IN (` + from + ` AND ` + row.maybe + `)`}
	if row.sure != sqlFalse {
		p.sure = `contacts.id IN (` + from + ` AND ` + row.sure + `)`
	}
	return p
}

// urnEqual is `scheme = value`. An identity without spaces, capitals or anything but
// printable ASCII matches only when it is exactly scheme:value (trimmed and lower-cased), one
// primary key entry; the others are listed by the partial index contact_urns_odd and compared
// one by one.
func (b *qlBuilder) urnEqual(scheme, value string) qlPred {
	from := `SELECT contact_id FROM contact_urns WHERE workspace_id = ` + b.ws
	path := `substr(identity, ` + strconv.Itoa(len(scheme)+2) + `)`
	odd := from + ` AND ` + b.oddIdentity() + ` AND substr(identity, 1, ` + strconv.Itoa(len(scheme)+1) + `) = ` + b.typed(scheme+":", "text")
	nq := contactql.NormalText(value)
	row := b.textEqual(path, value)
	if !plainText(nq) {
		return qlPred{sure: sqlFalse, maybe: `contacts.id IN (` + odd + ` AND ` + row.maybe + `)`}
	}
	exact := from + ` AND identity = ` + b.typed(scheme+":"+nq, "text")
	return qlPred{
		sure:  `contacts.id IN (` + exact + `)`,
		maybe: `contacts.id IN (` + exact + ` UNION ALL ` + odd + ` AND ` + row.maybe + `)`,
	}
}

// nameEqual is `name = value`: the index contacts_name finds plain names, and the few others
// (contacts_name_odd) are left to Go.
func (b *qlBuilder) nameEqual(value string) qlPred {
	odd := `SELECT id FROM contacts WHERE workspace_id = ` + b.ws + ` AND ` + b.odd(`name`)
	p := b.textEqual(`contacts.name`, value)
	nq := contactql.NormalText(value)
	if !plainText(nq) {
		return qlPred{sure: sqlFalse, maybe: `contacts.id IN (` + odd + `)`}
	}
	indexed := `SELECT id FROM contacts WHERE workspace_id = ` + b.ws + ` AND ` + b.lower(`trim(name)`) + ` = ` + b.typed(nq, "text")
	return qlPred{sure: p.sure, maybe: `contacts.id IN (` + indexed + ` UNION ALL ` + odd + `)`}
}

// uuid compares the contact's UUID. SQLite keeps canonical UUIDs as 16-byte blobs, so only a
// value that is a canonical UUID once trimmed and lower-cased can match one of those; a UUID
// kept as text (not canonical) is left to Go.
func (b *qlBuilder) uuid(value string) qlPred {
	if !b.uc {
		return b.textEqual(`contacts.uuid`, value)
	}
	other := `typeof(contacts.uuid) = 'text'`
	if id, ok := b.uc.id(contactql.NormalText(value)).([]byte); ok {
		sure := `contacts.uuid = ` + b.arg(id)
		return qlPred{sure: sure, maybe: `(` + sure + ` OR ` + other + `)`}
	}
	return qlPred{sqlFalse, other}
}

// msDate compares a time kept in milliseconds with the day of a date condition, exactly.
func (b *qlBuilder) msDate(col string, present qlPred, c *contactql.Condition, op contactql.Operator) qlPred {
	start, end, ok := c.DayRange()
	if !ok {
		return qlPred{sqlFalse, sqlTrue}
	}
	ge := func(t time.Time) qlPred { return qlExact(col + ` >= ` + b.typed(t.UnixMilli(), "bigint")) }
	return dayCondition(present, ge, start, end, op)
}

// dayCondition composes a date condition from ge, "at or after" an instant, applied to the
// day's start and end (the next midnight): = is within the day, > from its end, >= from its
// start, < before its start, <= before its end. ge is called only for the bounds used, so no
// parameter goes unused (PostgreSQL can't type those).
func dayCondition(present qlPred, ge func(time.Time) qlPred, start, end time.Time, op contactql.Operator) qlPred {
	switch op {
	case contactql.OpEqual:
		return qlJoin("AND", present, ge(start), ge(end).not())
	case contactql.OpGreater:
		return qlJoin("AND", present, ge(end))
	case contactql.OpGreaterOrEqual:
		return qlJoin("AND", present, ge(start))
	case contactql.OpLess:
		return qlJoin("AND", present, ge(start).not())
	case contactql.OpLessOrEqual:
		return qlJoin("AND", present, ge(end).not())
	}
	return qlExact(sqlFalse)
}

// numberSlack widens SQLite's floating-point comparisons far beyond any rounding error of a
// 36-digit decimal read as a double; values within it of the query value are left to Go.
func numberSlack(f float64) float64 { return 1e-9 * math.Max(math.Abs(f), 1) }
