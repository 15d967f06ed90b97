package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// TypeRoutes appends, removes or sets URNs with the channel each should use.
const TypeRoutes = "routes"

// Route is a URN with its channel.
type Route struct {
	URN     string           `json:"urn"`
	Channel *flow.ChannelRef `json:"channel"`
}

// Routes appends, removes or sets URNs with channel affinity.
type Routes struct {
	Routes       []*Route `json:"routes"`
	Modification string   `json:"modification"`
}

// Type is the wire name.
func (m *Routes) Type() string { return TypeRoutes }

// Apply changes the URN list.
func (m *Routes) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	var parsed []*engine.URN
	for _, r := range m.Routes {
		u := parseURN(r.URN, log)
		if u == nil {
			continue
		}
		u.Channel = ""
		if r.Channel != nil {
			if ch := e.Assets.Channel(r.Channel.UUID); ch != nil {
				u.Channel = ch.UUID
			}
		} else {
			for _, cu := range c.URNs {
				if cu.Identity() == u.Identity() {
					u.Channel = cu.Channel
				}
			}
		}
		parsed = append(parsed, u)
	}
	return changeURNs(e, c, parsed, m.Modification, false, log)
}

func init() { register(TypeRoutes, func() engine.Modifier { return &Routes{} }) }
