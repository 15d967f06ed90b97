package engine

import (
	"careflow/contactql"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// ReevaluateGroups recomputes query-based group memberships (and drops static groups of
// contacts that are not active), logging contact_groups_changed when anything changed.
func (s *Session) ReevaluateGroups() {
	env := s.Env()
	key := queryEnvKey(env)
	if s.smart == nil || s.smartEnv != key {
		s.smart, s.smartEnv = s.assets.smartGroups(env), key
		if s.smart == nil {
			s.smart = []*contactql.SmartGroup{}
		}
	}
	added, removed := reevaluate(s.contact, s.assets, s.smart)
	if len(added) > 0 || len(removed) > 0 {
		s.contactGen++
		s.Log(event.NewContactGroupsChanged(added, removed))
	}
}

// ReevaluateGroups recomputes a contact's query-based groups in an environment and returns what
// changed: query groups left (in asset order) then, for contacts that aren't active, the static
// groups they lose; query groups joined in asset order.
func ReevaluateGroups(c *Contact, assets *Assets, env *expr.Environment) (added, removed []*flow.GroupRef) {
	if env == nil {
		env = expr.NewEnvironment(nil)
	}
	return reevaluate(c, assets, assets.smartGroups(env))
}

func reevaluate(c *Contact, assets *Assets, smart []*contactql.SmartGroup) (added, removed []*flow.GroupRef) {
	var qlAdded, qlRemoved []contactql.GroupRef
	if len(smart) > 0 {
		qlAdded, qlRemoved = contactql.Reevaluate(qlContact{c}, smart)
	}
	gone := map[string]bool{}
	for _, g := range qlRemoved {
		gone[g.UUID] = true
		removed = append(removed, &flow.GroupRef{UUID: g.UUID, Name: g.Name})
	}
	var groups, staticRemoved []*flow.GroupRef
	for _, g := range c.Groups {
		if gone[g.UUID] {
			continue
		}
		if c.Status != StatusActive {
			if a := assets.Group(g.UUID); a != nil && a.Query == "" {
				staticRemoved = append(staticRemoved, a.Ref())
				continue
			}
		}
		groups = append(groups, g)
	}
	for _, g := range qlAdded {
		ref := &flow.GroupRef{UUID: g.UUID, Name: g.Name}
		added = append(added, ref)
		groups = append(groups, ref)
	}
	c.Groups = groups
	return added, append(removed, staticRemoved...)
}

// queryEnvKey names what of an environment parsing a query depends on.
func queryEnvKey(env *expr.Environment) string {
	tz := ""
	if env.Timezone != nil {
		tz = env.Timezone.String()
	}
	return tz + "|" + env.DefaultCountry + "|" + env.RedactionPolicy + "|" + env.DateFormat
}
