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
		s.Log(event.NewContactGroupsChanged(added, removed))
	}
}

// ReevaluateGroups recomputes a contact's query-based groups and returns what changed.
func ReevaluateGroups(c *Contact, assets *Assets, env interface{}) (added, removed []*flow.GroupRef) {
	qc := &queryContext{contact: c, assets: assets}
	qc.env = envOf(env)
	var keep []*flow.GroupRef
	for _, g := range c.Groups {
		a := assets.Group(g.UUID)
		switch {
		case a == nil:
			keep = append(keep, g)
		case a.Query == "" && c.Status != StatusActive:
			removed = append(removed, a.Ref())
		case a.Query != "":
			// recomputed below
		default:
			keep = append(keep, g)
		}
	}
	before := map[string]bool{}
	for _, g := range c.Groups {
		before[g.UUID] = true
	}
	var queryIn []string
	for _, a := range assets.Groups {
		if a.Query == "" {
			continue
		}
		in := false
		if c.Status == StatusActive {
			if q, err := a.ParsedQuery(); err == nil {
				in, _ = q.matches(qc)
			}
		}
		if in {
			queryIn = append(queryIn, a.UUID)
			if !before[a.UUID] {
				added = append(added, a.Ref())
			}
		} else if before[a.UUID] {
			removed = append(removed, a.Ref())
		}
	}
	// rebuild in the original order, appending newly added groups
	var groups []*flow.GroupRef
	inQuery := map[string]bool{}
	for _, u := range queryIn {
		inQuery[u] = true
	}
	kept := map[string]bool{}
	for _, g := range keep {
		kept[g.UUID] = true
	}
	for _, g := range c.Groups {
		if kept[g.UUID] || inQuery[g.UUID] {
			groups = append(groups, g)
		}
	}
	for _, g := range added {
		groups = append(groups, g)
	}
	c.Groups = groups
	return added, removed
}
