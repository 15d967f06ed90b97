package contactql

import (
	"slices"
	"sort"
)

// FieldRef names a field a query uses.
type FieldRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Inspection is what a query refers to, as the reference reports it for the API and for
// deciding whether a query may define a group.
type Inspection struct {
	Attributes []string   `json:"attributes"`
	Schemes    []string   `json:"schemes"`
	Fields     []FieldRef `json:"fields"`
	Groups     []GroupRef `json:"groups"` // without assets only Name is known
	// AllowAsGroup is false when the query uses id, ref, status, group, flow or history, which
	// change without the contact changing and so can't define a query-based group.
	AllowAsGroup bool `json:"allow_as_group"`
}

// Inspect lists the attributes (sorted), schemes (sorted), fields and groups (in order of first
// use) that the query refers to.
func Inspect(q *Query) *Inspection {
	attrs := map[string]bool{}
	scheme := map[string]bool{}
	in := &Inspection{Attributes: []string{}, Schemes: []string{}, Fields: []FieldRef{}, Groups: []GroupRef{}}
	seenField, seenGroup := map[string]bool{}, map[string]bool{}
	walk(q.root, func(c *Condition) {
		switch c.Type {
		case PropertyAttribute:
			attrs[c.Key] = true
			if c.Key != AttrGroup || c.Value == "" {
				return
			}
			ref := GroupRef{Name: c.Value}
			if q.resolver != nil {
				if g := q.resolver.ResolveGroup(c.Value); g != nil {
					ref = GroupRef{UUID: g.UUID, Name: g.Name}
				}
			}
			if !seenGroup[ref.UUID+"|"+ref.Name] {
				seenGroup[ref.UUID+"|"+ref.Name] = true
				in.Groups = append(in.Groups, ref)
			}
		case PropertyScheme:
			scheme[c.Key] = true
		case PropertyField:
			ref := FieldRef{Key: c.Key}
			if q.resolver != nil {
				if f := q.resolver.ResolveField(c.Key); f != nil {
					ref.Name = f.Name
				}
			}
			if !seenField[ref.Key] {
				seenField[ref.Key] = true
				in.Fields = append(in.Fields, ref)
			}
		}
	})
	for a := range attrs {
		in.Attributes = append(in.Attributes, a)
	}
	for s := range scheme {
		in.Schemes = append(in.Schemes, s)
	}
	sort.Strings(in.Attributes)
	sort.Strings(in.Schemes)
	in.AllowAsGroup = !slices.ContainsFunc(in.Attributes, func(a string) bool {
		switch a {
		case AttrID, AttrRef, AttrStatus, AttrGroup, AttrFlow, AttrHistory:
			return true
		}
		return false
	})
	return in
}
