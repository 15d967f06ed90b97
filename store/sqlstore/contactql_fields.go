package sqlstore

import (
	"math"
	"regexp"
	"time"

	"careflow/contactql"

	"github.com/shopspring/decimal"
)

var zeroDecimal = decimal.Zero

// fieldKey matches the keys fields can have; the key goes into a JSON path, so anything else
// is left to Go.
var fieldKey = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// fieldValue is the SQL for one part (text, number, datetime, state, …) of a field's value in
// contacts.fields, NULL when it isn't there, and for its JSON type.
func (b *qlBuilder) fieldValue(key, part string) (value, typ string) {
	if b.pg {
		k := b.typed(key, "text")
		j := `(NULLIF(contacts.fields, '')::jsonb -> ` + k + `)`
		return j + ` ->> '` + part + `'`, `jsonb_typeof(` + j + ` -> '` + part + `')`
	}
	p := b.typed(`$."`+key+`".`+part, "text")
	return `json_extract(NULLIF(contacts.fields, ''), ` + p + `)`, `json_type(NULLIF(contacts.fields, ''), ` + p + `)`
}

func (b *qlBuilder) fieldIsSet(c *contactql.Condition) qlPred {
	if !fieldKey.MatchString(c.Key) {
		return qlPred{sqlFalse, sqlTrue}
	}
	switch t := b.q.TypeOf(c); t {
	case contactql.TypeText, contactql.TypeState, contactql.TypeDistrict, contactql.TypeWard:
		v, _ := b.fieldValue(c.Key, string(t))
		return qlExact(`COALESCE(` + v + `, '') <> ''`)
	case contactql.TypeNumber, contactql.TypeDatetime:
		_, typ := b.fieldValue(c.Key, string(t))
		return qlExact(`COALESCE(` + typ + `, 'null') <> 'null'`)
	}
	return qlExact(sqlFalse) // an unknown field has no values
}

func (b *qlBuilder) field(c *contactql.Condition, op contactql.Operator) qlPred {
	if !fieldKey.MatchString(c.Key) {
		return qlPred{sqlFalse, sqlTrue}
	}
	switch t := b.q.TypeOf(c); t {
	case contactql.TypeText:
		v, _ := b.fieldValue(c.Key, "text")
		if op != contactql.OpEqual {
			return qlExact(sqlFalse)
		}
		return b.textEqual(v, c.Value)
	case contactql.TypeState, contactql.TypeDistrict, contactql.TypeWard:
		// a location path ("Rwanda > Kigali") is compared by its last part: Go decides those
		v, _ := b.fieldValue(c.Key, string(t))
		if op != contactql.OpEqual {
			return qlExact(sqlFalse)
		}
		p := b.textEqual(v, c.Value)
		path := coalesce(b.instr(v, `'>'`) + ` > 0`)
		return qlPred{sure: `(` + p.sure + ` AND NOT ` + path + `)`, maybe: `(` + p.maybe + ` OR ` + path + `)`}
	case contactql.TypeNumber:
		return b.number(c, op)
	case contactql.TypeDatetime:
		return b.datetime(c, op)
	}
	return qlExact(sqlFalse)
}

func sqlOp(op contactql.Operator) string {
	if op == contactql.OpEqual {
		return "="
	}
	return string(op)
}

// number compares a number field. PostgreSQL compares numerics, exactly; SQLite compares
// doubles, so it is sure only beyond a slack around the value (or when both are integers), and
// leaves values within the slack, and numbers kept as JSON strings, to Go.
func (b *qlBuilder) number(c *contactql.Condition, op contactql.Operator) qlPred {
	q, ok := c.NumberValue()
	if !ok {
		return qlPred{sqlFalse, sqlTrue}
	}
	if b.pg {
		v, typ := b.fieldValue(c.Key, "number")
		cmp := coalesce(`CASE WHEN ` + typ + ` = 'number' THEN (` + v + `)::numeric END ` + sqlOp(op) + ` ` + b.typed(q.String(), "numeric"))
		return qlPred{sure: cmp, maybe: `(` + cmp + ` OR ` + coalesce(typ+` = 'string'`) + `)`}
	}
	v, typ := b.fieldValue(c.Key, "number")
	f := q.InexactFloat64()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return qlPred{sqlFalse, sqlTrue}
	}
	lo, hi := b.arg(f-numberSlack(f)), b.arg(f+numberSlack(f))
	num := typ + ` IN ('integer', 'real')`
	var sure, maybe string
	switch op {
	case contactql.OpEqual:
		sure, maybe = sqlFalse, num+` AND `+v+` >= `+lo+` AND `+v+` <= `+hi
	case contactql.OpGreater, contactql.OpGreaterOrEqual:
		sure, maybe = num+` AND `+v+` > `+hi, num+` AND `+v+` >= `+lo
	case contactql.OpLess, contactql.OpLessOrEqual:
		sure, maybe = num+` AND `+v+` < `+lo, num+` AND `+v+` <= `+hi
	default:
		return qlExact(sqlFalse)
	}
	if q.IsInteger() && q.Abs().LessThan(decimal.New(1, 18)) {
		sure = `(` + sure + `) OR (` + typ + ` = 'integer' AND ` + v + ` ` + sqlOp(op) + ` ` + b.arg(q.IntPart()) + `)`
	}
	return qlPred{sure: coalesce(sure), maybe: coalesce(maybe + ` OR ` + typ + ` = 'text'`)}
}

// datetime compares a datetime field with the day of the condition's date. PostgreSQL reads
// the stored RFC 3339 text as a timestamptz, exactly; SQLite's unixepoch() is within a second
// of it, so values within two seconds of the day's boundaries are left to Go, as are values
// it can't read.
func (b *qlBuilder) datetime(c *contactql.Condition, op contactql.Operator) qlPred {
	start, end, ok := c.DayRange()
	if !ok {
		return qlPred{sqlFalse, sqlTrue}
	}
	v, typ := b.fieldValue(c.Key, "datetime")
	if b.pg {
		t := `(CASE WHEN ` + v + ` ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$' THEN (` + v + `)::timestamptz END)`
		ge := func(at time.Time) qlPred {
			return qlExact(coalesce(t + ` >= to_timestamp(` + b.typed(at.Unix(), "bigint") + `)`))
		}
		p := dayCondition(qlExact(t+` IS NOT NULL`), ge, start, end, op)
		odd := coalesce(typ + ` = 'string' AND ` + t + ` IS NULL`)
		return qlPred{sure: p.sure, maybe: `(` + p.maybe + ` OR ` + odd + `)`}
	}
	t := `unixepoch(` + v + `)`
	ge := func(at time.Time) qlPred {
		return qlPred{sure: coalesce(t + ` >= ` + b.arg(at.Unix()+2)), maybe: coalesce(t + ` >= ` + b.arg(at.Unix()))}
	}
	p := dayCondition(qlExact(coalesce(t+` IS NOT NULL`)), ge, start, end, op)
	odd := coalesce(typ + ` = 'text' AND ` + t + ` IS NULL`)
	return qlPred{sure: p.sure, maybe: `(` + p.maybe + ` OR ` + odd + `)`}
}
