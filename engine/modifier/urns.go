package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeURNs appends, removes or sets the contact's URNs.
const TypeURNs = "urns"

// URNs appends, removes or sets ("set") the contact's URNs. URNs are normalised; invalid ones
// are skipped.
type URNs struct {
	URNs         []string `json:"urns"`
	Modification string   `json:"modification"`
}

// Type is the wire name.
func (m *URNs) Type() string { return TypeURNs }

// Apply changes the URN list.
func (m *URNs) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	before := urnsKey(c)
	var parsed []*engine.URN
	for _, s := range m.URNs {
		u, err := engine.ParseURN(s)
		if err != nil {
			continue
		}
		u.Normalize()
		if u.Validate() != nil {
			continue
		}
		parsed = append(parsed, u)
	}
	switch m.Modification {
	case "append":
		for _, u := range parsed {
			if !c.HasURN(u.Identity()) && claim(e, u) && len(c.URNs) < 50 {
				c.URNs = append(c.URNs, u)
			}
		}
	case "remove":
		for _, u := range parsed {
			var keep []*engine.URN
			for _, cu := range c.URNs {
				if cu.Identity() != u.Identity() {
					keep = append(keep, cu)
				}
			}
			c.URNs = keep
		}
	case "set":
		var out []*engine.URN
		seen := map[string]bool{}
		for _, u := range parsed {
			if seen[u.Identity()] {
				continue
			}
			seen[u.Identity()] = true
			for _, cu := range c.URNs {
				if cu.Identity() == u.Identity() {
					u = cu
					break
				}
			}
			if c.HasURN(u.Identity()) || claim(e, u) {
				out = append(out, u)
			}
		}
		c.URNs = out
	}
	if urnsKey(c) == before {
		return false
	}
	log(event.NewContactURNsChanged(c.URNStrings()))
	return true
}

func claim(e *engine.ModifierEnv, u *engine.URN) bool {
	return e.Engine.ClaimURN == nil || e.Engine.ClaimURN(u.Identity())
}

func urnsKey(c *engine.Contact) string {
	s := ""
	for _, u := range c.URNs {
		s += u.String() + "\n"
	}
	return s
}

func init() { register(TypeURNs, func() engine.Modifier { return &URNs{} }) }
