package modifier

import (
	"fmt"

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
	var parsed []*engine.URN
	for _, s := range m.URNs {
		if u := parseURN(s, log); u != nil {
			parsed = append(parsed, u)
		}
	}
	return changeURNs(e, c, parsed, m.Modification, true, log)
}

// changeURNs appends, removes or sets (modification "set") urns on the contact and logs
// contact_urns_changed when the list changed. Setting keeps the contact's own URN for each it
// already has when reuse is set, else takes the given one (with its channel).
func changeURNs(e *engine.ModifierEnv, c *engine.Contact, urns []*engine.URN, modification string, reuse bool, log func(event.Event)) bool {
	before := urnsKey(c)
	switch modification {
	case "append":
		appendURNs(e, c, urns, log)
	case "remove":
		for _, u := range urns {
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
		for _, u := range urns {
			if seen[u.Identity()] {
				continue
			}
			seen[u.Identity()] = true
			if reuse {
				for _, cu := range c.URNs {
					if cu.Identity() == u.Identity() {
						u = cu
						break
					}
				}
			}
			if c.HasURN(u.Identity()) || claim(e, u, log) {
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

// parseURN parses and normalises a URN, logging an error when it is invalid.
func parseURN(s string, log func(event.Event)) *engine.URN {
	u, err := engine.ParseURN(s)
	if err == nil {
		u.Normalize()
		err = u.Validate()
	}
	if err != nil {
		log(event.NewError(fmt.Sprintf("'%s' is not valid URN", s), "urn:invalid", map[string]string{"urn": s}))
		return nil
	}
	return u
}

// appendURNs adds new URNs, logging URNs taken by other contacts and the 50 URN limit.
func appendURNs(e *engine.ModifierEnv, c *engine.Contact, urns []*engine.URN, log func(event.Event)) {
	for _, u := range urns {
		if c.HasURN(u.Identity()) || !claim(e, u, log) {
			continue
		}
		if len(c.URNs) >= maxURNs {
			log(event.NewError(fmt.Sprintf("Contact has too many URNs, limit is %d", maxURNs), "", nil))
			return
		}
		c.URNs = append(c.URNs, u)
	}
}

const maxURNs = 50

func claim(e *engine.ModifierEnv, u *engine.URN, log func(event.Event)) bool {
	if e.Engine.ClaimURN == nil || e.Engine.ClaimURN(u.Identity()) {
		return true
	}
	log(event.NewError("URN is taken by another contact", "urn:taken", map[string]string{"urn": u.Identity()}))
	return false
}

func urnsKey(c *engine.Contact) string {
	s := ""
	for _, u := range c.URNs {
		s += u.String() + "\n"
	}
	return s
}

func init() { register(TypeURNs, func() engine.Modifier { return &URNs{} }) }
