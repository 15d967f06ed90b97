package engine

import (
	"careflow/engine/event"
	"careflow/flow"
)

// ReevaluateGroups recomputes query-based group memberships (and drops static groups of
// contacts that are not active), logging contact_groups_changed when anything changed.
func (s *Session) ReevaluateGroups() {
	added, removed := ReevaluateGroups(s.contact, s.assets, s.Env())
	if len(added) > 0 || len(removed) > 0 {
		s.contactGen++
		s.Log(event.NewContactGroupsChanged(added, removed))
	}
}

// ReevaluateGroups recomputes a contact's query-based groups and returns what changed. Removed
// groups are listed in the contact's group order, added ones in asset order.
func ReevaluateGroups(c *Contact, assets *Assets, env interface{}) (added, removed []*flow.GroupRef) {
	qc := &queryContext{contact: c, assets: assets, env: envOf(env)}
	matches := map[string]bool{}
	for _, a := range assets.Groups {
		if a.Query == "" || c.Status != StatusActive {
			continue
		}
		if q, err := a.ParsedQuery(); err == nil {
			if ok, _ := q.matches(qc); ok {
				matches[a.UUID] = true
			}
		}
	}
	var groups, staticRemoved []*flow.GroupRef
	had := map[string]bool{}
	for _, g := range c.Groups {
		had[g.UUID] = true
		a := assets.Group(g.UUID)
		switch {
		case a == nil:
			groups = append(groups, g)
		case a.Query == "" && c.Status != StatusActive:
			staticRemoved = append(staticRemoved, a.Ref())
		case a.Query != "" && !matches[a.UUID]:
			removed = append(removed, a.Ref())
		default:
			groups = append(groups, g)
		}
	}
	for _, a := range assets.Groups {
		if matches[a.UUID] && !had[a.UUID] {
			added = append(added, a.Ref())
			groups = append(groups, a.Ref())
		}
	}
	c.Groups = groups
	return added, append(removed, staticRemoved...)
}
