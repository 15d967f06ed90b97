package modifier

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// TypeGroups adds the contact to or removes it from static groups.
const TypeGroups = "groups"

// Groups adds the contact to ("add") or removes it from ("remove") static groups.
type Groups struct {
	Groups       []*flow.GroupRef `json:"groups"`
	Modification string           `json:"modification"`
}

// Type is the wire name.
func (m *Groups) Type() string { return TypeGroups }

// Apply changes memberships; query-based groups and unknown groups are skipped, and only active
// contacts can be added.
func (m *Groups) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	var changed []*flow.GroupRef
	var static []*engine.Group
	for _, ref := range m.Groups {
		g := e.Assets.Group(ref.UUID)
		if g == nil {
			continue
		}
		if g.Query != "" {
			if m.Modification == "remove" {
				log(event.NewError(fmt.Sprintf("Can't remove contacts from the query based group '%s'", g.Name), "", nil))
			} else {
				log(event.NewError(fmt.Sprintf("Can't add contacts to the query based group '%s'", g.Name), "", nil))
			}
			continue
		}
		static = append(static, g)
	}
	if m.Modification != "remove" && len(static) > 0 && c.Status != engine.StatusActive {
		log(event.NewError("Can't add blocked or stopped contacts to groups", "", nil))
		return false
	}
	for _, g := range static {
		if m.Modification == "remove" {
			if c.InGroup(g.UUID) {
				var keep []*flow.GroupRef
				for _, cg := range c.Groups {
					if cg.UUID != g.UUID {
						keep = append(keep, cg)
					}
				}
				c.Groups = keep
				changed = append(changed, g.Ref())
			}
			continue
		}
		if c.InGroup(g.UUID) {
			continue
		}
		c.Groups = append(c.Groups, g.Ref())
		changed = append(changed, g.Ref())
	}
	if len(changed) == 0 {
		return false
	}
	if m.Modification == "remove" {
		log(event.NewContactGroupsChanged(nil, changed))
	} else {
		log(event.NewContactGroupsChanged(changed, nil))
	}
	return true
}

func init() { register(TypeGroups, func() engine.Modifier { return &Groups{} }) }
