package engine

import (
	"sync"
	"time"

	"careflow/contactql"
	"careflow/expr"
)

// qlContact lets the contact query language read an engine contact.
type qlContact struct{ c *Contact }

var _ contactql.Contact = qlContact{}

func (q qlContact) UUID() string         { return q.c.UUID }
func (q qlContact) ID() int64            { return q.c.ID }
func (q qlContact) Name() string         { return q.c.Name }
func (q qlContact) Language() string     { return q.c.Language }
func (q qlContact) Status() string       { return q.c.Status }
func (q qlContact) CreatedOn() time.Time { return q.c.CreatedOn }

func (q qlContact) LastSeenOn() (time.Time, bool) {
	if q.c.LastSeenOn == nil {
		return time.Time{}, false
	}
	return *q.c.LastSeenOn, true
}

func (q qlContact) URNs() []contactql.URN {
	out := make([]contactql.URN, len(q.c.URNs))
	for i, u := range q.c.URNs {
		out[i] = contactql.URN{Scheme: u.Scheme, Path: u.Path}
	}
	return out
}

func (q qlContact) Groups() []contactql.GroupRef {
	out := make([]contactql.GroupRef, len(q.c.Groups))
	for i, g := range q.c.Groups {
		out[i] = contactql.GroupRef{UUID: g.UUID, Name: g.Name}
	}
	return out
}

func (q qlContact) FieldValue(key string) (contactql.FieldValue, bool) {
	v := q.c.Fields[key]
	if v == nil {
		return contactql.FieldValue{}, false
	}
	return contactql.FieldValue(*v), true
}

func (q qlContact) OpenTickets() int {
	n := 0
	for _, t := range q.c.Tickets {
		if t.Status == "open" {
			n++
		}
	}
	return n
}

// queryAssets is the resolver the contact query language uses over the assets.
type queryAssets struct {
	once sync.Once
	res  *contactql.Assets
}

func (a *Assets) queryResolver() *contactql.Assets {
	a.ql.once.Do(func() {
		res := &contactql.Assets{}
		for _, f := range a.Fields {
			res.Fields = append(res.Fields, &contactql.Field{UUID: f.UUID, Key: f.Key, Name: f.Name, Type: contactql.ValueType(f.Type)})
		}
		for _, g := range a.Groups {
			res.Groups = append(res.Groups, &contactql.Group{UUID: g.UUID, Name: g.Name, Query: g.Query})
		}
		for _, id := range a.flowOrder {
			if f, err := a.Flow(id); err == nil {
				res.Flows = append(res.Flows, &contactql.Flow{UUID: string(f.UUID), Name: f.Name})
			}
		}
		a.ql.res = res
	})
	return a.ql.res
}

// smartGroups parses the query-based groups for an environment.
func (a *Assets) smartGroups(env *expr.Environment) []*contactql.SmartGroup {
	r := a.queryResolver()
	var groups []*contactql.Group
	for _, g := range r.Groups {
		if g.Query != "" {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	return contactql.ParseSmartGroups(env, groups, r)
}
