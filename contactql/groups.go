package contactql

import "careflow/expr"

// SmartGroup is a query-based group with its query parsed for one environment. Query is nil
// and Err says why when the query doesn't parse; such a group has no members.
type SmartGroup struct {
	UUID  string
	Name  string
	Query *Query
	Err   error
}

// ParseSmartGroups parses the query of every query-based group in groups (others are
// skipped), keeping their order. Parse once per environment and reuse the result for every
// re-evaluation in that environment.
func ParseSmartGroups(env *expr.Environment, groups []*Group, resolver Resolver) []*SmartGroup {
	var out []*SmartGroup
	for _, g := range groups {
		if g == nil || g.Query == "" {
			continue
		}
		q, err := Parse(env, g.Query, resolver)
		out = append(out, &SmartGroup{UUID: g.UUID, Name: g.Name, Query: q, Err: err})
	}
	return out
}

// Reevaluate works out how the contact's memberships of the query-based groups must change:
// added are the groups it now qualifies for but isn't in, removed those it is in but no longer
// qualifies for, both in the order of groups, as the reference reports them in
// contact_groups_changed. Only active contacts qualify for any group.
func Reevaluate(contact Contact, groups []*SmartGroup) (added, removed []GroupRef) {
	in := map[string]bool{}
	for _, g := range contact.Groups() {
		in[g.UUID] = true
	}
	for _, g := range groups {
		member := InGroup(contact, g.Query)
		switch {
		case member && !in[g.UUID]:
			added = append(added, GroupRef{UUID: g.UUID, Name: g.Name})
		case !member && in[g.UUID]:
			removed = append(removed, GroupRef{UUID: g.UUID, Name: g.Name})
		}
	}
	return added, removed
}
